"""Consistent copies of the live database, taken while the bot and ingests keep writing.

SQLite's online backup API (`sqlite3.Connection.backup`), never a file copy: a copied file
can catch a write half done, and misses what sits in the `-wal` file. The copy is made in
one step, inside one read transaction: in WAL mode writers go on meanwhile, and the copy
is the database as of one commit (a prefix of every writer's history).

Then the copy is made a single self-contained file (rollback journal, so restoring is
copying one file back), checked with `PRAGMA integrity_check`, synced to disk, and only
then renamed to its name: a failure (missing or read-only folder, full disk, a source
that is not SQLite) leaves no partial file behind and never touches the live database,
and raises `BackupError` with one line for the operator.

Used by `diplobot backup DEST`, by the bot's daily backup job (bot.operator), and by
storage.db.migrate before it changes the schema of a file in use.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from storage.tx import database_path

PREFIX = "diplobot-"
SUFFIX = ".db"


class BackupError(Exception):
    """The backup was not made; the message is one line, the live database was not changed."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int  # bytes
    articles: int
    seconds: float

    def summary_line(self) -> str:
        return (f"backup {self.path}: {self.size / 1e6:,.1f} MB, {self.articles:,} articles, "
                f"integrity ok, {self.seconds:.1f} s")


def dated_name(now: datetime | None = None, label: str = "") -> str:
    """`diplobot-20261202-221500.db` (UTC), `diplobot-20261202-221500-before-v8.db` with a label."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%d-%H%M%S")
    return f"{PREFIX}{stamp}{'-' + label if label else ''}{SUFFIX}"


def backup_file(source: str | Path, dest: str | Path, now: datetime | None = None) -> BackupResult:
    """Back up the database file `source` to `dest` (a file path, or a folder for a dated name)."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    try:
        conn = open_readonly(source)  # the live file is never written through it, whatever happens
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {source}: {exc}") from None
    try:
        return backup_connection(conn, dest, source=source, now=now)
    finally:
        conn.close()


def open_readonly(path: str | Path, busy_timeout_ms: int = 10000) -> sqlite3.Connection:
    """An existing database file, opened read-only in autocommit mode (nothing created, nothing migrated)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return conn


def backup_connection(conn: sqlite3.Connection, dest: str | Path, source: str | Path | None = None,
                      now: datetime | None = None) -> BackupResult:
    """Back up the database open on `conn` (its main file is `source`, found if not given) to `dest`."""
    started = time.perf_counter()
    source = Path(source if source is not None else database_path(conn))
    try:
        conn.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:  # "file is not a database"
        raise BackupError(f"{source} is not a usable SQLite database: {exc}") from None
    target = _target(dest, now)
    _refuse_same_file(source, target)
    _refuse_foreign(target)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        articles = _copy(conn, partial)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot write {target}: {_why(exc)}") from None
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        for leftover in (partial, Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return BackupResult(target, target.stat().st_size, articles, time.perf_counter() - started)


def _target(dest: str | Path, now: datetime | None) -> Path:
    """DEST itself, or a dated file in it when DEST is a folder (or written as one: `backups/`)."""
    if Path(dest).is_dir() or str(dest).endswith(("/", os.sep)):
        dest = Path(dest) / dated_name(now)
    dest = Path(dest)
    folder = dest.parent
    if not folder.is_dir():
        raise BackupError(f"cannot write {dest}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(f"cannot write {dest}: folder {folder} is read-only")
    return dest


def _refuse_same_file(source: Path, target: Path) -> None:
    """DEST must not be the live database, under any name (symlink, hard link, its -wal…)."""
    live = source.resolve()
    if target.resolve() == live or any(target.resolve() == Path(f"{live}{s}") for s in ("-wal", "-shm", "-journal")):
        raise BackupError(f"{target} is the live database itself; choose another file")
    with contextlib.suppress(OSError):
        if os.path.samefile(target, source):
            raise BackupError(f"{target} is the live database itself (a link to it); choose another file")


def _refuse_foreign(target: Path) -> None:
    """An existing DEST is replaced only when it is a Diplobot database (an older backup), nothing else."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_file() and _is_diplobot_database(target):
        return
    raise BackupError(f"{target} exists and is not a Diplobot backup; not overwriting it (choose a new name or a folder)")


def _is_diplobot_database(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                return False
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return bool(conn.execute("select 1 from sqlite_master where name = 'schema_version'").fetchone())
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False


def _copy(conn: sqlite3.Connection, partial: Path) -> int:
    """Copy into `partial`, make it one self-contained file, check it; the number of articles."""
    copy = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.backup(copy)  # all pages in one step: one read transaction, one consistent snapshot
        copy.execute("PRAGMA journal_mode = DELETE")  # the source's WAL mode came along with page 1
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise BackupError(f"the copy failed its integrity check: {problems[0]}")
        articles = _count_articles(copy)
    finally:
        copy.close()
    with open(partial, "rb+") as f:  # on disk before it takes the real name
        os.fsync(f.fileno())
    return articles


def _count_articles(conn: sqlite3.Connection) -> int:
    if not conn.execute("select 1 from sqlite_master where type = 'table' and name = 'articles'").fetchone():
        return 0
    return conn.execute("select count(*) from articles").fetchone()[0]


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be opened and synced
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _why(exc: sqlite3.Error) -> str:
    code = getattr(exc, "sqlite_errorcode", 0) or 0
    if code & 0xFF == sqlite3.SQLITE_FULL:  # ENOSPC
        return "the disk is full"
    if code == sqlite3.SQLITE_IOERR_WRITE:  # EFBIG, EIO…
        return "write error (disk full, or a file size limit?)"
    return str(exc)


def prune(folder: str | Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` dated backups (`diplobot-*.db`) in `folder`; the deleted paths."""
    dated = sorted(p for p in Path(folder).glob(f"{PREFIX}*{SUFFIX}") if p.is_file() and "-before-" not in p.name)
    old = dated[:-keep] if keep > 0 else dated
    for path in old:
        path.unlink()
    return old
