"""Publication dates: the one date grammar of ingest (files, pages and feeds use it).

`parse_date_line`: the lines Vietnamese news sites print under a title. Only lines whose
*whole* shape is a date stamp count: `Cập nhật: 24-01-2024 | 08:18:59`,
`Thứ 7, 22.01.2022 | 08:58:32`, `Thứ Hai, 12/3/2024, 10:00 (GMT+7)`. A sentence that
merely contains a date ("cấp ngày 22/9/2021") is not a publication date, and a file
without a stamp has none: never today's date.

`parse_timestamp`: a value that is meant to be a date (a feed's `<pubDate>`, a page's
`article:published_time`, a date-classed element): RFC 822, ISO 8601, a stamp line, or
else the first day-first date in it. A value without a zone is local time (`tz`): feedparser's
and htmldate's parsed values would take it as UTC.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from diplobot.settings import DEFAULT_TZ as VN_TZ  # what a Vietnamese site means by a time without a zone

_PREFIX = (
    r"(?:(?:cập nhật|ngày cập nhật|cập nhật lúc|ngày đăng|đăng ngày|đăng lúc|đăng|xuất bản|ngày xuất bản|"
    r"thời gian đăng|thời gian|published|updated|posted)\s*:?\s*)?"
)
_WEEKDAY = r"(?:(?:thứ\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)|chủ nhật|cn)\s*[,|-]?\s*)?"
_DATE = r"(?P<d>\d{1,2})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})"
_TIME = r"(?P<H>\d{1,2})\s*[:h]\s*(?P<M>\d{2})(?:\s*:\s*(?P<S>\d{2}))?(?:\s*(?P<ampm>AM|PM|SA|CH))?"
_SEP = r"\s*[,|\-–—]?\s*"
_TAIL = r"\s*(?:\(?\s*GMT\s*[+-]\s*\d{1,2}\s*\)?)?\s*$"

_DATE_THEN_TIME = re.compile(r"^\s*" + _PREFIX + _WEEKDAY + _DATE + r"(?:" + _SEP + _TIME + r")?" + _TAIL, re.IGNORECASE)
_TIME_THEN_DATE = re.compile(r"^\s*" + _PREFIX + _TIME + _SEP + _WEEKDAY + _DATE + _TAIL, re.IGNORECASE)
_DATE_IN_TEXT = re.compile(_DATE + r"(?:\D{1,5}" + _TIME + r")?", re.IGNORECASE)
_TIME_DATE_IN_TEXT = re.compile(_TIME + r"\s*[|,-]?\s*" + _DATE, re.IGNORECASE)  # `08:30 | 02/12/2026`
_ISO = re.compile(r"^\s*" + _PREFIX + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?" + _TAIL, re.IGNORECASE)


def parse_date_line(line: str, tz: ZoneInfo | None = None) -> datetime | None:
    """The date stamp a line consists of, as an aware datetime; None if it is no stamp."""
    for pattern in (_DATE_THEN_TIME, _TIME_THEN_DATE, _ISO):
        m = pattern.match(line)
        if m:
            return _build(m, tz or VN_TZ)
    return None


def _build(m: re.Match, tz: ZoneInfo) -> datetime | None:
    groups = m.groupdict()
    hour = int(groups.get("H") or 0)
    ampm = (groups.get("ampm") or "").upper()
    if ampm in ("PM", "CH") and hour < 12:
        hour += 12
    elif ampm in ("AM", "SA") and hour == 12:
        hour = 0
    try:
        return datetime(
            int(groups["y"]), int(groups["m"]), int(groups["d"]),
            hour, int(groups.get("M") or 0), int(groups.get("S") or 0), tzinfo=tz,
        )
    except ValueError:  # 31/02/2024 and friends
        return None


def parse_timestamp(raw: str, tz: ZoneInfo = VN_TZ) -> datetime | None:
    """A date value as an aware datetime in `tz`, or None (see the module docstring)."""
    raw = raw.strip()
    if not raw:
        return None
    value = _rfc822(raw) or _iso(raw) or parse_date_line(raw, tz) or _date_in_text(raw, tz)
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return value.astimezone(tz)


def _rfc822(raw: str) -> datetime | None:
    if not re.search(r"[A-Za-z]{3}", raw):
        return None
    try:
        # "-0000" means "zone unknown": parsedate_to_datetime returns it naive, as we want.
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None


def _iso(raw: str) -> datetime | None:
    try:
        return datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith("Z") else raw)
    except ValueError:
        return None


def _date_in_text(raw: str, tz: ZoneInfo) -> datetime | None:
    """The first date in running text (a listing's `08:30 | 02/12/2026 · Thời sự`), with its time
    before or after it."""
    m = _TIME_DATE_IN_TEXT.search(raw) or _DATE_IN_TEXT.search(raw)
    return _build(m, tz) if m else None
