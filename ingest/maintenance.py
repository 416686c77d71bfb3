"""Redoing the analysis of stored articles: `diplobot retag` and `diplobot resummarize`.

The tagger and the summarizer run here, on storage's primitives (read the articles, write
tags or summaries), so that storage stays a place that keeps data and runs no analysis.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from tqdm import tqdm

from diplobot.tags import Tags
from storage.articles import count_stored, replace_summaries, set_tags, stored_tags, summaries_to_redo
from storage.queries import iter_articles
from tagger import tag_article

Tagger = Callable[[str, str, datetime | None], Tags]


def retag_all(db, tagger: Tagger = tag_article, progress: bool = False) -> tuple[int, int, float]:
    """Tag every stored article again; returns (articles whose tags changed, total, seconds)."""
    started = time.perf_counter()
    total = count_stored(db)
    rows = iter_articles(db)
    if progress:
        rows = tqdm(rows, total=total, desc="retag", unit="article", leave=False)
    changed = 0
    for article_id, title, body, published_at in rows:
        tags = tagger(title, body, datetime.fromisoformat(published_at) if published_at else None)
        before = stored_tags(db, article_id)
        set_tags(db, article_id, tags)
        changed += before != stored_tags(db, article_id)
    return changed, total, time.perf_counter() - started


def resummarize_all(db, summarizer, backend: str, batch: int = 8, progress: bool = False) -> tuple[int, int]:
    """Redo summaries made by another backend; returns (redone, made by `backend` now)."""
    rows = summaries_to_redo(db, backend)
    bar = tqdm(total=len(rows), desc="resummarize", unit="article", leave=False) if progress else None
    now_backend = 0
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        summaries = summarizer.summarize_many([(title, body) for _, title, body in chunk])
        replace_summaries(db, [(article_id, s.text, s.backend, s.model, s.flag)
                               for (article_id, _, _), s in zip(chunk, summaries)])
        now_backend += sum(s.backend == backend for s in summaries)
        if bar is not None:
            bar.update(len(chunk))
    if bar is not None:
        bar.close()
    return len(rows), now_backend
