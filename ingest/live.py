"""Feed and page URLs into the pipeline: fetch, tell a feed from a page, read each item's page.

A feed URL is a source with a row in `sources` (validators for a conditional GET, health);
for each of its items the canonical URL is looked up first, so a known item costs no
request; the item's page is fetched and extracted (`extract_page`, the feed title as a
hint), and when the page fails its reason is kept and the feed's own description is
used instead if it passes the same quality gates. A page URL is one article.

Nothing here raises for a bad source: every failure is a reason in the `RunReport`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ingest.feeds import VN_TZ, Feed, FeedItem, looks_like_feed, parse_feed
from ingest.fetch import FetchResult, Fetcher
from ingest.models import Article
from ingest.pages import PageArticle, default_cleaner, extract_page
from ingest.pipeline import Pipeline, RunReport, _progress
from ingest.quality import quality_problem
from ingest.urls import canonical_url, clean_link
from storage import sources as source_rows
from storage.articles import known_url

log = logging.getLogger(__name__)

# Failures that may pass by the next poll: the feed is then read again in full (validators dropped).
_TRANSIENT = {"timeout", "connect_error", "network_error", "dns_error", "http_429", "tls_error"}


def is_url(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


def outlet(url: str) -> str:
    """An outlet name from a URL, when the page names none: the host without `www.`."""
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _transient(reason: str) -> bool:
    return reason in _TRANSIENT or reason.startswith("http_5")


class LiveIngest:
    """Feeds and pages through one `Fetcher` into one `Pipeline`."""

    def __init__(self, pipeline: Pipeline, fetcher: Fetcher, *, poll_interval: timedelta = timedelta(minutes=30),
                 progress: bool = False, now: datetime | None = None) -> None:
        self.pipeline = pipeline
        self.fetcher = fetcher
        self.poll_interval = poll_interval  # the first backoff step after an error
        self.progress = progress
        self.now = now  # the time the run started: backoffs count from it
        self.tz = pipeline.tz or VN_TZ

    @property
    def db(self):
        return self.pipeline.db

    def ingest_source(self, url: str, report: RunReport, *, is_source: bool = False) -> bool:
        """`ingest_url`, counted in the report's sources and guarded: a bug on one source
        is reported under `error` and never stops the batch."""
        try:
            worked = self.ingest_url(url, report, is_source=is_source)
        except Exception as exc:  # noqa: BLE001
            log.exception("ingesting %s failed", url)
            report.reject(url, "error", f"{type(exc).__name__}: {exc}")
            worked = False
        report.count_source(worked)
        return worked

    def ingest_url(self, url: str, report: RunReport, *, is_source: bool = False) -> bool:
        """Read one feed or page URL; True when the source worked (fetched and readable).

        `is_source` marks a feed we poll (its failures are recorded even before its first
        success); a URL with a row in `sources` is one anyway.
        """
        row = source_rows.get_source(self.db, url)
        is_source = is_source or row is not None
        if not is_source and known_url(self.db, canonical_url(url)) is not None:
            report.duplicate += 1  # a page we already have: no request
            return True
        result = self.fetcher.fetch(url, etag=row and row["etag"], last_modified=row and row["last_modified"])
        if not result.ok:
            report.reject(url, result.reason, result.detail)
            if is_source:
                self._failed(url, result.reason)
            return False
        if result.not_modified:
            source_rows.record_success(self.db, url, etag=result.etag, last_modified=result.last_modified,
                                       now=self.now)
            return True
        if is_source or looks_like_feed(result.content, result.content_type):
            return self._feed(url, result, report)
        return self._page(url, result, report)

    def _failed(self, url: str, reason: str) -> None:
        until = source_rows.record_failure(self.db, url, reason, interval=self.poll_interval, now=self.now)
        log.warning("source %s failed (%s); next try after %s", url, reason, until.isoformat(timespec="minutes"))

    def _feed(self, url: str, result: FetchResult, report: RunReport) -> bool:
        feed = parse_feed(result.content, result.final_url, result.content_type, self.tz)
        if not feed.ok:
            report.reject(url, feed.reason, feed.detail)
            self._failed(url, feed.reason)
            return False
        stored_before, transient = report.stored, False
        for item in _progress(feed.items, self.progress, "feed"):
            try:
                transient |= self._item(url, feed, item, report)
            except Exception as exc:  # one bad item never stops the feed
                log.exception("failed to ingest %s", item.url)
                report.reject(item.url or item.guid, "error", f"{type(exc).__name__}: {exc}")
        source_rows.record_success(self.db, url, title=feed.title, etag=result.etag,
                                   last_modified=result.last_modified, keep_validators=not transient,
                                   items=report.stored - stored_before, now=self.now)
        return True

    def _item(self, feed_url: str, feed: Feed, item: FeedItem, report: RunReport) -> bool:
        """One feed item; True when its page failed for a reason that may pass."""
        key = canonical_url(item.url) if item.url else f"{canonical_url(feed_url)}#{item.guid}"
        if known_url(self.db, key) is not None:
            report.duplicate += 1
            return False
        page, reason, final_url = None, "", item.url
        if item.url:
            fetched = self.fetcher.fetch(item.url)
            if not fetched.ok:
                reason = fetched.reason
            else:
                final_url = fetched.final_url
                page = extract_page(fetched.content, fetched.final_url, title_hint=item.title,
                                    encoding=fetched.encoding, tz=self.tz)
                reason = "" if page.ok else page.reason
        if page is not None and page.ok:
            self.pipeline.add(self._from_page(page, key, item), report)
            return False
        article = self._from_teaser(item, key, final_url or feed_url)
        problem = quality_problem(article.body)
        if problem:
            detail = f"feed teaser: {problem}" if reason and item.summary_text else ""
            report.reject(item.url or key, reason or problem, detail)
            return _transient(reason)
        log.info("page of %s failed (%s): stored the feed's description", item.url, reason or "no link")
        self.pipeline.add(article, report)
        return _transient(reason)

    def _from_page(self, page: PageArticle, key: str, item: FeedItem | None = None) -> Article:
        return Article(
            title=page.title or (item.title if item else ""), body=page.body, source_key=key,
            source=page.site_name or outlet(page.url), url=clean_link(page.url), canonical_url=page.canonical_url,
            published_at=page.published_at or (item.published_at if item else None),
        )

    def _from_teaser(self, item: FeedItem, key: str, url: str) -> Article:
        body = default_cleaner(item.title, item.summary_text) if item.summary_text else ""
        return Article(title=item.title, body=body, source_key=key, source=outlet(url),
                       url=clean_link(item.url) if item.url else None,
                       canonical_url=key if item.url else None, published_at=item.published_at)

    def _page(self, url: str, result: FetchResult, report: RunReport) -> bool:
        page = extract_page(result.content, result.final_url, encoding=result.encoding, tz=self.tz)
        if not page.ok:
            report.reject(url, page.reason, page.detail)
            return False
        status = self.pipeline.add(self._from_page(page, canonical_url(url)), report)
        return status != "rejected"


@contextmanager
def borrowed_fetcher(fetcher: Fetcher | None, allow_private: bool) -> Iterator[Fetcher]:
    """The caller's fetcher, or a new one closed at the end of the batch."""
    if fetcher is not None:
        yield fetcher
        return
    own = Fetcher(allow_private=allow_private)
    try:
        yield own
    finally:
        own.close()


