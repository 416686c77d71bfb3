"""Feed and page URLs: fetch, tell a feed from a page, read each item's page (`Batch`).

A feed URL is a source with a row in `sources` (validators for a conditional GET, health);
only its newest `max_items` entries are read (DIPLOBOT_FEED_MAX_ITEMS), and for each the
canonical URL is looked up first, then `storage.feed_items` (entries rejected or taken on
an earlier run, unchanged since), so a known item costs no request; the item's page is
fetched and extracted (`extract_page`, the feed title as a hint), and when the page fails
the feed's own description is offered to the pipeline instead (`Pipeline.add(fallback=…)`,
which judges both by the same quality gate). A page URL is one article. A server that timed
out on an item is not asked for other items in the same run: fifty items on one stalled
server cost one deadline, not fifty.

Nothing here raises for a bad source: every failure is a reason in the `RunReport`.
The readers (`read_url`, `read_feed`, `read_page`) are registered in `ingest.run.READERS`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlsplit

from ingest.catalogue import outlet
from ingest.feeds import FeedItem, looks_like_feed, newest, parse_feed
from ingest.fetch import FetchError, FetchOutcome, FetchResult, Fetcher
from ingest.models import Article, Failed, IngestOptions, Rejected, Source, Stored
from ingest.pages import PageArticle, default_cleaner, extract_page
from ingest.pipeline import Pipeline, RunReport, progress_bar
from ingest.urls import canonical_url, clean_link, url_scheme
from storage import feed_items
from storage import sources as source_rows
from storage.articles import known_url

log = logging.getLogger(__name__)

# Failures that may pass by the next poll: the feed is then read again in full (validators dropped).
_TRANSIENT = {"timeout", "connect_error", "network_error", "dns_error", "http_429", "tls_error"}


def _transient(reason: str) -> bool:
    return reason in _TRANSIENT or reason.startswith("http_5")


# Second-level suffixes under which a site is three labels (baohatinh.com.vn, not com.vn).
_SECOND_LEVEL = {"com", "org", "gov", "net", "edu", "ac", "co", "info", "int", "health"}


def _site(url: str) -> str:
    """The registrable domain of a URL (`rss.vnexpress.net` → `vnexpress.net`); an IP as it is."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    labels = host.split(".")
    if host.replace(".", "").isdigit() or ":" in host or len(labels) <= 2:
        return host
    keep = 3 if labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def _moved(url: str, final_url: str) -> bool:
    """Whether a redirect left the site (another registrable domain: not `www.`, `m.` or a CDN subdomain)."""
    return _site(url) != _site(final_url)


