"""A time zone per chat (issue 15, point 6): `/timezone` reads IANA names in any case and city
names in Vietnamese and English with or without diacritics, stores the chat's zone (admins only
in groups), refuses an unknown one with close names and stores nothing; every handler then shows
the chat's dates: listings, their periods, /article and /subscriptions' digest time."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.timezones import read_zone
from storage import open_db
from storage.subscriptions import get_chat
from tests.dated_news import JAPAN, add, run, running_bot, says, visible

LATE = datetime(2024, 3, 31, 23, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # already 1 April in Tokyo
APRIL_FIRST = "/country Nhật Bản từ 01/04/2024 đến 01/04/2024"


@pytest.mark.parametrize("typed, zone", [
    ("Asia/Tokyo", "Asia/Tokyo"), ("asia/TOKYO", "Asia/Tokyo"), ("Tokyo", "Asia/Tokyo"),
    ("Seoul", "Asia/Seoul"), ("Bắc Kinh", "Asia/Shanghai"), ("bac kinh", "Asia/Shanghai"),
    ("Beijing", "Asia/Shanghai"), ("Paris", "Europe/Paris"), ("Luân Đôn", "Europe/London"),
    ("luan don", "Europe/London"), ("London", "Europe/London"), ("Washington", "America/New_York"),
    ("New York", "America/New_York"), ("america/new york", "America/New_York"), ("Mát-xcơ-va", "Europe/Moscow"),
    ("mat xco va", "Europe/Moscow"), ("Moscow", "Europe/Moscow"), ("Berlin", "Europe/Berlin"),
    ("Canberra", "Australia/Sydney"), ("Singapore", "Asia/Singapore"), ("Bangkok", "Asia/Bangkok"),
    ("Băng Cốc", "Asia/Bangkok"), ("Hà Nội", "Asia/Ho_Chi_Minh"), ("TP. Hồ Chí Minh", "Asia/Ho_Chi_Minh"),
    ("tp ho chi minh", "Asia/Ho_Chi_Minh"), ("Lisbon", "Europe/Lisbon"), ("UTC", "UTC"),
])
def test_zone_names(typed, zone):
    assert read_zone(typed).key == zone


@pytest.mark.parametrize("typed", ["Tokio", "xyzzyqq", "Asia/Atlantis", "+07:00", "a" * 5000, "../etc/passwd"])
def test_not_zones(typed):
    assert read_zone(typed) is None


@pytest.fixture
def db(tmp_path):
    db = open_db(tmp_path / "tz.db")
    add(db, "Nhật Bản lúc nửa đêm", LATE, countries=[JAPAN])
    return db


def now_line(zone: str) -> str:
    """`bây giờ là HH:MM ngày dd/mm/yyyy (UTC+hh:mm)` minus the minutes, which may turn over."""
    moment = datetime.now(ZoneInfo(zone))
    offset = moment.strftime("%z")
    return f"ngày {moment:%d/%m/%Y} (UTC{offset[:3]}:{offset[3:]})"


def test_show_set_and_show_again(db):
    shown = visible(run(db, "/timezone"))
    assert shown.startswith("🕐 Múi giờ: Asia/Ho_Chi_Minh (giờ Việt Nam — mặc định của bot); bây giờ là ")
    assert now_line("Asia/Ho_Chi_Minh") in shown and "/timezone Asia/Tokyo" in shown
    done = visible(run(db, "/timezone Tô-ky-ô"))
    assert done.startswith("🕐 Đã đặt múi giờ Asia/Tokyo (giờ Tokyo); bây giờ là ") and now_line("Asia/Tokyo") in done
    assert get_chat(db, 42)["timezone"] == "Asia/Tokyo"
    assert visible(run(db, "/timezone")).startswith("🕐 Múi giờ: Asia/Tokyo (giờ Tokyo); ")


@pytest.mark.parametrize("typed, hint", [
    ("Tokio", "Có phải bạn muốn: Asia/Tokyo?"),
    ("xyzzyqq", "Ví dụ: /timezone Asia/Tokyo, /timezone Tokyo, /timezone Luân Đôn, /timezone Hà Nội."),
])
def test_an_unknown_zone_is_one_line_and_nothing_is_stored(db, typed, hint):
    reply = run(db, f"/timezone {typed}")
    assert visible(reply) == f"Không nhận ra múi giờ «{typed}». {hint}"
    assert [b.callback_data for row in reply.buttons for b in row] == (["run|timezone|Asia/Tokyo"] if typed == "Tokio" else [])
    assert get_chat(db, 42) is None
    assert len(run(db, "/timezone " + "x" * 5000).html) < 300  # one line, the argument clipped


def test_in_a_group_only_admins_change_it(db):
    group = dict(chat_id=-1005, chat_type="supergroup")
    assert run(db, "/timezone Paris", is_admin=False, user_id=8, **group).html == (
        "Chỉ quản trị viên của nhóm mới được đổi múi giờ của nhóm.")
    assert get_chat(db, -1005) is None
    assert "Asia/Ho_Chi_Minh" in run(db, "/timezone", is_admin=False, user_id=8, **group).html  # anyone may look
    assert run(db, "/timezone Paris", is_admin=True, user_id=7, **group).html.startswith("🕐 Đã đặt múi giờ")
    assert get_chat(db, -1005)["timezone"] == "Europe/Paris"


def test_dates_follow_the_chat(db):
    """23:30 on 31 March in Hanoi is 01:30 on 1 April in Tokyo: the card, /article and a period say so."""
    run(db, "/timezone Tokyo", chat_id=7)
    in_tokyo, in_hanoi = visible(run(db, APRIL_FIRST, chat_id=7)), visible(run(db, APRIL_FIRST, chat_id=8))
    assert "Nhật Bản lúc nửa đêm" in in_tokyo and "🗓 01/04/2024" in in_tokyo
    assert in_hanoi.endswith("Không có bài viết nào đăng trong ngày 01/04/2024.")
    number = re.search(r"/article_(\d+)", in_tokyo).group(1)
    assert "🗓 01/04/2024" in visible(run(db, f"/article {number}", chat_id=7))
    assert "🗓 31/03/2024" in visible(run(db, f"/article {number}", chat_id=8))


def test_flow_timezone_in_telegram(tmp_path):
    path = tmp_path / "flow.db"
    add(open_db(path), "Nhật Bản lúc nửa đêm", LATE, countries=[JAPAN])
    group = -100888
    with running_bot(path) as bot:
        bot.api.admins[group] = {7}
        assert says(bot, "/timezone Atlantis")[0].startswith("Không nhận ra múi giờ «Atlantis».")
        assert says(bot, "/timezone Luân Đôn")[0].startswith("🕐 Đã đặt múi giờ Europe/London (giờ Luân Đôn)")
        assert says(bot, "/timezone")[0].startswith("🕐 Múi giờ: Europe/London")
        assert "Nhật Bản lúc nửa đêm" not in says(bot, APRIL_FIRST)[0]  # still 31 March in London
        says(bot, "/subscribe")
        assert "(giờ Luân Đôn)" in says(bot, "/subscriptions")[0]
        assert says(bot, "/timezone Tokyo", chat_id=group, user_id=8, chat_type="supergroup")[0] == (
            "Chỉ quản trị viên của nhóm mới được đổi múi giờ của nhóm.")
        assert says(bot, "/timezone Tokyo", chat_id=group, user_id=7, chat_type="supergroup")[0].startswith(
            "🕐 Đã đặt múi giờ Asia/Tokyo")
        assert "Nhật Bản lúc nửa đêm" in says(bot, APRIL_FIRST, chat_id=group, user_id=8, chat_type="supergroup")[0]
