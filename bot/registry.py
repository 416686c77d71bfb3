"""The handler registry: what a handler gets (`BotContext`, `Command`), how it registers
(`@command`), and where registered handlers live (`HANDLERS`, `DESCRIPTIONS`).

Handler modules import this module and nothing imports them back: the list of handler
modules the bot serves is written once, in `bot.handlers`, which the adapters use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from sqlite_utils import Database

from bot.replies import Reply
from bot.timezones import chat_zone
from diplobot.settings import Settings
from storage.subscriptions import get_chat

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from bot.delivery import DeliveryService


@dataclass(frozen=True)
class Command:
    """A command as typed: `/province@diplobot Bình Dương` → name `province`, args `Bình Dương`."""

    name: str
    args: str = ""
    chat_id: int = 0
    user_id: int = 0
    chat_type: str = "private"
    offset: int = 0
    # Whether the sender administers this chat: True in private chats, the getChatMember
    # answer in groups, None where the adapter could not tell. Changing a group's settings
    # or subscriptions needs it (see `bot.access.may_change_chat`).
    is_admin: bool | None = None
    # A `Xem thêm ›` press: the id of the listing's state kept on the server
    # (storage.listing_state); `dispatch` puts the listing's key into `args`.
    listing: str = ""
    # The forum topic the command was typed in (Telegram's message_thread_id); None in the
    # General topic, outside forums and in the terminal chat.
    thread_id: int | None = None


@dataclass(frozen=True)
class ChatAccess:
    """What Telegram says about a chat a command names from elsewhere (`/subscribe @kenh …`,
    `bot.targets`): who it is, whether the sender administers it, whether the bot may post
    there. None where Telegram could not say."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    sender_admin: bool | None = None
    bot_can_post: bool | None = None


class ChatDirectory(Protocol):
    """The adapter's window on other chats (the Telegram bot's; none in the terminal chat)."""

    async def access(self, ref: int | str, user_id: int) -> ChatAccess | None:
        """`ref` is a chat id or an `@username`; None when the bot cannot see such a chat."""
        ...


@dataclass
class BotContext:
    """What handlers may use: the database, the validated settings, and the delivery service
    and the directory of other chats where they exist (the Telegram bot; the terminal chat and
    the CLI have neither). `zone` is the time zone of the chat whose command is handled
    (`BotContext.in_chat`, called by `dispatch`)."""

    db: Database
    settings: Settings
    delivery: DeliveryService | None = None
    chats: ChatDirectory | None = None  # other chats, for `bot.targets`: Telegram only
    zone: ZoneInfo | None = None  # the chat's own (/timezone); None: DIPLOBOT_TZ

    @property
    def tz(self) -> ZoneInfo:
        """The time zone every date a handler shows or reads is in: the chat's, else DIPLOBOT_TZ."""
        return self.zone or self.settings.tz

    @property
    def today(self) -> date:
        """Today's date where the chat is (`tz`)."""
        return datetime.now(self.tz).date()

    def in_chat(self, chat_id: int) -> "BotContext":
        """This context for a command of `chat_id`: the same one in that chat's time zone
        (`bot.timezones.chat_zone`). `dispatch` calls it for the chat a command came from,
        `bot.targets` for the channel or group a command names."""
        return replace(self, zone=chat_zone(get_chat(self.db, chat_id), self.settings.tz))


Handler = Callable[[BotContext, Command], Awaitable[Reply]]
HANDLERS: dict[str, Handler] = {}
DESCRIPTIONS: dict[str, str] = {}  # the command menu, in Vietnamese


def command(name: str, description: str = ""):
    """Register a handler under `/name` (and its menu description, when it has one)."""

    def register(func: Handler) -> Handler:
        HANDLERS[name] = func
        if description:
            DESCRIPTIONS[name] = description
        return func

    return register
