"""`diplobot run` as a subprocess against the fake Bot API server: the acceptance test,
and start-up failures that must print one clear line (never the token) and exit non-zero."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_bot_api import TOKEN, FakeBotAPI, check_html, message_update

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db_copy(seeded_db_path, tmp_path) -> Path:
    target = tmp_path / "run.db"
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def run_env(db: Path, api_base: str, token: str = TOKEN, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_BASE_URL=api_base,
               DIPLOBOT_DB=str(db), DIPLOBOT_FEEDS="none")  # the catalogue's sites are outside hosts
    env.update(extra)
    return env


def diplobot(*args: str) -> list[str]:
    return [sys.executable, "-m", "diplobot.cli", *args]


def test_diplobot_run_answers_province_in_telegram(db_copy, seed_titles):
    with FakeBotAPI() as api:
        proc = subprocess.Popen(diplobot("run"), cwd=ROOT, env=run_env(db_copy, api.base_url, DIPLOBOT_LOG_LEVEL="DEBUG"),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            api.wait_for("getUpdates", timeout=60)
            api.inject(message_update("/province Bình Dương", chat_id=4242, user_id=4242))
            (call,) = api.wait_for("sendMessage", timeout=30)
        finally:
            proc.send_signal(signal.SIGTERM)
            output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output[-2000:]
    text, problems = check_html(call.text)
    assert problems == []
    assert call.chat_id == 4242 and "Bình Dương" in seed_titles["001"] and seed_titles["001"] in text
    assert "DEBUG" in output and "sendMessage" in output  # the debug log really was on
    assert not [line for line in output.splitlines() if TOKEN in line]


def test_rejected_token_is_one_line_and_a_failure(db_copy):
    with FakeBotAPI() as api:
        api.fail("getMe", 401, "Unauthorized")
        done = subprocess.run(diplobot("run"), cwd=ROOT, env=run_env(db_copy, api.base_url),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("diplobot: TELEGRAM_BOT_TOKEN was rejected") and TOKEN not in line


def test_unreachable_api_is_one_line_and_a_failure(db_copy):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    done = subprocess.run(diplobot("run"), cwd=ROOT, env=run_env(db_copy, f"http://127.0.0.1:{port}/bot"),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"diplobot: cannot reach the Bot API server at http://127.0.0.1:{port}/bot")
    assert TOKEN not in line


def test_malformed_token_is_refused_before_any_request(db_copy):
    with FakeBotAPI() as api:
        done = subprocess.run(diplobot("run"), cwd=ROOT, env=run_env(db_copy, api.base_url, token="not a token"),
                              capture_output=True, text=True, timeout=60)
        assert api.calls == []
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert "TELEGRAM_BOT_TOKEN: malformed" in line and "not a token" not in line
