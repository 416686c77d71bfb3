"""Periods a reader types after a command: `hôm nay`, `tuần này`, `7 ngày`, `từ 01/01/2024 đến 31/03/2024`.

One parser for every command that takes a period (/trend, /stats, /report, the listings and
/events of issue 15). Periods look back from today (`7 ngày` is the last seven days); for dates
still to come (/events) `ahead=True` reads them forward: `7 ngày` is the next seven days,
`tuần này` and `tháng này` run to their last day, and `ngày mai`, `tuần sau`, `tháng sau` exist. Pure: `today` is passed in, nothing reads the clock or the database. Words work
with or without diacritics (`tuan nay`); numbers are ASCII digits only (`７ ngày` is no period).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.format import format_day
from diplobot.text import fold
from storage.times import now_iso

MAX_DAYS = 3660  # `99999 ngày` is a typo, not ten years of charts
_WORDS = 8  # the longest period phrase, in words: `tu 01/01/2024 den 31/03/2024` is 4


class PeriodError(ValueError):
    """Text that reads as a period but is not a valid one; the message is one Vietnamese line."""


@dataclass(frozen=True)
class Period:
    """Whole local days from `start` to `end`, both included."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def span(self) -> str:
        """`01/01/2024–31/03/2024`, or one date for a one-day period."""
        if self.start == self.end:
            return format_day(self.start)
        return f"{format_day(self.start)}–{format_day(self.end)}"

    def describe(self) -> str:
        """The label with its dates, for titles and captions: `tuần này (30/11/2026–02/12/2026)`."""
        return self.label if self.label == self.span else f"{self.label} ({self.span})"

    def utc_bounds(self, tz: ZoneInfo | None) -> tuple[str, str]:
        """[start, end) as UTC ISO strings: local midnight of `start` to local midnight after `end`."""
        zone = tz or timezone.utc
        return (now_iso(datetime.combine(self.start, time(), zone)),
                now_iso(datetime.combine(self.end + timedelta(days=1), time(), zone)))


def between(start: date, end: date) -> Period:
    """A period from two dates (the CLI's --from/--to); PeriodError when `start` is after `end`."""
    if start > end:
        raise PeriodError(f"Ngày bắt đầu {format_day(start)} sau ngày kết thúc {format_day(end)}.")
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(f"Khoảng thời gian dài quá {MAX_DAYS} ngày.")
    span = Period(start, end, "").span
    return Period(start, end, span)


def last_days(days: int, today: date, label: str | None = None) -> Period:
    return Period(today - timedelta(days=days - 1), today, label or f"{days} ngày qua")


