"""Counts over a period for charts and bulletins: articles per day or week with a tag or a
keyword, the most-covered tags, and the period's articles streamed in batches for a report.

Periods are `storage.window.Window`s; an article's moment is `coalesce(published_at, fetched_at)`.
Days and weeks are local: `offset_minutes` is the reader's UTC offset (Asia/Ho_Chi_Minh
has no daylight saving, so one offset serves a whole period).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from storage.queries import attach_tags, fts_query
from storage.window import Bin, Window

__all__ = ["Bin", "Window", "keyword_counts", "period_articles", "period_count", "period_ids", "tag_counts",
           "top_tags"]

_MOMENT = "coalesce(a.published_at, a.fetched_at)"
_LISTED = "a.duplicate_of is null"


def tag_counts(db, kind: str, codes: list[str], window: Window) -> dict[str, int]:
    """{bin start: articles} carrying any of `codes` under `kind`; bins without articles are absent."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    where, args = window.where("sort_key")
    marks = ",".join("?" * len(codes))
    rows = db.execute(
        f"select {window.bin_sql('sort_key')} as b, count(distinct article_id) from tags "
        f"where kind = ? and code in ({marks}) and {where} group by b", [kind, *codes, *args])
    return {b: n for b, n in rows.fetchall()}


def keyword_counts(db, text: str, window: Window) -> dict[str, int]:
    """{bin start: listed articles} whose title, summary or body holds every word of `text`.

    The search index is folded (no marks), so `sứ` counts `sự` too: a chart counts words, not spellings.
    """
    query = fts_query(text)
    if not query:
        return {}
    where, args = window.where(_MOMENT)
    rows = db.execute(
        f"select {window.bin_sql(_MOMENT)} as b, count(*) from articles a "
        f"where a.id in (select rowid from article_search_fts where article_search_fts match ?) "
        f"and {_LISTED} and {where} group by b", [query, *args])
    return {b: n for b, n in rows.fetchall()}


def period_count(db, window: Window) -> int:
    """Listed articles in the period."""
    where, args = window.where(_MOMENT)
    return db.execute(f"select count(*) from articles a where {_LISTED} and {where}", args).fetchone()[0]


def top_tags(db, kind: str, window: Window, limit: int = 10) -> list[tuple[str, str, int]]:
    """(value, code, articles) of the `limit` most frequent `kind` tags in the period, most first."""
    where, args = window.where("sort_key")
    rows = db.execute(
        f"select min(value), code, count(distinct article_id) as n from tags where kind = ? and {where} "
        f"group by code order by n desc, min(value) limit ?", [kind, *args, limit])
    return [tuple(r) for r in rows.fetchall()]


def period_ids(db, window: Window) -> list[int]:
    """Ids of the period's listed articles, oldest first (a 10,000-article period is 10,000 ints)."""
    where, args = window.where(_MOMENT)
    rows = db.execute(f"select a.id from articles a where {_LISTED} and {where} order by {_MOMENT}, a.id", args)
    return [r[0] for r in rows.fetchall()]


def period_articles(db, window: Window, batch: int = 500) -> Iterator[dict[str, Any]]:
    """The period's listed articles with summary and tags (no body), oldest first, `batch` rows per query."""
    ids = period_ids(db, window)
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        marks = ",".join("?" * len(chunk))
        found = list(db.query(
            f"select a.id, a.title, a.url, a.source, a.published_at, a.fetched_at, s.text as summary "
            f"from articles a left join summaries s on s.article_id = a.id where a.id in ({marks})", chunk))
        rows = {row["id"]: row for row in attach_tags(db, found)}
        yield from (rows[i] for i in chunk if i in rows)