def _server(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url


class Batch:
    """One ingest run: the pipeline, the fetcher and the options that every reader shares."""

    def __init__(self, pipeline: Pipeline, fetcher: Fetcher, options: IngestOptions, *,
                 now: datetime | None = None) -> None:
        self.pipeline = pipeline
        self.fetcher = fetcher
        self.options = options
        self.now = now  # the time the run started: backoffs count from it
        self._stalled: set[str] = set()  # servers that timed out on an item in this run

    @property
    def db(self):
        return self.pipeline.db

    # --- readers (ingest.run.READERS) ---------------------------------------------------

    def read_url(self, source: Source, report: RunReport) -> bool:
        """A URL given without its kind: a feed when we know it as a source or its content says so, else a page."""
        if source_rows.get_source(self.db, source.location) is not None:
            source = replace(source, polled=True)  # read before: its health is kept whatever it answers now
        if not source.polled and self._known_page(source.location, report):
            return True
        fetched = self.fetch_source(source, report)
        if not fetched.ok or fetched.not_modified:
            return fetched.ok
        if source.polled or looks_like_feed(fetched.content, fetched.content_type):
            return self._feed(source.location, fetched, report)
        return self._page(source.location, fetched, report)

    def read_feed(self, source: Source, report: RunReport) -> bool:
        fetched = self.fetch_source(source, report)
        if not fetched.ok or fetched.not_modified:
            return fetched.ok
        return self._feed(source.location, fetched, report)

    def read_page(self, source: Source, report: RunReport) -> bool:
        if self._known_page(source.location, report):
            return True
        fetched = self.fetch_source(source, report)
        if not fetched.ok or fetched.not_modified:
            return fetched.ok
        return self._page(source.location, fetched, report)

    # --- what readers share ---------------------------------------------------------------

    def fetch_source(self, source: Source, report: RunReport) -> FetchOutcome:
        """Fetch a source with its stored validators. A failure is reported (and, for a polled
        source, recorded with its backoff); a 304 is recorded as a success with nothing to read."""
        url = source.location
        if url_scheme(url) not in ("http", "https"):
            report.reject(url, "unsupported_scheme", url_scheme(url))
            return FetchError(url, "unsupported_scheme", detail=url_scheme(url))
        row = source_rows.get_source(self.db, url)
        fetched = self.fetcher.fetch(url, etag=row and row["etag"], last_modified=row and row["last_modified"])
        if fetched.ok and source.polled and _moved(url, fetched.final_url):
            # A polled source that now lives on another host: its URL is stale (or its domain lapsed
            # and was taken); the admins update it rather than the bot reading whatever is there.
            fetched = FetchError(url, "moved", detail=f"{url} → {fetched.final_url}")
        if not fetched.ok:
            report.reject(url, fetched.reason, fetched.detail)
            if source.polled or row is not None:
                self.source_failed(url, fetched.reason, fetched.detail)
        elif fetched.not_modified:
            source_rows.record_success(self.db, url, etag=fetched.etag, last_modified=fetched.last_modified,
                                       now=self.now)
        return fetched

    def source_failed(self, url: str, reason: str, detail: str = "", *, keep_validators: bool = True) -> None:
        """Record a polled source's failure: its health, and when to try it again."""
        until = source_rows.record_failure(self.db, url, reason, interval=self.options.poll_interval, now=self.now,
                                           detail=detail, keep_validators=keep_validators)
        log.warning("source %s failed (%s); next try after %s", url, reason, until.isoformat(timespec="minutes"))

    def read_items(self, source_url: str, items: Sequence[FeedItem], report: RunReport, *, title: str,
                   fetched: FetchResult) -> bool:
        """The newest `max_items` items of a listing (a feed; a section page) through the pipeline,
        then the source's health recorded; whether the source worked.

        It failed (`items_unreachable`) when items were read and not one page could be reached
        for a reason that may pass (every item timed out, say) and nothing was stored: the
        listing answers, the articles do not. Items rejected for what they are (404, too
        short) mean the source works.
        """
        chosen = newest(list(items), self.options.max_items)
        if len(chosen) < len(items):
            log.info("%s lists %d items: reading the newest %d", source_url, len(items), len(chosen))
        stored_before, unreachable, reached = report.stored, Counter(), 0
        for item in progress_bar(chosen, self.options.progress, "feed"):
            before = report.stored
            try:
                failure = self._item(source_url, item, report)
            except Exception as exc:  # one bad item never stops the source
                log.exception("failed to ingest %s", item.url)
                report.reject(item.url or item.guid, "error", f"{type(exc).__name__}: {exc}")
                continue
            if failure and _transient(failure) and report.stored == before:
                unreachable[failure] += 1
            else:
                reached += 1
        if unreachable and not reached:
            reasons = ", ".join(f"{r} {n}" for r, n in unreachable.most_common())
            self.source_failed(source_url, "items_unreachable", f"no item's page could be fetched: {reasons}",
                               keep_validators=False)
            return False
        source_rows.record_success(self.db, source_url, title=title, etag=fetched.etag,
                                   last_modified=fetched.last_modified, keep_validators=not unreachable,
                                   items=report.stored - stored_before, now=self.now)
        return True

    # --- feeds and pages ------------------------------------------------------------------

    def _known_page(self, url: str, report: RunReport) -> bool:
        """A page we already have costs no request: counted as a duplicate."""
        if known_url(self.db, canonical_url(url)) is None:
            return False
        report.duplicate += 1
        return True

    def _feed(self, url: str, fetched: FetchResult, report: RunReport) -> bool:
        feed = parse_feed(fetched.content, fetched.final_url, fetched.content_type, self.options.tz)
        if not feed.ok:
            report.reject(url, feed.reason, feed.detail)
            self.source_failed(url, feed.reason, feed.detail)
            return False
        return self.read_items(url, feed.items, report, title=feed.title, fetched=fetched)

    def _page(self, url: str, fetched: FetchResult, report: RunReport) -> bool:
        page = extract_page(fetched.content, fetched.final_url, encoding=fetched.encoding, tz=self.options.tz)
        item = self._from_page(page, canonical_url(url)) if page.ok else page
        return not isinstance(self.pipeline.add(item, url, report), Rejected)

    def _item(self, source_url: str, item: FeedItem, report: RunReport) -> str | None:
        """One item of a listing; why its page could not be fetched (`timeout`, `http_404`…), else None.

        An item dealt with on an earlier run (stored, or rejected for a reason that will
        not pass) is skipped without a request while its entry stays the same.
        """
        key = canonical_url(item.url) if item.url else f"{canonical_url(source_url)}#{item.guid}"
        if known_url(self.db, key) is not None:
            report.duplicate += 1
            return None
        before = feed_items.remembered(self.db, source_url, key, item.entry_hash)
        if before is not None:  # dealt with on an earlier run: taken (now known by another key), or rejected
            if before:
                report.known_rejected += 1
            else:
                report.unchanged += 1
            return None
        page, final_url = self._item_page(item, key)
        unfetched = page.reason if isinstance(page, FetchError) else None
        if unfetched:
            page = Rejected(page.reason, page.detail)
        teaser = self._from_teaser(item, key, final_url or source_url)
        if page is None:  # no link: the feed's description is all there is
            outcome = self.pipeline.add(teaser, item.url or key, report)
        else:
            outcome = self.pipeline.add(page, item.url or key, report, fallback=teaser if item.summary_text else None)
        if isinstance(page, Rejected) and isinstance(outcome, Stored):
            log.info("page of %s failed (%s): stored the feed's description", item.url, page.reason)
        if not (unfetched and _transient(unfetched)) and not isinstance(outcome, Failed):
            rejected = outcome.reason if isinstance(outcome, Rejected) else None
            feed_items.remember(self.db, source_url, key, item.entry_hash, rejected, now=self.now)
        return unfetched

    def _item_page(self, item: FeedItem, key: str) -> tuple[Article | Rejected | FetchError | None, str | None]:
        """The item's page as an article, or why not (a `FetchError` when it could not be fetched;
        None: the item links nowhere); and its final URL."""
        if not item.url:
            return None, None
        fetched = self._fetch_item(item.url)
        if not fetched.ok:
            return fetched, item.url
        page = extract_page(fetched.content, fetched.final_url, title_hint=item.title, encoding=fetched.encoding,
                            tz=self.options.tz)
        return (self._from_page(page, key, item) if page.ok else page), fetched.final_url

    def _fetch_item(self, url: str) -> FetchOutcome:
        """An item's page, unless its server already timed out on an item in this run.

        Every fetch ends by its deadline; this makes a feed whose items all point at a
        server that drips its answers cost one deadline, not one per item, so that
        polling goes on. (Sources named by the user or the settings are each tried.)
        """
        server = _server(url)
        if server in self._stalled:
            return FetchError(url, "timeout", detail="the server timed out on an earlier item in this run")
        fetched = self.fetcher.fetch(url)
        if not fetched.ok and fetched.reason == "timeout":
            self._stalled.add(server)
        return fetched

    @staticmethod
    def _from_page(page: PageArticle, key: str, item: FeedItem | None = None) -> Article:
        return Article(
            title=page.title or (item.title if item else ""), body=page.body, source_key=key,
            source=page.site_name or outlet(page.url), url=clean_link(page.url), canonical_url=page.canonical_url,
            published_at=page.published_at or (item.published_at if item else None),
        )

    @staticmethod
    def _from_teaser(item: FeedItem, key: str, url: str) -> Article:
        body = default_cleaner(item.title, item.summary_text) if item.summary_text else ""
        return Article(title=item.title, body=body, source_key=key, source=outlet(url),
                       url=clean_link(item.url) if item.url else None,
                       canonical_url=key if item.url else None, published_at=item.published_at)


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
