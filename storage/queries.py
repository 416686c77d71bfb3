"""Read side: pages of articles for the bot, each with its summary and tags."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from diplobot.text import fold_d

# Duplicates stay stored (a repost is a source of the first article) but are never listed.
_LISTED = "a.duplicate_of is null"
_ORDER = "coalesce(a.published_at, a.fetched_at) desc, a.id desc"
_COLUMNS = (
    "a.id, a.title, a.url, a.source, a.published_at, a.fetched_at, a.is_diplomatic, "
    "s.text as summary, s.backend as summary_backend"
)


@dataclass
class Page:
    items: list[dict[str, Any]]
    total: int
    offset: int = 0
    limit: int = 5

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


@dataclass
class ArticleTags:
    provinces: list[dict] = field(default_factory=list)
    countries: list[dict] = field(default_factory=list)
    people: list[dict] = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


def _rows(cursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def attach_tags(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each item a `tags` (ArticleTags) with one query for the whole page."""
    by_id = {item["id"]: item for item in items}
    for item in items:
        item["tags"] = ArticleTags()
    if not by_id:
        return items
    marks = ",".join("?" * len(by_id))
    cursor = db.execute(
        f"select article_id, kind, value, code, extra from tags where article_id in ({marks}) order by rowid",
        list(by_id),
    )
    for article_id, kind, value, code, extra in cursor.fetchall():
        tags: ArticleTags = by_id[article_id]["tags"]
        extra = json.loads(extra or "{}")
        if kind == "province":
            tags.provinces.append({"old": value, "old_code": code, **extra})
        elif kind == "country":
            tags.countries.append({"name": value, "code": code, **extra})
        elif kind == "person":
            tags.people.append({"name": value, "role": extra.get("role", "")})
        elif kind == "topic":
            tags.topics.append({"name": value, "score": extra.get("score")})
        elif kind == "date":
            tags.dates.append(value)
    return items


def _page(db, where: str, args: list, limit: int, offset: int) -> Page:
    base = f"from articles a left join summaries s on s.article_id = a.id where {_LISTED} and {where}"
    total = db.execute(f"select count(*) {base}", args).fetchone()[0]
    cursor = db.execute(f"select {_COLUMNS} {base} order by {_ORDER} limit ? offset ?", [*args, limit, offset])
    return Page(attach_tags(db, _rows(cursor)), total, offset, limit)


def latest(db, limit: int = 5, offset: int = 0) -> Page:
    return _page(db, "1", [], limit, offset)


def by_tag(db, kind: str, codes: list[str], limit: int = 5, offset: int = 0) -> Page:
    """Articles carrying any of `codes` under `kind` (province, province_new, country, person, topic)."""
    marks = ",".join("?" * len(codes))
    where = f"a.id in (select article_id from tags where kind = ? and code in ({marks}))"
    return _page(db, where, [kind, *codes], limit, offset)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word quoted (no operators from users), all required."""
    words = re.findall(r"\w+", fold_d(text))
    return " ".join(f'"{w}"' for w in words)


def search(db, text: str, limit: int = 5, offset: int = 0) -> Page:
    """Full-text search, best match first (title weighs most), diacritics optional."""
    query = fts_query(text)
    if not query:
        return Page([], 0, offset, limit)
    base = (
        "from article_search_fts join articles a on a.id = article_search_fts.rowid "
        f"left join summaries s on s.article_id = a.id where article_search_fts match ? and {_LISTED}"
    )
    total = db.execute(f"select count(*) {base}", [query]).fetchone()[0]
    cursor = db.execute(
        f"select {_COLUMNS} {base} order by bm25(article_search_fts, 5.0, 2.0, 1.0), {_ORDER} limit ? offset ?",
        [query, limit, offset],
    )
    return Page(attach_tags(db, _rows(cursor)), total, offset, limit)


def get_article(db, article_id: int) -> dict[str, Any] | None:
    cursor = db.execute(
        f"select {_COLUMNS}, a.body from articles a left join summaries s on s.article_id = a.id where a.id = ?",
        [article_id],
    )
    rows = _rows(cursor)
    return attach_tags(db, rows)[0] if rows else None


def count_articles(db) -> int:
    return db.execute(f"select count(*) from articles a where {_LISTED}").fetchone()[0]


def tag_names(db, kind: str) -> list[tuple[str, str, int]]:
    """Distinct (value, code, articles) of one tag kind: what `/person` can match against."""
    cursor = db.execute(
        "select value, code, count(distinct article_id) from tags where kind = ? group by code order by 3 desc",
        [kind],
    )
    return [tuple(row) for row in cursor.fetchall()]


def iter_articles(db, batch: int = 500):
    """Every stored article's (id, title, body, published_at), in id order, a batch at a time."""
    last = 0
    while True:
        rows = db.execute(
            "select id, title, body, published_at from articles where id > ? order by id limit ?", [last, batch]
        ).fetchall()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]
