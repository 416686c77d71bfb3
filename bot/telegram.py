"""The Telegram adapter: a python-telegram-bot `Application` over `bot.handlers.dispatch`.

Every handler here is a thin adapter: it turns an update into a `Command`, lets
`dispatch` produce the reply, and sends it (split at Telegram's 4096-character limit,
buttons on the last part). The command logic lives once, in the handler modules that
`bot.handlers.HANDLER_MODULES` lists. What the handlers keep between updates is `BotData`.

Choices a reader may look for:
- Commands: one `MessageHandler` for every registered command (`/cmd`, `/cmd@thisbot`,
  `/article_12`); a command addressed to another bot, plain chatter in groups, channel
  posts and edited messages are ignored.
- `Xem thêm ›` removes the button from the message it was on and sends the next page as a
  new message, so earlier pages stay readable and a page cannot be fetched twice by
  pressing the same button again.
- Group admins: `Command.is_admin` carries the getChatMember answer (cached for two
  minutes) so handlers that change a group's settings can refuse others.
- Other chats: `TelegramChats` (the `ChatDirectory` of `BotContext.chats`) answers
  `bot.targets` (`/subscribe @kenh …` from a private chat) with getChat and getChatMember.
- Forum topics: a command typed in a topic carries its `thread_id` and is answered there.
- The token never reaches a log line (`bot.redact`), and a start-up failure (bad token,
  unreachable server) is one line on stderr and a non-zero exit status. That is why
  `run_telegram` drives the Application itself (`start`/`stop`, the steps of PTB's
  `run_polling`/`run_webhook`): `run_polling` logs a traceback before it re-raises.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import signal
import sys
import time
import warnings
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlparse

from sqlite_utils import Database
from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, TelegramError
from telegram.warnings import PTBDeprecationWarning
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackContext,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.commands import MAX_OFFSET, find_articles, parse_command, parse_more, parse_number
from bot.delivery import file_base_url, schedule_jobs, telegram_failure
from bot.format import article_card
from bot.handlers import DESCRIPTIONS, HANDLERS, dispatch
from bot.operator import report_error, schedule_backups, schedule_held_notices
from bot.outbox import sends_each_article
from bot.polling import schedule_polling
from bot.redact import protect_token, redact
from bot.registry import BotContext, ChatAccess, Command
from bot.replies import Button, Reply
from bot.telegram_html import split_html, telegram_length
from diplobot.settings import Settings
from storage.chats import migrate_chat, set_blocked, upsert_chat

log = logging.getLogger(__name__)

STALE_BUTTON = "Nút này đã cũ, vui lòng gửi lại lệnh."
ERROR_TEXT = "Xin lỗi, đã có lỗi khi xử lý yêu cầu này. Vui lòng thử lại sau."
CHATTER_HINT = "Gõ một lệnh bắt đầu bằng /, ví dụ /latest. Gõ /help để xem các lệnh."
GROUP_HELLO = "Xin chào! Diplobot tóm tắt tin ngoại giao Việt Nam. Gõ /help@{username} để xem các lệnh."
MALFORMED = ("Lệnh không hợp lệ. Cách dùng: <code>/lệnh nội dung</code>, ví dụ <code>/province Bình Dương</code>. "
             "Gõ /help để xem các lệnh.")
OTHER_BOT = "Lệnh này dành cho @{target}, không phải cho bot này. Gõ /help để xem các lệnh."

POLL_TIMEOUT = 10  # seconds a getUpdates long poll may wait
CONCURRENT_UPDATES = 8  # a slow send (flood wait) must not hold every other chat
ADMIN_CACHE_SECONDS = 120
RECORD_RETRY_SECONDS = 600  # a chat whose row could not be written is tried again after this
ANSWERED_KEPT = 1000  # recent messages answered, so the error handler never answers twice
INLINE_RESULTS = 10
INLINE_CACHE_SECONDS = 30
CAPTION_LIMIT = 1024  # Telegram's limit on a photo's or document's caption, counted like a message
_PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_ADDRESSEE_RE = re.compile(r"^/\S*@([A-Za-z0-9_]{3,64})$")

# Errors that mean "this chat does not want our messages" (RSS-to-Telegram-Bot names such groups).
BlockedErrors = (Forbidden,)


class StartupError(RuntimeError):
    """The bot cannot start; the message is one line for the operator, without the token."""


@dataclass
class BotData:
    """What the handlers keep between updates: PTB's `context.bot_data`, typed (ContextTypes)."""

    ctx: BotContext = field(init=False)  # set by build_application, before any update
    admins: dict[tuple[int, int], tuple[bool, float]] = field(default_factory=dict)  # getChatMember, cached
    known_chats: set[int] = field(default_factory=set)  # chats whose row this process wrote
    unrecorded_chats: dict[int, float] = field(default_factory=dict)  # chat id → when writing its row failed
    answered: OrderedDict[tuple[int, int] | None, bool] = field(default_factory=OrderedDict)  # (chat, message)


