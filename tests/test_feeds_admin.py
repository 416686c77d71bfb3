"""/addfeed, /removefeed, /feeds: admins only, URLs checked through the safe fetcher."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest

from bot.commands import parse_command
from bot.handlers import dispatch
from bot.registry import BotContext
from diplobot.settings import Settings
from storage import open_db
from storage.sources import get_source, record_failure, record_success

ADMIN = 42


def ask(db, text: str, user_id: int = ADMIN, **env: str):
    settings = Settings.from_env({"DIPLOBOT_ADMINS": str(ADMIN), "DIPLOBOT_ALLOW_PRIVATE_URLS": "1",
                                  "DIPLOBOT_FEEDS": "none", **env})  # not the built-in catalogue
    cmd = parse_command(text, "diplobot", user_id=user_id, chat_id=user_id)
    return asyncio.run(dispatch(BotContext(db=db, settings=settings), cmd))


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "d.db")


@pytest.fixture
def feed_url(local_site):
    return local_site.add_file("/rss/doi-ngoai.rss", "rss_doi_ngoai.xml", "application/rss+xml")


@pytest.mark.parametrize("text", ["/addfeed https://baoquocte.vn/rss/thoi-su.rss", "/removefeed https://x.vn/rss", "/feeds"])
def test_non_admins_are_refused(db, local_site, text):
    for user in (7, 0):  # another user; the terminal chat (no user id)
        reply = ask(db, text, user_id=user)
        assert reply.text == "Xin lỗi, lệnh này chỉ dành cho quản trị viên."
    assert local_site.requests == [] and db["sources"].count == 0


def test_admin_adds_a_feed_after_one_fetch(db, local_site, feed_url):
    reply = ask(db, f"/addfeed {feed_url}")
    assert "Đã thêm nguồn" in reply.text and "Đối ngoại - Tin tức" in reply.text and "4 bài" in reply.text
    assert local_site.paths_requested() == ["/rss/doi-ngoai.rss"]
    row = get_source(db, feed_url)
    assert (row["polled"], row["added_by"], row["title"]) == (1, ADMIN, "Đối ngoại - Tin tức")
    assert "đã có trong danh sách" in ask(db, f"/addfeed {feed_url}").text
    assert len(local_site.requests) == 1


@pytest.mark.parametrize("args, expected", [
    ("", "Cách dùng: /addfeed"),
    ("ftp://example.vn/rss", "Cách dùng: /addfeed"),
    ("not a url", "Cách dùng: /addfeed"),
    ("javascript:alert(1)", "Cách dùng: /addfeed"),
])
def test_addfeed_checks_the_url(db, args, expected):
    assert expected in ask(db, f"/addfeed {args}").text
    assert db["sources"].count == 0


def test_addfeed_refuses_what_is_not_a_feed(db, local_site):
    page = local_site.add_file("/a.html", "soctrang_toa_dam.html")
    assert "không phải RSS/Atom feed" in ask(db, f"/addfeed {page}").text
    assert "lỗi HTTP 404" in ask(db, f"/addfeed {local_site.url('/missing.rss')}").text
    assert db["sources"].count == 0


def test_addfeed_refuses_private_addresses_unless_allowed(db, feed_url, local_site):
    reply = ask(db, f"/addfeed {feed_url}", DIPLOBOT_ALLOW_PRIVATE_URLS="0")
    assert "địa chỉ nội bộ bị chặn" in reply.text
    assert local_site.requests == [] and db["sources"].count == 0


def test_feeds_lists_health_and_removefeed_stops_polling(db, feed_url):
    assert "Chưa có nguồn tin nào" in ask(db, "/feeds").text
    ask(db, f"/addfeed {feed_url}")
    now = datetime(2024, 3, 1, 1, 0, tzinfo=timezone.utc)
    record_success(db, feed_url, items=3, now=now)
    record_failure(db, feed_url, "timeout", interval=timedelta(minutes=30), now=now + timedelta(hours=1))
    env_feed = "https://baoquocte.vn/rss/thoi-su.rss"
    text = ask(db, "/feeds", DIPLOBOT_FEEDS=env_feed).text
    assert "Nguồn tin</b> (2)" in ask(db, "/feeds", DIPLOBOT_FEEDS=env_feed).html
    assert "baoquocte.vn/rss/thoi-su.rss" in text and "DIPLOBOT_FEEDS" in text
    assert "08:00 01/03/2024 · 3 bài đã lưu" in text  # last success, Vietnam time
    assert "Lỗi: quá thời gian chờ lúc 09:00 01/03/2024 (1 lần liên tiếp; thử lại sau 09:30 01/03/2024)" in text
    assert "DIPLOBOT_FEEDS" in ask(db, f"/removefeed {env_feed}", DIPLOBOT_FEEDS=env_feed).text
    assert "Đã gỡ nguồn" in ask(db, f"/removefeed {feed_url}").text
    assert "Không có nguồn này" in ask(db, f"/removefeed {feed_url}").text
    assert "Chưa có nguồn tin nào" in ask(db, "/feeds").text
    assert get_source(db, feed_url)["items"] == 3  # health stays on record


def test_admin_commands_stay_out_of_the_public_menu():
    from bot.handlers import DESCRIPTIONS, HANDLERS

    assert {"addfeed", "removefeed", "feeds"} <= set(HANDLERS)
    assert not {"addfeed", "removefeed", "feeds"} & set(DESCRIPTIONS)


def test_feeds_shows_the_catalogue_with_its_health_by_default(db):
    """DIPLOBOT_FEEDS unset: /feeds lists the built-in catalogue, section pages marked, failures in Vietnamese."""
    from ingest.catalogue import load_catalogue
    from tests.fake_bot_api import check_html

    section = next(s.url for s in load_catalogue() if s.kind == "section")
    record_failure(db, section, "no_article_list", interval=timedelta(minutes=30),
                   now=datetime(2024, 3, 1, 1, 0, tzinfo=timezone.utc))
    reply = ask(db, "/feeds", DIPLOBOT_FEEDS="")
    assert f"Nguồn tin</b> ({len(load_catalogue())})" in reply.html
    assert reply.text.count("· danh mục") == len(load_catalogue())
    assert "· trang chuyên mục" in reply.text and "Lỗi: không tìm thấy danh sách bài trên trang chuyên mục" in reply.text
    assert check_html(reply.html)[1] == []
    assert "danh mục nguồn có sẵn" in ask(db, f"/removefeed {section}", DIPLOBOT_FEEDS="").text
