"""Writing articles with their summary, tags and search row, one transaction each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlite_utils
from sqlite_utils.db import NotFoundError

from diplobot.text import fold, fold_d
from storage.tx import write


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
    tags: dict[str, Any] | None,
    article_id: int | None = None,
) -> int:
    """Insert (or, with `article_id`, replace) an article, its summary and its tags, in one transaction.

    Everything that is not a write happens before the transaction, and the writes are plain
    SQL: the write lock is held about a millisecond, not the 3-4 ms that sqlite-utils' table
    introspection took per item, which other writers (the bot, other ingests) waited out.
    """
    now = now_iso()
    columns = db["articles"].columns_dict
    row = {k: _sql_value(v) for k, v in record.items() if k in columns}
    row["updated_at"] = now
    if tags is not None:
        row["is_diplomatic"] = tags.get("is_diplomatic")
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


def tag_rows(article_id: int, tags: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten the tagger's dict into rows; provinces get an old and a new row to query either."""
    rows: list[dict[str, Any]] = []
    seen_new: set[str] = set()
    for p in tags.get("provinces", []):
        rows.append({"kind": "province", "value": p["old"], "code": p["old_code"],
                     "extra": {"mention": p.get("mention"), "new": p["new"], "new_code": p["new_code"]}})
        if p["new_code"] not in seen_new:
            seen_new.add(p["new_code"])
            rows.append({"kind": "province_new", "value": p["new"], "code": p["new_code"], "extra": {}})
    for c in tags.get("countries", []):
        rows.append({"kind": "country", "value": c["name"], "code": c["code"], "extra": {"mention": c.get("mention")}})
    for person in tags.get("people", []):
        rows.append({"kind": "person", "value": person["name"], "code": fold(person["name"]),
                     "extra": {"role": person.get("role", "")}})
    for topic in tags.get("topics", []):
        rows.append({"kind": "topic", "value": topic["name"], "code": fold(topic["name"]),
                     "extra": {"score": topic.get("score")}})
    for date in tags.get("dates", []):
        rows.append({"kind": "date", "value": date, "code": date, "extra": {}})
    for row in rows:
        row["article_id"] = article_id
        row["extra"] = json.dumps(row["extra"], ensure_ascii=False)
    return rows


def set_tags(db, article_id: int, tags: dict[str, Any]) -> None:
    rows = [(r["article_id"], r["kind"], r["value"], r["code"], r["extra"]) for r in tag_rows(article_id, tags)]
    with write(db):
        conn = db.conn
        conn.execute("delete from tags where article_id = ?", [article_id])
        if rows:
            # The listing key, copied so that "newest with this tag" is one index walk (storage.queries.by_tag).
            key = conn.execute("select coalesce(published_at, fetched_at) from articles where id = ?",
                               [article_id]).fetchone()
            conn.executemany("insert into tags (article_id, kind, value, code, extra, sort_key) "
                             "values (?, ?, ?, ?, ?, ?)", [(*r, key[0] if key else None) for r in rows])
        conn.execute("update articles set is_diplomatic = ? where id = ?", [tags.get("is_diplomatic"), article_id])


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


def retag_all(db, tagger=None, progress: bool = False) -> tuple[int, int, float]:
    """Tag every stored article again; returns (articles whose tags changed, total, seconds)."""
    import time
    from datetime import datetime as _dt

    from storage.queries import iter_articles

    if tagger is None:
        from tagger import tag_article as tagger
    started = time.perf_counter()
    total = db.execute("select count(*) from articles").fetchone()[0]
    rows = iter_articles(db)
    if progress:
        from tqdm import tqdm

        rows = tqdm(rows, total=total, desc="retag", unit="article", leave=False)
    changed = 0
    for article_id, title, body, published_at in rows:
        tags = tagger(title, body, _dt.fromisoformat(published_at) if published_at else None)
        before = db.execute(
            "select kind, code, extra from tags where article_id = ? order by kind, code", [article_id]
        ).fetchall()
        set_tags(db, article_id, tags)
        after = db.execute(
            "select kind, code, extra from tags where article_id = ? order by kind, code", [article_id]
        ).fetchall()
        changed += before != after
    return changed, total, time.perf_counter() - started


def summaries_to_redo(db, backend: str) -> list[tuple[int, str, str]]:
    """(id, title, body) of listed articles whose summary another backend made (or none did)."""
    return db.execute(
        "select a.id, a.title, a.body from articles a left join summaries s on s.article_id = a.id "
        "where a.duplicate_of is null and (s.backend is null or s.backend != ?) order by a.id",
        [backend],
    ).fetchall()


def resummarize_all(db, summarizer, backend: str, batch: int = 8, progress: bool = False) -> tuple[int, int]:
    """Redo summaries made by another backend; returns (redone, made by `backend` now)."""
    rows = summaries_to_redo(db, backend)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(rows), desc="resummarize", unit="article", leave=False)
    now_backend = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        summaries = summarizer.summarize_many([(title, body) for _, title, body in chunk])
        with write(db):
            for (article_id, _, _), summary in zip(chunk, summaries):
                set_summary(db, article_id, summary.text, summary.backend, summary.model, summary.flag)
                refresh_search(db, article_id)
                now_backend += summary.backend == backend
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    return len(rows), now_backend
