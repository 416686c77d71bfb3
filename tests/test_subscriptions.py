"""Subscription commands on a real SQLite file: what a reader types, what is stored."""

from __future__ import annotations

import pytest

from bot.clock import parse_time
from bot.subscriptions import split_kind
from storage import open_db
from storage import follow
from storage import subscriptions as store
from storage import deliveries as dlog
from storage.deliveries import pending
from tests.delivery_support import ask, make_settings


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "d.db")


@pytest.fixture
def settings():
    return make_settings(DIPLOBOT_ADMINS="7", DIPLOBOT_DIGEST_TIME="06:45")


def stored(db, chat_id=42):
    return {(s["kind"], s["code"]) for s in store.list_subscriptions(db, chat_id)}


@pytest.mark.parametrize(
    "args, kind, name",
    [
        ("tỉnh Bình Dương", "province", "Bình Dương"),
        ("tinh binh duong", "province", "binh duong"),
        ("Tỉnh: Bình Dương", "province", "Bình Dương"),
        ("province Binh Duong", "province", "Binh Duong"),
        ("thành phố Hồ Chí Minh", "province", "thành phố Hồ Chí Minh"),
        ("nước Nhật Bản", "country", "Nhật Bản"),
        ("nuoc nhat ban", "country", "nhat ban"),
        ("quốc gia Lào", "country", "Lào"),
        ("country Japan", "country", "Japan"),
        ("chủ đề ngoại giao kinh tế", "topic", "ngoại giao kinh tế"),
        ("chu de ngoai giao kinh te", "topic", "ngoai giao kinh te"),
        ("topic economy", "topic", "economy"),
        ("tất cả", "all", ""),
        ("tat ca", "all", ""),
        ("Nhật Bản", None, "Nhật Bản"),
        ("", None, ""),
    ],
)
def test_kind_words_with_and_without_diacritics(args, kind, name):
    assert split_kind(args) == (kind, name)


def test_subscribe_everything(db, settings):
    reply = ask(db, settings, "subscribe")
    assert "Đã đăng ký" in reply.text and "tất cả tin ngoại giao" in reply.text
    assert "06:45" in reply.text and "giờ Việt Nam" in reply.text
    assert stored(db) == {("all", "*")}
    assert "đã đăng ký" in ask(db, settings, "subscribe").text.lower()  # twice: said, not doubled
    assert len(store.list_subscriptions(db, 42)) == 1


def test_new_province_follows_the_merger(db, settings):
    reply = ask(db, settings, "subscribe", "tỉnh TP. Hồ Chí Minh")
    assert stored(db) == {("province_new", "79")}  # the code tags carry on every merged province
    assert "TP. Hồ Chí Minh" in reply.text and "Bình Dương" in reply.text and "Bà Rịa - Vũng Tàu" in reply.text


def test_old_province_says_where_it_went(db, settings):
    reply = ask(db, settings, "subscribe", "tinh binh duong")
    assert stored(db) == {("province", "74")}
    assert "nay thuộc TP. Hồ Chí Minh" in reply.text


@pytest.mark.parametrize(
    "args, expected",
    [
        ("nước Nhật Bản", ("country", "JP")),
        ("nuoc han quoc", ("country", "KR")),
        ("country Japan", ("country", "JP")),
        ("Nhật Bản", ("country", "JP")),  # no kind word: tried as province, then country
        ("Bình Dương", ("province", "74")),
        ("chủ đề ngoại giao kinh tế", ("topic", "ngoai giao kinh te")),
    ],
)
def test_subscription_codes_match_the_tags_table(db, settings, args, expected):
    ask(db, settings, "subscribe", args)
    assert stored(db) == {expected}


@pytest.mark.parametrize("args, what", [("tỉnh Atlantis", "tỉnh, thành"), ("nước Wakanda", "quốc gia"),
                                        ("Atlantis", "tỉnh, thành, quốc gia hay chủ đề")])
def test_unknown_names_get_suggestions_and_nothing_is_stored(db, settings, args, what):
    reply = ask(db, settings, "subscribe", args)
    assert f"Không tìm thấy {what}" in reply.text
    assert "Có phải bạn muốn" in reply.text and reply.buttons
    for row in reply.buttons:
        data = row[0].callback_data
        assert data.startswith("run|subscribe|") and len(data.encode()) <= 64
    assert stored(db) == set()


def test_kind_word_without_a_name_gets_usage(db, settings):
    assert "Cách dùng" in ask(db, settings, "subscribe", "tỉnh").text
    assert stored(db) == set()


def test_unsubscribe_forms(db, settings):
    for args in ("", "tỉnh Hồ Chí Minh", "nước Nhật Bản", "nuoc Lao"):
        ask(db, settings, "subscribe", args)
    assert len(stored(db)) == 4
    assert "Đã hủy đăng ký" in ask(db, settings, "unsubscribe", "tinh ho chi minh").text
    assert "Đã hủy đăng ký" in ask(db, settings, "unsubscribe", "country japan").text
    assert stored(db) == {("all", "*"), ("country", "LA")}
    assert "Bạn chưa đăng ký" in ask(db, settings, "unsubscribe", "nước Nhật Bản").text
    usage = ask(db, settings, "unsubscribe").text  # two left: which one?
    assert "tất cả" in usage and "Lào" in usage
    assert "Đã hủy 2 đăng ký" in ask(db, settings, "unsubscribe", "tất cả").text
    assert stored(db) == set()
    assert "chưa đăng ký" in ask(db, settings, "unsubscribe", "tat ca").text