Context = CallbackContext[ExtBot[None], dict, dict, BotData]


# --- building the application ---------------------------------------------------------

class _NoTokenTraceback(logging.Filter):
    """Keeps the message of a record about an `InvalidToken`, drops its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], InvalidToken):
            record.exc_info, record.exc_text = None, None
        return True


_NO_TOKEN_TRACEBACK = _NoTokenTraceback()


def build_application(settings: Settings, db: Database) -> Application:
    """The PTB application with every handler, talking to `settings.telegram_api_base_url`."""
    # Before PTB logs its first URL. A very short webhook secret is left out: masking "ab"
    # would mangle every log line, and PTB never logs the secret anyway.
    secret = settings.webhook_secret if len(settings.webhook_secret) >= 8 else ""
    protect_token(settings.telegram_token, secret)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request log prints token URLs
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # PTB's retry loop logs a rejected token with a traceback; `start` says it in one line.
    if _NO_TOKEN_TRACEBACK not in logging.getLogger("telegram.ext").filters:
        logging.getLogger("telegram.ext").addFilter(_NO_TOKEN_TRACEBACK)
    # AIORateLimiter reads RetryAfter.retry_after, which PTB 22.2+ flags on every flood wait.
    warnings.filterwarnings("ignore", message=".*retry_after.*", category=PTBDeprecationWarning)
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        tzinfo=settings.tz,
    )
    app = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_base_url(settings.telegram_api_base_url))
        .defaults(defaults)
        .context_types(ContextTypes(bot_data=BotData))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(on_post_init)
        .post_shutdown(on_post_shutdown)
        .build()
    )
    app.bot_data.ctx = BotContext(db=db, settings=settings, chats=TelegramChats(app.bot))
    add_handlers(app)
    return app


def add_handlers(app: Application) -> None:
    """Register the adapters; the order matters only within a group."""
    app.add_handler(TypeHandler(Update, remember_chat), group=-1)
    app.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, on_command))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & filters.TEXT, on_chatter))
    app.add_handler(CallbackQueryHandler(on_callback))
    app.add_handler(InlineQueryHandler(on_inline_query))
    app.add_error_handler(on_error)


def menu(names: list[str] | None = None) -> list[BotCommand]:
    """The command menu from `DESCRIPTIONS` (Vietnamese), only names Telegram accepts."""
    names = names if names is not None else list(DESCRIPTIONS)
    return [BotCommand(n, DESCRIPTIONS[n][:256]) for n in names
            if n in HANDLERS and n in DESCRIPTIONS and _COMMAND_NAME_RE.match(n)]


async def on_post_init(app: Application) -> None:
    """Learn our username and publish the command menus for private chats and groups."""
    me = await app.bot.get_me()  # initialize() asked once to check the token; this keeps it fresh
    ctx = app.bot_data.ctx
    private = menu()
    try:
        await app.bot.set_my_commands(private, scope=BotCommandScopeAllPrivateChats())
        await app.bot.set_my_commands([c for c in private if c.command != "start"],
                                      scope=BotCommandScopeAllGroupChats())
    except TelegramError as exc:  # a missing menu is no reason to stay offline
        log.warning("Could not set the command menu: %s", exc)
    # Digests and broadcasts: a minute job that sends what is due (schedules live in SQLite).
    delivery = ctx.delivery = schedule_jobs(app, ctx.db, ctx.settings)

    # Feeds: polled every DIPLOBOT_POLL_MINUTES; new articles go to the channels and as alerts at once.
    async def broadcast_new(context, report) -> None:
        if sends_each_article(ctx.settings) and report.new_ids:
            await delivery.broadcast_new(report.new_ids)
        if report.new_ids:
            await delivery.alert_new()

    schedule_polling(app, ctx.db, ctx.settings, on_report=broadcast_new)
    schedule_backups(app, ctx.db, ctx.settings)  # DIPLOBOT_BACKUP_DIR: one dated backup a day
    schedule_held_notices(app, ctx)  # the repeats held back by the hourly limit, once their hour is over
    log.info("Telegram bot @%s is up with %d commands", me.username, len(private))


async def on_post_shutdown(app: Application) -> None:
    log.info("Telegram bot stopped")


# --- sending ----------------------------------------------------------------------------

def inline_keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    rows = [
        [InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row if b.callback_data or b.url]
        for row in buttons
    ]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


async def send_reply(bot: Any, chat_id: int | str, reply: Reply, *, thread_id: int | None = None,
                     reply_to: int | None = None) -> list[Message]:
    """Send a reply as one or more messages (≤ 4096 characters each), buttons on the last."""
    if reply.attachment is not None:
        return await send_attachment(bot, chat_id, reply, thread_id=thread_id, reply_to=reply_to)
    parts = split_html(reply.html)
    keyboard = inline_keyboard(reply.buttons)
    sent = []
    for i, part in enumerate(parts):
        quote = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and i == 0 else None
        sent.append(await bot.send_message(
            chat_id, part, reply_markup=keyboard if i == len(parts) - 1 else None,
            message_thread_id=thread_id, reply_parameters=quote,
        ))
    return sent


async def send_attachment(bot: Any, chat_id: int | str, reply: Reply, *, thread_id: int | None = None,
                          reply_to: int | None = None) -> list[Message]:
    """A chart as a photo (sendPhoto), a bulletin as a document (sendDocument), the reply as its
    caption; a text too long for a caption follows as messages."""
    attachment = reply.attachment
    fits = telegram_length(reply.html) <= CAPTION_LIMIT
    send = bot.send_photo if attachment.kind == "photo" else bot.send_document
    sent = [await send(
        chat_id, InputFile(attachment.data, filename=attachment.filename), caption=reply.html if fits else None,
        reply_markup=inline_keyboard(reply.buttons) if fits else None, message_thread_id=thread_id,
        reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None,
    )]
    if not fits:
        sent += await send_reply(bot, chat_id, replace(reply, attachment=None), thread_id=thread_id)
    return sent


def _thread_id(message: Any) -> int | None:
    """Answer inside the forum topic the command came from."""
    return message.message_thread_id if getattr(message, "is_topic_message", False) else None


async def _answer(context: Context, message: Any, reply: Reply, quote: bool) -> None:
    """Send `reply` to the message's chat; a group that became a supergroup is followed once."""
    chat_id = message.chat.id
    reply_to = message.message_id if quote and message.chat.type != ChatType.PRIVATE else None
    try:
        await send_reply(context.bot, chat_id, reply, thread_id=_thread_id(message), reply_to=reply_to)
    except ChatMigrated as exc:
        try:
            migrate_chat(context.bot_data.ctx.db, chat_id, exc.new_chat_id)
        except Exception:  # the answer still goes to the new chat
            log.exception("Could not move chat %s to %s", chat_id, exc.new_chat_id)
        await send_reply(context.bot, exc.new_chat_id, reply)
    _mark_answered(context, message)


