"""`/trend <tên>[, <tên>…] [period]` and `/stats [period]`: how much the news spoke of something, as a chart.

A name is what the listings understand (a province before or after the 2025 merger, a
country, a topic, a person) or else a keyword of the search index. Counts come from
`storage.stats`, the picture from `bot.charts`; the reply carries the PNG as a photo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rapidfuzz import fuzz, process

from bot.charts import Chart, ranking_chart, trend_chart
from bot.commands import MAX_NAME_CHARS, did_you_mean, match_person
from bot.format import province_label
from bot.periods import EXAMPLES, Period, PeriodError, last_weeks, parse_period, split_period, this_month
from bot.registry import BotContext, Command, command
from bot.replies import Attachment, Reply, esc, quote
from diplobot.text import fold
from storage import stats
from storage.stats import Window
from tagger.countries import resolve_country, suggest_countries
from tagger.provinces import resolve_province, suggest_provinces
from tagger.topics import resolve_topic, suggest_topics

DEFAULT_WEEKS = 12
DAILY_BELOW = 31  # days: a shorter period is counted per day, a longer one per week
MAX_NAMES = 6
TOP = 10

TREND_USAGE = ("Cách dùng: /trend &lt;tên&gt;[, &lt;tên&gt;…] [thời gian]. Tên là tỉnh, nước, chủ đề, người "
               "hoặc từ khóa. Ví dụ: <code>/trend Nhật Bản, Hàn Quốc</code>, <code>/trend Đà Nẵng 30 ngày</code>. "
               f"Thời gian: {EXAMPLES}; mặc định {DEFAULT_WEEKS} tuần qua.")
STATS_USAGE = f"Cách dùng: /stats [thời gian], mặc định tháng này. Ví dụ: <code>/stats</code>, <code>/stats 7 ngày</code>. " \
              f"Thời gian: {EXAMPLES}."


@dataclass(frozen=True)
class Target:
    """What a name means: tag codes of one kind, or a keyword (`kind` "keyword", its text in `codes`)."""

    label: str
    kind: str
    codes: tuple[str, ...]


def today(ctx: BotContext) -> date:
    return datetime.now(ctx.tz).date()


def window(ctx: BotContext, period: Period, bin: stats.Bin = "week") -> Window:
    """The period as storage counts it, in the reader's time zone."""
    lo, hi = period.utc_bounds(ctx.tz)
    offset = datetime.combine(period.start, datetime.min.time(), ctx.tz).utcoffset() if ctx.tz else None
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return Window.from_iso(lo, hi, minutes, bin)


def _province(name: str) -> Target | None:
    match = resolve_province(name)
    if match is None:
        return None
    label = province_label(match.name)
    if match.kind == "new":
        return Target(label, "province_new", (match.new_code,))
    if match.new_name != match.name:  # merged on 1/7/2025: said with its name since then
        label += f" (nay thuộc {province_label(match.new_name)})"
    return Target(label, "province", tuple(match.old_codes))


def _exact(name: str) -> Target | None:
    province = resolve_province(name)
    if province is not None and province.exact:
        return _province(name)
    country = resolve_country(name)
    if country is not None and country.exact:
        return Target(country.name, "country", (country.code,))
    topic = resolve_topic(name)
    if topic is not None:
        return Target(topic, "topic", (fold(topic),))
    return None


def resolve(ctx: BotContext, name: str) -> Target | None:
    """A province, country or topic named exactly; a stored person; a close province or country name; or None."""
    target = _exact(name)
    if target is not None:
        return target
    codes, names, _ = match_person(ctx, name)
    if codes:
        return Target(", ".join(names[:2]) + ("…" if len(names) > 2 else ""), "person", tuple(codes))
    target = _province(name)
    if target is not None:
        return target
    country = resolve_country(name)
    return Target(country.name, "country", (country.code,)) if country is not None else None


def suggestions(name: str) -> list[str]:
    """Close names of provinces, countries and topics, for a name that matched nothing."""
    pool = suggest_provinces(name) + suggest_countries(name) + suggest_topics(name)
    best = process.extract(fold(name).lower(), {n: fold(n).lower() for n in pool}, scorer=fuzz.WRatio, limit=3)
    return [n for _, _, n in best]


def counts(ctx: BotContext, target: Target, where: Window) -> dict[str, int]:
    if target.kind == "keyword":
        return stats.keyword_counts(ctx.db, target.codes[0], where)
    return stats.tag_counts(ctx.db, target.kind, list(target.codes), where)


def bins(period: Period, weekly: bool) -> list[date]:
    """The first day of each bin: every day, or every Monday from the week of `start`."""
    first = period.start - timedelta(days=period.start.weekday()) if weekly else period.start
    step = timedelta(days=7 if weekly else 1)
    out, day = [], first
    while day <= period.end:
        out.append(day)
        day += step
    return out


