"""/events: the event dates the tagger found (tagger.dates; tags of kind `date`), coming ones
first, each with the articles that announce it.

Without a period: from today in the chat's time zone on. With one, read forward
(`bot.periods`, `ahead=True`: `tháng này` is the whole month, `7 ngày` the next seven days):
its days from today on, or all of them when the period is over (`tuần trước`). Pages of
PAGE_SIZE (date, article) pairs with the listings' `Xem thêm ›` (the days kept on the server).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.commands import PAGE_SIZE, next_page
from bot.format import format_weekday
from bot.periods import EXAMPLES, Period, PeriodError, split_period
from bot.registry import BotContext, Command, command
from bot.replies import Reply, esc, link, quote
from storage import queries

USAGE = ("Cách dùng: /events [thời gian], ví dụ <code>/events</code>, <code>/events tháng này</code>, "
         f"<code>/events 30 ngày</code>. Thời gian (không dấu cũng được): {EXAMPLES}")


@dataclass(frozen=True)
class Days:
    """The event days asked for: ISO `first` to `last` (included; "" for no end)."""

    first: str
    last: str = ""

    @property
    def key(self) -> str:
        """What `Xem thêm ›` keeps on the server."""
        return f"{self.first}..{self.last}"

    @classmethod
    def from_key(cls, key: str) -> "Days":
        first, _, last = key.partition("..")
        return cls(first, last)

    @classmethod
    def asked(cls, period: Period | None, today: date) -> "Days":
        """From today on; within a period, its days from today on (all of them once it is over)."""
        if period is None:
            return cls(today.isoformat())
        start = max(period.start, today) if period.end >= today else period.start
        return cls(start.isoformat(), period.end.isoformat())


def _when(day: date, today: date) -> str:
    ahead = (day - today).days
    if ahead == 0:
        return "hôm nay"
    if ahead == 1:
        return "ngày mai"
    return f"còn {ahead} ngày" if ahead > 1 else "đã qua"


def _entries(items: list[dict], today: date) -> str:
    """Items grouped by their event date: the day, then one line per article."""
    blocks: list[list[str]] = []
    shown = None
    for item in items:
        day = date.fromisoformat(item["event_date"])
        if day != shown:
            blocks.append([f"📅 <b>{format_weekday(day)}</b> ({_when(day, today)})"])
            shown = day
        blocks[-1].append(f"• {link(item.get('url'), item['title'])} · /article_{item['id']}")
    return "\n\n".join("\n".join(block) for block in blocks)


def events_reply(ctx: BotContext, header: str, page: queries.Page, days: Days, empty: str) -> Reply:
    if not page.items:
        return Reply(f"{header}\n\n{empty}" if header else empty)
    shown = f"{page.offset + 1}–{page.offset + len(page.items)}/{page.total}"
    text = (f"{header}\n" if header else "") + f"<i>Sự kiện {shown}</i>\n\n" + _entries(page.items, ctx.today)
    return Reply(text, next_page(ctx, page, "events", days.key))


@command("events", "Sự kiện sắp diễn ra")
async def events(ctx: BotContext, cmd: Command) -> Reply:
    """Coming events the articles announce, soonest first; `/events tháng này` within a period."""
    today = ctx.today
    if cmd.offset:
        days = Days.from_key(cmd.args)
        page = queries.events(ctx.db, days.first, days.last or None, PAGE_SIZE, cmd.offset)
        return events_reply(ctx, "", page, days, "Không còn sự kiện nào.")
    period = None
    if cmd.args.strip():
        try:
            rest, period = split_period(cmd.args, today, ahead=True)
        except PeriodError as exc:
            return Reply(esc(str(exc)))
        if period is None or rest:
            return Reply(f"«{quote(cmd.args)}» không phải là khoảng thời gian. {USAGE}")
    days = Days.asked(period, today)
    page = queries.events(ctx.db, days.first, days.last or None, PAGE_SIZE)
    header = "📅 <b>Sự kiện sắp diễn ra</b>" + (f" · {esc(period.describe())}" if period else "")
    empty = ("Không có sự kiện nào trong khoảng này." if period
             else "Chưa có sự kiện nào sắp diễn ra trong các bài đã lưu.")
    return events_reply(ctx, header, page, days, empty)