def last_weeks(weeks: int, today: date) -> Period:
    """`weeks` whole weeks, Monday to Sunday, the last one being this week (to today)."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(weeks=weeks - 1), today, f"{weeks} tuần qua")


def this_month(today: date) -> Period:
    return Period(today.replace(day=1), today, "tháng này")


_DATE = r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
_RANGE_RE = re.compile(rf"tu {_DATE}(?: den {_DATE})?")
_COUNT_RE = re.compile(r"([0-9]{1,5}) (ngay|tuan|thang)(?: qua| gan day| gan nhat)?")
_UNIT_DAYS = {"ngay": 1, "tuan": 7, "thang": 30}
_UNIT_NAME = {"ngay": "ngày", "tuan": "tuần", "thang": "tháng"}


def _named(key: str, today: date) -> Period | None:
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    if key == "hom nay":
        return Period(today, today, "hôm nay")
    if key == "hom qua":
        yesterday = today - timedelta(days=1)
        return Period(yesterday, yesterday, "hôm qua")
    if key == "tuan nay":
        return Period(monday, today, "tuần này")
    if key == "tuan truoc":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1), "tuần trước")
    if key == "thang nay":
        return this_month(today)
    if key == "thang truoc":
        end = first - timedelta(days=1)
        return Period(end.replace(day=1), end, "tháng trước")
    if key == "nam nay":
        return Period(today.replace(month=1, day=1), today, "năm nay")
    return None


_COUNT_AHEAD_RE = re.compile(r"([0-9]{1,5}) (ngay|tuan|thang)(?: toi| sau| nua)?")
AHEAD_OPEN_DAYS = 365  # `từ 01/01/2027` with no end, for dates to come: a year from that day


def _month_after(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _named_ahead(key: str, today: date) -> Period | None:
    """The named periods read forward: whole weeks and months, and the ones after them."""
    monday = today - timedelta(days=today.weekday())
    if key == "ngay mai":
        tomorrow = today + timedelta(days=1)
        return Period(tomorrow, tomorrow, "ngày mai")
    if key == "tuan nay":
        return Period(monday, monday + timedelta(days=6), "tuần này")
    if key in ("tuan sau", "tuan toi"):
        return Period(monday + timedelta(days=7), monday + timedelta(days=13), "tuần sau")
    if key == "thang nay":
        return Period(today.replace(day=1), _month_after(today) - timedelta(days=1), "tháng này")
    if key in ("thang sau", "thang toi"):
        first = _month_after(today)
        return Period(first, _month_after(first) - timedelta(days=1), "tháng sau")
    if key == "nam nay":
        return Period(today.replace(month=1, day=1), today.replace(month=12, day=31), "năm nay")
    return None


def _ahead(key: str, today: date) -> Period | None:
    """A period read forward from today (see the module docstring); None where it reads as usual."""
    named = _named_ahead(key, today)
    if named is not None:
        return named
    match = _COUNT_AHEAD_RE.fullmatch(key)
    if match:
        count, unit, days = _counted(match)
        return Period(today, today + timedelta(days=days - 1), f"{count} {_UNIT_NAME[unit]} tới")
    match = _RANGE_RE.fullmatch(key)
    if match and not match.group(4):
        start = _day(*match.groups()[:3])
        return Period(start, start + timedelta(days=AHEAD_OPEN_DAYS - 1), f"từ {format_day(start)}")
    return None


def _counted(match: re.Match) -> tuple[int, str, int]:
    """(count, unit, days) of `7 ngày`, `12 tuần`; PeriodError beyond MAX_DAYS."""
    count, unit = int(match.group(1)), match.group(2)
    days = count * _UNIT_DAYS[unit]
    if not 1 <= days <= MAX_DAYS:
        raise PeriodError(f"Khoảng thời gian phải từ 1 đến {MAX_DAYS} ngày.")
    return count, unit, days


def _day(d: str, m: str, y: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        raise PeriodError(f"Ngày {d}/{m}/{y} không có thật.") from None


def _key(text: str) -> str:
    return " ".join(fold(text).lower().split())


def parse_period(text: str, today: date, ahead: bool = False) -> Period | None:
    """The period `text` names as a whole; None when it names none; PeriodError when it is invalid.

    `ahead`: read it forward, for dates still to come (the module docstring)."""
    key = _key(text)
    forward = _ahead(key, today) if ahead else None
    if forward is not None:
        return forward
    named = _named(key, today)
    if named is not None:
        return named
    match = _COUNT_RE.fullmatch(key)
    if match:
        count, unit, days = _counted(match)
        if unit == "tuan":
            return last_weeks(count, today)
        return last_days(days, today, f"{count} {_UNIT_NAME[unit]} qua")
    match = _RANGE_RE.fullmatch(key)
    if match:
        start = _day(*match.groups()[:3])
        end = _day(*match.groups()[3:]) if match.group(4) else today
        return between(start, end)  # labelled with its dates
    return None


def split_period(text: str, today: date, ahead: bool = False) -> tuple[str, Period | None]:
    """`Nhật Bản, Hàn Quốc 7 ngày` → (`Nhật Bản, Hàn Quốc`, the last 7 days): a trailing period, if any.

    The longest trailing phrase that is a period wins; PeriodError when it is an invalid one.
    """
    words = text.split()
    for size in range(min(_WORDS, len(words)), 0, -1):
        period = parse_period(" ".join(words[-size:]), today, ahead)
        if period is not None:
            return " ".join(words[:-size]), period
    return text.strip(), None


EXAMPLES = ("<code>hôm nay</code>, <code>tuần này</code>, <code>tháng này</code>, <code>7 ngày</code>, "
            "<code>12 tuần</code>, <code>từ 01/01/2024 đến 31/03/2024</code>")
