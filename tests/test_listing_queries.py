"""The indexed listings (latest, by tag, search) return what a plain SQL query would, and an
older database gets the sort keys and counts they rely on when it is migrated."""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta, timezone

import sqlite_utils

from diplobot.tags import Country, Tags
from storage import open_db, queries
from storage.articles import store_article
from storage.db import _v1
from storage.window import Window

VN = timezone(timedelta(hours=7))
PROVINCES = [("01", "Hà Nội", "01", "Hà Nội"), ("94", "Sóc Trăng", "92", "Cần Thơ"),
             ("93", "Hậu Giang", "92", "Cần Thơ"), ("74", "Bình Dương", "79", "Hồ Chí Minh")]
COUNTRIES = [("JP", "Nhật Bản"), ("KR", "Hàn Quốc"), ("LA", "Lào")]


def tags_for(rng: random.Random) -> Tags:
    provinces = [{"mention": name, "old": name, "old_code": code, "new": new, "new_code": new_code}
                 for code, name, new_code, new in rng.sample(PROVINCES, rng.randint(0, 3))]
    countries = [{"mention": n, "name": n, "code": c} for c, n in rng.sample(COUNTRIES, rng.randint(0, 2))]
    return Tags.from_dict({"provinces": provinces, "countries": countries, "people": [], "topics": [], "dates": []})


def fill(db, n: int = 60, seed: int = 3) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=VN)
    for i in range(n):
        published = None if i % 7 == 0 else (start + timedelta(hours=rng.randrange(5000))).isoformat()
        record = {"source_key": f"k{i}", "title": f"Bài {i} về hợp tác", "body": f"Nội dung bài {i} về đối ngoại.",
                  "content_hash": f"h{i}", "published_at": published, "fetched_at": "2025-01-01T00:00:00+00:00"}
        store_article(db, record, {"text": f"Tóm tắt {i}.", "backend": "test"}, tags_for(rng))


def naive(db, where: str = "1", args: list = ()) -> list[int]:
    return [r[0] for r in db.execute(
        f"select a.id from articles a where a.duplicate_of is null and {where} "
        "order by coalesce(a.published_at, a.fetched_at) desc, a.id desc", list(args))]


def pages(fetch, size: int = 5) -> tuple[list[int], int]:
    ids, offset, total = [], 0, None
    while True:
        page = fetch(offset)
        total = page.total if total is None else total
        assert page.total == total
        ids += [item["id"] for item in page.items]
        if not page.has_more:
            return ids, total
        offset += size


def tagged(kind: str, codes: list[str]) -> str:
    return f"a.id in (select article_id from tags where kind = '{kind}' and code in ({','.join(repr(c) for c in codes)}))"


def test_indexed_listings_match_plain_sql(tmp_path):
    db = open_db(tmp_path / "d.db")
    fill(db)
    assert pages(lambda o: queries.latest(db, offset=o)) == (naive(db), 60)
    for kind, codes in [("province", ["01"]), ("province", ["94", "93"]), ("province_new", ["92"]),
                        ("country", ["JP"]), ("country", ["LA", "KR", "LA"]), ("country", ["XX"])]:
        expected = naive(db, tagged(kind, codes))
        assert pages(lambda o: queries.by_tag(db, kind, codes, offset=o)) == (expected, len(expected)), (kind, codes)


def test_bounds_keep_the_articles_published_within_them(tmp_path, monkeypatch):
    """A listing's period (issue 15): published in [lo, hi), compared as times (`+07:00` stamps
    against UTC bounds), undated articles out whatever their fetch time; search too, and an old
    period finds its articles even when newer matches fill the search window."""
    db = open_db(tmp_path / "d.db")
    fill(db)
    bounds = ("2024-03-01T00:00:00+00:00", "2024-05-01T00:00:00+00:00")
    dated = ("a.published_at is not null and datetime(a.published_at) >= '2024-03-01 00:00:00' "
             "and datetime(a.published_at) < '2024-05-01 00:00:00'")
    expected = naive(db, dated)
    assert 0 < len(expected) < 60
    assert pages(lambda o: queries.latest(db, offset=o, bounds=bounds)) == (expected, len(expected))
    for kind, codes in [("country", ["JP"]), ("province", ["94", "93"]), ("country", ["XX"])]:
        expected = naive(db, f"{dated} and {tagged(kind, codes)}")
        assert pages(lambda o: queries.by_tag(db, kind, codes, offset=o, bounds=bounds)) == (expected, len(expected))
    everything = naive(db, dated)  # every title says "hợp tác"
    for query in ("hop tac", "hợp tác"):  # without marks, then with (the scanning path)
        found = pages(lambda o: queries.search(db, query, offset=o, bounds=bounds))
        assert sorted(found[0]) == sorted(everything) and found[1] == len(everything), query
    for name in ("SEARCH_WINDOW", "SEARCH_SCAN", "_SCAN_CHUNK"):  # newer matches than the period fill a window
        monkeypatch.setattr(queries, name, 5)
    for query in ("hop tac", "hợp tác"):
        page = queries.search(db, query, bounds=bounds)
        assert len(page.items) == 5 and {i["id"] for i in page.items} <= set(everything), query