def test_subscriptions_lists_time_and_last_digest(db, settings):
    assert "chưa đăng ký" in ask(db, settings, "subscriptions").text
    ask(db, settings, "subscribe", "nước Nhật Bản")
    ask(db, settings, "subscribe", "tỉnh Hà Tĩnh")
    text = ask(db, settings, "subscriptions").text
    assert "Nhật Bản" in text and "Hà Tĩnh" in text and "06:45" in text
    assert "Chưa gửi bản tin nào" in text and "không có tin mới thì không gửi" in text
    db.execute("update chats set last_digest_at = '2025-07-01T00:00:00+00:00' where chat_id = 42")
    db.conn.commit()
    assert "Bản tin gần nhất: 07:00 ngày 01/07/2025" in ask(db, settings, "subscriptions").text


@pytest.mark.parametrize("typed, expected", [("07:30", "07:30"), ("7:05", "07:05"), ("7h30", "07:30"),
                                             ("19h", "19:00"), ("6", "06:00"), ("23:59", "23:59"),
                                             ("24:00", None), ("7:61", None), ("sáng", None), ("", None)])
def test_parse_time(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["٧:٣٠", "٧", "7:3٠", "७:३०", "７:３０", "1٩"])  # Arabic-Indic, Devanagari, fullwidth
def test_parse_time_takes_only_ascii_digits(db, settings, typed):
    assert parse_time(typed) is None
    reply = ask(db, settings, "digest_time", typed)
    assert reply.text.startswith("Cách dùng: /digest_time HH:MM")
    assert (store.get_chat(db, 42) or {}).get("digest_time") is None


def test_digest_time_off_and_on(db, settings):
    ask(db, settings, "subscribe")
    assert "Cách dùng" in ask(db, settings, "digest_time", "25:00").text
    assert "07:30" in ask(db, settings, "digest_time", "7h30").text
    assert store.get_chat(db, 42)["digest_time"] == "07:30"
    assert "Đã tắt" in ask(db, settings, "digest_off").text
    assert store.get_chat(db, 42)["digest_enabled"] == 0
    assert "đang tắt" in ask(db, settings, "subscriptions").text
    assert store.digest_chats(db) == []
    assert "07:30" in ask(db, settings, "digest_on").text
    assert [c["chat_id"] for c in store.digest_chats(db)] == [42]


@pytest.mark.parametrize("name, args", [("subscribe", ""), ("subscribe", "nước Lào"), ("unsubscribe", "tất cả"),
                                        ("digest_time", "08:00"), ("digest_off", ""), ("digest_on", "")])
def test_group_members_who_are_not_admins_are_refused(db, settings, name, args):
    reply = ask(db, settings, name, args, chat_id=-100200, user_id=5, chat_type="supergroup", is_admin=False)
    assert "Chỉ quản trị viên" in reply.text
    assert store.get_chat(db, -100200) is None and stored(db, -100200) == set()


def test_group_admins_may_subscribe_and_anyone_may_look(db, settings):
    reply = ask(db, settings, "subscribe", "nước Lào", chat_id=-100200, user_id=5, chat_type="supergroup",
                is_admin=True)
    assert "Đã đăng ký" in reply.text
    assert stored(db, -100200) == {("country", "LA")}
    listing = ask(db, settings, "subscriptions", chat_id=-100200, user_id=6, chat_type="supergroup", is_admin=False)
    assert "Lào" in listing.text


class Wakeable:
    def __init__(self):
        self.woken = 0

    def wake(self):
        self.woken += 1


def test_broadcast_is_for_bot_admins_only(db, settings):
    ask(db, settings, "subscribe", chat_id=1, user_id=1)
    ask(db, settings, "subscribe", "nước Lào", chat_id=2, user_id=2)
    refused = ask(db, settings, "broadcast", "Xin chào", chat_id=1, user_id=1)
    assert "Chỉ quản trị viên của bot" in refused.text
    assert pending(db) == {}
    service = Wakeable()
    reply = ask(db, settings, "broadcast", "Bảo trì <lúc> 22:00 & xong", chat_id=7, user_id=7,
                delivery=service)
    assert "2 người, nhóm" in reply.text and service.woken == 1
    queued = pending(db)
    assert set(queued) == {1, 2}
    payload = dlog.payload(db, queued[1][0])
    assert "Bảo trì &lt;lúc&gt; 22:00 &amp; xong" in payload  # the admin's text is text, not markup
    assert queued[1][0].kind == "announce"


def test_a_chat_first_recorded_by_the_telegram_adapter_gets_the_digest(db, settings):
    from storage.chats import upsert_chat

    upsert_chat(db, 42, "private", "Bạn đọc", "bandoc")  # what remember_chat does for every update
    assert store.get_chat(db, 42)["digest_enabled"] == 1
    reply = ask(db, settings, "subscribe", "nước Nhật Bản")
    assert "đang tắt" not in reply.text and "06:45" in reply.text
    assert "đang <b>tắt</b>" not in ask(db, settings, "subscriptions").text
    assert [c["chat_id"] for c in store.digest_chats(db)] == [42]


def test_digest_on_is_read_one_way():
    assert follow.digest_on({"digest_enabled": 1}) and follow.digest_on(None) and follow.digest_on({})
    assert not follow.digest_on({"digest_enabled": 0})


def test_a_group_that_turned_the_digest_off_keeps_it_off_as_a_supergroup(db, settings):
    from storage.chats import migrate_chat, upsert_chat

    ask(db, settings, "subscribe", chat_id=-5, chat_type="group", is_admin=True)
    ask(db, settings, "digest_off", chat_id=-5, chat_type="group", is_admin=True)
    upsert_chat(db, -1005, "supergroup", "Nhóm", None)  # the supergroup's first update came first
    migrate_chat(db, -5, -1005)
    assert store.get_chat(db, -1005)["digest_enabled"] == 0
    assert store.digest_chats(db) == []
