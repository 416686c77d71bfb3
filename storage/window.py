"""A period as storage reads it: UTC bounds [lo, hi), the reader's UTC offset, and the bin of counts.

Bounds are UTC `YYYY-MM-DD HH:MM:SS` strings (`bot.periods.Period.utc_bounds`). Stored dates
are ISO strings with their own offset (`2024-01-01T08:00:00+07:00`), so a moment is compared
through `datetime()`; the plain string range, widened by a day, comes first so that the tag and
article indexes narrow the rows before `datetime()` runs, and only near the edges. Charts (storage.stats) and the
listings' period filters (storage.queries) both read periods through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Bin = Literal["day", "week"]


@dataclass(frozen=True)
class Window:
    """A period as storage sees it: UTC bounds, the local offset, and the bin size of counts."""

    lo: str  # UTC, included
    hi: str  # UTC, excluded
    offset_minutes: int = 0
    bin: Bin = "week"

    @classmethod
    def from_iso(cls, lo: str, hi: str, offset_minutes: int = 0, bin: Bin = "week") -> "Window":
        """From ISO strings with an offset (`2024-01-01T00:00:00+00:00`): normalised to SQLite's UTC form."""
        def utc(value: str) -> str:
            return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M:%S")
        return cls(utc(lo), utc(hi), offset_minutes, bin)

    @property
    def wide(self) -> tuple[str, str]:
        """The bounds a day wider each side, for index range scans on unnormalised ISO strings."""
        fmt = "%Y-%m-%d"
        lo = datetime.strptime(self.lo[:10], fmt) - timedelta(days=1)
        hi = datetime.strptime(self.hi[:10], fmt) + timedelta(days=2)
        return lo.strftime(fmt), hi.strftime(fmt)

    def bin_sql(self, moment: str) -> str:
        """The local day (or the Monday of the local week) of `moment`, as `YYYY-MM-DD`."""
        shift = f"'{self.offset_minutes:+d} minutes'"
        if self.bin == "day":
            return f"date({moment}, {shift})"
        return f"date({moment}, {shift}, 'weekday 0', '-6 days')"

    @property
    def sure(self) -> tuple[str, str]:
        """Days whose every moment is inside the bounds whatever its offset (±14 h): a moment
        written from the first to before the second of these needs no `datetime()`."""
        fmt = "%Y-%m-%d"
        lo = datetime.strptime(self.lo[:10], fmt) + timedelta(days=2)
        hi = datetime.strptime(self.hi[:10], fmt) - timedelta(days=1)
        return lo.strftime(fmt), hi.strftime(fmt)

    def where(self, moment: str) -> tuple[str, list[str]]:
        """SQL for `moment` within [lo, hi): an index range on the text, `datetime()` only near the
        edges (/latest over a year of 17,000 articles: 83 ms with `datetime()` on every row, 21 ms so)."""
        lo_wide, hi_wide = self.wide
        lo_sure, hi_sure = self.sure
        sql = (f"{moment} >= ? and {moment} < ? and ({moment} >= ? and {moment} < ? "
               f"or datetime({moment}) >= ? and datetime({moment}) < ?)")
        return sql, [lo_wide, hi_wide, lo_sure, hi_sure, self.lo, self.hi]
