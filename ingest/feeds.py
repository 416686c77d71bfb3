"""RSS/Atom feeds: bytes we fetched in, `FeedItem`s out (or `Rejected`).

feedparser is given the bytes, never a URL (a URL-looking string makes feedparser fetch it
itself, past our SSRF checks and limits). A feed is judged by what feedparser found, not
by `bozo` alone: Vietnamese portals often serve XML with a stray `&` or an unclosed tag,
which sets `bozo` yet still yields entries we want; an HTML page yields no version and
no entries, and that is `not_a_feed`. Broken XML with no entry at all (a feed cut short,
a PHP error inside an `<rss>` envelope) is `malformed_feed`, with the parser's message:
it is a failure of the source, not a feed that has nothing new.

Entry dates are read from the raw strings (`ingest.dates.parse_timestamp`): feedparser's
`*_parsed` values are UTC and treat a date without a zone as UTC, while Vietnamese feeds
without a zone mean local time.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Union
from zoneinfo import ZoneInfo

import feedparser
import lxml.etree
import lxml.html

from diplobot.text import normalize
from ingest.dates import VN_TZ, parse_timestamp
from ingest.models import Rejected
# Types that name a feed outright; generic XML (or mislabelled HTML) is sniffed instead.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/x-rss+xml",
              "application/x-atom+xml", "application/feed+json")
_FEED_ROOT_RE = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
# Tags that start or end a line of text (a bare </br> too: some portals write it).
_BLOCK_RE = re.compile(r"(?i)<\s*/?\s*(?:br|p|div|li|h[1-6]|tr|table|blockquote|figure|figcaption)\b[^>]*>")


@dataclass(frozen=True)
class FeedItem:
    url: str | None  # absolute; None when the entry has no link and no permalink guid
    title: str
    summary_text: str  # the description as plain text: the fallback body when the page fails
    published_at: datetime | None  # aware, in Asia/Ho_Chi_Minh
    guid: str  # entry id, else its link: what makes a re-polled entry recognisable
    entry_hash: str = ""  # changes when the entry's title, dates or summary do (storage.feed_items)


@dataclass(frozen=True)
class Feed:
    title: str
    link: str
    version: str  # feedparser's: rss20, atom10, rss10, …
    items: list[FeedItem] = field(default_factory=list)
    bozo: bool = False  # the XML was broken, yet entries were found

    ok = True


FeedOutcome = Union[Feed, Rejected]  # rejected: not_a_feed, malformed_feed


def looks_like_feed(content: bytes, content_type: str = "") -> bool:
    """Whether fetched content should go to `parse_feed` rather than `extract_page`.

    Feeds are labelled rss/atom/xml, but some portals serve them as text/html or
    text/plain: in doubt, look for an `<rss>`, `<feed>` or `<rdf:RDF>` root near the top.
    """
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in FEED_TYPES:
        return True
    return bool(_FEED_ROOT_RE.search(content[:2048]))


def parse_feed(content: bytes, url: str = "", content_type: str = "", tz: ZoneInfo = VN_TZ) -> FeedOutcome:
    """Parse feed bytes; relative links resolve against `url` (the feed's final URL)."""
    if isinstance(content, str):  # never let feedparser see a str: it would fetch a URL-looking one
        content = content.encode("utf-8")
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(content, response_headers=headers)
    version = parsed.get("version", "") or ""
    entries = parsed.get("entries", [])
    if not version and not entries:
        return Rejected("not_a_feed", _parser_message(parsed))
    meta = parsed.get("feed", {})
    items = [item for item in (_item(entry, tz) for entry in entries) if item is not None]
    if parsed.get("bozo") and not items:
        return Rejected("malformed_feed", _parser_message(parsed))
    return Feed(title=html_to_text(meta.get("title", "")), link=meta.get("link", ""), version=version,
                items=items, bozo=bool(parsed.get("bozo")))


def _parser_message(parsed) -> str:
    """feedparser's `bozo_exception` in a line: `SAXParseException: <unknown>:3:0: no element found`."""
    exc = parsed.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}"[:200] if exc else ""


def newest(items: list[FeedItem], limit: int) -> list[FeedItem]:
    """The `limit` newest items, newest first; undated ones after the dated, in feed order.

    A feed of 10,000 items must not cost 10,000 page requests a run (DIPLOBOT_FEED_MAX_ITEMS).
    """
    dated = sorted((i for i in items if i.published_at), key=lambda i: i.published_at, reverse=True)
    return (dated + [i for i in items if not i.published_at])[:limit]


def _entry_hash(entry) -> str:
    """What makes a rejected entry worth reading again: its title, dates or summary changed."""
    # dict.get: feedparser's own get() maps `updated` to `published`, with a DeprecationWarning.
    parts = [str(dict.get(entry, k) or "") for k in ("title", "updated", "published", "summary")]
    return hashlib.sha1("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()


def _item(entry, tz: ZoneInfo) -> FeedItem | None:
    url = entry.get("link") or None
    guid = entry.get("id") or ""
    if url is None and guid.startswith(("http://", "https://")):
        url = guid  # <guid isPermaLink="true"> with no <link>
    title = html_to_text(entry.get("title", ""))
    summary = entry.get("summary", "")
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "")
    summary_text = html_to_text(summary)
    if not (url or title or summary_text):
        return None
    return FeedItem(url=url, title=title, summary_text=summary_text, published_at=_entry_date(entry, tz),
                    guid=guid or url or title, entry_hash=_entry_hash(entry))


def _entry_date(entry, tz: ZoneInfo) -> datetime | None:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            parsed = parse_timestamp(raw, tz)
            if parsed is not None:
                return parsed
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:  # feedparser's own guess, already UTC
            return datetime.fromtimestamp(calendar.timegm(value), timezone.utc).astimezone(tz)
    return None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed description), one line per block."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment and "&" not in fragment:
        return normalize(fragment).strip()
    marked = _BLOCK_RE.sub("\n", fragment)
    try:
        text = lxml.html.fromstring(f"<div>{marked}</div>").text_content()
    except (lxml.etree.ParserError, ValueError):
        text = re.sub(r"<[^>]+>", " ", marked)
    lines = (normalize(line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
