"""Storage on real SQLite files: schema, idempotent ingest, updates, diacritic-free search."""

from __future__ import annotations

import sqlite3

import pytest

from ingest.run import ingest
from storage import SCHEMA_VERSION, open_db
from storage import queries
from storage.db import schema_version
from tests.conftest import SEEDS


def test_schema_created_with_wal_and_version(tmp_path):
    path = tmp_path / "sub" / "d.db"
    db = open_db(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert {"articles", "summaries", "tags", "chats", "subscriptions", "deliveries", "sources"} <= set(db.table_names())
    # Reopening migrates nothing twice.
    assert schema_version(open_db(path)) == SCHEMA_VERSION


def test_reingest_adds_nothing(tmp_path, summarizer):
    db = open_db(tmp_path / "d.db")
    first = ingest(db, [SEEDS], summarizer)
    second = ingest(db, [SEEDS], summarizer)
    assert (first.new, first.unchanged) == (5, 0)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 5)
    # A second connection sees exactly five committed articles, summaries and search rows.
    conn = sqlite3.connect(tmp_path / "d.db")
    assert conn.execute("select count(*) from articles").fetchone()[0] == 5
    assert conn.execute("select count(*) from summaries").fetchone()[0] == 5
    assert conn.execute("select count(*) from article_search").fetchone()[0] == 5


def test_same_text_from_another_path_is_a_duplicate(tmp_path, seeds_copy, summarizer):
    db = open_db(tmp_path / "d.db")
    ingest(db, [SEEDS], summarizer)
    report = ingest(db, [seeds_copy], summarizer)
    assert (report.new, report.duplicate) == (0, 5)


def test_edited_file_updates_its_row(tmp_path, seeds_copy, summarizer):
    db = open_db(tmp_path / "d.db")
    ingest(db, [seeds_copy], summarizer)
    path = next(seeds_copy.glob("002_*"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Ngày 13/8, tại Hà Nội", "Ngày 14/8, tại Hà Nội"), encoding="utf-8")
    report = ingest(db, [seeds_copy], summarizer)
    assert (report.new, report.updated, report.unchanged) == (0, 1, 4)
    assert db.execute("select count(*) from articles").fetchone()[0] == 5
    body = db.execute("select body from articles where source_key like ?", ["%002_%"]).fetchone()[0]
    assert "Ngày 14/8, tại Hà Nội" in body
    assert queries.search(db, "14/8").total == 1


@pytest.mark.parametrize(
    "query, title_part",
    [
        ("binh duong", "Bình Dương"),
        ("BINH DUONG", "Bình Dương"),
        ("han quoc", None),
        ("dai su", None),
        ("Đại sứ", None),
        ("ha tinh", "Hà Tĩnh"),
    ],
)
def test_search_without_diacritics(seeded_db, query, title_part):
    page = queries.search(seeded_db, query)
    assert page.total >= 1
    if title_part:
        assert title_part in page.items[0]["title"]


def test_search_finds_the_right_articles(seeded_db):
    titles = {item["title"] for item in queries.search(seeded_db, "han quoc", limit=10).items}
    assert len(titles) == 2  # seeds 001 and 003 mention Hàn Quốc
    assert any("Bình Dương" in t for t in titles) and any("Hà Tĩnh" in t for t in titles)
    assert queries.search(seeded_db, "dai su quan").total >= 1
    assert queries.search(seeded_db, "zzzkhongcotu").total == 0


@pytest.mark.parametrize("hostile", ['"', "AND OR NOT", "title:x", "*", "(", "NEAR(a b)", "'; drop table articles; --"])
def test_search_never_breaks_on_fts_syntax(seeded_db, hostile):
    queries.search(seeded_db, hostile)  # no sqlite3.OperationalError
    assert seeded_db.execute("select count(*) from articles").fetchone()[0] == 5


def test_pages_and_tags_come_back(seeded_db):
    page = queries.latest(seeded_db, limit=2)
    assert page.total == 5 and len(page.items) == 2 and page.has_more
    # Newest first: seed 001 (2024) before seed 004 (2022); undated seeds follow by fetch time.
    dated = [i for i in queries.latest(seeded_db, limit=5).items if i["published_at"]]
    assert [i["published_at"][:4] for i in dated] == ["2024", "2022"]
    item = queries.get_article(seeded_db, page.items[0]["id"])
    assert item["summary"] and item["body"]


def old_database(path, version: int):
    """A file as an older release left it: the first `version` migrations only."""
    import sqlite_utils

    from storage.db import MIGRATIONS

    db = sqlite_utils.Database(path)
    db["schema_version"].create({"version": int, "applied_at": str}, pk="version")
    for number, step in enumerate(MIGRATIONS[:version], 1):
        with db.atomic():
            step(db)
            db["schema_version"].insert({"version": number, "applied_at": "2025-01-01T00:00:00+00:00"})
    return db


def test_old_chats_without_a_digest_setting_migrate_to_on(tmp_path):
    old = old_database(tmp_path / "d.db", 3)
    old["chats"].insert_all([
        {"chat_id": 1, "type": "private", "blocked": 0},  # recorded by the Telegram adapter: NULL
        {"chat_id": 2, "type": "private", "blocked": 0, "digest_enabled": 0, "digest_time": "08:00"},
        {"chat_id": 3, "type": "group", "blocked": 1, "digest_enabled": 1},
    ])
    old["subscriptions"].insert({"chat_id": 1, "kind": "all", "value": "tất cả", "code": "*"})
    old.close()
    db = open_db(tmp_path / "d.db")
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("select chat_id, digest_enabled, digest_time, blocked from chats order by chat_id").fetchall() == [
        (1, 1, None, 0), (2, 0, "08:00", 0), (3, 1, None, 1)]
    assert db["chats"].columns_dict["digest_enabled"] is int
    db.execute("insert into chats (chat_id, type) values (4, 'private')")
    assert db.execute("select digest_enabled from chats where chat_id = 4").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("insert into chats (chat_id, digest_enabled) values (5, null)")
    assert db.execute("select count(*) from subscriptions").fetchone()[0] == 1

