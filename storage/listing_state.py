"""Listing state kept on the server: what a `Xem thêm ›` button's short id stands for.

Telegram gives a button 64 bytes of callback data, about 20 Vietnamese characters once the
command name and offset are in; a longer search query was cut and page 2 answered another
query. The button now carries a short random id and the listing's key (a search query,
tag codes) lives here (table made by migration v5, storage.db._listing_state).
"""

from __future__ import annotations

import secrets
import sqlite3
import time

import sqlite_utils

from storage.tx import write

DEFAULT_TTL = 24 * 60 * 60  # seconds a listing stays pageable after a page of it was shown
WRITE_WAIT = 5.0  # a reply waits this long at most for another writer (then storage.tx.DatabaseBusy)
_ID_BYTES = 6  # 8 URL-safe characters: short in callback data, not guessable


def remember(db: sqlite_utils.Database, listing: str, key: str, ttl: int = DEFAULT_TTL,
             now: float | None = None) -> str:
    """The id of (listing, key), made on first use; its expiry starts again now.

    One row per (listing, key), so paging the same listing all day keeps one row; rows
    unused for longer than `ttl` are pruned on the way.
    """
    moment = int(time.time() if now is None else now)
    for _ in range(3):  # a fresh id colliding with another row's id: draw again
        try:
            with write(db, WRITE_WAIT):
                row = db.execute(
                    "insert into listing_state (id, listing, key, used_at) values (?, ?, ?, ?) "
                    "on conflict (listing, key) do update set used_at = excluded.used_at returning id",
                    [secrets.token_urlsafe(_ID_BYTES), listing, key, moment],
                ).fetchall()[0]  # read to the end: no statement left open inside the write
                db.execute("delete from listing_state where used_at < ?", [moment - ttl])
            return row[0]
        except sqlite3.IntegrityError:
            continue
    raise RuntimeError("could not draw a free listing id")


def recall(db: sqlite_utils.Database, state_id: str, listing: str, ttl: int = DEFAULT_TTL,
           now: float | None = None) -> str | None:
    """The key behind `state_id` if it belongs to `listing` and was used within `ttl`; else None."""
    moment = int(time.time() if now is None else now)
    row = db.execute("select key from listing_state where id = ? and listing = ? and used_at >= ?",
                     [state_id, listing, moment - ttl]).fetchone()
    return row[0] if row else None
