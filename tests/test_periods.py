"""The one period parser (/trend, /stats, /report, and the listings' trailing periods)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.periods import Period, PeriodError, between, parse_period, split_period

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.mark.parametrize("text, start, end", [
    ("hôm nay", date(2026, 12, 3), date(2026, 12, 3)),
    ("hom qua", date(2026, 12, 2), date(2026, 12, 2)),
    ("Tuần này", date(2026, 11, 30), TODAY),
    ("tuan truoc", date(2026, 11, 23), date(2026, 11, 29)),
    ("tháng này", date(2026, 12, 1), TODAY),
    ("thang truoc", date(2026, 11, 1), date(2026, 11, 30)),
    ("7 ngày", date(2026, 11, 27), TODAY),
    ("12 tuần", date(2026, 9, 14), TODAY),
    ("từ 01/01/2024", date(2024, 1, 1), TODAY),
    ("tu 1/1/2024 den 31/3/2024", date(2024, 1, 1), date(2024, 3, 31)),
])
def test_periods_with_and_without_diacritics(text, start, end):
    period = parse_period(text, TODAY)
    assert (period.start, period.end) == (start, end)


def test_labels_and_bounds():
    assert parse_period("7 ngày", TODAY).describe() == "7 ngày qua (27/11/2026–03/12/2026)"
    assert parse_period("từ 01/01/2024 đến 31/03/2024", TODAY).describe() == "01/01/2024–31/03/2024"
    assert Period(TODAY, TODAY, "hôm nay").utc_bounds(ZoneInfo("Asia/Ho_Chi_Minh")) == (
        "2026-12-02T17:00:00+00:00", "2026-12-03T17:00:00+00:00")


@pytest.mark.parametrize("text", ["", "Nhật Bản", "７ ngày", "7 năm", "hôm kia", "từ 2024-01-01"])
def test_not_periods(text):
    assert parse_period(text, TODAY) is None


@pytest.mark.parametrize("text, message", [
    ("từ 31/02/2024", "Ngày 31/02/2024 không có thật."),
    ("từ 31/03/2024 đến 01/01/2024", "Ngày bắt đầu 31/03/2024 sau ngày kết thúc 01/01/2024."),
    ("99999 ngày", "Khoảng thời gian phải từ 1 đến 3660 ngày."),
    ("0 ngày", "Khoảng thời gian phải từ 1 đến 3660 ngày."),
])
def test_invalid_periods_say_why(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(text, TODAY)


def test_split_a_trailing_period():
    names, period = split_period("Nhật Bản, Hàn Quốc từ 01/01/2024 đến 31/03/2024", TODAY)
    assert names == "Nhật Bản, Hàn Quốc" and (period.start, period.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert split_period("Đà Nẵng 30 ngay", TODAY)[0] == "Đà Nẵng"
    assert split_period("Nhật Bản", TODAY) == ("Nhật Bản", None)
    assert between(date(2024, 1, 1), date(2024, 1, 1)).describe() == "01/01/2024"


@pytest.mark.parametrize("text, start, end, label", [
    ("tuần này", date(2026, 11, 30), date(2026, 12, 6), "tuần này"),
    ("thang nay", date(2026, 12, 1), date(2026, 12, 31), "tháng này"),
    ("tháng sau", date(2027, 1, 1), date(2027, 1, 31), "tháng sau"),
    ("ngày mai", date(2026, 12, 4), date(2026, 12, 4), "ngày mai"),
    ("7 ngày", TODAY, date(2026, 12, 9), "7 ngày tới"),
    ("từ 01/01/2027", date(2027, 1, 1), date(2027, 12, 31), "từ 01/01/2027"),
    ("tuần trước", date(2026, 11, 23), date(2026, 11, 29), "tuần trước"),  # the past still reads as usual
    ("tu 1/1/2024 den 31/3/2024", date(2024, 1, 1), date(2024, 3, 31), "01/01/2024–31/03/2024"),
])
def test_periods_read_forward_for_dates_to_come(text, start, end, label):
    period = parse_period(text, TODAY, ahead=True)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert split_period(f"sự kiện {text}", TODAY, ahead=True)[1] == period


def test_forward_periods_are_checked_too():
    with pytest.raises(PeriodError, match="Khoảng thời gian phải từ 1 đến 3660 ngày."):
        parse_period("0 ngày", TODAY, ahead=True)
    assert parse_period("ngày mai", TODAY) is None  # only dates to come have a tomorrow
