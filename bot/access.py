"""Who may do what: the bot's own admins (DIPLOBOT_ADMINS) and the admins of a group.

The one place these two rules live; handlers ask here and word their own refusal.
"""

from __future__ import annotations

from bot.registry import BotContext, Command

GROUP_TYPES = ("group", "supergroup")


def is_bot_admin(ctx: BotContext, cmd: Command) -> bool:
    """The sender is listed in DIPLOBOT_ADMINS (/addfeed, /removefeed, /feeds, /broadcast)."""
    return bool(cmd.user_id) and cmd.user_id in ctx.settings.admins


def may_change_chat(cmd: Command) -> bool:
    """Whether the sender may change this chat's subscriptions and digest: anyone outside groups,
    a group's admins inside it (the Telegram adapter sets `is_admin` from getChatMember)."""
    return cmd.chat_type not in GROUP_TYPES or cmd.is_admin is True
