"""Messages to the operator: short alerts to the DIPLOBOT_ADMINS chats, at most one per kind per hour.

A bot left alone for months fails where nobody looks: an error in a handler or a job, a
source that keeps failing. `notify_admins` sends one short plain-text message to every
admin's private chat (an admin must have pressed Start once, or Telegram refuses) and
remembers per *kind* when it last did (storage.run_state, so a crash loop does not flood
the admins): another message of the same kind within the hour is held back and counted,
and the next one that goes out says how many were held back.

`report_error` is what the Application's error handler (bot.telegram.on_error) calls for
an unhandled error in a handler or a job: error class, where, a time; never the error's
message (it may quote a user's text), never the token (bot.redact).

`schedule_backups` adds the daily backup job (DIPLOBOT_BACKUP_DIR, DIPLOBOT_BACKUP_KEEP).
"""

from __future__ import annotations

import asyncio
import html
import logging
import sqlite3
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from telegram.error import TelegramError

from bot.redact import redact
from storage.backup import BackupError, BackupResult, backup_file, dated_name, prune
from storage.run_state import LAST_BACKUP, claim_notice, held_notices, last, record
from storage.tx import database_path

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)
MAX_CHARS = 1000  # an alert is a line or two; the log has the rest
SEND_TIMEOUT = 10.0  # seconds per admin chat: an alert must not hold a job for long
BACKUP_JOB = "daily_backup"
NOTICE_FLUSH_S = 15 * 60  # how often held-back admin alerts are looked at
BACKUP_EVERY = timedelta(hours=23, minutes=30)  # "a day", with room for the hourly check's drift
BACKUP_CHECK_S = 3600
BACKUP_FIRST_DELAY_S = 120  # after start-up, once the first poll and digest runs are under way
_PROJECT = Path(__file__).resolve().parent.parent
_PACKAGES = {"bot", "diplobot", "ingest", "storage", "summarizer", "tagger"}
# Fallback when the database cannot keep the limit (the error being reported may be a broken database).
_held_in_memory: dict[str, tuple[datetime, int]] = {}


def _claim_in_memory(kind: str, force: bool, moment: datetime) -> int | None:
    sent_at, held = _held_in_memory.get(kind, (None, 0))
    if sent_at is not None and not force and moment - sent_at < WINDOW:
        _held_in_memory[kind] = (sent_at, held + 1)
        return None
    _held_in_memory[kind] = (moment, 0)
    return held


def _claim(db: Any, kind: str, force: bool, moment: datetime) -> int | None:
    try:
        return claim_notice(db, kind, WINDOW, force, moment)
    except sqlite3.Error as exc:  # locked, read-only, corrupt: the alert matters more than its limit's memory
        log.warning("admin alert limit kept in memory (database: %s)", exc)
        return _claim_in_memory(kind, force, moment)


async def notify_admins(bot: Any, db: Any, admins: Sequence[int], kind: str, text: str, *,
                        force: bool = False, now: datetime | None = None) -> int:
    """Send `text` to every chat in `admins`, unless a `kind` message went out in the last hour.

    Call it from async code in the bot (a handler, a JobQueue job):

        await notify_admins(context.bot, ctx.db, ctx.settings.admins, f"source_failing:{url}",
                            f"Nguồn {url} lỗi 5 lần liền: {reason}")
        await notify_admins(bot, db, admins, f"source_ok:{url}", f"Nguồn {url} hoạt động lại.", force=True)

    - `kind`: a stable key; messages of one kind share the hourly limit (include the thing it
      is about, e.g. the feed URL, so two sources do not silence each other).
    - `text`: ready plain text (Vietnamese, one or two lines); it is HTML-escaped, cut to
      MAX_CHARS and scrubbed of the token here. When earlier messages of this kind were held
      back, a line saying how many is added.
    - `force=True` bypasses the hourly limit (one-off messages such as a recovery).

    Returns the number of chats it reached (0 when held back, no admins, or every send
    failed). Never raises for a Telegram or database failure: those are logged.
    """
    if not admins:
        return 0
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    held = _claim(db, kind, force, moment)
    if held is None:
        log.info("admin alert %s held back (one per hour)", kind)
        return 0
    body = redact(text)[:MAX_CHARS]
    if held:
        body += f"\n(Lặp lại {held} lần kể từ tin báo trước, chưa báo riêng.)"
    reached = 0
    for chat_id in admins:
        try:
            await bot.send_message(chat_id, html.escape(body), parse_mode="HTML",
                                   read_timeout=SEND_TIMEOUT, write_timeout=SEND_TIMEOUT)
            reached += 1
        except TelegramError as exc:
            log.warning("could not alert admin chat %s: %s", chat_id, redact(str(exc)))
    return reached


