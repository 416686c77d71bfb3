"""The bot token never reaches stdout or stderr, whatever goes wrong.

Every subcommand that talks to Telegram (`run`, `digest`, `digest --retry-uncertain`) runs
as a subprocess at DIPLOBOT_LOG_LEVEL=DEBUG with a revoked token, against a Bot API that
answers 401 and quotes the request URL (token included) upper- and lower-cased in its
error description; every byte it prints is searched, ignoring case, for the token and
for its secret half. A revoked token and an unreachable server are one clear line, a
non-zero exit status and no traceback.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parent.parent
# A token shaped like @BotFather's; the fake server knows another one, so it is "revoked".
TOKEN = "7012345678:AAHk3jX9mQ2vRtYp0LsWbN4cE8fZuGd1oIa"
SECRET = TOKEN.split(":", 1)[1]
TELEGRAM_COMMANDS = [("run",), ("digest",), ("digest", "--retry-uncertain")]


@pytest.fixture(scope="module")
def db_path(seeded_db_path, tmp_path_factory) -> Path:
    """A seeded database (so `run` does not ingest first), shared by this module's runs."""
    target = tmp_path_factory.mktemp("token") / "bot.db"
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def diplobot(args: tuple[str, ...], db: Path, api_base: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    clean.update(PYTHONPATH=str(ROOT), TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api_base,
                 DIPLOBOT_DB=str(db), **env)
    return subprocess.run([sys.executable, "-m", "diplobot.cli", *args], cwd=ROOT, env=clean, stdin=subprocess.PIPE,
                          capture_output=True, timeout=60)


def assert_no_secret(done: subprocess.CompletedProcess) -> str:
    """All output as text; fails if the token or its secret half is in it, in any case."""
    raw = (done.stdout + done.stderr).lower()
    assert TOKEN.lower().encode() not in raw and SECRET.lower().encode() not in raw, raw.decode(errors="replace")[-3000:]
    return (done.stdout + done.stderr).decode(errors="replace")


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/bot"


@pytest.mark.parametrize("args", TELEGRAM_COMMANDS, ids=" ".join)
def test_revoked_token_at_debug_never_printed(args, db_path):
    with FakeBotAPI(token="1:other", echo_path=True) as api:
        done = diplobot(args, db_path, api.base_url, DIPLOBOT_LOG_LEVEL="DEBUG")
        assert api.calls_of("getMe", ok_only=False)  # the server was asked and said 401 + the URL
    output = assert_no_secret(done)
    assert done.returncode == 1, output[-2000:]
    assert "DEBUG" in output  # the debug log really was on
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1] == (
        "diplobot: TELEGRAM_BOT_TOKEN was rejected by the Bot API server (401 Unauthorized): "
        "check the token @BotFather gave you")


@pytest.mark.parametrize("args", TELEGRAM_COMMANDS[1:], ids=" ".join)  # `run`: test_telegram_e2e
def test_revoked_token_is_one_line(args, db_path):
    with FakeBotAPI(token="1:other", echo_path=True) as api:
        done = diplobot(args, db_path, api.base_url)
    output = assert_no_secret(done)
    assert done.returncode == 1 and done.stdout == b""
    (line,) = output.strip().splitlines()
    assert line.startswith("diplobot: TELEGRAM_BOT_TOKEN was rejected")


@pytest.mark.parametrize("args", TELEGRAM_COMMANDS, ids=" ".join)
def test_unreachable_api_at_debug_never_printed(args, db_path):
    url = closed_port_url()
    done = diplobot(args, db_path, url, DIPLOBOT_LOG_LEVEL="DEBUG")
    output = assert_no_secret(done)
    assert done.returncode == 1, output[-2000:]
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1].startswith(f"diplobot: cannot reach the Bot API server at {url}")


def test_unreachable_api_is_one_line_for_digest(db_path):  # `run`: test_telegram_e2e
    url = closed_port_url()
    done = diplobot(("digest", "--now"), db_path, url)
    (line,) = assert_no_secret(done).strip().splitlines()
    assert done.returncode == 1 and done.stdout == b""
    assert line.startswith(f"diplobot: cannot reach the Bot API server at {url}: ")


def test_token_revoked_after_start_is_masked_in_upper_and_lower_case(db_path):
    """getMe passes, then every call is refused with the URL quoted back: the bot's own
    warnings carry the description, masked, and it stops with the one line."""
    with FakeBotAPI(token=TOKEN, echo_path=True) as api:
        for method in ("setMyCommands", "deleteWebhook", "getUpdates"):
            api.fail(method, 401, "Unauthorized", times=100)
        done = diplobot(("run",), db_path, api.base_url, DIPLOBOT_LOG_LEVEL="DEBUG")
    output = assert_no_secret(done)
    assert done.returncode == 1, output[-2000:]
    assert "/BOT<token>/SETMYCOMMANDS" in output and "/bot<token>/setmycommands" in output
    assert "Traceback" not in output
    assert output.strip().splitlines()[-1].startswith("diplobot: TELEGRAM_BOT_TOKEN was rejected")


def test_redaction_ignores_case_and_masks_the_secret_half():
    from bot.redact import protect_token, redact

    token = "5550001:AAEcaseTestSecretHalf_42xyz"
    protect_token(token)
    text = f"GET /BOT{token.upper()}/GETME, /bot{token.lower()}/getme, /bot5550001%3A{token.split(':')[1]}/x"
    masked = redact(text)
    assert token.split(":")[1].lower() not in masked.lower()
    assert masked == "GET /BOT<token>/GETME, /bot<token>/getme, /bot5550001%3A<token>/x"


def test_uncaught_exception_is_printed_without_the_token():
    code = (
        "from bot.redact import protect_token\n"
        f"protect_token({TOKEN!r})\n"
        f"raise RuntimeError('The token `{TOKEN.lower()}` was rejected')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, timeout=30,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1
    output = assert_no_secret(done)
    assert "RuntimeError: The token `<token>` was rejected" in output
