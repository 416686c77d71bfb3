"""Every item, whatever its source, through gate → dedupe → summarize → tag → store.

The readers (`ingest.run.READERS`) turn sources into `Article`s or `Rejected`s; `Pipeline.add`
judges the quality gate (`ingest.quality`) once per item and stores what passes. One bad
item never stops a batch: each is counted under a reason in the `RunReport` that
`diplobot ingest` prints. An item the database could not take (other writers held
the lock past `storage.tx.WRITE_WAIT`) is counted as failed, never as processed, and is
new again on the next run.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlite_utils

from ingest.models import Article, Failed, Outcome, Rejected, Stored
from ingest.near_duplicates import SimhashIndex, find_near_duplicate, fingerprint
from ingest.quality import quality_problem
from storage.articles import (
    Existing, article_body, find_existing, fingerprints, outlets_of, set_simhashes, store_article)
from storage.tx import DatabaseBusy, write
from tagger import tag_article

log = logging.getLogger(__name__)

# The summarizer and tagger see at most this much of a huge article; the body is stored whole.
ANALYSIS_CHARS = 60_000


@dataclass
class RunReport:
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    unchanged: int = 0
    merged: int = 0
    known_rejected: int = 0  # feed items rejected on an earlier run, unchanged since: skipped without a request
    rejected: Counter = field(default_factory=Counter)
    failed: Counter = field(default_factory=Counter)  # items not stored for a reason of ours (database busy)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (item, reason: detail)
    seconds: float = 0.0
    new_ids: list[int] = field(default_factory=list)
    sources_ok: int = 0
    sources_failed: int = 0
    waiting: list[str] = field(default_factory=list)  # polled sources skipped while backing off

    def reject(self, item: str, reason: str, detail: str = "") -> None:
        self.rejected[reason] += 1
        self.problems.append((item, f"{reason}: {detail}" if detail else reason))

    def fail(self, item: str, reason: str, detail: str = "") -> None:
        """An item that is fine but could not be stored this run; the next run tries it again."""
        self.failed[reason] += 1
        self.problems.append((item, f"{reason}: {detail}" if detail else reason))

    def count(self, status: str, article_id: int | None = None) -> None:
        """One stored or skipped item: `status` is new, updated, duplicate, unchanged or merged."""
        setattr(self, status, getattr(self, status) + 1)
        if status == "new":
            self.new_ids.append(article_id)

    def record(self, item: str, outcome: Outcome) -> None:
        """Count what became of one item."""
        if isinstance(outcome, Rejected):
            self.reject(item, outcome.reason, outcome.detail)
        elif isinstance(outcome, Failed):
            self.fail(item, outcome.reason, outcome.detail)
        else:
            self.count(outcome.status, outcome.article_id)

    def count_source(self, worked: bool) -> None:
        """One source (a URL, or a path) of the batch worked or failed."""
        self.sources_ok += worked
        self.sources_failed += not worked

    @property
    def total(self) -> int:
        return (self.new + self.updated + self.duplicate + self.unchanged + self.merged + self.known_rejected
                + sum(self.rejected.values()) + sum(self.failed.values()))

    def summary_line(self) -> str:
        rejected = sum(self.rejected.values())
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.rejected.items()))
        line = (
            f"{self.total} items in {self.seconds:.2f}s: {self.new} new, {self.updated} updated, "
            f"{self.duplicate + self.unchanged} duplicate, {self.merged} merged, {rejected} rejected"
        )
        line += f" ({reasons})" if reasons else ""
        if self.known_rejected:
            line += f", {self.known_rejected} known rejected"
        if self.failed:
            causes = ", ".join(f"{r} {n}" for r, n in sorted(self.failed.items()))
            line += f", {sum(self.failed.values())} failed ({causes})"
        if self.sources_ok or self.sources_failed:
            line += f"; sources: {self.sources_ok} ok, {self.sources_failed} failed"
        return line

    @property
    def stored(self) -> int:
        """Items that left something in the database (new, updated or merged)."""
        return self.new + self.updated + self.merged


class Pipeline:
    """Everything after an item has been read: gates, dedupe, summary, tags, storage.

    Dedupe runs before the expensive work, cheapest first: the item's key, its canonical
    URL and its text hash (`find_existing`), then near-duplicates by SimHash (an index
    loaded from storage on first use). A copy from another outlet is merged: stored as a
    source of the first article (`duplicate_of`), never listed on its own.
    """

    def __init__(self, db: sqlite_utils.Database, summarizer, tagger: Callable | None = None):
        self.db = db
        self.summarizer = summarizer
        self.tagger = tagger or tag_article
        self._index: SimhashIndex | None = None

    @property
    def index(self) -> SimhashIndex:
        """Fingerprints of the listed articles, read once; old rows without one get it now."""
        if self._index is None:
            index = SimhashIndex()
            late: list[tuple[int, int]] = []
            for article_id, simhash, body in fingerprints(self.db):
                if simhash is None:
                    simhash = fingerprint(body[:ANALYSIS_CHARS])
                    late.append((article_id, simhash))
                index.add(article_id, simhash)
            if late:
                set_simhashes(self.db, late)
            self._index = index
        return self._index

    def add(self, item: Article | Rejected, key: str, report: RunReport, *, fallback: Article | None = None) -> Outcome:
        """Judge, then store one item; its outcome is returned and counted in `report` under `key`
        (what the run summary names it by: a path, a URL).

        `item` may already be `Rejected` (a page that could not be fetched or read); when it
        is, or fails the quality gate, the `fallback` (a feed's own teaser) is judged and
        stored instead. When neither passes, the item's reason is kept, the fallback's in the detail.
        """
        outcome = self.judge(item)
        if isinstance(outcome, Rejected) and fallback is not None:
            second = self.judge(fallback)
            outcome = second if isinstance(second, Article) else Rejected(outcome.reason, f"fallback: {second.reason}")
        if isinstance(outcome, Article):
            outcome = self._stored(outcome)
        report.record(key, outcome)
        return outcome

    @staticmethod
    def judge(item: Article | Rejected) -> Article | Rejected:
        """The quality gate (`ingest.quality`): the article, or why it cannot be one."""
        if isinstance(item, Rejected):
            return item
        problem = quality_problem(item.body)
        return Rejected(problem) if problem else item

    def _stored(self, article: Article) -> Stored | Failed:
        try:
            return Stored(*self._store(article))
        except DatabaseBusy as exc:  # counted, reported, and tried again by the next run
            log.warning("not stored, database busy: %s", article.source_key)
            return Failed("database_busy", str(exc))

    def _store(self, article: Article) -> tuple[str, int | None]:
        """Dedupe, summarize, tag and store; (status, article id). Counted by the caller once committed."""
        existing = find_existing(self.db, article.source_key, article.content_hash, article.canonical_url)
        if existing.status == "unchanged":
            return "unchanged", existing.article_id
        text = article.body[:ANALYSIS_CHARS]
        simhash = fingerprint(text)
        if existing.status == "new":
            original = find_near_duplicate(text, self.index, lambda key: article_body(self.db, key), simhash)
            if original is not None:
                existing = Existing("duplicate", original)
        if existing.status == "duplicate":
            return self._duplicate(article, existing, simhash)
        summary = self.summarizer.summarize(article.title, text)
        tags = self.tagger(article.title, text, article.published_at)
        summary_row = {"text": summary.text, "backend": summary.backend, "model": summary.model, "flag": summary.flag}
        with write(self.db):
            # Another process may have stored the item since `find_existing` (two ingests at
            # once): asked again under the write lock, the answer holds until the commit.
            settled = find_existing(self.db, article.source_key, article.content_hash, article.canonical_url)
            if settled.status == "unchanged":
                return "unchanged", settled.article_id
            if settled.status == "duplicate":
                return self._duplicate(article, settled, simhash)
            article_id = store_article(self.db, self._record(article, simhash), summary_row, tags, settled.article_id)
        self.index.add(article_id, simhash)
        return ("updated" if settled.status == "changed" else "new"), article_id

    def _duplicate(self, article: Article, existing: Existing, simhash: int) -> tuple[str, int | None]:
        """A copy of a stored article: from a new outlet it is merged as a source; else skipped."""
        with write(self.db):  # the outlets and the new source row under one lock: one row per outlet
            if not article.source or article.source in outlets_of(self.db, existing.article_id):
                return "duplicate", existing.article_id
            record = {**self._record(article, simhash), "duplicate_of": existing.article_id}
            return "merged", store_article(self.db, record, None, None)

    @staticmethod
    def _record(article: Article, simhash: int) -> dict:
        return {
            "source_key": article.source_key, "url": article.url, "canonical_url": article.canonical_url,
            "source": article.source, "title": article.title, "body": article.body,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "content_hash": article.content_hash, "simhash": simhash,
        }



def progress_bar(items: list, enabled: bool, desc: str):
    """`items`, behind a tqdm bar on stderr when `enabled`."""
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="item", leave=False)