async def flush_held_notices(bot: Any, db: Any, admins: Sequence[int], now: datetime | None = None) -> int:
    """Tell the admins about repeats held back whose hour has passed, once per kind: without this
    a burst of errors ends with the admins never learning how many followed the first alert.
    Returns the messages sent (one per kind and admin chat)."""
    if not admins:
        return 0
    moment = now or datetime.now(timezone.utc)
    try:
        owed = held_notices(db, WINDOW, moment)
    except sqlite3.Error as exc:
        log.warning("held admin alerts not read (database: %s)", exc)
        return 0
    sent = 0
    for kind, held in owed:
        sent += await notify_admins(bot, db, admins, kind, f"⚠️ Diplobot: «{kind}» lặp lại sau tin báo trước.",
                                    now=moment)
    return sent


async def held_notices_job(context: Any) -> None:
    """JobQueue callback (every NOTICE_FLUSH_S): `flush_held_notices` for the bot's admins."""
    ctx = context.job.data
    await flush_held_notices(context.bot, ctx.db, ctx.settings.admins)


def schedule_held_notices(application: Any, ctx: Any, every: float = NOTICE_FLUSH_S) -> Any:
    """With DIPLOBOT_ADMINS set, a job that sends the held-back repeat counts; the Job or None."""
    if not ctx.settings.admins:
        return None
    return application.job_queue.run_repeating(held_notices_job, interval=every, first=every, data=ctx,
                                               name="held_admin_notices")


def error_site(error: BaseException) -> str:
    """The innermost frame of our own code the error passed through, as `module.function`."""
    site = ""
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename)
        parts = path.relative_to(_PROJECT).with_suffix("").parts if path.is_relative_to(_PROJECT) else ()
        if parts and parts[0] in _PACKAGES:  # ours, from a checkout or installed in site-packages
            site = f"{'.'.join(parts)}.{frame.name}"
    return site


def error_alert(error: BaseException, where: str, moment: datetime, tz: Any = None) -> tuple[str, str]:
    """(kind, text) for an unhandled error: its class, where it happened, when. Never its message."""
    name = type(error).__name__
    site = error_site(error)
    place = f"{where} ({site})" if site else where
    when = moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if tz else moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"error:{name}:{where}:{site}", f"⚠️ Diplobot: lỗi {name} tại {place}, lúc {when}. Chi tiết trong log."


async def report_error(bot: Any, ctx: Any, error: BaseException, where: str, now: datetime | None = None) -> int:
    """Alert the admins about `error` (`ctx`: the bot's BotContext, for db and settings); returns chats reached."""
    moment = now or datetime.now(timezone.utc)
    kind, text = error_alert(error, where, moment, ctx.settings.tz)
    try:
        return await notify_admins(bot, ctx.db, ctx.settings.admins, kind, text, now=moment)
    except Exception:  # reporting an error must never raise one of its own
        log.exception("could not alert the admins")
        return 0


# --- daily backups ------------------------------------------------------------------------

async def backup_job(context: Any) -> BackupResult | None:
    """JobQueue callback (hourly): a dated backup in DIPLOBOT_BACKUP_DIR when the last is a day old.

    Checking every hour instead of once a day at a fixed time means a bot restarted often
    still makes its daily backup, and one down at that hour makes it when it is back.
    The copy runs in a worker thread on its own read-only connection; a failure is
    logged and sent to the admins (one per hour at most).
    """
    state: BackupState = context.job.data
    done = last(state.db, LAST_BACKUP)
    if done is not None and datetime.now(timezone.utc) - done.at < BACKUP_EVERY:
        return None
    try:
        result = await asyncio.to_thread(backup_file, state.db_path, state.folder / dated_name())
        removed = await asyncio.to_thread(prune, state.folder, state.keep)
    except (BackupError, OSError) as exc:
        log.error("daily backup failed: %s", exc)
        await notify_admins(context.bot, state.db, state.admins, "backup_failed",
                            f"⚠️ Diplobot: sao lưu hằng ngày thất bại: {exc}")
        return None
    log.info("daily %s; %d old backup(s) removed", result.summary_line(), len(removed))
    record(state.db, LAST_BACKUP, str(result.path))
    return result


@dataclass
class BackupState:
    db: Any  # the bot's connection: run_state and alert limits
    db_path: str
    folder: Path
    keep: int
    admins: list[int]


def schedule_backups(application: Any, db: Any, settings: Any, first: float = BACKUP_FIRST_DELAY_S) -> Any:
    """With DIPLOBOT_BACKUP_DIR set, check hourly (from PTB's JobQueue) that a backup of the day exists; the Job or None."""
    if settings.backup_dir is None:
        return None
    state = BackupState(db, database_path(db), settings.backup_dir, settings.backup_keep, settings.admins)
    return application.job_queue.run_repeating(backup_job, interval=BACKUP_CHECK_S, first=first, data=state,
                                               name=BACKUP_JOB)
