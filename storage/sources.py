"""The `sources` table: feeds the bot polls and the health of every feed it has read.

A row exists for each feed URL ever read (from the command line, DIPLOBOT_FEEDS or
`/addfeed`); `polled = 1` marks the ones an admin added, which the bot polls together
with DIPLOBOT_FEEDS. Each row keeps the feed's validators (ETag, Last-Modified) for
conditional GETs, the last success and the last error (a stable reason such as
`malformed_feed`, and its detail: the parser's or the server's words), the number of
consecutive errors, the time before which the feed is left alone (exponential backoff) and the items stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from storage.tx import write

MAX_BACKOFF = timedelta(hours=24)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def get_source(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    rows = list(db["sources"].rows_where("url = ?", [url]))
    return rows[0] if rows else None


def _ensure(db: sqlite_utils.Database, url: str, now: datetime) -> None:
    db.execute(
        "insert or ignore into sources (url, errors, items, polled, created_at) values (?, 0, 0, 0, ?)",
        [url, _iso(now)],
    )


def add_source(db: sqlite_utils.Database, url: str, title: str = "", added_by: int | None = None,
               now: datetime | None = None) -> bool:
    """Start polling `url`; False when it was already polled."""
    now = now or utcnow()
    with write(db):
        existing = get_source(db, url)
        _ensure(db, url, now)
        db.execute(
            "update sources set polled = 1, title = coalesce(nullif(?, ''), title), added_by = ?, "
            "errors = 0, backoff_until = null where url = ?",
            [title, added_by, url],
        )
    return not (existing and existing["polled"])


def remove_source(db: sqlite_utils.Database, url: str) -> bool:
    """Stop polling `url` (its health stays on record); False when it was not polled."""
    with write(db):
        cursor = db.execute("update sources set polled = 0 where url = ? and polled = 1", [url])
    return cursor.rowcount > 0


def polled_urls(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("select url from sources where polled = 1 order by created_at, url")]


def list_sources(db: sqlite_utils.Database, configured: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The polled sources, those from DIPLOBOT_FEEDS first (`configured` = True), with their health."""
    configured = list(dict.fromkeys(configured))
    out = []
    for url in configured + [u for u in polled_urls(db) if u not in configured]:
        row = get_source(db, url) or {"url": url, "title": None, "last_ok": None, "last_error": None,
                                      "last_error_detail": None, "last_error_at": None, "errors": 0, "items": 0,
                                      "backoff_until": None}
        out.append({**row, "configured": url in configured})
    return out


def due_sources(db: sqlite_utils.Database, configured: Iterable[str], now: datetime,
                slack: timedelta = timedelta(seconds=5)) -> tuple[list[str], list[str]]:
    """(due, waiting): the sources to poll now, and those still backing off after errors."""
    due, waiting = [], []
    for source in list_sources(db, configured):
        until = source.get("backoff_until")
        if until and datetime.fromisoformat(until) > now + slack:
            waiting.append(source["url"])
        else:
            due.append(source["url"])
    return due, waiting


def record_success(db: sqlite_utils.Database, url: str, *, title: str | None = None, etag: str | None = None,
                   last_modified: str | None = None, keep_validators: bool = True, items: int = 0,
                   now: datetime | None = None) -> None:
    """A read that worked: errors and backoff reset, validators kept for the next conditional GET.

    `keep_validators=False` forgets them, so that the next poll reads the whole feed again
    (some of its pages failed for a reason that may pass).
    """
    now = now or utcnow()
    with write(db):
        _ensure(db, url, now)
        db.execute(
            "update sources set title = coalesce(nullif(?, ''), title), etag = ?, last_modified = ?, last_ok = ?, "
            "errors = 0, backoff_until = null, items = coalesce(items, 0) + ? where url = ?",
            [title or "", etag if keep_validators else None, last_modified if keep_validators else None,
             _iso(now), items, url],
        )


def backoff_delay(errors: int, interval: timedelta) -> timedelta:
    """The wait after `errors` consecutive failures: the poll interval, doubled each time, at most 24 h."""
    return min(interval * (2 ** max(errors - 1, 0)), MAX_BACKOFF)


def record_failure(db: sqlite_utils.Database, url: str, reason: str, *, interval: timedelta,
                   now: datetime | None = None, detail: str = "") -> datetime:
    """A failed read: the error (a stable reason, and the words behind it) and its time kept,
    the source left alone for `backoff_delay`."""
    now = now or utcnow()
    with write(db):
        _ensure(db, url, now)
        errors = db.execute("select coalesce(errors, 0) + 1 from sources where url = ?", [url]).fetchone()[0]
        until = now + backoff_delay(errors, interval)
        db.execute(
            "update sources set last_error = ?, last_error_detail = ?, last_error_at = ?, errors = ?, "
            "backoff_until = ? where url = ?",
            [reason, detail[:500] or None, _iso(now), errors, _iso(until), url],
        )
    return until
