"""Writing articles with their summary, tags and search row, one transaction each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from sqlite_utils.db import NotFoundError

from diplobot.tags import Tags
from diplobot.text import fold_d
from storage.tag_rows import to_rows
from storage.times import now_iso
from storage.tx import write


@dataclass(frozen=True)
class Existing:
    """What the database already holds for an incoming item."""

    status: str  # "new", "unchanged", "changed" (same source, new text) or "duplicate"
    article_id: int | None = None  # for a duplicate: the listed article it repeats


def find_existing(
    db: sqlite_utils.Database, source_key: str, content_hash: str, canonical_url: str | None = None
) -> Existing:
    """Decide before the expensive work (summarize, tag) whether an item is new.

    The same key means the same item (unchanged or changed); the same canonical URL or the
    same text under another key is a duplicate of the article it belongs to.
    """
    row = db.execute(
        "select id, content_hash from articles where source_key = ?", [source_key]
    ).fetchone()
    if row:
        return Existing("unchanged" if row[1] == content_hash else "changed", row[0])
    for column, value in (("canonical_url", canonical_url), ("content_hash", content_hash)):
        if not value:
            continue
        row = db.execute(
            f"select coalesce(duplicate_of, id) from articles where {column} = ? limit 1", [value]
        ).fetchone()
        if row:
            return Existing("duplicate", row[0])
    return Existing("new")


def known_url(db: sqlite_utils.Database, key: str) -> int | None:
    """The article stored under this canonical URL (as its key or its page's claim), if any.

    Asked before fetching a feed item's page, so that a known item costs no request.
    """
    for column in ("source_key", "canonical_url"):
        row = db.execute(f"select coalesce(duplicate_of, id) from articles where {column} = ? limit 1", [key]).fetchone()
        if row:
            return row[0]
    return None


def article_body(db: sqlite_utils.Database, article_id: int) -> str | None:
    row = db.execute("select body from articles where id = ?", [article_id]).fetchone()
    return row[0] if row else None


def outlets_of(db: sqlite_utils.Database, article_id: int) -> set[str]:
    """The outlets that carry an article: its own and those of the copies merged into it."""
    rows = db.execute("select source from articles where id = ? or duplicate_of = ?", [article_id, article_id])
    return {r[0] for r in rows.fetchall() if r[0]}


def fingerprints(db: sqlite_utils.Database) -> list[tuple[int, int | None, str]]:
    """(id, simhash, body-or-None) of every listed article; the body only where simhash is missing."""
    return [tuple(r) for r in db.execute(
        "select id, simhash, case when simhash is null then body end from articles where duplicate_of is null"
    ).fetchall()]


def set_simhashes(db: sqlite_utils.Database, pairs: list[tuple[int, int]]) -> None:
    """Store fingerprints computed late (rows from before simhash existed), in one transaction."""
    with write(db):
        db.conn.executemany("update articles set simhash = ? where id = ?", [(s, i) for i, s in pairs])


def store_article(
    db: sqlite_utils.Database,
    record: dict[str, Any],
    summary: dict[str, Any] | None,
    tags: Tags | None,
    article_id: int | None = None,
) -> int:
    """Insert (or, with `article_id`, replace) an article, its summary and its tags, in one transaction.

    Everything that is not a write happens before the transaction, and the writes are plain
    SQL: the write lock is held about a millisecond, not the 3-4 ms that sqlite-utils' table
    introspection took per item, which other writers (the bot, other ingests) waited out.
    """
    now = now_iso()
    unknown = set(record) - set(db["articles"].columns_dict)
    if unknown:  # a typo or a field with no column: an error, never silently dropped
        raise ValueError(f"articles has no column {', '.join(sorted(unknown))}")
    row = {k: _sql_value(v) for k, v in record.items()}
    row["updated_at"] = now
    if article_id is None:
        row.setdefault("fetched_at", now)
    names = list(row)
    with write(db):
        if article_id is None:
            article_id = db.conn.execute(
                f"insert into articles ({', '.join(names)}) values ({', '.join('?' * len(names))})",
                [row[n] for n in names]).lastrowid
        elif not db.conn.execute(f"update articles set {', '.join(f'{n} = ?' for n in names)} where id = ?",
                                 [*(row[n] for n in names), article_id]).rowcount:
            raise NotFoundError(f"no article {article_id} to replace")
        if summary is not None:
            set_summary(db, article_id, **summary)
        if tags is not None:
            set_tags(db, article_id, tags)
        if row.get("duplicate_of") is None:  # a repost is a source of its article, never a search hit
            refresh_search(db, article_id)
    return article_id


def _sql_value(value: Any) -> Any:
    """What sqlite-utils would store: lists and dicts as JSON."""
    return json.dumps(value, ensure_ascii=False, default=repr) if isinstance(value, (dict, list, tuple)) else value


def set_summary(db, article_id: int, text: str, backend: str, model: str = "", flag: str | None = None) -> None:
    with write(db):
        db.conn.execute(
            "insert into summaries (article_id, backend, model, text, flag, created_at) values (?, ?, ?, ?, ?, ?) "
            "on conflict (article_id) do update set backend = excluded.backend, model = excluded.model, "
            "text = excluded.text, flag = excluded.flag, created_at = excluded.created_at",
            [article_id, backend, model, text, flag, now_iso()],
        )


def set_tags(db, article_id: int, tags: Tags) -> None:
    """Replace the article's tag rows (`storage.tag_rows`) and its `is_diplomatic` score."""
    rows = [(article_id, r.kind, r.value, r.code, r.extra) for r in to_rows(tags)]
    with write(db):
        conn = db.conn
        conn.execute("delete from tags where article_id = ?", [article_id])
        if rows:
            # The listing key, copied so that "newest with this tag" is one index walk (storage.queries.by_tag).
            key = conn.execute("select coalesce(published_at, fetched_at) from articles where id = ?",
                               [article_id]).fetchone()
            conn.executemany("insert into tags (article_id, kind, value, code, extra, sort_key) "
                             "values (?, ?, ?, ?, ?, ?)", [(*r, key[0] if key else None) for r in rows])
        conn.execute("update articles set is_diplomatic = ? where id = ?", [tags.is_diplomatic, article_id])


def refresh_search(db, article_id: int) -> None:
    """Rewrite the article's search row (the FTS triggers keep the index in step)."""
    with write(db):  # read and write under one lock: the row is built from what is stored now
        row = db.execute(
            "select a.title, coalesce(s.text, ''), a.body from articles a "
            "left join summaries s on s.article_id = a.id where a.id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            return
        db.conn.execute(
            "insert into article_search (rowid, title, summary, body) values (?, ?, ?, ?) on conflict (rowid) "
            "do update set title = excluded.title, summary = excluded.summary, body = excluded.body",
            [article_id, fold_d(row[0]), fold_d(row[1]), fold_d(row[2])],
        )


def stored_tags(db, article_id: int) -> list[tuple[str, str, str]]:
    """The article's (kind, code, extra) tag rows, sorted: what tells whether a retag changed anything."""
    return db.execute(
        "select kind, code, extra from tags where article_id = ? order by kind, code", [article_id]
    ).fetchall()


def count_stored(db) -> int:
    """Every stored article, reposts included (what `diplobot retag` goes through)."""
    return db.execute("select count(*) from articles").fetchone()[0]


def summaries_to_redo(db, backend: str) -> list[tuple[int, str, str]]:
    """(id, title, body) of listed articles whose summary another backend made (or none did)."""
    return db.execute(
        "select a.id, a.title, a.body from articles a left join summaries s on s.article_id = a.id "
        "where a.duplicate_of is null and (s.backend is null or s.backend != ?) order by a.id",
        [backend],
    ).fetchall()


def replace_summaries(db, summaries: list[tuple[int, str, str, str, str | None]]) -> None:
    """(article id, text, backend, model, flag) each, with their search rows, in one transaction."""
    with write(db):
        for article_id, text, backend, model, flag in summaries:
            set_summary(db, article_id, text, backend, model, flag)
            refresh_search(db, article_id)