def _message_key(message: Any) -> tuple[int, int] | None:
    return (message.chat.id, message.message_id) if message is not None and message.chat else None


def _mark_answered(context: Context, message: Any) -> None:
    """Remember that `message` got its answer: a later error must not send a second message."""
    answered = context.bot_data.answered
    answered[_message_key(message)] = True
    while len(answered) > ANSWERED_KEPT:
        answered.popitem(last=False)


# --- chats, admins, migration -------------------------------------------------------------

def administers(member: Any) -> bool:
    """The one reading of a getChatMember answer as "an administrator": its creator or an admin."""
    return member.status in (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def is_chat_admin(bot: Any, chat_id: int, user_id: int) -> bool:
    """Whether `user_id` administers `chat_id` (getChatMember); raises TelegramError if Telegram cannot say."""
    return administers(await bot.get_chat_member(chat_id, user_id))


async def sender_is_admin(context: Context, chat: Any, user: Any,
                          sender_chat: Any = None) -> bool | None:
    """True in private chats and for anonymous admins; getChatMember (cached) in groups; None if unknown."""
    if chat.type == ChatType.PRIVATE:
        return True
    if sender_chat is not None and sender_chat.id == chat.id:  # "send as the group": only admins can
        return True
    if user is None:
        return None
    cache = context.bot_data.admins
    key, now = (chat.id, user.id), time.monotonic()
    if key in cache and now - cache[key][1] < ADMIN_CACHE_SECONDS:
        return cache[key][0]
    try:
        answer = await is_chat_admin(context.bot, chat.id, user.id)
    except TelegramError as exc:
        log.warning("getChatMember failed for chat %s: %s", chat.id, exc)
        return None
    cache[key] = (answer, now)
    return answer


def bot_may_post(chat: Any, member: Any) -> bool:
    """Whether a chat member (the bot) may post: in a channel, an administrator with
    can_post_messages; in a group, a member allowed to send (its own or the chat's rights)."""
    if member.status == ChatMemberStatus.OWNER:
        return True
    if chat.type == ChatType.CHANNEL:
        return member.status == ChatMemberStatus.ADMINISTRATOR and bool(member.can_post_messages)
    if member.status == ChatMemberStatus.ADMINISTRATOR:
        return True
    if member.status == ChatMemberStatus.RESTRICTED:
        return bool(member.is_member and member.can_send_messages)
    if member.status == ChatMemberStatus.MEMBER:
        return chat.permissions is None or chat.permissions.can_send_messages is not False
    return False


class TelegramChats:
    """`ChatDirectory` (bot.registry) over PTB's Bot: getChat, then getChatMember for the
    sender and for the bot. Asked afresh each time: a right just granted counts at once."""

    def __init__(self, bot: Any):
        self.bot = bot

    async def access(self, ref: int | str, user_id: int) -> ChatAccess | None:
        try:
            chat = await self.bot.get_chat(ref)
        except (BadRequest, Forbidden) as exc:  # "chat not found": an unknown name, or the bot is not there
            log.info("getChat %s: %s", ref, exc)
            return None
        sender_admin = await self._ask(chat.id, user_id, administers)
        bot_can_post = await self._ask(chat.id, self.bot.id, lambda m: bot_may_post(chat, m))
        return ChatAccess(chat.id, chat.type, chat.title, chat.username, sender_admin, bot_can_post)

    async def _ask(self, chat_id: int, user_id: int, judge: Any) -> bool | None:
        """getChatMember judged; None when Telegram will not say (a channel hides its members
        from a bot that is not its administrator)."""
        try:
            return judge(await self.bot.get_chat_member(chat_id, user_id))
        except TelegramError as exc:
            log.info("getChatMember in chat %s failed: %s", chat_id, exc)
            return None


async def remember_chat(update: Update, context: Context) -> None:
    """Record each chat the first time this process sees it (one write per chat, not per update).

    Bookkeeping only: a failed write (read-only or locked database) is logged once per
    chat, retried after a while, and never reaches the error handler, so the user gets
    the answer and nothing else.
    """
    chat = update.effective_chat
    known = context.bot_data.known_chats
    if chat is None or chat.id in known or update.my_chat_member:
        return
    failed = context.bot_data.unrecorded_chats
    now = time.monotonic()
    if chat.id in failed and now - failed[chat.id] < RECORD_RETRY_SECONDS:
        return
    try:
        upsert_chat(context.bot_data.ctx.db, chat.id, chat.type, chat.title or chat.full_name, chat.username)
    except Exception as exc:  # sqlite3.Error mostly; whatever it is, the answer comes first
        if chat.id not in failed:
            log.warning("Could not record chat %s (answering anyway): %s", chat.id, exc)
        failed[chat.id] = now
        return
    failed.pop(chat.id, None)
    known.add(chat.id)


async def on_my_chat_member(update: Update, context: Context) -> None:
    """The bot was added, removed, promoted or blocked: keep `chats.blocked` in step."""
    change = update.my_chat_member
    chat, db = change.chat, context.bot_data.ctx.db
    new, old = change.new_chat_member, change.old_chat_member
    present = new.status in _PRESENT or (new.status == ChatMemberStatus.RESTRICTED and new.is_member)
    was_present = old.status in _PRESENT or (old.status == ChatMemberStatus.RESTRICTED and old.is_member)
    upsert_chat(db, chat.id, chat.type, chat.title or chat.full_name, chat.username)
    set_blocked(db, chat.id, not present)
    context.bot_data.known_chats.add(chat.id)
    context.bot_data.admins.clear()
    log.info("Bot %s %s chat %s", "is in" if present else "left or was blocked in", chat.type, chat.id)
    if present and not was_present and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        await send_reply(context.bot, chat.id, Reply(GROUP_HELLO.format(username=context.bot.username)))


async def on_migrate(update: Update, context: Context) -> None:
    """A group became a supergroup: its chat row, subscriptions and deliveries follow it."""
    message, db = update.effective_message, context.bot_data.ctx.db
    if message.migrate_to_chat_id:
        old_id, new_id = message.chat.id, message.migrate_to_chat_id
    else:
        old_id, new_id = message.migrate_from_chat_id, message.chat.id
    migrate_chat(db, old_id, new_id)
    context.bot_data.known_chats.discard(old_id)
    log.info("Chat %s migrated to supergroup %s", old_id, new_id)


# --- commands, buttons, inline mode -------------------------------------------------------

def addressee(text: str) -> str | None:
    """The bot a command names (`/cmd@somebot`, `/cmd-glued@somebot`), or None."""
    words = text.split(maxsplit=1)
    match = _ADDRESSEE_RE.search(words[0]) if words else None
    return match.group(1) if match else None


async def on_command(update: Update, context: Context) -> None:
    """`/cmd args` in any chat → dispatch → reply. Another bot's command is ignored (in a
    private chat, where no other bot listens, the user is told); a `/…` that is no command
    gets the usage line in a private chat, or in a group when addressed to this bot."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    private, target, ours = chat.type == ChatType.PRIVATE, addressee(message.text), context.bot.username
    if target and ours and target.lower() != ours.lower():
        if private:
            await _answer(context, message, Reply(OTHER_BOT.format(target=target)), quote=True)
        return
    cmd = parse_command(message.text, ours, chat_id=chat.id, user_id=user.id if user else 0, chat_type=chat.type)
    if cmd is None:  # `/ latest`, `/`: nothing we can read as a command
        if private or target:
            await _answer(context, message, Reply(MALFORMED), quote=True)
        return
    if not private and cmd.name not in HANDLERS and not target:
        return  # `/foo` in a group is likely for another bot
    cmd = replace(cmd, thread_id=_thread_id(message),
                  is_admin=await sender_is_admin(context, chat, user, message.sender_chat))
    reply = await dispatch(context.bot_data.ctx, cmd)
    await _answer(context, message, reply, quote=True)


async def on_chatter(update: Update, context: Context) -> None:
    """Plain text in a private chat gets a hint (a `/…` Telegram saw no command in: the usage line)."""
    message = update.effective_message
    await _answer(context, message, Reply(MALFORMED if message.text.lstrip().startswith("/") else CHATTER_HINT),
                  quote=False)


def button_command(data: str) -> Command | None:
    """The command a button stands for: `more|listing|offset|key` or `run|command|arg`."""
    if data.startswith("more|"):
        cmd = parse_more(data)
    elif data.startswith("run|") and data.count("|") >= 2:
        _, name, arg = data.split("|", 2)
        cmd = Command(name=name, args=arg)
    else:
        cmd = None
    return cmd if cmd is not None and cmd.name in HANDLERS else None


async def on_callback(update: Update, context: Context) -> None:
    """A button press: always answered; a stale or unknown button says so politely."""
    query = update.callback_query
    cmd = button_command(query.data or "")
    message = query.message
    if cmd is None or message is None:
        await query.answer(STALE_BUTTON)
        return
    await query.answer()
    chat = message.chat
    cmd = replace(cmd, chat_id=chat.id, user_id=query.from_user.id, chat_type=chat.type,
                  thread_id=_thread_id(message), is_admin=await sender_is_admin(context, chat, query.from_user))
    reply = await dispatch(context.bot_data.ctx, cmd)
    if cmd.offset and isinstance(message, Message):
        try:  # the pressed `Xem thêm ›` goes away; the next page comes as a new message
            await query.edit_message_reply_markup(reply_markup=None)
        except BadRequest as exc:  # too old to edit, or already without buttons
            log.debug("Could not remove the button: %s", exc)
    await _answer(context, message, reply, quote=False)


def article_result(item: dict[str, Any], tz: Any = None) -> InlineQueryResultArticle:
    """One article as an inline result: title, summary as description, the card as the message."""
    card = split_html(article_card(item, tz=tz))[0]
    summary = " ".join((item.get("summary") or "").split())
    url = item.get("url") if re.match(r"^https?://", item.get("url") or "", re.IGNORECASE) else None
    return InlineQueryResultArticle(
        id=str(item["id"]),
        title=item["title"][:256],
        description=summary[:200] or None,
        url=url,
        input_message_content=InputTextMessageContent(card, parse_mode=ParseMode.HTML),
    )


async def on_inline_query(update: Update, context: Context) -> None:
    """`@bot Bình Dương` in any chat: matching articles (province, country, search, or latest)."""
    query = update.inline_query
    ctx = context.bot_data.ctx
    offset = parse_number(query.offset, 0, MAX_OFFSET) or 0  # `²`.isdigit() is True; int() then raises
    page = find_articles(ctx, query.query, limit=INLINE_RESULTS, offset=offset)
    results = [article_result(item, ctx.tz) for item in page.items]
    next_offset = str(offset + len(page.items)) if page.has_more else ""
    await query.answer(results, cache_time=INLINE_CACHE_SECONDS, next_offset=next_offset)


# --- errors -----------------------------------------------------------------------------

async def on_error(update: object, context: Context) -> None:
    """Log first (update id, never the token), mend or tell the user, then alert the admins (bot.operator)."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("Exception while handling update %s", update_id, exc_info=context.error)
    try:
        await _mend_or_tell(update, context)
    finally:
        if not isinstance(context.error, (*BlockedErrors, ChatMigrated)):  # mended, nothing to report
            await report_error(context.bot, context.bot_data.ctx, context.error, f"job {context.job.name}" if context.job else "handler")


async def _mend_or_tell(update: object, context: Context) -> None:
    """A blocked or migrated chat is recorded; anyone else who asked gets a short apology."""
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is None:
        return
    db = context.bot_data.ctx.db
    if isinstance(context.error, BlockedErrors):
        set_blocked(db, chat.id, True)
        return
    if isinstance(context.error, ChatMigrated):
        migrate_chat(db, chat.id, context.error.new_chat_id)
        return
    if chat.type == ChatType.CHANNEL:
        return
    if _message_key(update.effective_message) in context.bot_data.answered:
        return  # the user already has the answer: one message per request, never an extra error
    try:
        await context.bot.send_message(chat.id, ERROR_TEXT)
    except TelegramError as exc:
        log.warning("Could not tell chat %s about the error: %s", chat.id, exc)


# --- running ----------------------------------------------------------------------------

def webhook_path(url: str) -> str:
    """The local path the webhook server answers on: the public URL's path."""
    return urlparse(url).path.strip("/")


async def start(app: Application, settings: Settings, listen: str = "0.0.0.0") -> None:
    """Initialize (getMe), run post_init, then poll or serve the webhook; StartupError on failure."""
    try:
        await app.initialize()
    except TelegramError as exc:  # a rejected token, an unreachable server
        await app.bot.shutdown()
        raise StartupError(telegram_failure(exc, settings.telegram_api_base_url)) from None
    await app.post_init(app)
    try:
        if settings.webhook_url:
            await app.updater.start_webhook(
                listen=listen, port=settings.webhook_port, url_path=webhook_path(settings.webhook_url),
                webhook_url=settings.webhook_url, allowed_updates=Update.ALL_TYPES,
                secret_token=settings.webhook_secret or secrets.token_urlsafe(32),
            )
        else:
            await app.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES)
    except InvalidToken as exc:  # revoked between getMe and the first poll
        await app.shutdown()
        raise StartupError(telegram_failure(exc, settings.telegram_api_base_url)) from None
    except (TelegramError, OSError) as exc:
        await app.shutdown()
        where = f"DIPLOBOT_WEBHOOK_PORT {settings.webhook_port}" if settings.webhook_url else "polling"
        raise StartupError(f"cannot start {where}: {redact(str(exc))}") from None
    await app.start()