def slug(text: str, limit: int = 40) -> str:
    """`Nhật Bản, Hàn Quốc` → `nhat-ban-han-quoc`: a file name part, ASCII only."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")[:limit].strip("-") or "chart"


def _split_names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _parse_trend(ctx: BotContext, args: str) -> tuple[list[str], Period] | Reply:
    try:
        rest, period = split_period(args, today(ctx))
    except PeriodError as exc:
        return Reply(f"{esc(exc)} {TREND_USAGE}")
    names = _split_names(rest)
    if not names:
        return Reply(TREND_USAGE if not args.strip() else f"«{quote(args)}» không hợp lệ. {TREND_USAGE}")
    if len(names) > MAX_NAMES or any(len(n) > MAX_NAME_CHARS for n in names):
        return Reply(f"Tối đa {MAX_NAMES} tên, mỗi tên tối đa {MAX_NAME_CHARS} ký tự. {TREND_USAGE}")
    return names, period or last_weeks(DEFAULT_WEEKS, today(ctx))


def _unknown(name: str) -> Reply:
    """No chart: the name matched nothing; close names as /province offers them (a button runs /trend)."""
    hint, buttons = did_you_mean(suggestions(name), "trend")
    return Reply(f"Không có bài viết nào về «{quote(name)}». {hint}".strip(), buttons)


def trend_series(ctx: BotContext, names: list[str], period: Period) -> tuple[dict[str, list[int]], list[date]] | Reply:
    """Per name, its articles in each bin; a Reply (no chart) when a name matches nothing."""
    weekly = period.days >= DAILY_BELOW
    where = window(ctx, period, "week" if weekly else "day")
    days = bins(period, weekly)
    series: dict[str, list[int]] = {}
    for name in names:
        target = resolve(ctx, name) or Target(name, "keyword", (name,))
        found = counts(ctx, target, where)
        if target.kind == "keyword" and not found:
            return _unknown(name)
        series[target.label] = [found.get(d.isoformat(), 0) for d in days]
    return series, days


@command("trend", "Biểu đồ số bài theo thời gian")
async def trend(ctx: BotContext, cmd: Command) -> Reply:
    """Articles per week (per day under a month) mentioning one or more names, as a chart."""
    parsed = _parse_trend(ctx, cmd.args)
    if isinstance(parsed, Reply):
        return parsed
    names, period = parsed
    result = trend_series(ctx, names, period)
    if isinstance(result, Reply):
        return result
    series, days = result
    if not any(sum(c) for c in series.values()):
        listed = ", ".join(f"<b>{esc(label)}</b>" for label in series)
        return Reply(f"Không có bài viết nào về {listed} trong {esc(period.describe())}.")
    weekly = period.days >= DAILY_BELOW
    title = f"Số bài viết theo {'tuần' if weekly else 'ngày'}, {period.describe()}"
    chart = trend_chart(title, days, series, weekly)
    totals = ", ".join(f"{esc(label)}: {sum(c)} bài" for label, c in series.items())
    caption = f"📈 {totals} · {esc(period.describe())}"
    name = f"trend-{slug(' '.join(series))}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.png"
    return Reply(caption, attachment=Attachment("photo", chart.png, name))


@dataclass(frozen=True)
class Coverage:
    """The most-covered provinces (post-2025 names) and countries of a period, with its chart."""

    period: Period
    total: int
    provinces: list[tuple[str, int]]
    countries: list[tuple[str, int]]
    chart: Chart | None

    def top(self, n: int = 3) -> list[tuple[str, int]]:
        return sorted(self.provinces + self.countries, key=lambda p: -p[1])[:n]


def coverage(ctx: BotContext, period: Period, draw: bool = True) -> Coverage:
    """Counts for `/stats` and a report's cover; no chart for an empty period."""
    where = window(ctx, period)
    total = stats.period_count(ctx.db, where)
    provinces = [(province_label(v), n) for v, _, n in stats.top_tags(ctx.db, "province_new", where, TOP)]
    countries = [(v, n) for v, _, n in stats.top_tags(ctx.db, "country", where, TOP)]
    chart = None
    if draw and total:
        title = f"Tỉnh, thành và quốc gia được nhắc đến nhiều nhất, {period.describe()}"
        chart = ranking_chart(title, {"Tỉnh, thành (tên từ 1/7/2025)": provinces, "Quốc gia": countries})
    return Coverage(period, total, provinces, countries, chart)


def summary_line(cov: Coverage) -> str:
    top = ", ".join(f"{esc(name)} ({n})" for name, n in cov.top())
    return f"📊 {cov.total} bài viết, {esc(cov.period.describe())}" + (f". Nhiều nhất: {top}." if top else ".")


@command("stats", "Biểu đồ tỉnh, nước được nhắc nhiều nhất")
async def stats_(ctx: BotContext, cmd: Command) -> Reply:
    """The most-covered provinces and countries of a period (default this month), as a chart."""
    try:
        period = parse_period(cmd.args, today(ctx)) if cmd.args.strip() else this_month(today(ctx))
    except PeriodError as exc:
        return Reply(f"{esc(exc)} {STATS_USAGE}")
    if period is None:
        return Reply(f"«{quote(cmd.args)}» không hợp lệ. {STATS_USAGE}")
    cov = coverage(ctx, period)
    if cov.chart is None:
        return Reply(f"Không có bài viết nào trong {esc(period.describe())}.")
    name = f"stats-{period.start:%Y%m%d}-{period.end:%Y%m%d}.png"
    return Reply(summary_line(cov), attachment=Attachment("photo", cov.chart.png, name))
