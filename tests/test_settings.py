"""One settings object validated at start: a bad value is one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from diplobot.settings import Settings, SettingsError
from ingest.dates import VN_TZ
from ingest.models import IngestOptions


def test_defaults():
    s = Settings.from_env({})
    assert str(s.db_path) == "data/diplobot.db"
    assert s.summarizer == "extractive" and s.digest_time == "07:00" and s.poll_minutes == 30
    assert s.tz.key == "Asia/Ho_Chi_Minh" and not s.allow_private_urls and s.telegram_token == ""


def test_runs_without_settings_use_the_settings_defaults():
    """The defaults live once, in diplobot.settings: ingest's options and the date parsers' zone
    are the ones an empty environment gives (feeds aside: an options object polls nothing)."""
    assert IngestOptions() == IngestOptions.from_settings(Settings.from_env({"DIPLOBOT_FEEDS": "none"}))
    assert VN_TZ == Settings.from_env({}).tz


@pytest.mark.parametrize(
    "name, value",
    [
        ("DIPLOBOT_DIGEST_TIME", "25:00"),
        ("DIPLOBOT_TZ", "Mars/Olympus"),
        ("DIPLOBOT_SUMMARIZER", "gpt"),
        ("DIPLOBOT_POLL_MINUTES", "often"),
        ("DIPLOBOT_ADMINS", "alice"),
        ("DIPLOBOT_ALLOW_PRIVATE_URLS", "yes"),
        ("TELEGRAM_BOT_TOKEN", "not a token"),
        ("TELEGRAM_API_BASE_URL", "ftp://x"),
        ("DIPLOBOT_FEEDS", "file:///etc/passwd"),
    ],
)
def test_bad_value_names_the_variable(name, value):
    with pytest.raises(SettingsError) as info:
        Settings.from_env({name: value})
    assert str(info.value).startswith(name)


def test_cli_prints_one_line_and_exits_2(tmp_path):
    env = {**os.environ, "DIPLOBOT_DIGEST_TIME": "7h", "DIPLOBOT_DB": str(tmp_path / "x.db")}
    proc = subprocess.run(
        [sys.executable, "-m", "diplobot.cli", "chat"], input="", capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "DIPLOBOT_DIGEST_TIME" in proc.stderr and "Traceback" not in proc.stderr


def test_token_is_not_in_repr():
    s = Settings.from_env({"TELEGRAM_BOT_TOKEN": "123456:SECRETsecret"})
    assert "SECRETsecret" not in repr(s)
