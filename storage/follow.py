"""How each chat gets its news (issue 15): the daily or weekly digest, alerts (each matching
article as soon as it is stored), the quiet window that holds them, and the articles a chat
already had (`chat_articles`, written by storage.deliveries in the transaction that queues
the message).

The columns come from migration v9 (storage.db `_follow`); `alert_until` is the UTC time up
to which stored articles were considered for a chat's alerts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlite_utils

from storage.queries import _rows
from storage.times import now_iso
from storage.tx import write

DAILY, WEEKLY = "daily", "weekly"
FREQUENCIES = (DAILY, WEEKLY)
BATCH = 500  # ids per IN (…) list


def digest_on(chat: dict[str, Any] | None) -> bool:
    """The one reading of `chats.digest_enabled`: on unless the chat turned it off (/digest_off).

    The column is NOT NULL, default 1 (storage.db._chat_defaults); a chat not recorded yet is on
    too. SQL says the same with `digest_enabled != 0`.
    """
    value = (chat or {}).get("digest_enabled")
    return True if value is None else bool(value)


def set_digest_time(db: sqlite_utils.Database, chat_id: int, hhmm: str) -> None:
    with write(db):
        db.execute("update chats set digest_time = ?, updated_at = ? where chat_id = ?", [hhmm, now_iso(), chat_id])


def set_digest_enabled(db: sqlite_utils.Database, chat_id: int, enabled: bool) -> None:
    """Turning digests back on starts the next window at most a day back, not at the last digest."""
    now = datetime.now(timezone.utc)
    with write(db):
        db.execute("update chats set digest_enabled = ?, updated_at = ? where chat_id = ?",
                   [int(enabled), now_iso(now), chat_id])
        if enabled:
            db.execute(
                "update chats set digest_until = ? where chat_id = ? and (digest_until is null or digest_until < ?)",
                [now_iso(now - timedelta(days=1)), chat_id, now_iso(now - timedelta(days=1))],
            )


def set_timezone(db: sqlite_utils.Database, chat_id: int, zone: str | None) -> None:
    """Store the chat's IANA time zone (/timezone); None goes back to DIPLOBOT_TZ. The row must exist."""
    with write(db):
        db.execute("update chats set timezone = ?, updated_at = ? where chat_id = ?", [zone, now_iso(), chat_id])


def set_frequency(db: sqlite_utils.Database, chat_id: int, frequency: str) -> None:
    """`daily`, or `weekly` (Monday at the chat's digest time)."""
    if frequency not in FREQUENCIES:
        raise ValueError(f"unknown digest frequency {frequency!r}")
    with write(db):
        db.execute("update chats set digest_frequency = ?, updated_at = ? where chat_id = ?",
                   [frequency, now_iso(), chat_id])


def set_alerts(db: sqlite_utils.Database, chat_id: int, on: bool, now: datetime) -> bool:
    """Turn alerts on or off; False when they already were. Turned on, they start at `now`:
    nothing stored before is ever alerted."""
    with write(db):
        return db.execute(
            "update chats set alerts = ?, alert_until = case when ? then ? else alert_until end, updated_at = ? "
            "where chat_id = ? and alerts != ?",
            [int(on), int(on), now_iso(now), now_iso(now), chat_id, int(on)],
        ).rowcount == 1


def set_quiet(db: sqlite_utils.Database, chat_id: int, start: str | None, end: str | None) -> None:
    """The chat's quiet window (`HH:MM` local, start and end), or none."""
    with write(db):
        db.execute("update chats set quiet_start = ?, quiet_end = ?, updated_at = ? where chat_id = ?",
                   [start, end, now_iso(), chat_id])


def alert_chats(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Chats with alerts on that have not blocked the bot and follow something."""
    return _rows(db.execute(
        "select c.chat_id, c.type, c.timezone, c.quiet_start, c.quiet_end, c.alert_until, c.created_at "
        "from chats c where c.alerts != 0 and coalesce(c.blocked, 0) = 0 "
        "and exists (select 1 from subscriptions s where s.chat_id = c.chat_id) order by c.chat_id"
    ))


def taken_articles(db: sqlite_utils.Database, chat_ids: Iterable[int], article_ids: Iterable[int]) -> dict[int, set[int]]:
    """chat id → the ones of `article_ids` it already had (alerted or in a digest)."""
    chats, articles = list(chat_ids), list(article_ids)
    out: dict[int, set[int]] = {}
    for c in range(0, len(chats), BATCH):  # batches keep clear of SQLite's limit on variables
        for a in range(0, len(articles), BATCH):
            some_chats, some_articles = chats[c:c + BATCH], articles[a:a + BATCH]
            for chat_id, article_id in db.execute(
                f"select chat_id, article_id from chat_articles where chat_id in ({','.join('?' * len(some_chats))}) "
                f"and article_id in ({','.join('?' * len(some_articles))})", [*some_chats, *some_articles],
            ).fetchall():
                out.setdefault(chat_id, set()).add(article_id)
    return out
