"""Commands that act on another chat, named before their arguments, from a private chat:
`/subscribe @kenh tỉnh Bình Dương`, `/subscribe -1001234567890 nước Nhật Bản`,
`/unsubscribe @kenh tất cả`, `/subscriptions @kenh`.

An administrator of a channel or group manages it from a private chat with the bot: the
target is accepted when Telegram says (through `BotContext.chats`, the adapter's
`ChatDirectory`) that the sender administers it and, for changes, that the bot may post
there. The handler then runs on a command aimed at the target (its chat id and type), so
the target's subscriptions, digests and alerts are its own. A handler adopts this with one
decorator, under `@command`: `@on_target(needs_post=True)`.

Refused, each with one line and nothing stored: a target typed in a group or channel (it
would act on a chat other than the one everybody there sees; use a private chat), the
terminal chat (no Telegram there), an unknown chat or `@name`, a chat where the bot cannot
post, a sender who is not its administrator.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from bot.access import GROUP_TYPES
from bot.commands import fits_callback
from bot.registry import BotContext, ChatAccess, Command, Handler
from bot.replies import Button, Reply, esc, quote
from storage.chats import set_blocked, thread_of, upsert_chat

_TARGET_RE = re.compile(r"^(@\S*|-[0-9]{1,19})(?:\s+(.*))?$", re.DOTALL)
_USERNAME_RE = re.compile(r"^@[A-Za-z][A-Za-z0-9_]{3,31}$")

IN_TERMINAL = "Chọn kênh hoặc nhóm khác chỉ làm được trong Telegram, trong chat riêng với bot."
IN_GROUP = ("Hãy chọn kênh hoặc nhóm khác trong chat riêng với bot (ví dụ <code>/{name} {ref} …</code>); "
            "trong nhóm, lệnh chỉ áp dụng cho chính nhóm này.")
UNKNOWN = ("Không tìm thấy kênh hoặc nhóm {ref}. Hãy kiểm tra tên (<code>@tên_kênh</code> hoặc mã số "
           "<code>-100…</code>) và thêm bot vào đó trước.")
NOT_A_GROUP = "{ref} không phải kênh hay nhóm: chỉ chọn được kênh hoặc nhóm."
CANNOT_POST_CHANNEL = ("Bot chưa được đăng tin trong {label}: hãy thêm bot làm quản trị viên với quyền "
                       "đăng tin, rồi gửi lại lệnh.")
CANNOT_POST_GROUP = "Bot không gửi được tin vào {label}: hãy thêm bot vào nhóm và cho phép gửi tin, rồi gửi lại lệnh."
NOT_ADMIN = "Chỉ quản trị viên của {label} mới được xem và thay đổi đăng ký của nó."
UNCHECKED = "Không kiểm tra được quyền quản trị của bạn trong {label}. Vui lòng thử lại sau."


@dataclass(frozen=True)
class ChatTarget:
    """A chat named before the arguments, checked: the command as it acts there."""

    command: Command
    access: ChatAccess

    @property
    def ref(self) -> str:
        return f"@{self.access.username}" if self.access.username else str(self.access.id)

    @property
    def heading(self) -> str:
        """The first line of every reply about the target, so nobody mistakes it for this chat."""
        label = chat_label(self.access)
        return f"{'📣' if self.access.type == 'channel' else '👥'} {label[0].upper()}{label[1:]}:"


@dataclass(frozen=True)
class Refusal:
    """A target not accepted: a stable `reason` and the one line the sender reads."""

    reason: str  # terminal, group, unknown, not_a_group, cannot_post, not_admin, unchecked
    reply: Reply


def chat_label(access: ChatAccess) -> str:
    """`kênh <b>Tin Bình Dương</b> (@kenh)`, `nhóm <b>…</b>` (HTML)."""
    kind = "kênh" if access.type == "channel" else "nhóm"
    name = f"<b>{esc(access.title)}</b>" if access.title else ""
    ref = f"@{esc(access.username)}" if access.username else str(access.id)
    return f"{kind} {name} ({ref})" if name else f"{kind} {ref}"


def split_target(args: str) -> tuple[str | None, str]:
    """(`@kenh` | `-100…` | None, the rest of the arguments)."""
    match = _TARGET_RE.match(args.strip())
    if not match:
        return None, args
    return match.group(1), (match.group(2) or "").strip()


def _refuse(reason: str, text: str) -> Refusal:
    return Refusal(reason, Reply(text))


async def aim(ctx: BotContext, cmd: Command, *, needs_post: bool) -> ChatTarget | Refusal | None:
    """The chat named before `cmd`'s arguments, checked; None when the arguments name none.

    `needs_post`: the bot must be able to post there (subscribing); listing and removing
    need only the sender's admin rights. An accepted target's chat row is written (type,
    title, username), and unblocked when the bot was just seen able to post.
    """
    ref, rest = split_target(cmd.args)
    if ref is None:
        return None
    if ctx.chats is None:
        return _refuse("terminal", IN_TERMINAL)
    if cmd.chat_type != "private":
        return _refuse("group", IN_GROUP.format(name=esc(cmd.name), ref=quote(ref)))
    if ref.startswith("@") and not _USERNAME_RE.match(ref):
        return _refuse("unknown", UNKNOWN.format(ref=quote(ref)))
    access = await ctx.chats.access(ref if ref.startswith("@") else int(ref), cmd.user_id)
    if access is None:
        return _refuse("unknown", UNKNOWN.format(ref=quote(ref)))
    if access.type not in ("channel", *GROUP_TYPES):
        return _refuse("not_a_group", NOT_A_GROUP.format(ref=quote(ref)))
    label = chat_label(access)
    if needs_post and access.bot_can_post is not True:
        text = CANNOT_POST_CHANNEL if access.type == "channel" else CANNOT_POST_GROUP
        return _refuse("cannot_post", text.format(label=label))
    if access.sender_admin is None:
        return _refuse("unchecked", UNCHECKED.format(label=label))
    if not access.sender_admin:
        return _refuse("not_admin", NOT_ADMIN.format(label=label))
    upsert_chat(ctx.db, access.id, access.type, access.title, access.username)
    if access.bot_can_post:
        set_blocked(ctx.db, access.id, False)
    # A forum keeps the topic its news goes to: a subscription from here is not one typed in General.
    aimed = replace(cmd, args=rest, chat_id=access.id, chat_type=access.type, is_admin=True,
                    thread_id=thread_of(ctx.db, access.id))
    return ChatTarget(aimed, access)


def _keep_target(buttons: list[list[Button]], name: str, ref: str) -> list[list[Button]]:
    """A suggestion button (`run|subscribe|tỉnh X`) must act on the target too, or not be offered."""
    prefix = f"run|{name}|"
    out = []
    for row in buttons:
        kept = []
        for button in row:
            data = button.callback_data
            if data and data.startswith(prefix):
                data = f"{prefix}{ref} {data[len(prefix):]}"
                if not fits_callback(data):
                    continue
                button = replace(button, callback_data=data)
            kept.append(button)
        if kept:
            out.append(kept)
    return out


def on_target(*, needs_post: bool = False):
    """Let a handler act on a chat named before its arguments (`/cmd @kenh …`); the reply
    is headed with that chat's name. Without a target the handler runs as typed."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(ctx: BotContext, cmd: Command) -> Reply:
            found = await aim(ctx, cmd, needs_post=needs_post)
            if found is None:
                return await handler(ctx, cmd)
            if isinstance(found, Refusal):
                return found.reply
            reply = await handler(ctx.in_chat(found.command.chat_id), found.command)  # in its time zone
            return replace(reply, html=f"{found.heading}\n{reply.html}",
                           buttons=_keep_target(reply.buttons, cmd.name, found.ref))

        return run

    return wrap
