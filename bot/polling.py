"""Feed polling inside the Telegram bot: a PTB JobQueue job around `ingest.polling.poll_feeds`.

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

from ingest.pipeline import RunReport
from storage.run_state import LAST_POLL, record

log = logging.getLogger(__name__)

JOB_NAME = "poll_feeds"
FIRST_DELAY_S = 10  # let the bot come up before the first round

ReportHook = Callable[[Any, RunReport], Awaitable[None]]


@dataclass
class PollState:
    """What the job needs between rounds (PTB keeps it as `job.data`)."""

    db_path: str
    settings: Any
    summarizer: Any = None  # loaded in the worker thread on the first round when not given
    on_report: ReportHook | None = None  # e.g. broadcast `report.new_ids`; gets (context, report)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def database_path(db) -> str:
    """The file behind an open sqlite-utils database (`pragma database_list`)."""
    for _seq, name, path in db.execute("pragma database_list").fetchall():
        if name == "main":
            return path
    raise ValueError("database has no main file")


def poll_once(state: PollState) -> RunReport:
    """One round on a connection of this thread (called through `asyncio.to_thread`)."""
    from ingest.polling import poll_feeds
    from storage import open_db

    if state.summarizer is None:
        from summarizer import load_summarizer

        state.summarizer = load_summarizer(state.settings.summarizer, state.settings.vit5_model)
    db = open_db(state.db_path)
    try:
        report = poll_feeds(db, state.settings, state.summarizer)
        record(db, LAST_POLL, report.summary_line())  # for `diplobot health`
        return report
    finally:
        db.close()


async def poll_job(context) -> None:
    """JobQueue callback: poll every due feed, keep the report in `bot_data["last_poll"]`."""
    state: PollState = context.job.data
    if state.lock.locked():  # the previous round is still reading feeds
        log.warning("poll round skipped: the previous one is still running")
        return
    async with state.lock:
        try:
            report = await asyncio.to_thread(poll_once, state)
        except Exception:  # the job must survive anything: next round tries again
            log.exception("poll round failed")
            return
    context.bot_data["last_poll"] = report
    if state.on_report is not None and (report.new_ids or report.merged):
        await state.on_report(context, report)


def schedule_polling(application, db, settings, *, summarizer=None, on_report: ReportHook | None = None,
                     first: float = FIRST_DELAY_S):
    """Poll feeds every DIPLOBOT_POLL_MINUTES from PTB's JobQueue; returns the Job.

    Call from `post_init`. Rounds run even with no feed configured yet, since admins
    can add one at any time with /addfeed.
    """
    if application.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without [job-queue]")
    state = PollState(db_path=database_path(db), settings=settings, summarizer=summarizer, on_report=on_report)
    for old in application.job_queue.get_jobs_by_name(JOB_NAME):
        old.schedule_removal()
    return application.job_queue.run_repeating(poll_job, interval=settings.poll_minutes * 60, first=first,
                                               data=state, name=JOB_NAME)
