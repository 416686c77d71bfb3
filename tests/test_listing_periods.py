"""A trailing period on every listing (issue 15, point 7): /latest, /province, /country, /person,
/topic and /search keep the articles published within it, in the chat's local dates; undated
articles are left out; the header says the period; `Xem thêm ›` keeps the filter; an invalid
period is one line. Dates are real (relative to today), the expectations computed from them."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.periods import parse_period
from storage import open_db
from tests.dated_news import (BINH_DUONG, JAPAN, KOREA, MINISTER, TRADE, VN, add, noon, press, run, running_bot,
                              says, taps_more, today, visible)

OLD = datetime(2024, 2, 15, 9, 0, tzinfo=VN)
# (title, published, tags): six recent Japanese articles make a second page of `7 ngày`.
ARTICLES = [
    ("Nhật Bản hôm nay", noon(0), {"countries": [JAPAN], "topics": [TRADE], "people": [MINISTER]}),
    ("Nhật Bản hôm qua", noon(1), {"countries": [JAPAN], "provinces": [BINH_DUONG]}),
    ("Nhật Bản mười ngày trước", noon(10), {"countries": [JAPAN], "topics": [TRADE], "people": [MINISTER]}),
    ("Nhật Bản không rõ ngày", None, {"countries": [JAPAN], "topics": [TRADE], "provinces": [BINH_DUONG]}),
    ("Hàn Quốc hôm nay", noon(0), {"countries": [KOREA]}),
    ("Nhật Bản quý một 2024", OLD, {"countries": [JAPAN], "provinces": [BINH_DUONG]}),
    *[(f"Nhật Bản đầu tư số {i}", noon(i % 5), {"countries": [JAPAN]}) for i in range(6)],
]


def published_within(text: str, **tags) -> set[str]:
    """Titles of ARTICLES published within the period `text` (today in VN), with all `tags` kinds."""
    period = parse_period(text, today())
    return {title for title, published, kinds in ARTICLES
            if published and period.start <= published.date() <= period.end
            and all(value in kinds.get(kind, []) for kind, value in tags.items())}


def titles(text: str) -> set[str]:
    return {title for title, *_ in ARTICLES if title in text}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("periods") / "periods.db"
    db = open_db(path)
    for title, published, kinds in ARTICLES:
        add(db, title, published, **kinds)
    return path


@pytest.fixture(scope="module")
def db(db_path):
    return open_db(db_path)


@pytest.mark.parametrize("command, period, tags", [
    ("/country Nhật Bản hôm nay", "hôm nay", {"countries": JAPAN}),
    ("/country nhat ban hom qua", "hôm qua", {"countries": JAPAN}),
    ("/country Nhật Bản 30 ngày", "30 ngày", {"countries": JAPAN}),
    ("/country Nhật Bản từ 01/01/2024 đến 31/03/2024", "từ 01/01/2024 đến 31/03/2024", {"countries": JAPAN}),
    ("/province Bình Dương tu 01/01/2024", "từ 01/01/2024", {"provinces": BINH_DUONG}),
    ("/topic ngoại giao kinh tế tuần này", "tuần này", {"topics": TRADE}),
    ("/person Lê Hoài Trung 7 ngay", "7 ngày", {"people": MINISTER}),
    ("/latest tháng này", "tháng này", {}),
    ("/latest 20 tuần này", "tuần này", {}),
])
def test_each_listing_keeps_the_articles_of_its_period(db, command, period, tags):
    reply = visible(run(db, command))
    wanted = published_within(period, **tags)
    first_line = reply.splitlines()[0]
    assert f"· {parse_period(period, today()).describe()}" in first_line
    if wanted:
        assert f"/{len(wanted)}" in reply.splitlines()[1]  # "Bài 1–5/8"
    shown = titles(reply)
    assert shown <= wanted and len(shown) == min(len(wanted), 20 if "latest 20" in command else 5)
    assert "Nhật Bản không rõ ngày" not in reply  # undated: never in a filtered listing


def test_without_a_period_undated_and_old_articles_are_listed(db):
    reply = visible(run(db, "/country Nhật Bản"))
    assert f"/{sum('Nhật Bản' in t for t, *_ in ARTICLES)}" in reply and "·" not in reply.splitlines()[0]
    assert "Nhật Bản không rõ ngày" in visible(run(db, "/province Bình Dương"))


def test_latest_with_a_count_and_a_period(db):
    wanted = published_within("7 ngày")
    three = visible(run(db, "/latest 3 7 ngày"))
    assert len(titles(three)) == 3 and titles(three) <= wanted and f"Bài 1–3/{len(wanted)}" in three
    assert visible(run(db, "/latest 3")).count("/article_") == 3


def test_a_second_page_keeps_the_period(db):
    wanted = published_within("7 ngày", countries=JAPAN)
    first = run(db, "/country Nhật Bản 7 ngày")
    second = press(db, first)
    seen = titles(visible(first)) | titles(visible(second))
    assert seen == wanted and len(wanted) > 5
    assert f"Bài 6–{len(wanted)}/{len(wanted)}" in visible(second)
    found = published_within("7 ngày")  # search: every body says "hợp tác"
    page2 = visible(press(db, run(db, "/search hop tac 7 ngày")))
    assert f"Bài 6–{len(found)}/{len(found)}" in page2 and titles(page2) <= found


def test_search_with_a_period(db):
    wanted = published_within("hôm nay")
    reply = visible(run(db, "/search hợp tác hôm nay"))
    assert reply.splitlines()[0].startswith("🔎 Kết quả cho «hợp tác» · hôm nay") and titles(reply) == wanted
    # Only a period: those are the words searched for, no filter.
    assert visible(run(db, "/search hôm nay")).startswith("🔎 Kết quả cho «hôm nay»\n")


@pytest.mark.parametrize("command, line", [
    ("/country Nhật Bản từ 31/02/2024", "Ngày 31/02/2024 không có thật."),
    ("/latest từ 31/02/2024", "Ngày 31/02/2024 không có thật."),
    ("/search đại sứ từ 31/03/2024 đến 01/01/2024", "Ngày bắt đầu 31/03/2024 sau ngày kết thúc 01/01/2024."),
    ("/topic ngoại giao kinh tế 0 ngày", "Khoảng thời gian phải từ 1 đến 3660 ngày."),
])
def test_an_invalid_period_is_one_line(db, command, line):
    reply = run(db, command)
    assert reply.html == line and not reply.buttons


def test_a_period_without_articles_says_so(db):
    last_week = parse_period("tuần trước", today())
    reply = visible(run(db, "/country Hàn Quốc tuần trước"))
    assert reply == (f"🇰🇷 Hàn Quốc · {last_week.describe()}\n\n"
                     f"Không có bài viết nào đăng trong khoảng {last_week.span}.")
    day = today() - timedelta(days=400)
    one_day = f"từ {day:%d/%m/%Y} đến {day:%d/%m/%Y}"
    assert visible(run(db, f"/latest {one_day}")).endswith(f"Không có bài viết nào đăng trong ngày {day:%d/%m/%Y}.")


def test_flow_a_filtered_listing_and_its_next_page_in_telegram(db_path):
    wanted = published_within("7 ngày", countries=JAPAN)
    with running_bot(db_path) as bot:
        first, call = says(bot, "/country Nhật Bản 7 ngày")
        assert first.startswith(f"🇯🇵 Nhật Bản · 7 ngày qua ({today() - timedelta(days=6):%d/%m/%Y}–")
        second, _ = taps_more(bot, call)
        assert titles(first) | titles(second) == wanted
        assert "không rõ ngày" not in first + second and "mười ngày" not in first + second
        assert says(bot, "/latest từ 30/02/2025")[0] == "Ngày 30/02/2025 không có thật."
        assert date(2024, 2, 15).strftime("%d/%m/%Y") in says(bot, "/country nhat ban tu 01/01/2024 den 31/03/2024")[0]
