"""The bulletin of a period, as data: its articles grouped by topic, then by province or country.

`gather` reads the period's articles from storage in batches (no bodies: 10,000 articles
stay far under 300 MB) with the cover's counts and chart; the writers (`bot.report`,
`bot.report_docx`) only lay it out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.format import format_at, province_label, province_text
from bot.periods import Period
from bot.registry import BotContext
from bot.trends import Coverage, coverage, window
from diplobot.tags import Tags
from storage import stats

TITLE = "Bản tin ngoại giao"
OTHER_TOPIC = "Chủ đề khác"
NO_PLACE = "Không rõ địa danh"
PROVINCE, COUNTRY, NOWHERE = 0, 1, 2  # the order of groups inside a topic


@dataclass(frozen=True)
class Entry:
    """One article as a bulletin prints it (plain text; each writer escapes for its format)."""

    id: int
    day: str  # local date, YYYY-MM-DD; "" when unknown
    outlet: str
    title: str
    url: str
    summary: str
    provinces: tuple[str, ...]
    countries: tuple[str, ...]
    people: tuple[str, ...]
    topics: tuple[str, ...]
    topic: str  # the section it is filed under: its strongest topic
    place: str  # its group there: its first province (post-2025 name), else its first country
    place_kind: int = NOWHERE

    @property
    def day_vn(self) -> str:
        return f"{self.day[8:10]}/{self.day[5:7]}/{self.day[:4]}" if self.day else "chưa rõ ngày"

    @property
    def link(self) -> str:
        """The URL when it is http(s): anything else is never made a link."""
        return self.url if re.match(r"^https?://", self.url or "", re.IGNORECASE) else ""

    def tag_texts(self) -> list[str]:
        """`📍 Hà Nội`, `🌐 Nhật Bản`, `👤 …`, `🏷 …`: the kinds it has."""
        kinds = (("📍", self.provinces), ("🌐", self.countries), ("👤", self.people), ("🏷", self.topics))
        return [f"{mark} " + ", ".join(values) for mark, values in kinds if values]


Sections = list[tuple[str, list[tuple[str, list[Entry]]]]]


@dataclass
class Bulletin:
    period: Period
    generated: datetime
    coverage: Coverage
    entries: list[Entry] = field(default_factory=list)  # newest first

    @property
    def outlets(self) -> int:
        return len({e.outlet for e in self.entries if e.outlet})

    def topic_counts(self) -> list[tuple[str, int]]:
        """(topic, articles), biggest first, `Chủ đề khác` last."""
        counts = Counter(e.topic for e in self.entries)
        return sorted(counts.items(), key=lambda kv: (kv[0] == OTHER_TOPIC, -kv[1], kv[0]))

    def sections(self) -> Sections:
        """[(topic, [(place, entries)])]: provinces first, then countries, then the rest; bigger groups first."""
        groups: dict[str, dict[tuple[int, str], list[Entry]]] = {}
        for e in self.entries:
            groups.setdefault(e.topic, {}).setdefault((e.place_kind, e.place), []).append(e)
        out: Sections = []
        for topic, _ in self.topic_counts():
            ordered = sorted(groups[topic].items(), key=lambda kv: (kv[0][0], -len(kv[1]), kv[0][1]))
            out.append((topic, [(place, entries) for (_, place), entries in ordered]))
        return out

    def cover_lines(self) -> list[str]:
        """The cover's sentences (plain text), the same in every format."""
        cov = self.coverage
        lines = [f"Thời gian: {self.period.describe()}",
                 f"{len(self.entries)} bài viết từ {self.outlets} nguồn tin.",
                 f"Lập lúc {format_at(self.generated, ' ngày ')}."]
        if cov.provinces:
            lines.append("Tỉnh, thành được nhắc nhiều nhất: " + ", ".join(f"{n} ({c})" for n, c in cov.provinces[:5]) + ".")
        if cov.countries:
            lines.append("Quốc gia được nhắc nhiều nhất: " + ", ".join(f"{n} ({c})" for n, c in cov.countries[:5]) + ".")
        return lines


def _day(row: dict[str, Any], tz) -> str:
    value = row.get("published_at") or row.get("fetched_at")
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        moment = None
    if moment is None:
        return ""
    if tz is not None and moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return moment.date().isoformat()


def entry(row: dict[str, Any], tz) -> Entry:
    """An article row of `storage.stats.period_articles` as a bulletin entry."""
    tags: Tags = row["tags"]
    topic = max(tags.topics, key=lambda t: t.score or 0).name if tags.topics else OTHER_TOPIC
    if tags.provinces:
        first = tags.provinces[0]
        place, kind = f"Tỉnh, thành: {province_label(first.new or first.old)}", PROVINCE
    elif tags.countries:
        place, kind = f"Quốc gia: {tags.countries[0].name}", COUNTRY
    else:
        place, kind = NO_PLACE, NOWHERE
    return Entry(
        id=row["id"], day=_day(row, tz), outlet=row.get("source") or "", title=row["title"], url=row.get("url") or "",
        summary=(row.get("summary") or "").strip(), provinces=tuple(province_text(p) for p in tags.provinces),
        countries=tuple(c.name for c in tags.countries), people=tuple(p.name for p in tags.people),
        topics=tuple(t.name for t in tags.topics), topic=topic, place=place, place_kind=kind,
    )


def gather(ctx: BotContext, period: Period, progress: Callable[[Iterable], Iterable] | None = None,
           chart: bool = True) -> Bulletin:
    """The period's bulletin; `progress` wraps the stream of articles (a tqdm bar in the CLI); `chart`
    False leaves the cover chart out (a CSV has no cover)."""
    rows: Iterable[dict[str, Any]] = stats.period_articles(ctx.db, window(ctx, period))
    if progress is not None:
        rows = progress(rows)
    entries = [entry(row, ctx.tz) for row in rows]
    entries.reverse()  # newest first
    return Bulletin(period, datetime.now(ctx.tz), coverage(ctx, period, draw=chart), entries)
