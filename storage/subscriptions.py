"""Chats, their subscriptions and digest settings, and the articles a digest may draw on.

A subscription is stored with the same kind and code as the tags it matches
(`tags.kind`/`tags.code`), so matching is a set lookup: `province` (old code),
`province_new` (the 2025 code: TP. Hồ Chí Minh's covers Bình Dương and Bà Rịa - Vũng Tàu
articles, which carry that `province_new` tag too), `country` (ISO code), `topic`
(folded name), and `all` (code `*`, every diplomatic article). Three kinds are matched by
`bot.matcher` instead of a tag lookup: `keyword` and `exclude` (code: the phrase's words in
lower case with their marks, `đại sứ`; an exclusion keeps a chat from every article holding
it) and `person` (code: the folded full name, as person tags store it; matched by
`tagger.people.name_matches`, the rule `/person` uses).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils

from storage.queries import _rows, attach_tags
from storage.times import now_iso
from storage.tx import write

ALL = "all"
ALL_CODE = "*"
KEYWORD = "keyword"
EXCLUDE = "exclude"
PERSON = "person"
KINDS = (ALL, "province", "province_new", "country", "topic", KEYWORD, EXCLUDE, PERSON)
MATCH_KINDS = ("province", "province_new", "country", "topic", PERSON)  # tag kinds attached as `keys`


# --- chats ------------------------------------------------------------------------------

def ensure_chat(
    db: sqlite_utils.Database, chat_id: int, chat_type: str = "private",
    title: str | None = None, username: str | None = None,
) -> None:
    """Create the chat's row if it is new; an existing row keeps its settings."""
    now = now_iso()
    with write(db):
        db.execute(
            "insert into chats (chat_id, type, title, username, blocked, digest_enabled, created_at, updated_at) "
            "values (?, ?, ?, ?, 0, 1, ?, ?) on conflict(chat_id) do nothing",
            [chat_id, chat_type, title, username, now, now],
        )
        if title is not None or username is not None:
            db.execute(
                "update chats set title = coalesce(?, title), username = coalesce(?, username) where chat_id = ?",
                [title, username, chat_id],
            )


def get_chat(db: sqlite_utils.Database, chat_id: int) -> dict[str, Any] | None:
    rows = _rows(db.execute("select * from chats where chat_id = ?", [chat_id]))
    return rows[0] if rows else None


def chat_by_username(db: sqlite_utils.Database, username: str) -> dict[str, Any] | None:
    """A chat resolved earlier from `@username` (case-insensitive, `@` optional)."""
    name = username.lstrip("@")
    rows = _rows(db.execute("select * from chats where lower(username) = lower(?)", [name]))
    return rows[0] if rows else None


# --- subscriptions ----------------------------------------------------------------------

def subscribe(db: sqlite_utils.Database, chat_id: int, kind: str, code: str, value: str,
              thread_id: int | None = None) -> bool:
    """Add a subscription; False when the chat already had it.

    `thread_id` is the forum topic it was typed in (None: the General topic, or no forum):
    the digest parts and alerts it brings go there; messages that no subscription brings
    (/broadcast) go to the topic of the chat's latest /subscribe (`chats.thread_id`).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown subscription kind {kind!r}")
    with write(db):
        cursor = db.execute(
            "insert or ignore into subscriptions (chat_id, kind, value, code, created_at, thread_id) "
            "values (?, ?, ?, ?, ?, ?)",
            [chat_id, kind, value, code, now_iso(), thread_id],
        )
        db.execute("update chats set thread_id = ? where chat_id = ?", [thread_id, chat_id])
    return cursor.rowcount == 1


def unsubscribe(db: sqlite_utils.Database, chat_id: int, kind: str, codes: list[str]) -> int:
    """Remove the chat's subscriptions of `kind` with any of `codes`; how many went."""
    marks = ",".join("?" * len(codes))
    with write(db):
        cursor = db.execute(
            f"delete from subscriptions where chat_id = ? and kind = ? and code in ({marks})", [chat_id, kind, *codes]
        )
    return cursor.rowcount


def unsubscribe_all(db: sqlite_utils.Database, chat_id: int) -> int:
    with write(db):
        return db.execute("delete from subscriptions where chat_id = ?", [chat_id]).rowcount


def list_subscriptions(db: sqlite_utils.Database, chat_id: int) -> list[dict[str, Any]]:
    return _rows(db.execute(
        "select kind, value, code, created_at, thread_id from subscriptions where chat_id = ? order by created_at, rowid",
        [chat_id],
    ))


def count_subscriptions(db: sqlite_utils.Database, chat_id: int) -> int:
    return db.execute("select count(*) from subscriptions where chat_id = ?", [chat_id]).fetchone()[0]


