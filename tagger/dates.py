"""Event dates: `Chiều ngày 21/1`, `Hôm qua (23-1)`, `ngày 7/5/2018`, `từ 7 đến 9-9`.

News gives the day and month and leaves the year to the reader, who knows when the
article came out. A date without a year takes the publication year, moved back a year
when that would put it more than about a month after publication (a January article
about `ngày 28-12`). With no publication date only dates that carry their year are kept:
today's date says nothing about an old article.

dateparser cannot read `Chiều ngày 21/1` or `Hôm qua (23-1)` and is slow (FIELD-NOTES),
so this is one regular expression and a table of the words that introduce a date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# Words that introduce an event date (lowercase); a bare `24/7` or `1/3` is not one.
_CUES = {"ngày", "hôm", "sáng", "chiều", "tối", "trưa", "đêm", "khuya", "từ", "đến", "tới",
         "nay", "qua", "mai", "vào", "(", "và", "hết", "trước", "sau", "lúc", "tuần",
         "thứ", "hai", "ba", "tư", "năm", "sáu", "bảy", "nhật", "cn"}
# Words before a date that make it a document's date, not an event (`cấp ngày 22/9/2021`).
_NOT_EVENT = ("cấp", "cập nhật", "giấy phép", "đăng", "xuất bản", "ban hành", "số")
_FOLLOWERS_NOT_DATE = {"tháng", "năm", "%", "giờ", "phút", "người", "lần", "km", "ha", "tỷ",
                       "triệu", "nghìn", "ngàn", "điểm", "trận", "bàn", "phiếu"}

_DATE_RE = re.compile(
    r"(?<![\w/.-])"
    r"(?:(?P<d0>\d{1,2})\s*(?P<link>và|đến|tới|-|–)\s*)?"
    r"(?P<d>\d{1,2})\s*(?P<sep>[/-])\s*(?P<m>\d{1,2})"
    r"(?:\s*(?P=sep)\s*(?P<y>(?:19|20)\d{2}))?"
    r"(?![\w/]|[.,-]\d)"
)
_WORDY_RE = re.compile(
    r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\w+|[()]")


def _words_before(text: str, pos: int, n: int = 3) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text[max(0, pos - 15 * n) : pos])][-n:]


def _not_event(before: list[str]) -> bool:
    """A document's own date: `cấp ngày`, `Cập nhật:`, `ban hành ngày`, `số 12/2019`."""
    joined = " " + " ".join(before) + " "
    return any(f" {phrase} " in joined for phrase in _NOT_EVENT)


def _word_after(text: str, pos: int) -> str:
    m = _WORD_RE.search(text, pos)
    return m.group().lower() if m and m.start() - pos < 3 else ""


def _is_event(text: str, start: int, end: int, has_year: bool) -> bool:
    before = _words_before(text, start)
    if _not_event(before):
        return False
    if _word_after(text, end) in _FOLLOWERS_NOT_DATE:
        return False
    return has_year or (bool(before) and before[-1] in _CUES)


# Words that announce a coming event (`từ nay đến APEC (diễn ra từ ngày 6 đến 11/11)`):
# such a date may lie months after publication without being last year's.
_FUTURE = ("sẽ", "dự kiến", "sắp", "từ nay đến", "chuẩn bị", "kế hoạch", "tới đây")


def _announces(text: str, pos: int) -> bool:
    before = " " + " ".join(_words_before(text, pos, 12)) + " "
    return any(f" {cue} " in before for cue in _FUTURE)


def _resolve(day: int, month: int, year: int | None, published: date | None,
             future: bool = False) -> date | None:
    """The calendar date, or None when it is impossible or its year is unknown."""
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate > published + timedelta(days=330 if future else 31):
            year -= 1
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, published_at: datetime | date | None = None) -> list[str]:
    """ISO dates of the events in `text`, in order of first mention, no repeats."""
    published = published_at.date() if isinstance(published_at, datetime) else published_at
    found: list[tuple[int, date]] = []
    matches = list(_DATE_RE.finditer(text))
    for n, m in enumerate(matches):
        year = int(m["y"]) if m["y"] else None
        if year is None and n + 1 < len(matches) and matches[n + 1]["y"]:
            between = text[m.end() : matches[n + 1].start()].split()
            if between and between[0] in {"đến", "tới", "-"} and len(between) <= 2:
                year = int(matches[n + 1]["y"])  # `từ ngày 29-8 đến ngày 26-9-2016`
        if not _is_event(text, m.start(), m.end(), year is not None):
            continue
        days = [int(m["d"])]
        if m["d0"] and m["link"] in {"và", "đến", "tới", "-", "–"}:
            days.insert(0, int(m["d0"]))  # `từ 7 đến 9-9`, `27 và 28-2`
        future = year is None and _announces(text, m.start())
        for day in days:
            when = _resolve(day, int(m["m"]), year, published, future)
            if when is not None:
                found.append((m.start(), when))
    for m in _WORDY_RE.finditer(text):
        year = int(m["y"]) if m["y"] else None
        when = _resolve(int(m["d"]), int(m["m"]), year, published)
        if when is not None and not _not_event(_words_before(text, m.start())):
            found.append((m.start(), when))
    out: list[str] = []
    for _, when in sorted(found, key=lambda item: item[0]):
        iso = when.isoformat()
        if iso not in out:
            out.append(iso)
    return out
