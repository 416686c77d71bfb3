"""Errors reach the operator: the real PTB Application over the fake Bot API, one admin alert per
error kind per hour, a count of the held-back repeats in the next one, never the token or a user's text."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from telegram.ext import CallbackContext

from bot.operator import BACKUP_JOB
from bot.telegram import ERROR_TEXT
from diplobot.settings import Settings
from storage import open_db
from storage.backup import dated_name
from storage.run_state import claim_notice
from tests.fake_bot_api import TOKEN, BotThread, FakeBotAPI, message_update

ADMIN = 9001
USER_TEXT = "/help bí mật của người dùng"


def wait_until(check, timeout: float = 10.0):
    deadline = time.monotonic() + timeout
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return result


@pytest.fixture
def running(tmp_path):
    db_path = tmp_path / "bot.db"
    open_db(db_path).close()
    (tmp_path / "backups").mkdir()
    with FakeBotAPI() as api:
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                                      "DIPLOBOT_DB": str(db_path), "DIPLOBOT_ADMINS": str(ADMIN),
                                      "DIPLOBOT_BACKUP_DIR": str(tmp_path / "backups"), "DIPLOBOT_BACKUP_KEEP": "2"})

        with BotThread(settings, db_path) as bot:
            bot.api = api
            yield bot


def alerts(bot) -> list[str]:
    return [c.params["text"] for c in bot.api.sent(ADMIN)]


def test_handler_errors_alert_the_admins_once_per_hour_then_with_a_count(running, monkeypatch):
    async def broken_dispatch(ctx, cmd):
        raise LookupError(f"{TOKEN} {cmd.args}")  # the token and the user's text in the message

    monkeypatch.setattr("bot.telegram.dispatch", broken_dispatch)
    for n in range(3):
        running.api.inject(message_update(USER_TEXT, chat_id=77 + n, user_id=77 + n))
        (apology,) = running.api.wait_for("sendMessage", where=lambda c, chat=77 + n: c.chat_id == chat)
        assert apology.params["text"] == ERROR_TEXT
    assert wait_until(lambda: len(alerts(running)) == 1)
    time.sleep(0.5)  # the other two errors were counted, not sent
    (first,) = alerts(running)
    assert first.startswith("⚠️ Diplobot: lỗi LookupError tại handler (bot.telegram.on_command), lúc ")
    assert TOKEN not in first and "bí mật" not in first and TOKEN.split(":")[1] not in first
    assert wait_until(lambda: sqlite3.connect(running.db_path).execute(
        "select held from admin_notices").fetchone() == (2,))

    # An hour later (the record moved back), the next error goes out with the count.
    conn = sqlite3.connect(running.db_path)
    an_hour_ago = (datetime.now(timezone.utc) - timedelta(hours=1, seconds=1)).isoformat(timespec="seconds")
    conn.execute("update admin_notices set sent_at = ?", [an_hour_ago])
    conn.commit()
    conn.close()
    running.api.inject(message_update(USER_TEXT, chat_id=90, user_id=90))
    assert wait_until(lambda: len(alerts(running)) == 2)
    assert "Lặp lại 2 lần" in alerts(running)[1] and "LookupError" in alerts(running)[1]


def test_a_job_error_is_its_own_kind(running):
    async def broken_job(context):
        raise ZeroDivisionError("nightly job")

    running._loop.call_soon_threadsafe(lambda: running.app.job_queue.run_once(broken_job, 0, name="nightly"))
    assert wait_until(lambda: any("ZeroDivisionError" in text for text in alerts(running)))
    (alert,) = [text for text in alerts(running) if "ZeroDivisionError" in text]
    assert "job nightly" in alert


def run_job(bot, name: str):
    """Run the bot's JobQueue job `name` now, in the bot's loop; its return value."""
    (job,) = bot.app.job_queue.get_jobs_by_name(name)
    context = CallbackContext.from_job(job, bot.app)
    return asyncio.run_coroutine_threadsafe(job.callback(context), bot._loop).result(30)


def test_the_daily_backup_job_writes_one_a_day_and_keeps_the_newest(running, tmp_path):
    folder = tmp_path / "backups"
    for day in (1, 2, 3):
        (folder / dated_name(datetime(2026, 1, day, tzinfo=timezone.utc))).write_bytes(b"")
    result = run_job(running, BACKUP_JOB)
    assert result is not None and result.path.parent == folder
    assert sorted(folder.iterdir()) == [folder / dated_name(datetime(2026, 1, 3, tzinfo=timezone.utc)), result.path]
    assert sqlite3.connect(result.path).execute("pragma integrity_check").fetchone() == ("ok",)
    assert run_job(running, BACKUP_JOB) is None  # one a day
    conn = sqlite3.connect(running.db_path)
    assert conn.execute("select detail from run_state where key = 'last_backup'").fetchone() == (str(result.path),)
    conn.close()


def test_a_failed_daily_backup_reaches_the_admins(running, tmp_path):
    (tmp_path / "backups").rmdir()
    assert run_job(running, BACKUP_JOB) is None
    (alert,) = alerts(running)
    assert "sao lưu" in alert and "does not exist" in alert


def test_the_hourly_limit_survives_a_restart(tmp_path: Path):
    start = datetime(2026, 1, 1, 8, 0, tzinfo=timezone.utc)
    db = open_db(tmp_path / "x.db")
    assert claim_notice(db, "error:A", timedelta(hours=1), now=start) == 0
    db.close()
    db = open_db(tmp_path / "x.db")  # a restart
    assert claim_notice(db, "error:A", timedelta(hours=1), now=start + timedelta(minutes=5)) is None
    assert claim_notice(db, "error:B", timedelta(hours=1), now=start + timedelta(minutes=5)) == 0
    assert claim_notice(db, "error:A", timedelta(hours=1), force=True, now=start + timedelta(minutes=6)) == 1
    assert claim_notice(db, "error:A", timedelta(hours=1), now=start + timedelta(minutes=7)) is None
    assert claim_notice(db, "error:A", timedelta(hours=1), now=start + timedelta(minutes=67)) == 1


def test_repeats_held_back_reach_the_admins_once_their_hour_is_over(running, monkeypatch):
    """Three errors: the first alert goes out, two are held. With no fourth error, the job that
    looks at held alerts sends the count once the hour has passed, and only once."""
    async def broken_dispatch(ctx, cmd):
        raise LookupError("x")

    monkeypatch.setattr("bot.telegram.dispatch", broken_dispatch)
    for n in range(3):
        running.api.inject(message_update("/help", chat_id=60 + n, user_id=60 + n))
        running.api.wait_for("sendMessage", where=lambda c, chat=60 + n: c.chat_id == chat)
    assert wait_until(lambda: sqlite3.connect(running.db_path).execute(
        "select held from admin_notices").fetchone() == (2,))
    (job,) = running.app.job_queue.get_jobs_by_name("held_admin_notices")
    run_job = lambda: asyncio.run_coroutine_threadsafe(  # noqa: E731
        job.callback(CallbackContext.from_job(job, running.app)), running._loop).result(10)
    run_job()
    assert len(alerts(running)) == 1  # the hour is not over: nothing owed yet
    conn = sqlite3.connect(running.db_path)
    conn.execute("update admin_notices set sent_at = ?",
                 [(datetime.now(timezone.utc) - timedelta(hours=1, seconds=1)).isoformat(timespec="seconds")])
    conn.commit()
    conn.close()
    run_job()
    assert wait_until(lambda: len(alerts(running)) == 2)
    assert "Lặp lại 2 lần" in alerts(running)[1] and "LookupError" in alerts(running)[1]
    run_job()
    time.sleep(0.3)
    assert len(alerts(running)) == 2  # owed once
