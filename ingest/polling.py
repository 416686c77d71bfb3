"""One polling round: every due source (DIPLOBOT_FEEDS and the feeds admins added) through `ingest()`.

Synchronous, so the CLI (`diplobot poll`, cron) and the bot's job (`bot.polling`, in a
worker thread) run the same code. A source that fails is left alone for the poll interval,
then twice that, and so on up to 24 hours (`storage.sources.backoff_delay`); its health
stays in SQLite, where `/feeds` reads it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ingest.catalogue import catalogue_kind
from ingest.fetch import Fetcher
from ingest.models import IngestOptions, Source
from ingest.pipeline import RunReport
from ingest.run import ingest
from storage.sources import due_sources, source_kind
from storage.times import utcnow

log = logging.getLogger(__name__)


def poll(db, summarizer, options: IngestOptions, *, now: datetime | None = None, fetcher: Fetcher | None = None,
         tagger=None) -> RunReport:
    """Read every due source once; those still backing off are skipped (`report.waiting`)."""
    now = now or utcnow()
    due, waiting = due_sources(db, options.feeds, now)
    # A source is what the catalogue says it is, else what its row says (an /addfeed or an OPML import).
    kinds = [catalogue_kind(url) or source_kind(db, url) or "feed" for url in due]
    report = ingest(db, [Source(url, kind, polled=True) for url, kind in zip(due, kinds)], summarizer, options,
                    tagger=tagger, fetcher=fetcher, now=now)
    report.waiting = waiting
    if due or waiting:
        log.info("poll: %s%s", report.summary_line(), f"; {len(waiting)} backing off" if waiting else "")
    return report
