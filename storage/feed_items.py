"""`feed_items`: the entries of each feed already dealt with, so a poll skips them without a request.

An item's page that was rejected (404, too short, not Vietnamese…) leaves no article to
recognise it by, so without a record it would be fetched again on every poll. A row keeps
the feed, the item's key (its canonical link, else feed#guid), a hash of the entry (title,
dates, summary) and the reason it was rejected (NULL when it was taken). A changed entry
has another hash and is read again; failures that may pass (timeouts, 5xx) are never kept.
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from storage.times import now_iso
from storage.tx import write


def remembered(db: sqlite_utils.Database, feed_url: str, item_key: str, entry_hash: str) -> str | None:
    """How this very entry was dealt with before: its rejection reason, "" when it was taken,
    None when it is new or has changed since."""
    row = db.execute(
        "select coalesce(reason, '') from feed_items where feed_url = ? and item_key = ? and entry_hash = ?",
        [feed_url, item_key, entry_hash],
    ).fetchone()
    return row[0] if row else None


def remember(db: sqlite_utils.Database, feed_url: str, item_key: str, entry_hash: str, reason: str | None = None,
             detail: str = "", now: datetime | None = None) -> None:
    """Keep how one entry was dealt with; a newer entry under the same key replaces the row."""
    seen = now_iso(now)
    with write(db):
        db.execute(
            "insert into feed_items (feed_url, item_key, entry_hash, reason, detail, seen_at) values (?, ?, ?, ?, ?, ?) "
            "on conflict (feed_url, item_key) do update set entry_hash = excluded.entry_hash, "
            "reason = excluded.reason, detail = excluded.detail, seen_at = excluded.seen_at",
            [feed_url, item_key, entry_hash, reason, detail[:500], seen],
        )


def rejected_items(db: sqlite_utils.Database, feed_url: str) -> dict[str, str]:
    """item key -> reason, for the entries of `feed_url` kept as rejected (for `/feeds` and tests)."""
    rows = db.execute("select item_key, reason from feed_items where feed_url = ? and reason is not null "
                      "order by item_key", [feed_url])
    return dict(rows.fetchall())
