"""Vietnamese Telegram-HTML for articles: title with link, date, source, tags, summary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.replies import esc, link
from diplobot.tags import Province, Tags
from storage.times import parse_iso
from tagger.countries import flag

# How readers see a day and a time of day, everywhere in the bot.
DAY = "%d/%m/%Y"
CLOCK = "%H:%M"
CENTRAL_CITIES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"}
SUMMARY_CHARS = 600
BODY_CHARS = 3000


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with an ellipsis."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def province_label(short: str) -> str:
    """`Hồ Chí Minh` → `TP. Hồ Chí Minh`; provinces keep their short name."""
    return f"TP. {short}" if short in CENTRAL_CITIES else short


def format_date(value: str | None, tz: ZoneInfo | None = None) -> str:
    if not value:
        return "chưa rõ ngày"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return esc(value)
    if tz is not None and moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return format_day(moment)


def format_day(day: date) -> str:
    return day.strftime(DAY)


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def format_weekday(day: date) -> str:
    """`Thứ Sáu, 04/12/2026`: an event's day, as /article and /events show it."""
    return f"{WEEKDAYS[day.weekday()]}, {format_day(day)}"


def event_days(values: tuple[str, ...]) -> list[date]:
    """The tagger's event dates (ISO `YYYY-MM-DD`) as days, in order; a malformed one is skipped."""
    days = []
    for value in values:
        try:
            days.append(date.fromisoformat(value))
        except ValueError:
            continue
    return sorted(set(days))


def format_at(moment: datetime, between: str = " ") -> str:
    """`HH:MM{between}DD/MM/YYYY`: `07:00 ngày 01/07/2025` with `between=" ngày "`."""
    return moment.strftime(f"{CLOCK}{between}{DAY}")


def format_moment(value: str | None, tz: ZoneInfo | None, between: str = " ") -> str:
    """A stored time (`storage.times`) in `tz`, as `format_at` writes it; "" for none."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    return format_at(moment.astimezone(tz) if tz is not None else moment, between)


def province_text(p: Province) -> str:
    """`Bình Dương (nay thuộc TP. Hồ Chí Minh)`: plain text (reports, CSV); `province_tags` escapes it."""
    label = province_label(p.old)
    if p.new and p.new != p.old:
        label += f" (nay thuộc {province_label(p.new)})"
    return label


def province_tags(provinces: tuple[Province, ...]) -> list[str]:
    return [esc(province_text(p)) for p in provinces]


def tag_line(tags: Tags) -> str:
    parts = []
    if tags.provinces:
        parts.append("📍 " + ", ".join(province_tags(tags.provinces)))
    if tags.countries:
        parts.append("🌐 " + ", ".join(f"{flag(c.code)} {esc(c.name)}".strip() for c in tags.countries))
    return " · ".join(parts)


def article_card(item: dict[str, Any], number: int | None = None, tz: ZoneInfo | None = None) -> str:
    """One article in a list: the fields a reader scans before opening it."""
    prefix = f"{number}. " if number is not None else ""
    lines = [f"<b>{prefix}{link(item.get('url'), item['title'])}</b>"]
    meta = [f"🗓 {format_date(item.get('published_at'), tz)}"]
    sources = item.get("sources_count") or 1
    if item.get("source"):
        meta.append(f"📰 {esc(item['source'])}" + (f" ({sources} nguồn)" if sources > 1 else ""))
    elif sources > 1:
        meta.append(f"📰 {sources} nguồn")
    meta.append(f"/article_{item['id']}")
    lines.append(" · ".join(meta))
    tags = tag_line(item["tags"])
    if tags:
        lines.append(tags)
    summary = (item.get("summary") or "").strip()
    if summary:
        lines.append(esc(clip(summary, SUMMARY_CHARS)))
    return "\n".join(lines)


def article_full(item: dict[str, Any], tz: ZoneInfo | None = None, full_body: bool = False) -> str:
    """One article (`/article ID`): card, people with roles, topics, event dates, the body (an
    excerpt unless `full_body`)."""
    parts = [article_card(item, tz=tz)]
    tags: Tags = item["tags"]
    if tags.people:
        people = "; ".join(esc(p.name) + (f" ({esc(p.role)})" if p.role else "") for p in tags.people)
        parts.append(f"👤 {people}")
    if tags.topics:
        parts.append("🏷 " + ", ".join(esc(t.name) for t in tags.topics))
    days = event_days(tags.dates)
    if days:
        parts.append("📅 Sự kiện: " + "; ".join(format_weekday(d) for d in days) + " · /events")
    body = (item.get("body") or "").strip()
    if body:  # whole: the adapter splits it at paragraphs (bot.telegram_html), /article pages it
        parts.append(esc(body) if full_body else esc(clip(body, BODY_CHARS)))
    return "\n\n".join(parts)
