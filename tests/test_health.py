"""`diplobot health` as a subprocess: exit 0 when all is well, 1 on a broken database, a stale
digest record or an unreachable Bot API; one line per check (or JSON), never the token."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from diplobot.health import run_checks
from diplobot.settings import Settings
from storage import open_db
from storage.run_state import LAST_DIGEST, LAST_POLL, record
from tests.fake_bot_api import TOKEN

ROOT = Path(__file__).resolve().parent.parent


def health(db: Path, api_base: str, *args: str, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(db), TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api_base,
               DIPLOBOT_FEEDS="http://127.0.0.1:9/rss.xml", DIPLOBOT_POLL_MINUTES="30")
    env.update(extra)
    return subprocess.run([sys.executable, "-m", "diplobot.cli", "health", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "diplobot.db"
    db = open_db(path)
    now = datetime.now(timezone.utc)
    record(db, LAST_POLL, "3 new", now=now - timedelta(minutes=20))
    record(db, LAST_DIGEST, "0 chats due", now=now - timedelta(minutes=1))
    db.close()
    return path


def lines(done: subprocess.CompletedProcess) -> dict[str, str]:
    assert TOKEN not in done.stdout + done.stderr and TOKEN.split(":")[1] + "/" not in done.stdout
    return {line.split(":", 1)[0].split(None, 1)[1]: line for line in done.stdout.splitlines()}


def test_healthy_bot_exits_0_with_one_line_per_check(db_path, api):
    done = health(db_path, api.base_url)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = lines(done)
    assert list(checks) == ["database", "schema", "telegram", "sources", "last poll", "last digest run"]
    assert all(line.startswith("ok ") for line in checks.values())
    assert "@diplobot_test_bot" in checks["telegram"] and "20 min ago (limit 1 h 10 min): 3 new" in checks["last poll"]
    assert api.calls_of("getMe")


def test_stale_digest_record_exits_1_in_json_too(tmp_path, api):
    path = tmp_path / "diplobot.db"
    db = open_db(path)  # no poll ever recorded: fine, polling is off
    record(db, LAST_DIGEST, "", now=datetime.now(timezone.utc) - timedelta(hours=2))
    db.close()
    done = health(path, api.base_url, "--json", DIPLOBOT_BACKUP_DIR=str(tmp_path), DIPLOBOT_FEEDS="none")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["healthy"] is False
    failed = [c for c in report["checks"] if not c["ok"]]
    assert [c["name"] for c in failed] == ["last digest run", "last daily backup"]
    assert "2 h 0 min ago" in failed[0]["detail"] and "never recorded" in failed[1]["detail"]
    (poll,) = [c for c in report["checks"] if c["name"] == "last poll"]
    assert poll == {"name": "last poll", "ok": True, "detail": "polling is off (DIPLOBOT_FEEDS=none)"}


def test_unreachable_api_exits_1(db_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = health(db_path, f"http://127.0.0.1:{port}/bot")
    assert done.returncode == 1
    checks = lines(done)
    assert checks["telegram"] == f"FAIL telegram: http://127.0.0.1:{port}/bot unreachable (ConnectError)"
    assert checks["database"].startswith("ok ")


def test_broken_database_exits_1_and_is_left_as_it_was(db_path, api):
    data = bytearray(db_path.read_bytes())
    data[4096 * 2: 4096 * 6] = b"\xff" * (4096 * 4)  # pages 3-6 overwritten
    db_path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    done = health(db_path, api.base_url)
    assert done.returncode == 1
    checks = lines(done)
    assert checks["database"].startswith(f"FAIL database: {db_path}: ")
    assert db_path.read_bytes() == bytes(data)
    settings = Settings.from_env({"DIPLOBOT_DB": str(db_path.parent / "nothing.db"), "DIPLOBOT_FEEDS": "none"})
    (database, telegram) = run_checks(settings)
    assert not database.ok and "no database file at" in database.detail and telegram.ok
    assert not (db_path.parent / "nothing.db").exists()
