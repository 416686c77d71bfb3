"""Dedupe in the pipeline: canonical URLs, text hashes, near-duplicates; reposts merged as sources."""

from __future__ import annotations

from diplobot.tags import Tags
from ingest.models import Article
from ingest.pipeline import Pipeline, RunReport
from storage import open_db, queries
from storage.subscriptions import broadcast_articles
from tests.conftest import seed_text
from tests.test_near_duplicates import repost_of_001


def article(prefix: str, key: str, source: str, body: str | None = None, **kw) -> Article:
    title, _, text = seed_text(prefix).partition("\n")
    return Article(title=title.strip(), body=body if body is not None else text.strip(), source_key=key,
                   source=source, **kw)


def no_tags(title, body, published_at=None):
    return Tags()  # no is_diplomatic yet


def pipeline(tmp_path, summarizer, name="d.db", tagger=no_tags) -> Pipeline:
    return Pipeline(open_db(tmp_path / name), summarizer, tagger)


def store(p: Pipeline, item: Article, report: RunReport) -> str:
    """The status `Pipeline.add` gives one article: new, duplicate, merged…"""
    return p.add(item, item.source_key, report).status


def test_the_same_canonical_url_is_a_duplicate(tmp_path, summarizer):
    p, report = pipeline(tmp_path, summarizer), RunReport()
    store(p, article("002", "https://vietnamplus.vn/a.vnp", "Vietnam+", canonical_url="https://vietnamplus.vn/a.vnp"), report)
    edited = article("002", "https://vietnamplus.vn/amp/a.vnp", "Vietnam+", canonical_url="https://vietnamplus.vn/a.vnp",
                     body=seed_text("002").partition("\n")[2].replace("13/8", "14/8"))
    assert store(p, edited, report) == "duplicate"
    assert (report.new, report.duplicate) == (1, 1)
    assert p.db["articles"].count == 1


def test_a_copy_from_another_outlet_is_merged_and_from_the_same_outlet_skipped(tmp_path, summarizer):
    p, report = pipeline(tmp_path, summarizer), RunReport()
    assert store(p, article("001", "https://baobinhduong.vn/a", "Báo Bình Dương"), report) == "new"
    assert store(p, article("001", "https://chinhphu.vn/b", "Chinhphu.vn"), report) == "merged"  # verbatim
    assert store(p, article("001", "https://chinhphu.vn/c", "Chinhphu.vn", body=repost_of_001()), report) == "duplicate"
    assert store(p, article("001", "https://baoquocte.vn/d", "Báo Quốc tế", body=repost_of_001()), report) == "merged"
    assert (report.new, report.merged, report.duplicate) == (1, 2, 1)
    rows = p.db.execute("select id, source, duplicate_of from articles order by id").fetchall()
    assert rows == [(1, "Báo Bình Dương", None), (2, "Chinhphu.vn", 1), (3, "Báo Quốc tế", 1)]
    assert p.db["summaries"].count == 1  # reposts cost no summary, no tags, no search row
    assert p.db.execute("select count(*) from article_search").fetchone()[0] == 1
    item = queries.latest(p.db).items[0]
    assert (queries.latest(p.db).total, item["sources_count"]) == (1, 3)
    assert [i["id"] for i in broadcast_articles(p.db, [1, 2, 3], 0.0)] == [1]  # a merged copy is never sent


def test_fingerprints_are_stored_and_old_rows_get_one(tmp_path, summarizer):
    p = pipeline(tmp_path, summarizer)
    store(p, article("001", "https://baobinhduong.vn/a", "Báo Bình Dương"), RunReport())
    assert p.db.execute("select simhash from articles").fetchone()[0] not in (None, 0)
    p.db.execute("update articles set simhash = null")  # a row stored before fingerprints existed
    fresh = Pipeline(open_db(tmp_path / "d.db"), summarizer, no_tags)
    assert store(fresh, article("001", "https://baoquocte.vn/d", "Báo Quốc tế", body=repost_of_001()), RunReport()) == "merged"
    assert fresh.db.execute("select count(*) from articles where simhash is null").fetchone()[0] == 0


def test_different_stories_are_all_new(tmp_path, summarizer):
    p, report = pipeline(tmp_path, summarizer), RunReport()
    for prefix in ("000", "001", "002", "003", "004"):
        store(p, article(prefix, f"https://x.vn/{prefix}", "x.vn"), report)
    assert report.new == 5 and report.merged == report.duplicate == 0


def test_only_diplomatic_enough_articles_are_broadcastable(tmp_path, summarizer):
    scores = iter([0.9, 0.2, None])

    def tagger(title, body, published_at=None):
        score = next(scores)
        return Tags(is_diplomatic=score)

    p, report = pipeline(tmp_path, summarizer, tagger=tagger), RunReport()
    for prefix in ("000", "002", "004"):
        store(p, article(prefix, f"https://x.vn/{prefix}", "x.vn"), report)

    def broadcastable(threshold: float) -> list[int]:  # the one filter digests and broadcasts use
        return [item["id"] for item in broadcast_articles(p.db, report.new_ids, threshold)]

    assert broadcastable(0.5) == [report.new_ids[0], report.new_ids[2]]  # None counts as diplomatic
    assert broadcastable(0.1) == report.new_ids
