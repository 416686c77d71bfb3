"""The `sources` table: feeds the bot polls and the health of every feed it has read.

A row exists for each feed URL ever read (from the command line, DIPLOBOT_FEEDS or
`/addfeed`); `polled = 1` marks the ones an admin added, which the bot polls together
with DIPLOBOT_FEEDS. Each row keeps the feed's validators (ETag, Last-Modified) for
conditional GETs, the last success and the last error (a stable reason such as
`malformed_feed`, and its detail: the parser's or the server's words), the number of
consecutive errors, the time before which the feed is left alone (exponential backoff) and the items stored.

Since v8 a row also has its `kind` (`feed`, or `section`: a listing page, ingest.sections),
`failing_since` (the first failure since the last success) and `alerted_at` (when the
admins were told it is down). `claim_health_changes` turns these into the two admin
messages of an outage: one after 5 failed polls in a row or 24 h without success, one when
it works again, none in between.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from storage.times import now_iso, utcnow
from storage.tx import write

MAX_BACKOFF = timedelta(hours=24)
ALERT_AFTER_FAILURES = 5  # failed polls in a row before the admins hear of it…
ALERT_AFTER = timedelta(hours=24)  # …or this long without a success
KINDS = ("feed", "section")


def get_source(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    rows = list(db["sources"].rows_where("url = ?", [url]))
    return rows[0] if rows else None


def _ensure(db: sqlite_utils.Database, url: str, now: datetime, kind: str = "feed") -> None:
    db.execute(
        "insert or ignore into sources (url, kind, errors, items, polled, created_at) values (?, ?, 0, 0, 0, ?)",
        [url, kind, now_iso(now)],
    )


def source_kind(db: sqlite_utils.Database, url: str) -> str | None:
    """`feed` or `section` for a URL the database knows; None otherwise."""
    row = db.execute("select kind from sources where url = ?", [url]).fetchone()
    return row[0] if row else None


def set_kind(db: sqlite_utils.Database, url: str, kind: str, now: datetime | None = None) -> None:
    """Record what `url` is (a row is made when missing, not polled)."""
    if kind not in KINDS:
        raise ValueError(f"source kind must be one of {KINDS}, got {kind!r}")
    with write(db):
        _ensure(db, url, now or utcnow(), kind)
        db.execute("update sources set kind = ? where url = ?", [kind, url])


def all_sources(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every source row, polled or not, oldest first."""
    return list(db.execute_returning_dicts("select * from sources order by created_at, url"))


def add_source(db: sqlite_utils.Database, url: str, title: str = "", added_by: int | None = None,
               now: datetime | None = None, kind: str | None = None) -> bool:
    """Start polling `url` (of `kind`, when given); False when it was already polled."""
    now = now or utcnow()
    if kind is not None and kind not in KINDS:
        raise ValueError(f"source kind must be one of {KINDS}, got {kind!r}")
    with write(db):
        existing = get_source(db, url)
        _ensure(db, url, now, kind or "feed")
        db.execute(
            "update sources set polled = 1, title = coalesce(nullif(?, ''), title), added_by = ?, "
            "errors = 0, backoff_until = null, kind = coalesce(?, kind) where url = ?",
            [title, added_by, kind, url],
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
            "errors = 0, backoff_until = null, failing_since = null, items = coalesce(items, 0) + ? where url = ?",
            [title or "", etag if keep_validators else None, last_modified if keep_validators else None,
             now_iso(now), items, url],
        )


def backoff_delay(errors: int, interval: timedelta) -> timedelta:
    """The wait after `errors` consecutive failures: the poll interval, doubled each time, at most 24 h."""
    return min(interval * (2 ** max(errors - 1, 0)), MAX_BACKOFF)


def record_failure(db: sqlite_utils.Database, url: str, reason: str, *, interval: timedelta,
                   now: datetime | None = None, detail: str = "", keep_validators: bool = True) -> datetime:
    """A failed read: the error (a stable reason, and the words behind it) and its time kept,
    the source left alone for `backoff_delay`. `keep_validators=False` forgets the ETag and
    Last-Modified (the listing was read but its items failed: the next try reads it in full)."""
    now = now or utcnow()
    with write(db):
        _ensure(db, url, now)
        errors = db.execute("select coalesce(errors, 0) + 1 from sources where url = ?", [url]).fetchone()[0]
        until = now + backoff_delay(errors, interval)
        db.execute(
            "update sources set last_error = ?, last_error_detail = ?, last_error_at = ?, errors = ?, "
            "backoff_until = ?, failing_since = coalesce(failing_since, ?) where url = ?",
            [reason, detail[:500] or None, now_iso(now), errors, now_iso(until), now_iso(now), url],
        )
        if not keep_validators:
            db.execute("update sources set etag = null, last_modified = null where url = ?", [url])
    return until


@dataclass(frozen=True)
class HealthChange:
    """A source the admins must hear about: `down` (keeps failing) or `up` (works again)."""

    url: str
    title: str
    state: str  # down | up
    reason: str  # the last error's stable reason (down), "" (up)
    detail: str
    errors: int  # failed polls in a row (down)
    since: str | None  # failing since (down), ISO UTC


def claim_health_changes(db: sqlite_utils.Database, now: datetime | None = None,
                         configured: Iterable[str] = ()) -> list[HealthChange]:
    """The outages to announce and the recoveries to announce, each claimed once.

    Down: a polled source (added, or in `configured`: DIPLOBOT_FEEDS or the catalogue) that
    is failing, not yet announced, and either `ALERT_AFTER_FAILURES` failed polls in a row
    or no success for `ALERT_AFTER`. Up: announced down, and a poll worked since. The claim
    and the state change are one write transaction, so two pollers never announce the same
    change twice; the caller sends the messages.
    """
    now = now or utcnow()
    cutoff = now_iso(now - ALERT_AFTER)
    configured = set(configured)
    changes = []
    with write(db):
        down = [row for row in db.execute_returning_dicts(
            "select * from sources where alerted_at is null and errors > 0 "
            "and (errors >= ? or coalesce(failing_since, last_error_at) <= ?) order by url",
            [ALERT_AFTER_FAILURES, cutoff]) if row["polled"] or row["url"] in configured]
        up = db.execute_returning_dicts(
            "select * from sources where alerted_at is not null and errors = 0 order by url")
        for row in down:
            db.execute("update sources set alerted_at = ? where url = ?", [now_iso(now), row["url"]])
            changes.append(HealthChange(row["url"], row.get("title") or "", "down", row.get("last_error") or "",
                                        row.get("last_error_detail") or "", row["errors"],
                                        row.get("failing_since") or row.get("last_error_at")))
        for row in up:
            db.execute("update sources set alerted_at = null where url = ?", [row["url"]])
            changes.append(HealthChange(row["url"], row.get("title") or "", "up", "", "", 0, None))
    return changes