def ingest_sources(db, sources: Iterable[str | Path], summarizer, *, allow_private: bool = False,
                   poll_minutes: int = 30, tagger=None, tz: ZoneInfo | None = None, progress: bool = False,
                   fetcher: Fetcher | None = None, feeds: Iterable[str] = ()) -> RunReport:
    """Files, folders, feed URLs and page URLs, mixed: the Python API behind `diplobot ingest`.

    Each argument is a source; `report.sources_ok` / `sources_failed` say how many worked
    (a URL fetched and read, or a path that gave at least one article or duplicate).
    `feeds` (DIPLOBOT_FEEDS) are recorded as sources even when they fail at once.
    """
    feeds = set(feeds)
    started = time.perf_counter()
    report = RunReport()
    pipeline = Pipeline(db, summarizer, tagger, tz)
    with borrowed_fetcher(fetcher, allow_private) as fetcher:
        live = LiveIngest(pipeline, fetcher, poll_interval=timedelta(minutes=poll_minutes), progress=progress)
        for source in sources:
            if is_url(str(source)):
                live.ingest_source(str(source), report, is_source=str(source) in feeds)
            else:
                before = report.total - sum(report.rejected.values())
                pipeline.add_files([Path(source)], report, progress)
                report.count_source(report.total - sum(report.rejected.values()) > before)
    report.seconds = time.perf_counter() - started
    return report
