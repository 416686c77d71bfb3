"""Feed polling inside the Telegram bot: a PTB JobQueue job around `ingest.polling.poll`.

The round itself is synchronous (fetches, SQLite writes); the job runs it in a worker
thread so the event loop keeps answering users. SQLite connections belong to the thread
that made them, so each round opens its own on the bot's database file (WAL lets the
bot read meanwhile). Wire it in `post_init`: `schedule_polling(application, db, settings)`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.feeds import announce_source_health
from diplobot.settings import Settings
from ingest.models import IngestOptions
from ingest.pipeline import RunReport
from ingest.polling import poll
from storage import open_db
from storage.run_state import LAST_POLL, record
from storage.tx import database_path
from summarizer import load_summarizer

log = logging.getLogger(__name__)

JOB_NAME = "poll_feeds"
FIRST_DELAY_S = 10  # let the bot come up before the first round

ReportHook = Callable[[Any, RunReport], Awaitable[None]]


@dataclass
class PollState:
    """What the job needs between rounds (PTB keeps it as `job.data`)."""

    db_path: str
    settings: Settings
    summarizer: Any = None  # loaded in the worker thread on the first round when not given
    on_report: ReportHook | None = None  # e.g. broadcast `report.new_ids`; gets (context, report)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def poll_once(state: PollState) -> RunReport:
    """One round on a connection of this thread (called through `asyncio.to_thread`)."""
    if state.summarizer is None:
        state.summarizer = load_summarizer(state.settings.summarizer, state.settings.vit5_model)
    db = open_db(state.db_path)
    try:
        report = poll(db, state.summarizer, IngestOptions.from_settings(state.settings))
        record(db, LAST_POLL, report.summary_line())  # for `diplobot health`
        return report
    finally:
        db.close()


async def poll_job(context) -> RunReport | None:
    """JobQueue callback: poll every due feed, hand new articles to `on_report`; the round's
    report, or None when the round was skipped or failed."""
    state: PollState = context.job.data
    if state.lock.locked():  # the previous round is still reading feeds
        log.warning("poll round skipped: the previous one is still running")
        return None
    async with state.lock:
        try:
            report = await asyncio.to_thread(poll_once, state)
        except Exception:  # the job must survive anything: next round tries again
            log.exception("poll round failed")
            return None
    if state.on_report is not None and (report.new_ids or report.merged):
        await state.on_report(context, report)
    ctx = context.bot_data.ctx  # a source down for 5 rounds (or 24 h), or back: one message to each admin
    try:
        await announce_source_health(context.bot, ctx.db, ctx.settings)
    except Exception:  # the alerts must not stop the polling
        log.exception("could not announce source health")
    return report


def schedule_polling(application, db, settings: Settings, *, summarizer=None, on_report: ReportHook | None = None,
                     first: float = FIRST_DELAY_S):
    """Poll feeds every DIPLOBOT_POLL_MINUTES from PTB's JobQueue; returns the Job.

    Call from `post_init`. Rounds run even with no feed configured yet, since admins
    can add one at any time with /addfeed. DIPLOBOT_FEEDS unset polls the built-in
    catalogue; DIPLOBOT_FEEDS=none schedules nothing and returns None.
    """
    if settings.feeds_from == "none":
        log.info("Polling off (DIPLOBOT_FEEDS=none)")
        return None
    if application.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without [job-queue]")
    origin = "the built-in catalogue" if settings.feeds_from == "catalogue" else "DIPLOBOT_FEEDS"
    log.info("Polling %d sources from %s (and those admins added) every %d min", len(settings.feeds), origin,
             settings.poll_minutes)
    state = PollState(db_path=database_path(db), settings=settings, summarizer=summarizer, on_report=on_report)
    for old in application.job_queue.get_jobs_by_name(JOB_NAME):
        old.schedule_removal()
    return application.job_queue.run_repeating(poll_job, interval=settings.poll_minutes * 60, first=first,
                                               data=state, name=JOB_NAME)
