"""Event dates resolved against the publication date."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tagger import tag_article
from tagger.dates import find_dates

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(n: int) -> tuple[str, str]:
    title, _, body = next(SEEDS.glob(f"{n:03d}_*.txt")).read_text(encoding="utf-8").partition("\n")
    return title, body


def test_seed_001_yesterday_in_brackets():
    assert tag_article(*seed(1), published_at=datetime(2024, 1, 24, 8, 18)).dates == ("2024-01-23",)


def test_seed_004_afternoon_of_the_21st():
    assert tag_article(*seed(4), published_at=datetime(2022, 1, 22, 8, 58)).dates == ("2022-01-21",)


def test_seed_000_without_publication_date_has_no_yearless_dates():
    # `Chiều ngày 18/10` has no year; the licence date `cấp ngày 22/9/2021` is not an event.
    assert tag_article(*seed(0)).dates == ()


def test_without_publication_date_only_dated_years_survive():
    assert find_dates("Sáng 13/11, đoàn làm việc; ngày 7/5/2018 ký kết") == ["2018-05-07"]


@pytest.mark.parametrize(
    "text,published,expected",
    [
        ("Chiều ngày 21/1, tại Hà Nội", date(2022, 1, 22), ["2022-01-21"]),
        ("Ngày 13/8, Bộ Ngoại giao", date(2019, 8, 14), ["2019-08-13"]),
        ("Sáng 13/11, đoàn công tác", date(2020, 11, 13), ["2020-11-13"]),
        ("Hôm qua (23-1), gần 20 đại sứ", date(2024, 1, 24), ["2024-01-23"]),
        ("ngày 7/5/2018", date(2024, 1, 1), ["2018-05-07"]),
        ("Chiều ngày 18/10, đoàn", date(2021, 10, 19), ["2021-10-18"]),
        # December in a January article is last year's December.
        ("vụ đánh bom ngày 28-12 nhằm vào", date(2019, 1, 5), ["2018-12-28"]),
        # Up to about a month ahead is an announced event of the same year.
        ("hội nghị sẽ diễn ra ngày 20-2", date(2019, 1, 25), ["2019-02-20"]),
        ("diễn ra từ 7 đến 9-9 tại", date(2018, 9, 1), ["2018-09-07", "2018-09-09"]),
        ("ngày 7 tháng 5 năm 2018", None, ["2018-05-07"]),
        ("trong hai ngày 27 và 28-2 tại Hà Nội", date(2019, 2, 20), ["2019-02-27", "2019-02-28"]),
    ],
)
def test_date_forms(text, published, expected):
    assert find_dates(text, published) == expected


@pytest.mark.parametrize(
    "text",
    [
        "phục vụ 24/7 cho người dân",
        "chiếm 1/3 dân số",
        "mức phạt 3-6 tháng tù",
        "Cập nhật: 24-01-2024 | 08:18:59",
        "Giấy phép số 01/GP-STTTT cấp ngày 22/9/2021",
        "ngày 31/2",
        "nhiệm kỳ 2024-2027",
    ],
)
def test_not_event_dates(text):
    assert find_dates(text, date(2024, 1, 24)) == []


def test_never_today():
    assert find_dates("Ngày 13/8, Bộ Ngoại giao", None) == []


def test_range_end_lends_its_year():
    text = "nghỉ phép từ ngày 29-8 đến ngày 26-9-2016 ."
    assert find_dates(text) == ["2016-08-29", "2016-09-26"]
