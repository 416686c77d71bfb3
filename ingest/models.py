"""The typed contracts of the ingest path: what goes in (`Source`), what travels (`Article`),
what each item comes out as (`Stored`, `Rejected`, `Failed`), and the run's `IngestOptions`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Union
from zoneinfo import ZoneInfo

from diplobot.settings import DEFAULT_TZ, default
from diplobot.text import fold
from ingest.urls import url_scheme


@dataclass
class Article:
    title: str
    body: str
    source_key: str  # what makes a re-ingest of the same item recognisable: path or URL
    source: str = ""  # human name of the outlet: "baolangson.vn", "TTXVN/Vietnam+"
    url: str | None = None
    canonical_url: str | None = None
    published_at: datetime | None = None

    @property
    def content_hash(self) -> str:
        """Hash of the folded, whitespace-free text: survives re-encoding and spacing."""
        text = "".join(fold(self.title + "\n" + self.body).split())
        return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Source:
    """One thing to ingest. `kind` picks its reader in `ingest.run.READERS`:
    `path` (a file or a folder), `url` (fetched, then read as a feed or a page by its content),
    `feed`, `page`; a new kind is one more reader there.

    `polled` marks a source we poll (DIPLOBOT_FEEDS, /addfeed, the catalogue): its
    failures are recorded in `sources` (health, backoff) even before its first success.
    """

    location: str
    kind: str
    polled: bool = False

    @classmethod
    def of(cls, arg: str | Path | Source, polled: bool = False) -> Source:
        """A command-line argument as a source: a URL of any scheme is `url`, anything else a `path`."""
        if isinstance(arg, Source):
            return arg
        text = str(arg)
        if isinstance(arg, str) and url_scheme(text) and not Path(text).exists():
            return cls(text, "url", polled)
        return cls(text, "path", polled)


@dataclass(frozen=True)
class Rejected:
    """An item or a source that gives no article, for a stable reason (`empty`, `http_404`,
    `not_a_feed`, `anti_bot`…) shown in the run summary; `detail` is for the operator."""

    reason: str
    detail: str = ""

    ok = False


@dataclass(frozen=True)
class Failed:
    """An item that is fine but could not be stored this run (the database stayed busy); tried again next run."""

    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Stored:
    """An item the pipeline took: `status` is new, updated, duplicate, unchanged or merged."""

    status: str
    article_id: int | None = None


Outcome = Union[Stored, Rejected, Failed]


@dataclass(frozen=True)
class IngestOptions:
    """How a run fetches and reads (one object, as trafilatura passes `options`); `from_settings` at the edges."""

    # The defaults are the settings' own (diplobot.settings.VARIABLES), for runs without settings.
    allow_private: bool = default("DIPLOBOT_ALLOW_PRIVATE_URLS") == "1"
    poll_interval: timedelta = timedelta(minutes=int(default("DIPLOBOT_POLL_MINUTES")))  # first backoff step
    tz: ZoneInfo = DEFAULT_TZ  # for dates printed without a zone
    max_items: int = int(default("DIPLOBOT_FEED_MAX_ITEMS"))  # newest entries read per feed
    feeds: tuple[str, ...] = ()  # DIPLOBOT_FEEDS, in order: polled, and so recorded even when named on the command line
    progress: bool = False  # progress bars on stderr

    @classmethod
    def from_settings(cls, settings, progress: bool = False) -> IngestOptions:
        return cls(allow_private=settings.allow_private_urls, poll_interval=timedelta(minutes=settings.poll_minutes),
                   tz=settings.tz, max_items=settings.feed_max_items, feeds=tuple(settings.feeds),
                   progress=progress)
