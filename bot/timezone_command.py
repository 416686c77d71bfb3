"""/timezone: show or set the chat's time zone (issue 15). Reading a zone and the city names
live in `bot.timezones`; `bot.handlers.dispatch` then runs every command in that zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.access import may_change_chat
from bot.clock import tz_label
from bot.commands import did_you_mean
from bot.format import format_at
from bot.registry import BotContext, Command, command
from bot.replies import Reply, esc, quote
from bot.targets import on_target
from bot.timezones import close_zones, read_zone
from storage import follow
from storage import subscriptions as store

EXAMPLES = ("<code>/timezone Asia/Tokyo</code>, <code>/timezone Tokyo</code>, "
            "<code>/timezone Luân Đôn</code>, <code>/timezone Hà Nội</code>")


def _now_in(zone: ZoneInfo) -> str:
    """`10:32 ngày 03/12/2026 (UTC+09:00)`."""
    moment = datetime.now(zone)
    offset = moment.strftime("%z")
    return f"{format_at(moment, ' ngày ')} (UTC{offset[:3]}:{offset[3:]})"


def _current(ctx: BotContext) -> Reply:
    default = " — mặc định của bot" if ctx.tz.key == ctx.settings.tz.key else ""
    return Reply(f"🕐 Múi giờ: <b>{esc(ctx.tz.key)}</b> ({tz_label(ctx.tz)}{default}); bây giờ là {_now_in(ctx.tz)}.\n"
                 f"Đổi múi giờ: /timezone &lt;vùng hoặc thành phố&gt;, ví dụ {EXAMPLES}.")


@command("timezone", "Múi giờ của cuộc trò chuyện")
@on_target()
async def timezone_(ctx: BotContext, cmd: Command) -> Reply:
    """Show this chat's time zone, or set it (IANA name or city); groups: admins only."""
    if not cmd.args.strip():
        return _current(ctx)
    if not may_change_chat(cmd):
        return Reply("Chỉ quản trị viên của nhóm mới được đổi múi giờ của nhóm.")
    zone = read_zone(cmd.args)
    if zone is None:
        hint, buttons = did_you_mean(close_zones(cmd.args), "timezone")
        return Reply(f"Không nhận ra múi giờ «{quote(cmd.args)}». {hint or f'Ví dụ: {EXAMPLES}.'}", buttons)
    store.ensure_chat(ctx.db, cmd.chat_id, cmd.chat_type)
    follow.set_timezone(ctx.db, cmd.chat_id, zone.key)
    return Reply(f"🕐 Đã đặt múi giờ <b>{esc(zone.key)}</b> ({tz_label(zone)}); bây giờ là {_now_in(zone)}.\n"
                 "Bản tin gửi theo giờ này; ngày giờ trong các danh sách, /article và /events cũng vậy.")
