"""The one timestamp format of the database: UTC, to the second, ISO 8601 (`2025-07-01T03:00:00+00:00`).

Every stored time is written by `now_iso` and read by `parse_iso`, so text order is time order
(`storage.subscriptions.digest_pool` compares them as text).
"""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def now_iso(moment: datetime | None = None) -> str:
    """`moment` (default: now) as stored: UTC, seconds."""
    return (moment or utcnow()).astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_iso(value: str | None) -> datetime | None:
    """A stored time back as an aware datetime (a naive one is taken as UTC); None for none."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
