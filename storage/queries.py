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


def attach_sources(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each item `sources_count`: its outlet plus every other outlet that reposted it (one query)."""
    by_id = {item["id"]: item for item in items}
    outlets: dict[int, set[str]] = {i: {by_id[i].get("source") or ""} for i in by_id}
    if by_id:
        marks = ",".join("?" * len(by_id))
        rows = db.execute(f"select duplicate_of, source from articles where duplicate_of in ({marks})", list(by_id))
        for article_id, source in rows.fetchall():
            outlets[article_id].add(source or "")
    for article_id, item in by_id.items():
        item["sources_count"] = len(outlets[article_id])
    return items


def _finish(db: sqlite_utils.Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return attach_sources(db, attach_tags(db, items))


def _page(db, where: str, args: list, limit: int, offset: int) -> Page:
    """A page of listed articles matching `where` (a generic path; the reader commands below are indexed)."""
    total = db.execute(f"select count(*) from articles a where {_LISTED} and {where}", args).fetchone()[0]
    base = f"from articles a left join summaries s on s.article_id = a.id where {_LISTED} and {where}"
    cursor = db.execute(f"select {_COLUMNS} {base} order by {_ORDER} limit ? offset ?", [*args, limit, offset])
    return Page(_finish(db, _rows(cursor)), total, offset, limit)


def _by_ids(db, ids: list[int], total: int, limit: int, offset: int) -> Page:
    """A page of the articles `ids`, in that order: the second step of every indexed listing.

    Picking ids first from an index and reading the five rows afterwards keeps the big
    article rows out of sorts and counts (bench/ingest_speed.py: 225 ms → 1 ms at 100,000).
    """
    if not ids:
        return Page([], total, offset, limit)
    marks = ",".join("?" * len(ids))
    cursor = db.execute(
        f"select {_COLUMNS} from articles a left join summaries s on s.article_id = a.id "
        f"where a.id in ({marks}) and {_LISTED}", ids)
    rows = {row["id"]: row for row in _rows(cursor)}
    return Page(_finish(db, [rows[i] for i in ids if i in rows]), total, offset, limit)


def latest(db, limit: int = 5, offset: int = 0) -> Page:
    """Newest listed articles, walked in order on the partial index of listed articles' dates."""
    total = count_articles(db)
    ids = [r[0] for r in db.execute(
        f"select a.id from articles a indexed by idx_articles_listing where {_LISTED} "
        f"order by {_ORDER} limit ? offset ?", [limit, offset])]
    return _by_ids(db, ids, total, limit, offset)


def by_tag(db, kind: str, codes: list[str], limit: int = 5, offset: int = 0) -> Page:
    """Articles carrying any of `codes` under `kind` (province, province_new, country, person, topic).

    Tags exist only for listed articles (reposts get none), each row with its article's
    sort key, so count and order come from the index on (kind, code, sort_key, article_id).
    """
    codes = list(dict.fromkeys(codes))
    marks = ",".join("?" * len(codes))
    match = f"from tags where kind = ? and code in ({marks})"
    args = [kind, *codes]
    if len(codes) == 1:  # one row per article and code: no grouping, and the count is kept
        total = _kept_count(db, kind, codes[0])
        cursor = db.execute(f"select article_id {match} order by sort_key desc, article_id desc limit ? offset ?",
                            [*args, limit, offset])
    else:
        total = db.execute(f"select count(distinct article_id) {match}", args).fetchone()[0]
        cursor = db.execute(f"select article_id, max(sort_key) as k {match} group by article_id "
                            f"order by k desc, article_id desc limit ? offset ?", [*args, limit, offset])
    return _by_ids(db, [r[0] for r in cursor.fetchall()], total, limit, offset)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word quoted (no operators from users), all required."""
    words = re.findall(r"\w+", fold_d(text))
    return " ".join(f'"{w}"' for w in words)


# Search offers the newest SEARCH_WINDOW matches and ranks them in tiers: the words as a
# phrase in the title, as a phrase anywhere, all of them in the title, the rest; newest first
# within a tier. bm25 and an exact count scanned every match of every word (72 ms + 4 ms for
# "việt nam" at 100,000 articles, growing with the database); this stays near 1 ms
# (bench/ingest_speed.py).
SEARCH_WINDOW = 500
_SEARCH_SQL = """
with win as (select rowid from article_search_fts where article_search_fts match :all
             order by rowid desc limit :window),
     floor as (select coalesce(min(rowid), 0) as m from win)
select win.rowid, (select count(*) from win) from win order by
  case when win.rowid in (select rowid from article_search_fts where article_search_fts match :title_phrase
                          and rowid >= (select m from floor)) then 0
       when win.rowid in (select rowid from article_search_fts where article_search_fts match :phrase
                          and rowid >= (select m from floor)) then 1
       when win.rowid in (select rowid from article_search_fts where article_search_fts match :title_all
                          and rowid >= (select m from floor)) then 2
       else 3 end,
  win.rowid desc
limit :limit offset :offset
"""


def search(db, text: str, limit: int = 5, offset: int = 0) -> Page:
    """Full-text search among recent matches, title and exact phrase first; diacritics optional.

    `total` counts the matches offered: all of them, or the newest SEARCH_WINDOW.
    """
    query = fts_query(text)
    if not query:
        return Page([], 0, offset, limit)
    window = max(SEARCH_WINDOW, offset + limit)
    phrase = '"' + " ".join(w.strip('"') for w in query.split()) + '"'
    cursor = db.execute(_SEARCH_SQL, {
        "all": query, "title_phrase": f"title : {phrase}", "phrase": phrase, "title_all": f"title : ({query})",
        "window": window, "limit": limit, "offset": offset,
    })
    rows = cursor.fetchall()
    if rows:
        total = rows[0][1]
    else:  # past the last page: count what the window holds
        total = db.execute("select count(*) from (select rowid from article_search_fts where article_search_fts "
                           "match ? limit ?)", [query, window]).fetchone()[0]
    return _by_ids(db, [r[0] for r in rows], total, limit, offset)


def get_article(db, article_id: int) -> dict[str, Any] | None:
    cursor = db.execute(
        f"select {_COLUMNS}, a.body from articles a left join summaries s on s.article_id = a.id where a.id = ?",
        [article_id],
    )
    rows = _rows(cursor)
    return _finish(db, rows)[0] if rows else None


# Digests and broadcasts carry only articles the tagger scored as diplomatic enough; an
# article never scored (NULL) counts as diplomatic. Bind `threshold` (settings.diplomatic_threshold).
BROADCASTABLE = f"{_LISTED} and (a.is_diplomatic is null or a.is_diplomatic >= :threshold)"


def is_broadcastable(article: dict[str, Any], settings) -> bool:
    """The Python twin of BROADCASTABLE, for one article row (a dict with `is_diplomatic`)."""
    if article.get("duplicate_of") is not None:
        return False
    score = article.get("is_diplomatic")
    return score is None or score >= getattr(settings, "diplomatic_threshold", 0.5)


def broadcastable_ids(db, article_ids: list[int], threshold: float) -> list[int]:
    """Of `article_ids` (a run's new articles), those digests and broadcasts may carry, in order."""
    if not article_ids:
        return []
    marks = ",".join(f":id{i}" for i in range(len(article_ids)))
    params = {"threshold": threshold, **{f"id{i}": v for i, v in enumerate(article_ids)}}
    found = {r[0] for r in db.execute(f"select a.id from articles a where a.id in ({marks}) and {BROADCASTABLE}", params)}
    return [i for i in article_ids if i in found]


def _kept_count(db, kind: str, code: str) -> int:
    """A count the triggers keep in `listing_counts` (storage.db)."""
    row = db.execute("select n from listing_counts where kind = ? and code = ?", [kind, code]).fetchone()
    return row[0] if row else 0


def count_articles(db) -> int:
    """Listed articles (reposts merged into another are not counted)."""
    return _kept_count(db, "article", "listed")


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
