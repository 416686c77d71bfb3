"""`ingest()`: the one way in for every source: files, folders, feed and page URLs, and any kind that plugs in.

A source kind is one reader in `READERS`: `reader(batch, source, report) -> bool` turns the
source into articles for `batch.pipeline` (which judges, dedupes and stores them) and says
whether the source worked. `diplobot ingest`, `diplobot poll` (`ingest.polling.poll`) and the
bot's polling job all come here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from ingest.fetch import Fetcher
from ingest.files import iter_article_files, read_article_file
from ingest.live import Batch, borrowed_fetcher
from ingest.models import IngestOptions, Source, Stored
from ingest.pipeline import Pipeline, RunReport, progress_bar
from ingest.sections import read_section

log = logging.getLogger(__name__)

Reader = Callable[[Batch, Source, RunReport], bool]


def read_path(batch: Batch, source: Source, report: RunReport) -> bool:
    """A file or a folder of article files; it worked when at least one item was stored or known."""
    path = Path(source.location)
    if not path.exists():
        report.reject(source.location, "not_found")
        return False
    worked = False
    for file in progress_bar(list(iter_article_files(path)), batch.options.progress, "ingest"):
        try:
            outcome = batch.pipeline.add(read_article_file(file, batch.options.tz), str(file), report)
        except Exception as exc:  # one bad item never stops the batch
            log.exception("failed to ingest %s", file)
            report.reject(str(file), "error", f"{type(exc).__name__}: {exc}")
            continue
        worked |= isinstance(outcome, Stored)
    return worked


# Source kind -> its reader. A new kind (e.g. `section`) is one line here.
READERS: dict[str, Reader] = {
    "path": read_path,
    "url": Batch.read_url,  # a feed or a page, told apart by what the server sends
    "feed": Batch.read_feed,
    "page": Batch.read_page,
    "section": read_section,  # a listing page of a site without RSS (ingest.sections)
}


def ingest(db, sources: Iterable[Source | str | Path], summarizer, options: IngestOptions = IngestOptions(), *,
           tagger=None, fetcher: Fetcher | None = None, now: datetime | None = None) -> RunReport:
    """Read every source into the database; the report counts items by outcome and sources by success.

    A plain argument (str or Path) becomes a `Source` by its shape (`Source.of`): a URL of
    any scheme (other schemes are rejected as `unsupported_scheme`) or a path; one of
    `options.feeds` (DIPLOBOT_FEEDS) is a polled source, recorded even when it fails at once.
    """
    started = time.perf_counter()
    report = RunReport()
    with borrowed_fetcher(fetcher, options.allow_private) as fetcher:
        batch = Batch(Pipeline(db, summarizer, tagger), fetcher, options, now=now)
        for arg in sources:
            source = Source.of(arg, polled=str(arg) in options.feeds)
            report.count_source(_read(batch, source, report))
    report.seconds = time.perf_counter() - started
    return report


def _read(batch: Batch, source: Source, report: RunReport) -> bool:
    """One source through its reader; a bug on one source is reported under `error` and never stops the batch."""
    try:
        return READERS[source.kind](batch, source, report)
    except Exception as exc:  # noqa: BLE001
        log.exception("ingesting %s failed", source.location)
        report.reject(source.location, "error", f"{type(exc).__name__}: {exc}")
        return False
