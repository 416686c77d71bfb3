"""Every handler module the bot serves, in one list, and `dispatch`, which runs a command.

A new command goes in a handler module (`@command` from `bot.registry`); a new handler
module goes in `HANDLER_MODULES` below. The adapters (Telegram, the terminal chat) call
`dispatch` from here, so every command is registered before the first one runs, and no
handler module imports another to get it registered.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot import alert_commands, commands, events, feeds, report, subscriptions, timezone_command, trends
from bot.commands import LISTING_EXPIRED, LISTING_TTL
from bot.registry import DESCRIPTIONS, HANDLERS, BotContext, Command
from bot.replies import Reply, quote
from storage import listing_state

log = logging.getLogger(__name__)

__all__ = ["DESCRIPTIONS", "HANDLERS", "HANDLER_MODULES", "dispatch"]

HANDLER_MODULES = (
    commands,  # /start /help /latest /province /country /search /article /person /topic
    subscriptions,  # /subscribe /unsubscribe /subscriptions /digest_time /digest_off /digest_on /broadcast
    feeds,  # admins: /addfeed /removefeed /feeds
    trends,  # /trend /stats (charts)
    report,  # /report (a Word bulletin)
    events,  # /events (coming event dates)
    timezone_command,  # /timezone
    alert_commands,  # /alerts /quiet /digest_weekly /digest_daily
)


async def dispatch(ctx: BotContext, cmd: Command) -> Reply:
    """Run the handler for `cmd` in its chat's time zone (`BotContext.in_chat`); unknown
    commands, expired listings and handler errors get a short Vietnamese reply."""
    handler = HANDLERS.get(cmd.name)
    if handler is None:
        return Reply(f"Không có lệnh /{quote(cmd.name)}. Gõ /help để xem các lệnh.")
    try:
        if cmd.listing:
            key = listing_state.recall(ctx.db, cmd.listing, cmd.name, LISTING_TTL)
            if key is None:
                return Reply(LISTING_EXPIRED)
            cmd = replace(cmd, args=key)
        return await handler(ctx.in_chat(cmd.chat_id), cmd)
    except Exception:  # nothing a user types may become a traceback
        log.exception("handler /%s failed", cmd.name)
        return Reply("Xin lỗi, đã có lỗi khi xử lý lệnh này. Vui lòng thử lại sau.")