def test_window_agrees_with_time_comparison_at_every_offset():
    """`Window.where` skips `datetime()` away from the edges: stamps at any offset from −12 to +14 h,
    every 30 minutes over four days around each bound, fall in or out exactly as their UTC time does."""
    for lo, hi in [("2024-02-29T17:00:00+00:00", "2024-03-07T17:00:00+00:00"),  # a week in Vietnam
                   ("2024-03-01T00:00:00+00:00", "2024-03-02T00:00:00+00:00")]:  # one UTC day
        start, end = datetime.fromisoformat(lo), datetime.fromisoformat(hi)
        moments = {start + timedelta(minutes=30 * step) for step in range(-96, 97)}
        moments |= {end + timedelta(minutes=30 * step) for step in range(-96, 97)}
        stamps = {m.astimezone(timezone(timedelta(hours=h))).isoformat(): start <= m < end
                  for m in moments for h in range(-12, 15)}
        conn = sqlite3.connect(":memory:")
        conn.execute("create table m (v text)")
        conn.executemany("insert into m values (?)", [(v,) for v in stamps])
        sql, args = Window.from_iso(lo, hi).where("v")
        inside = {r[0] for r in conn.execute(f"select v from m where {sql}", args)}
        assert inside == {v for v, wanted in stamps.items() if wanted}


def test_counts_follow_retagging(tmp_path):
    db = open_db(tmp_path / "d.db")
    fill(db, 20)
    before = queries.by_tag(db, "country", ["JP"]).total
    record = {"source_key": "k3", "title": "Bài 3", "body": "Nội dung mới.", "content_hash": "new",
              "published_at": "2030-01-01T00:00:00+07:00"}
    had_jp = db.execute("select count(*) from tags where article_id = 4 and code = 'JP'").fetchone()[0]
    store_article(db, record, None, Tags(countries=(Country(name="Nhật Bản", code="JP"),)), article_id=4)
    page = queries.by_tag(db, "country", ["JP"])
    assert page.total == before + (0 if had_jp else 1)
    assert page.items[0]["id"] == 4  # its new date puts it first
    assert page.total == len(naive(db, tagged("country", ["JP"])))


def test_an_older_database_gets_sort_keys_and_counts(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old["schema_version"].create({"version": int, "applied_at": str}, pk="version")
    _v1(old)
    old["schema_version"].insert({"version": 1, "applied_at": "2025-01-01"})
    for i, (date, code) in enumerate([("2024-05-01", "JP"), ("2024-06-01", "JP"), (None, "JP"), ("2024-07-01", "KR")]):
        old["articles"].insert({"id": i + 1, "source_key": f"k{i}", "title": f"T{i}", "body": "b", "content_hash": f"h{i}",
                                "published_at": date, "fetched_at": "2024-04-01"})
        old["tags"].insert({"article_id": i + 1, "kind": "country", "value": code, "code": code, "extra": "{}"})
    old.close()
    db = open_db(path)
    assert [r[0] for r in db.execute("select sort_key from tags order by article_id")] == [
        "2024-05-01", "2024-06-01", "2024-04-01", "2024-07-01"]
    page = queries.by_tag(db, "country", ["JP"])
    assert page.total == 3 and [i["id"] for i in page.items] == [2, 1, 3]
    assert [i["id"] for i in queries.latest(db).items] == [4, 2, 1, 3] and queries.count_articles(db) == 4
    db["articles"].update(3, {"duplicate_of": 2})  # the triggers keep the counts from here on
    assert queries.latest(db).total == 3
    db["articles"].update(3, {"duplicate_of": None})
    db["articles"].insert({"id": 9, "source_key": "k9", "title": "T9", "body": "b", "content_hash": "h9"})
    db.execute("delete from tags where article_id = 1")
    assert queries.count_articles(db) == 5 and queries.by_tag(db, "country", ["JP"]).total == 2


def test_search_ranks_title_and_phrase_first_among_the_newest_matches(tmp_path, monkeypatch):
    db = open_db(tmp_path / "d.db")
    texts = [  # (title, body), oldest first
        ("Đại sứ Nhật Bản thăm Hà Tĩnh", "Hợp tác địa phương."),                     # 1: phrase in the title
        ("Tin địa phương", "Ngài đại sứ Hàn Quốc phát biểu."),                          # 2: phrase in the body
        ("Tàu hiện đại đưa vào sử dụng", "Lý Sơn đón khách."),                         # 3: both words in the title
        ("Tin kinh tế", "Một dự án hiện đại được đưa vào sử dụng."),                    # 4: both words, apart
        ("Tin thể thao", "Trận đấu kết thúc."),                                          # 5: no match
        ("Tin văn hóa", "Đại sứ du lịch được chọn."),                                   # 6: phrase in the body
    ]
    for i, (title, body) in enumerate(texts):
        store_article(db, {"source_key": f"k{i}", "title": title, "body": body, "content_hash": f"h{i}"},
                      {"text": "", "backend": "test"}, None)
    page = queries.search(db, "dai su")  # without marks: every đại/dài… and sứ/sự/sử…
    assert page.total == 5 and [i["id"] for i in page.items] == [1, 6, 2, 3, 4]
    page = queries.search(db, "đại sứ")  # with marks: only đại and sứ (tests/test_search.py)
    assert page.total == 3 and [i["id"] for i in page.items] == [1, 6, 2]
    assert [i["id"] for i in queries.search(db, "dai su", limit=2, offset=2).items] == [2, 3]
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 3)
    page = queries.search(db, "dai su", limit=2)
    assert page.total == 3 and [i["id"] for i in page.items] == [6, 3]  # the newest three matches: 3, 4, 6
    assert queries.search(db, "dai su", limit=2, offset=2).total == 4  # a deeper page widens the window
    assert [i["id"] for i in queries.search(db, "dai su", limit=5).items] == [1, 6, 2, 3, 4]  # window >= a page
    assert queries.search(db, "dai su", limit=5, offset=10).total == 5
