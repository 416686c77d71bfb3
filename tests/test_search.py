"""Search semantics: a word typed with its marks matches only that word, a word typed without
them matches every form, phrase matches first, and the header counts what is listed."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.commands import parse_command
from bot.handlers import dispatch
from bot.registry import BotContext
from storage import open_db, queries
from storage.articles import store_article

TEXTS = [  # (title, summary, body), oldest first: ids 1…
    ("Đại sứ Nhật Bản thăm Hà Tĩnh", "", "Hợp tác địa phương."),                 # 1: đại sứ, title
    ("Đại hội thể thao", "", "Một sự kiện lớn."),                                  # 2: đại + sự
    ("Bảo tàng lịch sử", "", "Hiện đại và cổ kính."),                              # 3: đại + sử
    ("Tin văn hóa", "Ngài đại sứ Hàn Quốc phát biểu.", "Nội dung."),               # 4: đại sứ, summary
    ("Tin thể thao", "", "Trận đấu kết thúc."),                                    # 5: neither
    ("ĐẠI SỨ PHÁP TRÌNH QUỐC THƯ", "", "Lễ trình quốc thư."),                      # 6: capitals
    ("Tin kinh tế", "", "Đại diện sứ quán và các đại biểu dự lễ."),                 # 7: đại, sứ apart
    ("Tin xã hội", "", "Nhà sư đi dạo ở đại lộ."),                                 # 8: đại + sư
]


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "search.db")
    for i, (title, summary, body) in enumerate(TEXTS):
        store_article(db, {"source_key": f"k{i}", "title": title, "body": body, "content_hash": f"h{i}"},
                      {"text": summary, "backend": "test"}, None)
    return db


def ids(page) -> list[int]:
    return [item["id"] for item in page.items]


def test_marked_words_match_only_themselves(db):
    page = queries.search(db, "đại sứ", limit=10)
    assert ids(page) == [6, 1, 4, 7] and page.total == 4  # phrase in a title, then in the summary, then apart
    assert set(ids(queries.search(db, "đại sự", limit=10))) == {2}
    assert set(ids(queries.search(db, "sử", limit=10))) == {3}
    assert set(ids(queries.search(db, "sư", limit=10))) == {8}


def test_unmarked_words_match_every_form(db):
    assert set(ids(queries.search(db, "su", limit=10))) == {1, 2, 3, 4, 6, 7, 8}
    assert set(ids(queries.search(db, "dai su", limit=10))) == {1, 2, 3, 4, 6, 7, 8}
    assert set(ids(queries.search(db, "dai sứ", limit=10))) == {1, 4, 6, 7}  # one word of each kind


def test_phrase_matches_rank_first(db):
    page = queries.search(db, "dai su", limit=10)
    first = ids(page)[:3]
    assert set(first) == {1, 6, 4} and ids(page)[:2] == [6, 1]  # phrase in a title first, newest first


def test_case_and_tone_placement_do_not_matter(tmp_path):
    db = open_db(tmp_path / "tones.db")
    for i, title in enumerate(["Hoà bình và hợp tác", "Hòa bình khu vực", "Hoa hồng Đà Lạt", "THUỶ SẢN XUẤT KHẨU"]):
        store_article(db, {"source_key": f"k{i}", "title": title, "body": "Nội dung.", "content_hash": f"h{i}"},
                      None, None)
    assert set(ids(queries.search(db, "hòa bình"))) == {1, 2}
    assert set(ids(queries.search(db, "hoà bình"))) == {1, 2}
    assert set(ids(queries.search(db, "thủy sản"))) == {4}
    assert set(ids(queries.search(db, "Hoa"))) == {1, 2, 3}


def test_d_and_dstroke_are_different_letters_when_typed(tmp_path):
    db = open_db(tmp_path / "d.db")
    for i, body in enumerate(["Chúng tôi đi họp.", "Di sản văn hóa.", "Người dì ở quê."]):
        store_article(db, {"source_key": f"k{i}", "title": f"Tin {i}", "body": body, "content_hash": f"h{i}"},
                      None, None)
    assert set(ids(queries.search(db, "đi"))) == {1}
    assert set(ids(queries.search(db, "di"))) == {1, 2, 3}
    assert set(ids(queries.search(db, "dì"))) == {3}


def test_header_counts_the_filtered_results(db, settings):
    reply = asyncio.run(dispatch(BotContext(db=db, settings=settings), parse_command("/search đại sứ")))
    shown = re.findall(r"^\d+\. (.+)$", reply.text, re.MULTILINE)
    assert "Bài 1–4/4" in reply.text and len(shown) == 4 and not reply.buttons
    assert all("Đại sứ" in t or "ĐẠI SỨ" in t or "Tin" in t for t in shown)


def test_filtered_search_pages_and_window(db, monkeypatch):
    first, second = queries.search(db, "đại sứ", limit=2), queries.search(db, "đại sứ", limit=2, offset=2)
    assert ids(first) + ids(second) == [6, 1, 4, 7] and first.total == second.total == 4
    assert first.has_more and not second.has_more
    assert queries.search(db, "đại sứ", offset=10).items == [] and queries.search(db, "đại sứ", offset=10).total == 4
    monkeypatch.setattr(queries, "SEARCH_WINDOW", 2)
    page = queries.search(db, "đại sứ", limit=2)
    assert page.total == 2 and ids(page) == [6, 7]  # the two newest matches, the phrase first
    monkeypatch.setattr(queries, "SEARCH_SCAN", 1)
    monkeypatch.setattr(queries, "_SCAN_CHUNK", 1)  # reads at most two index matches (8, 7) for a window of 2
    page = queries.search(db, "đại sứ", limit=1)
    assert ids(page) == [7] and page.total == 1


def test_queries_without_words(db):
    assert queries.search(db, "!!! ...").total == 0
    assert queries.search(db, '"đại" sứ* NEAR(').total == 0  # operators are words, never FTS syntax
    assert queries.search(db, '"đại" sứ*').total == 4
