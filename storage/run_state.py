"""What the running bot records for the operator: last poll, last digest run, last backup; admin alert limits.

Tables made by migration v7 (storage.db._run_state). `run_state` has one row per event
(`record`/`last`), read by `diplobot health` to tell a bot that stopped polling or sending
digests from one that is merely idle. `admin_notices` is the memory behind bot.operator's
"one message per kind per hour, with a count of the ones held back": kept in the database
so a bot that crashes and restarts every minute does not message the admins every minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlite_utils

from storage.times import now_iso, parse_iso
from storage.tx import write

LAST_POLL = "last_poll"
LAST_DIGEST = "last_digest"
LAST_BACKUP = "last_backup"
WRITE_WAIT = 5.0  # bookkeeping never waits long on another writer (then storage.tx.DatabaseBusy)


@dataclass(frozen=True)
class RunRecord:
    """One recorded event: when it last happened, and a short detail ("3 new, 1 failed")."""

    key: str
    at: datetime
    detail: str


def record(db: sqlite_utils.Database, key: str, detail: str = "", now: datetime | None = None) -> None:
    """Note that `key` (LAST_POLL, LAST_DIGEST, LAST_BACKUP…) happened now."""
    with write(db, WRITE_WAIT):
        db.execute("insert into run_state (key, at, detail) values (?, ?, ?) "
                   "on conflict (key) do update set at = excluded.at, detail = excluded.detail",
                   [key, now_iso(now), detail])


def last(db: sqlite_utils.Database, key: str) -> RunRecord | None:
    """The last time `key` was recorded, or None if never."""
    row = db.execute("select at, detail from run_state where key = ?", [key]).fetchone()
    return RunRecord(key, parse_iso(row[0]), row[1]) if row else None


def claim_notice(db: sqlite_utils.Database, kind: str, window: timedelta, force: bool = False,
                 now: datetime | None = None) -> int | None:
    """Whether a message of `kind` may go out now: the number of messages held back since the last one, or None.

    None means one was sent less than `window` ago: this one is counted (held) instead.
    A number (0 or more) means send it, and mention that many held-back repeats; the
    window starts again now. `force` always answers a number (one-off messages).
    """
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    with write(db, WRITE_WAIT):
        row = db.execute("select sent_at, held from admin_notices where kind = ?", [kind]).fetchone()
        if row and not force and moment - parse_iso(row[0]) < window:
            db.execute("update admin_notices set held = held + 1 where kind = ?", [kind])
            return None
        db.execute("insert into admin_notices (kind, sent_at, held) values (?, ?, 0) "
                   "on conflict (kind) do update set sent_at = excluded.sent_at, held = 0",
                   [kind, now_iso(moment)])
    return row[1] if row else 0


def held_notices(db: sqlite_utils.Database, window: timedelta, now: datetime | None = None) -> list[tuple[str, int]]:
    """(kind, held) of the admin messages held back whose window has passed: each is owed a
    message saying how many repeats were held (bot.operator.flush_held_notices)."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return [(kind, held) for kind, held in db.execute(
        "select kind, held from admin_notices where held > 0 and sent_at <= ? order by kind",
        [now_iso(moment - window)]).fetchall()]
