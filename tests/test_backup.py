"""`diplobot backup DEST` as a subprocess: a consistent copy while another process writes, and every
bad DEST (missing or read-only folder, the live file under any name, a full disk, not SQLite) is one
line, exit 1, no partial file, the live database untouched. Plus the backup a migration makes first."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from storage import open_db
from storage.backup import BackupError, backup_file, dated_name, prune
from storage.tx import write

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = 300

# Stores articles every few ms until the test says the backup is done, and at least ARTICLES of them,
# so the backup always falls inside the ingest, however slowly the machine starts the CLI.
WRITER = """
import sys, time
from pathlib import Path
from storage import open_db
from storage.articles import store_article
db, done = open_db(sys.argv[1]), Path(sys.argv[3])
i = 0
while i < int(sys.argv[2]) or not done.exists():
    i += 1
    store_article(db, {"source_key": f"k{i}", "title": f"Bài {i}", "body": "Nội dung " * 200,
                       "content_hash": f"h{i}"}, {"text": f"Tóm tắt {i}", "backend": "extractive"}, None)
    time.sleep(0.003)
"""


def env_for(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    return {**env, "PYTHONPATH": str(ROOT), "DIPLOBOT_DB": str(db)}


def backup(db: Path, dest: str | Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "diplobot.cli", "backup", str(dest)], cwd=ROOT, env=env_for(db),
                          capture_output=True, text=True, timeout=60, **kw)


def count(db: Path, sql: str = "select count(*) from articles") -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def live(tmp_path) -> Path:
    path = tmp_path / "live" / "diplobot.db"
    db = open_db(path)
    with write(db):
        for i in range(40):
            db.execute("insert into chats (chat_id, title, digest_enabled) values (?, ?, 1)", [i, "nhóm " * 500])
    db.close()
    return path


def test_backup_during_an_ingest_is_sound_and_a_consistent_prefix(live, tmp_path):
    flag = tmp_path / "backup-done"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(live), str(ARTICLES), str(flag)], cwd=ROOT,
                              env=env_for(live))
    try:
        deadline = time.monotonic() + 30
        while count(live) < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        done = backup(live, tmp_path / "copy.db")
    finally:
        flag.touch()
        assert writer.wait(60) == 0
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "copy.db"
    n, total = count(copy), count(live)
    assert 30 <= n < total and total >= ARTICLES, (n, total)  # taken while the writer was at it
    assert done.stdout.startswith(f"backup {copy}: ") and f"{n} articles, integrity ok" in done.stdout
    conn = sqlite3.connect(copy)
    assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    assert conn.execute("pragma journal_mode").fetchone() == ("delete",)  # one self-contained file
    assert [r[0] for r in conn.execute("select id from articles order by id")] == list(range(1, n + 1))
    assert conn.execute("select count(*) from summaries").fetchone()[0] == n  # each article with its summary
    assert conn.execute("select n from listing_counts where kind = 'article'").fetchone()[0] == n
    assert conn.execute("select count(*) from article_search").fetchone()[0] == n
    conn.close()
    assert [p.name for p in copy.parent.iterdir() if "partial" in p.name] == []


def test_bad_destinations_are_refused_and_leave_everything_as_it_was(live, tmp_path):
    before = digest(live)
    (live.parent / "link.db").symlink_to(live)
    os.link(live, live.parent / "hard.db")
    other = tmp_path / "notes.txt"
    other.write_text("ghi chú")
    cases = {
        tmp_path / "missing" / "x.db": f"folder {tmp_path / 'missing'} does not exist",
        f"{tmp_path / 'missing'}/": "does not exist",
        live: "is the live database itself",
        live.parent / "link.db": "is the live database itself",
        live.parent / "hard.db": "is the live database itself (a link to it)",
        Path(f"{live}-wal"): "is the live database itself",
        other: "exists and is not a Diplobot backup",
    }
    for dest, words in cases.items():
        with pytest.raises(BackupError, match=re.escape(words)):
            backup_file(live, dest)
    assert other.read_text() == "ghi chú" and not (tmp_path / "missing").exists()
    assert digest(live) == before
    # Through the CLI: one line, exit 1, nothing on stdout.
    done = backup(live, live.parent / "link.db")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"diplobot: backup failed: {live.parent / 'link.db'} is the live database itself; "
                           "choose another file\n")


def test_a_database_that_is_not_sqlite(tmp_path):
    not_sqlite = tmp_path / "bad.db"
    not_sqlite.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match=f"^{re.escape(str(not_sqlite))} is not a usable SQLite database: "
                                          "file is not a database$"):
        backup_file(not_sqlite, tmp_path / "out.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.db"]
    assert not_sqlite.read_bytes() == b"not a database at all" * 100
    with pytest.raises(BackupError, match="no database at"):
        backup_file(tmp_path / "nothing.db", tmp_path / "out.db")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a mode 0555 folder anyway (CI runs as a user)")
def test_read_only_folder(live, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    done = backup(live, ro / "x.db")
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line == f"diplobot: backup failed: cannot write {ro / 'x.db'}: folder {ro} is read-only"
    assert list(ro.iterdir()) == []


def test_full_disk_leaves_no_partial_file(live, tmp_path):
    """A file size limit (RLIMIT_FSIZE) stands in for a full disk: the write fails half way."""
    size = live.stat().st_size
    assert size > 200_000
    dest = tmp_path / "out"
    dest.mkdir()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2))

    done = backup(live, dest / "x.db", preexec_fn=limit)
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"diplobot: backup failed: cannot write {dest / 'x.db'}: ") and "disk full" in line
    assert list(dest.iterdir()) == []
    assert open_db(live).execute("pragma quick_check").fetchone() == ("ok",)


def test_a_folder_dest_gets_a_dated_name_and_prune_keeps_the_newest(live, tmp_path):
    dest = tmp_path / "backups"
    dest.mkdir()
    made = backup_file(live, dest).path
    assert made.parent == dest and made.name.startswith("diplobot-") and made.name.endswith(".db")
    for day in range(1, 10):
        (dest / dated_name(datetime(2026, 1, day, tzinfo=timezone.utc))).write_bytes(b"")
    removed = prune(dest, 3)
    assert len(removed) == 7 and made in set(dest.iterdir()) and len(list(dest.iterdir())) == 3
    again = backup_file(live, made)  # an older Diplobot backup is replaced
    assert again.path == made and again.articles == 0


def test_a_migration_backs_up_an_existing_file_first(tmp_path, monkeypatch, caplog):
    import storage.db

    path = tmp_path / "old.db"
    with monkeypatch.context() as older:  # a file made by the release before the last two migrations
        older.setattr(storage.db, "SCHEMA_VERSION", storage.db.SCHEMA_VERSION - 2)
        db = open_db(path)
        db.execute("insert into chats (chat_id, digest_enabled) values (7, 1)")
        db.close()
    with caplog.at_level(logging.WARNING, logger="storage.db"):
        open_db(path).close()
    (made,) = [p for p in tmp_path.iterdir() if "-before-v" in p.name]
    assert f"backed up first to {made}" in caplog.text
    old = sqlite3.connect(made)
    assert old.execute("select max(version) from schema_version").fetchone() == (storage.db.SCHEMA_VERSION - 2,)
    assert old.execute("select chat_id from chats").fetchall() == [(7,)]
    old.close()


def test_a_new_database_is_not_backed_up(tmp_path):
    open_db(tmp_path / "new.db").close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == ["new.db"]
