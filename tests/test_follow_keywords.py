"""Following keywords (with exclusions) and people: what a reader types, what is stored,
what the digest then carries. Handlers on a copy of the seeded database; one flow through
the real PTB `Application` over the fake Bot API."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.digest import build_digest
from bot.telegram_html import plain_text
from diplobot.settings import Settings
from storage import open_db
from storage import subscriptions as store
from storage.times import now_iso
from tests.delivery_support import ask, make_settings
from tests.fake_bot_api import TOKEN, BotThread, FakeBotAPI, check_html, message_update

CHAT = 42


@pytest.fixture
def db_path(seeded_copy) -> Path:
    """A private copy of the five seeds (ids 1–5 are seeds 000–004)."""
    return seeded_copy


@pytest.fixture
def db(db_path):
    return open_db(db_path)


@pytest.fixture
def settings():
    return make_settings()


def stored(db, chat_id=CHAT) -> set[tuple[str, str]]:
    return {(s["kind"], s["code"]) for s in store.list_subscriptions(db, chat_id)}


def say(db, settings, args: str, name: str = "subscribe") -> str:
    return plain_text(ask(db, settings, name, args).text)


# --- keywords ---------------------------------------------------------------------------------

def test_keywords_and_exclusions_stored_listed_and_removed(db, settings):
    assert say(db, settings, "từ khóa Đại sứ").startswith("✅ Đã đăng ký 🔑 từ khóa «Đại sứ».")
    reply = say(db, settings, "tu khoa -bong da")
    assert reply.startswith("✅ Đã đăng ký 🚫 loại trừ «bong da».")
    assert "không được gửi cho bạn, dù khớp đăng ký nào" in reply
    assert "khớp mọi cách viết" in say(db, settings, "keyword ASEAN")
    assert say(db, settings, "từ khoá: Biển  Đông").startswith("✅ Đã đăng ký 🔑 từ khóa «Biển Đông».")
    assert say(db, settings, "từ khóa đại sứ").startswith("Bạn đã đăng ký 🔑 từ khóa «đại sứ» rồi.")
    assert stored(db) == {("keyword", "đại sứ"), ("exclude", "bong da"), ("keyword", "asean"),
                          ("keyword", "biển đông")}

    listing = say(db, settings, "", "subscriptions")
    assert "• 🔑 từ khóa «Đại sứ»" in listing and "• 🚫 loại trừ «bong da»" in listing

    assert say(db, settings, "từ khóa dai su", "unsubscribe") == "Đã hủy 🔑 từ khóa «Đại sứ»."  # unmarked finds it
    assert say(db, settings, "tu khoa -bóng đá", "unsubscribe") == "Đã hủy 🚫 loại trừ «bong da»."
    assert say(db, settings, "từ khóa biển đông", "unsubscribe") == "Đã hủy 🔑 từ khóa «Biển Đông»."
    assert say(db, settings, "từ khóa hòa bình", "unsubscribe").startswith("Bạn chưa đăng ký từ khóa «hòa bình».")
    assert stored(db) == {("keyword", "asean")}


def test_unsubscribe_removes_the_keyword_or_the_exclusion_the_dash_names(db, settings):
    say(db, settings, "từ khóa Nhật Bản")
    say(db, settings, "từ khóa -Nhật Bản")
    assert say(db, settings, "từ khóa -nhật bản", "unsubscribe") == "Đã hủy 🚫 loại trừ «Nhật Bản»."
    assert stored(db) == {("keyword", "nhật bản")}
    say(db, settings, "từ khóa -Nhật Bản")
    assert say(db, settings, "từ khóa nhật bản", "unsubscribe") == "Đã hủy 🔑 từ khóa «Nhật Bản»."
    assert say(db, settings, "từ khóa nhật bản", "unsubscribe") == (  # then the other
        "Đã hủy 🚫 loại trừ «Nhật Bản». Bạn không còn đăng ký nào.")


@pytest.mark.parametrize("args, expected", [
    ("từ khóa", "Hãy gõ cụm từ cần theo dõi"),
    ("từ khóa -", "Hãy gõ cụm từ cần theo dõi"),
    ("tu khoa «»", "Hãy gõ cụm từ cần theo dõi"),
    ("từ khóa a", "Từ khóa «a» chỉ có một chữ"),
    ("từ khóa -Đ", "Từ khóa «Đ» chỉ có một chữ"),
    ("từ khóa " + "ngoại giao " * 10, "Từ khóa dài 109 ký tự, quá 100"),
    ("từ khóa !!! ?", "Từ khóa «!!! ?» không có chữ hay số nào"),
    ("từ khóa -…", "Từ khóa «…» không có chữ hay số nào"),
])
def test_bad_keywords_get_one_line_and_nothing_is_stored(db, settings, args, expected):
    reply = say(db, settings, args)
    assert reply.startswith(expected) and "\n" not in reply
    assert stored(db) == set()


def test_the_51st_subscription_is_refused(db, settings):
    store.ensure_chat(db, CHAT)
    for n in range(50):
        store.subscribe(db, CHAT, "keyword", f"từ {n}", f"từ {n}")
    reply = say(db, settings, "từ khóa đại sứ")
    assert reply.startswith("Đã đủ 50 đăng ký, mức tối đa") and "\n" not in reply
    assert say(db, settings, "người Lê Hoài Trung").startswith("Đã đủ 50 đăng ký")
    assert ("keyword", "đại sứ") not in stored(db) and len(stored(db)) == 50
    assert say(db, settings, "từ khóa từ 7").startswith("Bạn đã đăng ký")  # one it has: said so, not refused
    say(db, settings, "từ khóa từ 7", "unsubscribe")
    assert say(db, settings, "từ khóa đại sứ").startswith("✅ Đã đăng ký")


# --- people -----------------------------------------------------------------------------------

def test_person_by_any_form_of_the_name_and_no_province_guess(db, settings):
    reply = say(db, settings, "người Lê Hoài Trung")
    assert reply.startswith("✅ Đã đăng ký 👤 Lê Hoài Trung.")
    assert "Hải Dương" not in reply and "Yên Bái" not in reply
    assert stored(db) == {("person", "le hoai trung")}
    assert say(db, settings, "nguoi le hoai trung").startswith("Bạn đã đăng ký 👤 Lê Hoài Trung rồi.")
    assert say(db, settings, "person Hoài Trung").startswith("Bạn đã đăng ký 👤 Lê Hoài Trung rồi.")
    assert say(db, settings, "Bùi Thanh Sơn").startswith("✅ Đã đăng ký 👤 Bùi Thanh Sơn.")  # no kind word: a person
    assert say(db, settings, "nhân vật Bùi Thanh Sơn").startswith("Bạn đã đăng ký 👤 Bùi Thanh Sơn rồi.")
    assert "👤 Bùi Thanh Sơn" in say(db, settings, "", "subscriptions")
    assert say(db, settings, "người hoai trung", "unsubscribe") == "Đã hủy 👤 Lê Hoài Trung."
    assert stored(db) == {("person", "bui thanh son")}


def test_unknown_and_ambiguous_people_store_nothing(db, settings):
    unknown = say(db, settings, "người Nguyễn Văn Không Có")
    assert unknown.startswith("Chưa có bài viết nào nhắc đến «Nguyễn Văn Không Có», nên chưa theo dõi được.")
    assert "\n" not in unknown
    reply = ask(db, settings, "subscribe", "người Dũng")  # three people in the seeds
    text = plain_text(reply.text)
    assert text.startswith("«Dũng» khớp với nhiều người:")
    assert all(name in text for name in ("Hoàng Trung Dũng", "Mai Phan Dũng", "Tô Anh Dũng"))
    assert {b.callback_data for row in reply.buttons for b in row} >= {"run|subscribe|người Tô Anh Dũng"}
    assert say(db, settings, "người").startswith("Hãy gõ họ tên người cần theo dõi")
    assert stored(db) == set()


# --- the digest -------------------------------------------------------------------------------

def digest_text(db, settings, chat_id=CHAT) -> str:
    """The chat's digest now, as `plan_digests` builds it for one chat (no index passed in)."""
    now = datetime.now(timezone.utc)
    db.execute("update subscriptions set created_at = ?", [now_iso(now - timedelta(days=2))])
    db.conn.commit()
    pool = store.digest_pool(db, now - timedelta(days=8), now, settings.diplomatic_threshold)
    digest = build_digest(store.get_chat(db, chat_id), store.list_subscriptions(db, chat_id), pool,
                          now.date(), now, settings.tz)
    return "\n".join(plain_text(p) for p in digest.parts)


