"""Event dates (issue 15, point 8): /article shows the dates the tagger found; /events lists the
coming ones (from today in the chat's time zone), soonest first, each with its articles, a page
at a time, narrowed by a trailing period read forward (`tháng này` is the whole month)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.format import format_weekday
from bot.periods import parse_period
from storage import open_db
from tests.dated_news import add, noon, press, run, running_bot, says, taps_more, today, visible

D = today()
# title → event dates; every article is dated (published) except the last.
EVENTS = {
    "Hội nghị cấp cao sắp tới": (D + timedelta(days=2), D + timedelta(days=10)),
    "Diễn đàn doanh nghiệp": (D + timedelta(days=2),),
    "Chuyến thăm đã qua": (D - timedelta(days=5),),
    "Tiếp xúc hôm nay": (D,),
    **{f"Hội thảo số {i}": (D + timedelta(days=3 + i),) for i in range(6)},
    "Thông báo không ngày": (D + timedelta(days=40),),
}


def coming(first: date, last: date | None = None) -> list[tuple[date, str]]:
    """(event date, title) pairs from `first` to `last`, as /events should order them: by date."""
    return sorted((d, t) for t, days in EVENTS.items() for d in days if d >= first and (last is None or d <= last))


def listed(text: str) -> list[tuple[date, str]]:
    """(date, title) pairs as the user reads them: a `📅 Thứ …, dd/mm/yyyy` line, then `• title` lines."""
    pairs, day = [], None
    for line in text.splitlines():
        if match := re.match(r"📅 \w[\w ]*, (\d\d)/(\d\d)/(\d{4})", line):
            day = date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        elif line.startswith("• "):
            pairs.append((day, line[2:].split(" · ")[0]))
    return pairs


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("events") / "events.db"
    db = open_db(path)
    for i, (title, days) in enumerate(EVENTS.items()):
        add(db, title, None if title == "Thông báo không ngày" else noon(i % 3), dates=days)
    add(db, "Bài không có sự kiện", noon(0))
    return path


@pytest.fixture(scope="module")
def db(db_path):
    return open_db(db_path)


def test_events_are_the_coming_ones_soonest_first_page_by_page(db):
    wanted = coming(D)
    first = run(db, "/events")
    text = visible(first)
    assert text.startswith(f"📅 Sự kiện sắp diễn ra\nSự kiện 1–5/{len(wanted)}\n")
    second = visible(press(db, first))
    assert f"Sự kiện 6–{min(10, len(wanted))}/{len(wanted)}" in second
    days = [d for d, _ in listed(text) + listed(second)]
    assert days == sorted(days) and set(listed(text) + listed(second)) == set(wanted[:10])  # soonest first
    assert "Chuyến thăm đã qua" not in text + second  # before today
    # Two articles announce the same day: one date line, both articles under it.
    assert text.count(format_weekday(D + timedelta(days=2))) == 1
    assert f"📅 {format_weekday(D)} (hôm nay)" in text and "(còn 2 ngày)" in text


def test_a_period_reads_forward(db):
    month = parse_period("tháng này", D, ahead=True)
    assert month.end.month == D.month and (month.end + timedelta(days=1)).day == 1  # the whole month
    text = visible(run(db, "/events tháng này"))
    assert text.startswith(f"📅 Sự kiện sắp diễn ra · {month.describe()}")
    wanted = coming(D, month.end)
    assert set(listed(text)) == set(wanted[:5]) and f"/{len(wanted)}" in text
    week = visible(run(db, "/events 4 ngay"))  # the next four days: today to today + 3
    assert set(listed(week)) == set(coming(D, D + timedelta(days=3)))


def test_a_period_that_is_over_lists_its_events(db):
    start, end = D - timedelta(days=7), D - timedelta(days=1)
    text = visible(run(db, f"/events từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"))
    assert listed(text) == [(D - timedelta(days=5), "Chuyến thăm đã qua")] and "(đã qua)" in text


def test_article_shows_its_event_dates(db):
    ids = {item: run(db, f"/search {item}") for item in ("Hội nghị cấp cao sắp tới", "Bài không có sự kiện")}
    numbers = {t: re.search(r"/article_(\d+)", visible(r)).group(1) for t, r in ids.items()}
    full = visible(run(db, f"/article {numbers['Hội nghị cấp cao sắp tới']}"))
    days = "; ".join(format_weekday(d) for d in EVENTS["Hội nghị cấp cao sắp tới"])
    assert f"📅 Sự kiện: {days} · /events" in full
    assert "📅" not in visible(run(db, f"/article {numbers['Bài không có sự kiện']}"))


@pytest.mark.parametrize("command, line", [
    ("/events từ 31/02/2024", "Ngày 31/02/2024 không có thật."),
    ("/events 0 ngày", "Khoảng thời gian phải từ 1 đến 3660 ngày."),
])
def test_an_invalid_period_is_one_line(db, command, line):
    assert run(db, command).html == line


def test_no_events_and_not_a_period(db, tmp_path):
    assert visible(run(db, "/events từ 01/01/2030 đến 02/01/2030")).endswith("Không có sự kiện nào trong khoảng này.")
    assert visible(run(db, "/events Nhật Bản")).startswith("«Nhật Bản» không phải là khoảng thời gian. Cách dùng: /events")
    empty = open_db(tmp_path / "empty.db")
    assert visible(run(empty, "/events")) == (
        "📅 Sự kiện sắp diễn ra\n\nChưa có sự kiện nào sắp diễn ra trong các bài đã lưu.")


def test_today_is_the_chats_today(tmp_path):
    """Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC−11)."""
    ahead, behind = ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Pacific/Pago_Pago")
    db = open_db(tmp_path / "zones.db")
    add(db, "Sự kiện hôm nay ở Pago Pago", noon(0), dates=(today(behind),))
    assert run(db, "/timezone Pacific/Pago_Pago", chat_id=7).html.startswith("🕐 Đã đặt múi giờ")
    assert run(db, "/timezone pacific/kiritimati", chat_id=8).html.startswith("🕐 Đã đặt múi giờ")
    assert "(hôm nay)" in visible(run(db, "/events", chat_id=7))
    assert listed(visible(run(db, "/events", chat_id=8))) == []  # already past there
    assert today(ahead) > today(behind)


def test_flow_events_and_an_article_in_telegram(db_path):
    wanted = coming(D)
    with running_bot(db_path) as bot:
        first, call = says(bot, "/events")
        second, _ = taps_more(bot, call)
        pairs = listed(first) + listed(second)
        assert [d for d, _ in pairs] == [d for d, _ in wanted[:10]] and set(pairs) == set(wanted[:10])
        number = re.search(r"/article_(\d+)", first).group(1)
        full, _ = says(bot, f"/article_{number}")
        assert "📅 Sự kiện: " in full
        assert says(bot, "/events từ 31/02/2024")[0] == "Ngày 31/02/2024 không có thật."
