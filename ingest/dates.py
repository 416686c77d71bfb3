"""Publication dates from the lines Vietnamese news sites print under a title.

Only lines whose *whole* shape is a date stamp count: `Cập nhật: 24-01-2024 | 08:18:59`,
`Thứ 7, 22.01.2022 | 08:58:32`, `Thứ Hai, 12/3/2024, 10:00 (GMT+7)`. A sentence that
merely contains a date ("cấp ngày 22/9/2021") is not a publication date, and a file
without a stamp has none: never today's date.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

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
_ISO = re.compile(r"^\s*" + _PREFIX + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?" + _TAIL, re.IGNORECASE)


def parse_date_line(line: str, tz: ZoneInfo | None = None) -> datetime | None:
    """The date stamp a line consists of, as an aware datetime; None if it is no stamp."""
    for pattern in (_DATE_THEN_TIME, _TIME_THEN_DATE, _ISO):
        m = pattern.match(line)
        if m:
            return _build(m, tz or DEFAULT_TZ)
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