def test_digest_groups_by_keyword_and_person_and_excludes_across_kinds(db, settings, seed_titles):
    say(db, settings, "từ khóa tổng lãnh sự")  # seeds 000, 001
    say(db, settings, "người Lê Hoài Trung")  # seed 003
    say(db, settings, "chủ đề ngoại giao kinh tế")
    text = digest_text(db, settings)
    assert "🔑 «tổng lãnh sự»" in text and "👤 Lê Hoài Trung" in text
    assert seed_titles["000"] in text and seed_titles["001"] in text and seed_titles["003"] in text

    say(db, settings, "từ khóa -cất cánh")  # only seed 001 says it
    say(db, settings, "tỉnh Bình Dương")  # seed 001 again, through its tags
    text = digest_text(db, settings)
    assert seed_titles["001"] not in text and seed_titles["000"] in text and seed_titles["003"] in text


# --- through Telegram -------------------------------------------------------------------------

def test_keyword_and_person_articles_reach_the_digest_and_excluded_one_does_not(db_path, seed_titles):
    chat = 77
    with FakeBotAPI() as api:
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                                      "DIPLOBOT_DB": str(db_path), "DIPLOBOT_FEEDS": "none"})
        with BotThread(settings, db_path) as bot:

            def says(text: str) -> str:
                before = len(api.sent(chat))
                api.inject(message_update(text, chat_id=chat, user_id=chat))
                calls = api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat)
                visible, problems = check_html(calls[before].text)
                assert problems == []
                return visible

            assert says("/subscribe từ khóa đại sứ").startswith("✅ Đã đăng ký 🔑 từ khóa «đại sứ».")  # 000, 001, 004
            assert says("/subscribe tu khoa -cat canh").startswith("✅ Đã đăng ký 🚫 loại trừ «cat canh».")  # 001
            assert says("/subscribe từ khóa x").startswith("Từ khóa «x» chỉ có một chữ")
            person = says("/subscribe người Lê Hoài Trung")  # seed 003, which holds no "đại sứ"
            assert person.startswith("✅ Đã đăng ký 👤 Lê Hoài Trung.") and "Hải Dương" not in person
            listing = says("/subscriptions")
            assert "🚫 loại trừ «cat canh»" in listing and "👤 Lê Hoài Trung" in listing
            assert says("/digest_time 00:00").startswith("⏰")
            before = len(api.sent(chat))
            asyncio.run_coroutine_threadsafe(bot.app.bot_data.ctx.delivery.tick(), bot._loop).result(30)
            digest = "\n".join(check_html(c.text)[0] for c in api.sent(chat)[before:])
        assert [c.params for c in api.calls if c.status == 400] == []
    assert "🔑 «đại sứ»" in digest and "👤 Lê Hoài Trung" in digest
    assert seed_titles["000"] in digest and seed_titles["004"] in digest and seed_titles["003"] in digest
    assert seed_titles["001"] not in digest and seed_titles["002"] not in digest


def test_an_alert_is_headed_by_the_keyword_that_brought_it(db, settings):
    """bot.alerts heads one alert with `heading_for(item, subscriptions)`, without the run's matches."""
    from bot.digest import heading_for

    now = datetime.now(timezone.utc)
    pool = {item["id"]: item for item in store.digest_pool(db, now - timedelta(days=8), now, 0.5)}
    subs = [{"kind": "keyword", "code": "cất cánh", "value": "cất cánh"},
            {"kind": "person", "code": "le hoai trung", "value": "Lê Hoài Trung"}]
    assert heading_for(pool[2], subs) == "🔑 «<b>cất cánh</b>»"  # seed 001
    assert heading_for(pool[4], subs) == "👤 <b>Lê Hoài Trung</b>"  # seed 003
    assert heading_for(pool[5], subs) != "🔑 «<b>cất cánh</b>»"
