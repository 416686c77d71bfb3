"""The commands that say how news arrives in a chat (issue 15): `/alerts on|off`,
`/quiet 22:00-07:00`, `/digest_weekly`, `/digest_daily`. What they set is planned by
bot.alerts (alerts, quiet windows) and bot.outbox (daily or weekly digests).

Bad input gets one Vietnamese line and nothing is stored; in groups only admins change
anything (`bot.access.may_change_chat`); from a private chat an admin may name a channel or
group first (`/alerts @kenh on`, bot.targets).
"""

from __future__ import annotations

from datetime import datetime, timezone
from bot.alerts import QuietWindow, digest_time_of, parse_window
from bot.outbox import TERMINAL_CHAT_ID
from bot.clock import tz_label
from bot.registry import BotContext, Command, command
from bot.replies import Reply, quote
from bot.subscriptions import no_subscriptions_hint, record_change
from bot.targets import on_target
from bot.timezones import chat_zone
from diplobot.text import fold
from storage import follow
from storage import subscriptions as subs

NOT_GROUP_ADMIN = "Chỉ quản trị viên của nhóm mới được thay đổi cách nhận tin của nhóm."
ON_WORDS, OFF_WORDS = ("on", "bat", "mo"), ("off", "tat", "bo", "khong")


# --- commands ---------------------------------------------------------------------------------

ALERTS_USAGE = "Cách dùng: <code>/alerts on</code> (bật) hoặc <code>/alerts off</code> (tắt)."


@command("alerts", "Báo tin ngay khi có: /alerts on|off")
@on_target(needs_post=True)
async def alerts(ctx: BotContext, cmd: Command) -> Reply:
    """Turn alerts on or off (`on|off`, `bật|tắt`); without an argument, say whether they are on."""
    word = fold(cmd.args.strip())
    if not word:
        chat = subs.get_chat(ctx.db, cmd.chat_id) or {}
        state = "bật" if chat.get("alerts") else "tắt"
        return Reply(f"Báo tin ngay đang <b>{state}</b>. {ALERTS_USAGE}")
    if word not in ON_WORDS + OFF_WORDS:
        return Reply(f"Không hiểu «{quote(cmd.args.strip())}». {ALERTS_USAGE}")
    on = word in ON_WORDS
    if on and cmd.chat_id == TERMINAL_CHAT_ID:  # nothing is ever sent to the terminal chat
        return Reply("Báo tin ngay chỉ gửi được qua Telegram. Trong cửa sổ dòng lệnh, xem tin mới bằng /latest.")
    if refusal := record_change(ctx, cmd, NOT_GROUP_ADMIN):
        return refusal
    changed = follow.set_alerts(ctx.db, cmd.chat_id, on, datetime.now(timezone.utc))
    if not on:
        return Reply("🔕 Đã tắt báo tin ngay. Tin mới vẫn có trong bản tin." if changed
                     else "Báo tin ngay vẫn đang tắt.")
    text = ("🔔 Đã bật báo tin ngay: mỗi tin mới khớp đăng ký được gửi một lần, ngay khi có; "
            "bản tin không lặp lại các tin đã báo." if changed else "Báo tin ngay đã bật rồi.")
    window = QuietWindow.of(subs.get_chat(ctx.db, cmd.chat_id) or {})
    if window is not None:
        text += f"\n🌙 Giờ yên lặng {window.label()}: tin được giữ lại, gửi gộp lúc {window.end:%H:%M}."
    return Reply(text + no_subscriptions_hint(ctx, cmd.chat_id))


@command("quiet", "Giờ yên lặng cho báo tin ngay: /quiet 22:00-07:00")
@on_target()
async def quiet(ctx: BotContext, cmd: Command) -> Reply:
    """Set the quiet window (`22:00-07:00`, the chat's time zone) or remove it (`tắt`)."""
    args = cmd.args.strip()
    chat = subs.get_chat(ctx.db, cmd.chat_id) or {}
    zone = tz_label(chat_zone(chat, ctx.settings.tz))
    usage = (f"Cách dùng: <code>/quiet 22:00-07:00</code> ({zone}) — giữ báo tin ngay trong khoảng giờ này; "
             "<code>/quiet tắt</code> để bỏ.")
    if not args:
        window = QuietWindow.of(chat)
        now = f"Giờ yên lặng: <b>{window.label()}</b>. " if window else "Chưa đặt giờ yên lặng. "
        return Reply(now + usage)
    if fold(args) in OFF_WORDS:
        if refusal := record_change(ctx, cmd, NOT_GROUP_ADMIN):
            return refusal
        follow.set_quiet(ctx.db, cmd.chat_id, None, None)
        return Reply("Đã bỏ giờ yên lặng: tin được báo ngay cả ngày lẫn đêm." if QuietWindow.of(chat)
                     else "Chưa đặt giờ yên lặng.")
    window = parse_window(args)
    if window is None:
        return Reply(f"Giờ yên lặng không hợp lệ: «{quote(args)}». {usage}")
    if refusal := record_change(ctx, cmd, NOT_GROUP_ADMIN):
        return refusal
    follow.set_quiet(ctx.db, cmd.chat_id, f"{window.start:%H:%M}", f"{window.end:%H:%M}")
    text = (f"🌙 Giờ yên lặng: <b>{window.label()}</b> ({zone}). Tin báo ngay trong giờ này được giữ lại "
            f"và gửi gộp thành một tin nhắn lúc {window.end:%H:%M}.")
    if not chat.get("alerts"):
        text += "\nBáo tin ngay đang tắt: bật bằng /alerts on."
    return Reply(text)


def _frequency(ctx: BotContext, cmd: Command, frequency: str) -> Reply:
    if refusal := record_change(ctx, cmd, NOT_GROUP_ADMIN):
        return refusal
    follow.set_frequency(ctx.db, cmd.chat_id, frequency)
    chat = subs.get_chat(ctx.db, cmd.chat_id) or {}
    zone = tz_label(chat_zone(chat, ctx.settings.tz))
    at = digest_time_of(chat, ctx.settings)
    if frequency == follow.WEEKLY:
        text = (f"🗓 Bản tin sẽ gửi hằng tuần, vào <b>thứ Hai</b> lúc <b>{at}</b> ({zone}), gồm tin cả tuần. "
                "Trở lại hằng ngày: /digest_daily")
    else:
        text = f"🗓 Bản tin sẽ gửi hằng ngày lúc <b>{at}</b> ({zone}). Hằng tuần: /digest_weekly"
    if not follow.digest_on(chat):
        text += "\nBản tin đang tắt: gõ /digest_on để bật."
    return Reply(text + no_subscriptions_hint(ctx, cmd.chat_id))


@command("digest_weekly", "Bản tin hằng tuần (thứ Hai)")
@on_target()
async def digest_weekly(ctx: BotContext, cmd: Command) -> Reply:
    """The digest on Mondays, covering the week."""
    return _frequency(ctx, cmd, follow.WEEKLY)


@command("digest_daily", "Bản tin hằng ngày")
@on_target()
async def digest_daily(ctx: BotContext, cmd: Command) -> Reply:
    """Back to the daily digest."""
    return _frequency(ctx, cmd, follow.DAILY)
