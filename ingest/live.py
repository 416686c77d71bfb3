"""Feed and page URLs into the pipeline: fetch, tell a feed from a page, read each item's page.

A feed URL is a source with a row in `sources` (validators for a conditional GET, health);
only its newest `max_items` entries are read (DIPLOBOT_FEED_MAX_ITEMS), and for each the
canonical URL is looked up first, then `storage.feed_items` (entries rejected or taken on
an earlier run, unchanged since), so a known item costs no request; the item's page is
fetched and extracted (`extract_page`, the feed title as a hint), and when the page fails
its reason is kept and the feed's own description is used instead if it passes the same
quality gates. A page URL is one article. A server that timed out on an item is not asked
for other items in the same run: fifty items on one stalled server cost one deadline, not fifty.

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

from ingest.feeds import VN_TZ, Feed, FeedItem, looks_like_feed, newest, parse_feed
from ingest.fetch import FetchError, FetchOutcome, FetchResult, Fetcher
from ingest.models import Article
from ingest.pages import PageArticle, default_cleaner, extract_page
from ingest.pipeline import Pipeline, RunReport, _progress
from ingest.quality import quality_problem
from ingest.urls import canonical_url, clean_link, url_scheme
from storage import feed_items
from storage import sources as source_rows
from storage.articles import known_url

log = logging.getLogger(__name__)

# Failures that may pass by the next poll: the feed is then read again in full (validators dropped).
_TRANSIENT = {"timeout", "connect_error", "network_error", "dns_error", "http_429", "tls_error"}
FEED_MAX_ITEMS = 50  # DIPLOBOT_FEED_MAX_ITEMS's default


def is_url(arg: str) -> bool:
    return arg.lower().startswith(("http://", "https://"))


def outlet(url: str) -> str:
    """An outlet name from a URL, when the page names none: the host without `www.`."""
    host = urlsplit(url).netloc.lower()
    return host[4:] if host.startswith("www.") else host


def _transient(reason: str) -> bool:
    return reason in _TRANSIENT or reason.startswith("http_5")


def _server(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url


class LiveIngest:
    """Feeds and pages through one `Fetcher` into one `Pipeline`."""

    def __init__(self, pipeline: Pipeline, fetcher: Fetcher, *, poll_interval: timedelta = timedelta(minutes=30),
                 progress: bool = False, now: datetime | None = None, max_items: int = FEED_MAX_ITEMS) -> None:
        self.pipeline = pipeline
        self.fetcher = fetcher
        self.poll_interval = poll_interval  # the first backoff step after an error
        self.progress = progress
        self.now = now  # the time the run started: backoffs count from it
        self.max_items = max_items  # newest entries read per feed
        self.tz = pipeline.tz or VN_TZ
        self._stalled: set[str] = set()  # servers that timed out on an item in this run

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
                self._failed(url, result.reason, result.detail)
            return False
        if result.not_modified:
            source_rows.record_success(self.db, url, etag=result.etag, last_modified=result.last_modified,
                                       now=self.now)
            return True
        if is_source or looks_like_feed(result.content, result.content_type):
            return self._feed(url, result, report)
        return self._page(url, result, report)

    def _fetch_item(self, url: str) -> FetchOutcome:
        """An item's page, unless its server already timed out on an item in this run.

        Every fetch ends by its deadline; this makes a feed whose items all point at a
        server that drips its answers cost one deadline, not one per item, so that
        polling goes on. (Sources named by the user or the settings are each tried.)
        """
        server = _server(url)
        if server in self._stalled:
            return FetchError(url, "timeout", detail="the server timed out on an earlier item in this run")
        result = self.fetcher.fetch(url)
        if not result.ok and result.reason == "timeout":
            self._stalled.add(server)
        return result

    def _failed(self, url: str, reason: str, detail: str = "") -> None:
        until = source_rows.record_failure(self.db, url, reason, interval=self.poll_interval, now=self.now,
                                           detail=detail)
        log.warning("source %s failed (%s); next try after %s", url, reason, until.isoformat(timespec="minutes"))

    def _feed(self, url: str, result: FetchResult, report: RunReport) -> bool:
        feed = parse_feed(result.content, result.final_url, result.content_type, self.tz)
        if not feed.ok:
            report.reject(url, feed.reason, feed.detail)
            self._failed(url, feed.reason, feed.detail)
            return False
        items = newest(feed.items, self.max_items)
        if len(items) < len(feed.items):
            log.info("feed %s lists %d items: reading the newest %d", url, len(feed.items), len(items))
        stored_before, transient = report.stored, False
        for item in _progress(items, self.progress, "feed"):
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
        """One feed item; True when its page failed for a reason that may pass.

        An item dealt with on an earlier run (stored, or rejected for a reason that will
        not pass) is skipped without a request while its entry stays the same.
        """
        key = canonical_url(item.url) if item.url else f"{canonical_url(feed_url)}#{item.guid}"
        if known_url(self.db, key) is not None:
            report.duplicate += 1
            return False
        if feed_items.remembered(self.db, feed_url, key, item.entry_hash) is not None:
            report.unchanged += 1
            return False
        page_reason, rejected, status = self._read_item(feed_url, item, key, report)
        if not _transient(page_reason) and status != "failed":
            feed_items.remember(self.db, feed_url, key, item.entry_hash, rejected or None, now=self.now)
        return _transient(page_reason)

    def _read_item(self, feed_url: str, item: FeedItem, key: str, report: RunReport) -> tuple[str, str, str]:
        """(why the page failed or "", why the item was rejected or "", the pipeline's status)."""
        page, reason, final_url = None, "", item.url
        if item.url:
            fetched = self._fetch_item(item.url)
            if not fetched.ok:
                reason = fetched.reason
            else:
                final_url = fetched.final_url
                page = extract_page(fetched.content, fetched.final_url, title_hint=item.title,
                                    encoding=fetched.encoding, tz=self.tz)
                reason = "" if page.ok else page.reason
        if page is not None and page.ok:
            article = self._from_page(page, key, item)
        else:
            article = self._from_teaser(item, key, final_url or feed_url)
            problem = quality_problem(article.body)
            if problem:
                detail = f"feed teaser: {problem}" if reason and item.summary_text else ""
                report.reject(item.url or key, reason or problem, detail)
                return reason, reason or problem, "rejected"
            log.info("page of %s failed (%s): stored the feed's description", item.url, reason or "no link")
        status = self.pipeline.add(article, report)
        rejected = (quality_problem(article.body) or "rejected") if status == "rejected" else ""
        return reason, rejected, status

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


def _other_scheme(source: str | Path) -> bool:
    """A URL we do not fetch (`file:`, `ftp:`, `gopher:`, `javascript:`…), not a path on disk."""
    return isinstance(source, str) and bool(url_scheme(source)) and not Path(source).exists()


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
                   fetcher: Fetcher | None = None, feeds: Iterable[str] = (),
                   feed_max_items: int = FEED_MAX_ITEMS) -> RunReport:
    """Files, folders, feed URLs and page URLs, mixed: the Python API behind `diplobot ingest`.

    Each argument is a source; `report.sources_ok` / `sources_failed` say how many worked
    (a URL fetched and read, or a path that gave at least one article or duplicate).
    `feeds` (DIPLOBOT_FEEDS) are recorded as sources even when they fail at once. A URL of
    another scheme (`file://`, `ftp://`, `javascript:`) is rejected as `unsupported_scheme`.
    """
    feeds = set(feeds)
    started = time.perf_counter()
    report = RunReport()
    pipeline = Pipeline(db, summarizer, tagger, tz)
    with borrowed_fetcher(fetcher, allow_private) as fetcher:
        live = LiveIngest(pipeline, fetcher, poll_interval=timedelta(minutes=poll_minutes), progress=progress,
                          max_items=feed_max_items)
        for source in sources:
            if is_url(str(source)):
                live.ingest_source(str(source), report, is_source=str(source) in feeds)
            elif _other_scheme(source):
                report.reject(str(source), "unsupported_scheme", url_scheme(str(source)))
                report.count_source(False)
            else:
                before = report.total - sum(report.rejected.values())
                pipeline.add_files([Path(source)], report, progress)
                report.count_source(report.total - sum(report.rejected.values()) > before)
    report.seconds = time.perf_counter() - started
    return report