async def stop(app: Application) -> None:
    """Stop receiving, finish the updates in hand, close the connections."""
    if app.updater.running:
        await app.updater.stop()
    delivery = app.bot_data.ctx.delivery
    if delivery is not None:  # before app.stop(), which waits for running jobs: a long send must not
        await delivery.shutdown()
    if app.running:
        await app.stop()
    await app.shutdown()
    await app.post_shutdown(app)


async def serve(app: Application, settings: Settings, stop_event: asyncio.Event, listen: str = "0.0.0.0") -> None:
    """Run until `stop_event` is set."""
    await start(app, settings, listen)
    try:
        await stop_event.wait()
    finally:
        await stop(app)


async def _serve_until_signal(app: Application, settings: Settings) -> None:
    stop_event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop_event.set)
    await serve(app, settings, stop_event)


def run_telegram(settings: Settings, db: Database) -> int:
    """`diplobot run` with a token: serve until SIGINT/SIGTERM; 0 on a clean stop, 1 if it cannot start."""
    app = build_application(settings, db)
    mode = f"webhook {redact(settings.webhook_url)}" if settings.webhook_url else "polling"
    log.debug("Starting the Telegram bot (%s) against %s", mode, redact(settings.telegram_api_base_url))
    try:
        asyncio.run(_serve_until_signal(app, settings))
    except StartupError as exc:
        print(f"diplobot: {exc}", file=sys.stderr)
        return 1
    return 0


__all__ = [
    "BlockedErrors", "STALE_BUTTON", "StartupError", "TelegramChats", "article_result", "bot_may_post",
    "build_application", "button_command", "is_chat_admin", "run_telegram", "send_reply", "serve", "start", "stop",
]