def subscriptions_by_chat(db: sqlite_utils.Database, chat_ids: list[int] | None = None) -> dict[int, list[dict]]:
    where, args = "", []
    if chat_ids is not None:
        where, args = f"where chat_id in ({','.join('?' * len(chat_ids))})", list(chat_ids)
    out: dict[int, list[dict]] = {}
    for row in _rows(db.execute(f"select chat_id, kind, value, code, created_at, thread_id from subscriptions "
                                f"{where} order by created_at, rowid", args)):
        out.setdefault(row.pop("chat_id"), []).append(row)
    return out


def subscriber_ids(db: sqlite_utils.Database) -> list[int]:
    """Chats with at least one subscription that have not blocked the bot."""
    return [r[0] for r in db.execute(
        "select distinct s.chat_id from subscriptions s left join chats c on c.chat_id = s.chat_id "
        "where coalesce(c.blocked, 0) = 0 order by s.chat_id"
    ).fetchall()]


def digest_chats(db: sqlite_utils.Database, extra_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Chats that may get a digest: subscribers (and `extra_ids`, the daily channels), not blocked, enabled."""
    extra = list(extra_ids or [])
    extra_sql = f" or c.chat_id in ({','.join('?' * len(extra))})" if extra else ""
    return _rows(db.execute(
        "select c.chat_id, c.type, c.digest_time, c.digest_enabled, c.digest_day, c.digest_until, "
        "c.last_digest_at, c.created_at, c.timezone, c.digest_frequency from chats c "
        f"where coalesce(c.blocked, 0) = 0 and c.digest_enabled != 0 "
        f"and (exists (select 1 from subscriptions s where s.chat_id = c.chat_id){extra_sql}) order by c.chat_id",
        extra,
    ))


# --- articles for digests and broadcasts ---------------------------------------------------

_POOL_COLUMNS = (
    "a.id, a.title, a.body, a.url, a.source, a.published_at, a.fetched_at, a.is_diplomatic, "
    "s.text as summary, (select count(*) from articles d where d.duplicate_of = a.id) + 1 as sources"
)


def diplomatic_filter(threshold: float) -> tuple[str, list]:
    """The one rule for what digests and broadcasts may carry, as SQL over `articles a`: listed
    articles the tagger scored at least `threshold` (settings.diplomatic_threshold) as diplomatic.
    NULL (not scored) counts as diplomatic; duplicates are counted as sources, never sent."""
    return "a.duplicate_of is null and (a.is_diplomatic is null or a.is_diplomatic >= ?)", [threshold]


def _with_keys(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Attach `tags` (for display) and `keys`, the (kind, code) pairs subscriptions match."""
    attach_tags(db, items)
    by_id = {item["id"]: item for item in items}
    for item in items:
        item["keys"] = set()
    if not by_id:
        return items
    for article_id, kind, code in db.execute(
        f"select article_id, kind, code from tags where article_id in ({','.join('?' * len(by_id))}) "
        f"and kind in ({','.join('?' * len(MATCH_KINDS))})",
        [*by_id, *MATCH_KINDS],
    ).fetchall():
        by_id[article_id]["keys"].add((kind, code))
    return items


def digest_pool(db: sqlite_utils.Database, since: datetime, until: datetime, threshold: float) -> list[dict[str, Any]]:
    """Diplomatic articles ingested in (since, until], with tags and matching keys.

    `fetched_at` is always written by `now_iso` (UTC, `+00:00`), so text order is time order.
    """
    where, args = diplomatic_filter(threshold)
    cursor = db.execute(
        f"select {_POOL_COLUMNS} from articles a left join summaries s on s.article_id = a.id "
        f"where {where} and a.fetched_at > ? and a.fetched_at <= ? order by a.id",
        [*args, now_iso(since), now_iso(until)],
    )
    return _with_keys(db, _rows(cursor))


def ingested_since(db: sqlite_utils.Database, since: datetime) -> list[int]:
    """Ids of the articles stored after `since` (any score: callers filter)."""
    return [r[0] for r in db.execute("select id from articles where fetched_at > ? order by id",
                                     [now_iso(since)]).fetchall()]


def broadcast_articles(db: sqlite_utils.Database, article_ids: list[int], threshold: float) -> list[dict[str, Any]]:
    """Of `article_ids`, the diplomatic, non-duplicate ones, with tags, oldest first."""
    if not article_ids:
        return []
    where, args = diplomatic_filter(threshold)
    cursor = db.execute(
        f"select {_POOL_COLUMNS} from articles a left join summaries s on s.article_id = a.id "
        f"where {where} and a.id in ({','.join('?' * len(article_ids))}) order by a.id",
        [*args, *article_ids],
    )
    return _with_keys(db, _rows(cursor))
