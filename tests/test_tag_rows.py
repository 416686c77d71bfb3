"""The tag contract survives storage: what the tagger found is what the bot reads back."""

from __future__ import annotations

import json

from diplobot.tags import Country, Person, Province, Tags, Topic
from storage import open_db, queries
from storage.articles import store_article
from storage.tag_rows import from_rows, to_rows
from tagger import tag_article
from tests.conftest import SEEDS

TAGS = Tags(
    provinces=(Province(mention="Bình Dương", old="Bình Dương", old_code="74", new="Hồ Chí Minh", new_code="79"),
               Province(mention="TP.HCM", old="Hồ Chí Minh", old_code="79", new="Hồ Chí Minh", new_code="79")),
    countries=(Country(mention="Nhật", name="Nhật Bản", code="JP"),),
    people=(Person("Lê Hoài Trung", "Thứ trưởng Bộ Ngoại giao"),),
    topics=(Topic("ngoại giao kinh tế", 0.8),),
    dates=("2024-01-23",),
    is_diplomatic=0.93,
)


def test_rows_both_ways():
    rows = to_rows(TAGS)
    # One `province_new` row per new province, so either code can be listed.
    assert [(r.kind, r.code) for r in rows] == [
        ("province", "74"), ("province_new", "79"), ("province", "79"), ("country", "JP"),
        ("person", "le hoai trung"), ("topic", "ngoai giao kinh te"), ("date", "2024-01-23")]
    assert from_rows([(r.kind, r.value, r.code, r.extra) for r in rows], 0.93) == TAGS


def test_stored_tags_read_back_as_tagged(tmp_path):
    db = open_db(tmp_path / "d.db")
    title, _, body = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8").partition("\n")
    tags = tag_article(title, body)
    article_id = store_article(db, {"source_key": "k", "title": title, "body": body, "content_hash": "h"}, None, tags)
    assert queries.get_article(db, article_id)["tags"] == tags
    assert db.execute("select is_diplomatic from articles").fetchone()[0] == tags.is_diplomatic


def test_json_shape_round_trips():
    shape = TAGS.to_dict()
    assert json.loads(json.dumps(shape)) == shape and Tags.from_dict(shape) == TAGS
    assert set(shape["provinces"][0]) == {"mention", "old", "old_code", "new", "new_code"}
