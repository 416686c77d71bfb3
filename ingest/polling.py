"""One polling round over every feed: DIPLOBOT_FEEDS and the feeds admins added.

Synchronous, so the CLI (`diplobot poll`, cron) and the bot's job (`bot.polling`, in a
worker thread) run the same code. A feed that fails is left alone for the poll interval,
then twice that, and so on up to 24 hours (`storage.sources.backoff_delay`); its health
stays in SQLite, where `/feeds` reads it.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from ingest.fetch import Fetcher
from ingest.live import LiveIngest, borrowed_fetcher
from ingest.pipeline import Pipeline, RunReport
from storage.sources import due_sources, utcnow

log = logging.getLogger(__name__)


def poll_feeds(db, settings, summarizer, *, now: datetime | None = None, fetcher: Fetcher | None = None,
               tagger=None) -> RunReport:
    """Read every due feed once; feeds still backing off are skipped (`report.waiting`)."""
    started = time.perf_counter()
    now = now or utcnow()
    report = RunReport()
    due, waiting = due_sources(db, settings.feeds, now)
    report.waiting = waiting
    with borrowed_fetcher(fetcher, settings.allow_private_urls) as fetcher:
        live = LiveIngest(Pipeline(db, summarizer, tagger, settings.tz), fetcher,
                          poll_interval=timedelta(minutes=settings.poll_minutes), now=now,
                          max_items=settings.feed_max_items)
        for url in due:
            live.ingest_source(url, report, is_source=True)
    report.seconds = time.perf_counter() - started
    if due or waiting:
        log.info("poll: %s%s", report.summary_line(), f"; {len(waiting)} backing off" if waiting else "")
    return report
