"""Subscription commands: /subscribe, /unsubscribe, /subscriptions, /digest_time,
/digest_off, /digest_on, and the admins' /broadcast.

`/subscribe` alone is every diplomatic article; `/subscribe tỉnh Bình Dương`,
`/subscribe nước Nhật Bản`, `/subscribe chủ đề ngoại giao kinh tế` narrow it (the kind
word also without marks, `tinh`/`nuoc`/`chu de`, or `province`/`country`/`topic`; left
out, the name is tried as a province, then a country, then a topic). Names are read by
the tagger's resolvers, so a subscription uses the tags' own codes; a new province
(`TP. Hồ Chí Minh`) covers the old ones merged into it. In groups only admins may
change anything. From a private chat, a channel or group named first (`/subscribe @kenh …`)
is managed instead (`bot.targets`); a subscription made in a forum topic sends there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from bot.access import is_bot_admin, may_change_chat
from bot.clock import parse_time, tz_label  # noqa: F401 (parse_time: tests import it from here)
from bot.commands import fits_callback
from bot.registry import BotContext, Command, command
from bot.targets import on_target
from bot.format import format_moment, province_label
from bot.outbox import queue_announcement
from tagger.countries import flag, resolve_country, suggest_countries
from tagger.provinces import resolve_province, suggest_provinces
from tagger.topics import resolve_topic, suggest_topics
from bot.replies import Button, Reply, esc, quote
from diplobot.text import fold
from storage import subscriptions as store
from storage.subscriptions import ALL, ALL_CODE
from storage.times import parse_iso

NOT_GROUP_ADMIN = "Chỉ quản trị viên của nhóm mới được thay đổi đăng ký và bản tin của nhóm."
NOT_BOT_ADMIN = "Chỉ quản trị viên của bot mới được dùng lệnh /broadcast."
KIND_WORDS = {  # folded forms that may start the argument
    ALL: ("tat ca", "all", "moi tin"),
    "province": ("tinh", "province", "thanh pho"),
    "country": ("nuoc", "quoc gia", "country"),
    "topic": ("chu de", "chude", "topic"),
}
KIND_NAMES = {"province": "tỉnh, thành", "country": "quốc gia", "topic": "chủ đề"}
USAGE = (
    "Cách dùng:\n"
    "/subscribe — mọi tin ngoại giao\n"
    "/subscribe tỉnh &lt;tên&gt; — ví dụ <code>/subscribe tỉnh Bình Dương</code>\n"
    "/subscribe nước &lt;tên&gt; — ví dụ <code>/subscribe nước Nhật Bản</code>\n"
    "/subscribe chủ đề &lt;tên&gt; — ví dụ <code>/subscribe chủ đề ngoại giao kinh tế</code>"
)


@dataclass(frozen=True)
class Target:
    """What a subscription points at, in the tags' own terms."""

    kind: str  # all, province, province_new, country, topic
    code: str
    value: str  # the name as stored and shown
    note: str = ""  # e.g. what a merged province covers
    exact: bool = True


ALL_TARGET = Target(ALL, ALL_CODE, "tất cả tin ngoại giao")


def target_label(kind: str, value: str, code: str = "") -> str:
    """How a subscription reads in replies and lists (HTML)."""
    if kind == ALL:
        return "<b>tất cả tin ngoại giao</b>"
    if kind in ("province", "province_new"):
        return f"📍 <b>{esc(province_label(value))}</b>"
    if kind == "country":
        return f"{flag(code)} <b>{esc(value)}</b>".strip()
    return f"🏷 chủ đề <b>{esc(value)}</b>"


# --- reading the argument -------------------------------------------------------------------

def split_kind(args: str) -> tuple[str | None, str]:
    """(`province` | `country` | `topic` | `all` | None, the name): `tỉnh Bình Dương` → province."""
    text = " ".join(args.split())
    folded = fold(text)
    for kind, words in KIND_WORDS.items():
        for word in words:
            if folded == word:
                return kind, ""
            if folded.startswith(word + " ") or folded.startswith(word + ":"):
                rest = text[len(word):].lstrip(" :")
                # "thành phố X" is a province query as typed: let the resolver read the prefix.
                return kind, text if word == "thanh pho" else rest
    return None, text


def province_target(name: str) -> Target | None:
    match = resolve_province(name)
    if match is None:
        return None
    label = esc(province_label(match.name))
    if match.kind == "new":
        others = [m for m in match.members if m != match.name]
        note = f"Gồm cả tin về {esc(', '.join(others))} (sáp nhập từ 1/7/2025)." if others else ""
        return Target("province_new", match.new_code, match.name, note, match.exact)
    note = ""
    if match.new_name != match.name:
        new = esc(province_label(match.new_name))
        note = (f"{label} nay thuộc {new}. Muốn nhận tin cả {new}: "
                f"<code>/subscribe tỉnh {esc(match.new_name)}</code>")
    return Target("province", match.old_codes[0], match.name, note, match.exact)


def country_target(name: str) -> Target | None:
    match = resolve_country(name)
    return None if match is None else Target("country", match.code, match.name, "", match.exact)


def topic_target(name: str) -> Target | None:
    """A topic as the tagger names it; its code is the folded name, as in the tags table."""
    match = resolve_topic(name)
    return None if match is None else Target("topic", fold(match), match)


RESOLVERS = {"province": province_target, "country": country_target, "topic": topic_target}


SUGGESTERS = {"province": suggest_provinces, "country": suggest_countries, "topic": suggest_topics}


def suggestions(kind: str, name: str) -> list[str]:
    return SUGGESTERS[kind](name)


KIND_WORD_SHOWN = {"province": "tỉnh", "country": "nước", "topic": "chủ đề"}


def not_found(command_name: str, kind: str | None, name: str) -> Reply:
    """Unknown name: say so and offer the closest names as buttons (never a silent no-op)."""
    kinds = [kind] if kind else ["province", "country", "topic"]
    offers = [(k, s) for k in kinds for s in suggestions(k, name)][:5]
    what = KIND_NAMES[kind] if kind else "tỉnh, thành, quốc gia hay chủ đề"
    text = f"Không tìm thấy {what} «{quote(name)}»."
    buttons = []
    if offers:
        text += " Có phải bạn muốn: " + ", ".join(f"<b>{esc(s)}</b>" for _, s in offers) + "?"
        # A name too long for the callback data gets no button: a cut one would subscribe to another name.
        runs = [(f"/{command_name} {arg}", f"run|{command_name}|{arg}")
                for arg in (f"{KIND_WORD_SHOWN[k]} {s}" for k, s in offers)]
        buttons = [[Button(label, callback_data=data)] for label, data in runs if fits_callback(data)]
    return Reply(text, buttons)


def resolve(kind: str | None, name: str) -> Target | None:
    """The target for a name; without a kind, the first exact reading (province, country, topic)."""
    if kind == ALL:
        return ALL_TARGET
    if kind:
        return RESOLVERS[kind](name)
    found = [t for t in (province_target(name), country_target(name), topic_target(name)) if t]
    return next((t for t in found if t.exact), None)


# --- settings helpers -------------------------------------------------------------------------

def _refusal(cmd: Command) -> Reply | None:
    """Groups: only their admins change subscriptions (`bot.access.may_change_chat`)."""
    if not may_change_chat(cmd):
        return Reply(NOT_GROUP_ADMIN)
    return None


def _digest_time(ctx: BotContext, chat: dict | None) -> str:
    return (chat or {}).get("digest_time") or ctx.settings.digest_time


# --- commands ---------------------------------------------------------------------------------

@command("subscribe", "Đăng ký nhận bản tin")
@on_target(needs_post=True)
async def subscribe(ctx: BotContext, cmd: Command) -> Reply:
    """Subscribe this chat to every diplomatic article, a province, a country or a topic."""
    if refusal := _refusal(cmd):
        return refusal
    kind, name = split_kind(cmd.args)
    if kind in RESOLVERS and not name:
        return Reply(USAGE)
    target = ALL_TARGET if (kind == ALL or not name) else resolve(kind, name)
    if target is None:
        return not_found("subscribe", kind, name)
    store.ensure_chat(ctx.db, cmd.chat_id, cmd.chat_type)
    label = target_label(target.kind, target.value, target.code)
    if not store.subscribe(ctx.db, cmd.chat_id, target.kind, target.code, target.value, thread_id=cmd.thread_id):
        return Reply(f"Bạn đã đăng ký {label} rồi. Xem các đăng ký: /subscriptions")
    chat = store.get_chat(ctx.db, cmd.chat_id)
    lines = [f"✅ Đã đăng ký {label}" + ("" if target.exact else f" <i>(hiểu là {esc(target.value)})</i>") + "."]
    if target.note:
        lines.append(target.note)
    if not store.digest_on(chat):
        lines.append("Bản tin hằng ngày đang tắt: gõ /digest_on để bật.")
    else:
        lines.append(f"Bản tin hằng ngày gửi lúc <b>{_digest_time(ctx, chat)}</b> ({tz_label(ctx.tz)}); "
                     "ngày không có tin mới thì không gửi.")
    lines.append("Xem các đăng ký: /subscriptions · Đổi giờ: /digest_time")
    return Reply("\n".join(lines))


@command("unsubscribe", "Hủy đăng ký")
@on_target()
async def unsubscribe(ctx: BotContext, cmd: Command) -> Reply:
    """Remove one subscription, or all of them (`/unsubscribe tất cả`)."""
    if refusal := _refusal(cmd):
        return refusal
    kind, name = split_kind(cmd.args)
    current = store.list_subscriptions(ctx.db, cmd.chat_id)
    if kind == ALL or (not cmd.args.strip() and len(current) <= 1):
        removed = store.unsubscribe_all(ctx.db, cmd.chat_id)
        if not removed:
            return Reply("Bạn chưa đăng ký nhận tin nào.")
        return Reply(f"Đã hủy {removed} đăng ký. Bạn sẽ không nhận bản tin nữa. Đăng ký lại: /subscribe")
    if not name:
        return Reply("Cách dùng: /unsubscribe tỉnh|nước|chủ đề &lt;tên&gt;, hoặc <code>/unsubscribe tất cả</code>.\n\n"
                     + _listing(current))
    target = resolve(kind, name)
    if target is None:
        # A stored name resolvers no longer know (a free topic): match what was stored.
        folded = fold(name)
        stored = [s for s in current if fold(s["value"]) == folded and (kind is None or s["kind"].startswith(kind))]
        if not stored:
            what = KIND_NAMES[kind] if kind in KIND_NAMES else "đăng ký"
            return Reply(f"Không tìm thấy {what} «{quote(name)}».\n\n" + _listing(current))
        target = Target(stored[0]["kind"], stored[0]["code"], stored[0]["value"])
    label = target_label(target.kind, target.value, target.code)
    if store.unsubscribe(ctx.db, cmd.chat_id, target.kind, [target.code]):
        left = len(current) - 1
        tail = "" if left else " Bạn không còn đăng ký nào."
        return Reply(f"Đã hủy đăng ký {label}.{tail}")
    return Reply(f"Bạn chưa đăng ký {label}.\n\n" + _listing(current))


def _listing(subs: list[dict]) -> str:
    if not subs:
        return "Bạn chưa đăng ký nhận tin nào."
    lines = ["<b>Bạn đang đăng ký:</b>"]
    lines += [f"• {target_label(s['kind'], s['value'], s['code'])}" for s in subs]
    return "\n".join(lines)


@command("subscriptions", "Các đăng ký và giờ nhận bản tin")
@on_target()
async def subscriptions(ctx: BotContext, cmd: Command) -> Reply:
    """This chat's subscriptions, its digest time, and when the last digest went out."""
    subs = store.list_subscriptions(ctx.db, cmd.chat_id)
    if not subs:
        return Reply("Bạn chưa đăng ký nhận tin nào.\n\n" + USAGE)
    chat = store.get_chat(ctx.db, cmd.chat_id) or {}
    tz = ctx.tz
    lines = [_listing(subs), ""]
    if not store.digest_on(chat):
        lines.append("⏸ Bản tin hằng ngày đang <b>tắt</b>. Bật lại: /digest_on")
    else:
        lines.append(f"⏰ Bản tin hằng ngày lúc <b>{_digest_time(ctx, chat)}</b> ({tz_label(tz)}). "
                     "Đổi giờ: /digest_time · Tắt: /digest_off")
    last = format_moment(chat.get("last_digest_at"), tz, " ngày ")
    today = datetime.now(timezone.utc).astimezone(tz).date().isoformat()
    if chat.get("digest_day") == today and not (last and parse_iso(chat["last_digest_at"]).astimezone(tz).date().isoformat() == today):
        lines.append("Hôm nay không có tin mới theo đăng ký của bạn.")
    lines.append(f"Bản tin gần nhất: {last}." if last else "Chưa gửi bản tin nào.")
    lines.append("<i>Ngày không có tin mới thì không gửi bản tin.</i>")
    return Reply("\n".join(lines))


@command("digest_time", "Đổi giờ nhận bản tin")
@on_target()
async def digest_time(ctx: BotContext, cmd: Command) -> Reply:
    """Set this chat's daily digest time (HH:MM, in DIPLOBOT_TZ)."""
    if refusal := _refusal(cmd):
        return refusal
    tz = ctx.tz
    hhmm = parse_time(cmd.args)
    if hhmm is None:
        chat = store.get_chat(ctx.db, cmd.chat_id)
        return Reply(f"Cách dùng: /digest_time HH:MM ({tz_label(tz)}), ví dụ <code>/digest_time 07:30</code>.\n"
                     f"Giờ hiện tại: <b>{_digest_time(ctx, chat)}</b>.")
    store.ensure_chat(ctx.db, cmd.chat_id, cmd.chat_type)
    store.set_digest_time(ctx.db, cmd.chat_id, hhmm)
    text = f"⏰ Bản tin hằng ngày sẽ được gửi lúc <b>{hhmm}</b> ({tz_label(tz)})."
    if not store.list_subscriptions(ctx.db, cmd.chat_id):
        text += "\nBạn chưa đăng ký nhận tin nào: gõ /subscribe để bắt đầu."
    return Reply(text)


def _switch_digest(ctx: BotContext, cmd: Command, on: bool) -> Reply | None:
    """Turn this chat's digest on or off; the refusal instead where the sender may not."""
    if refusal := _refusal(cmd):
        return refusal
    store.ensure_chat(ctx.db, cmd.chat_id, cmd.chat_type)
    store.set_digest_enabled(ctx.db, cmd.chat_id, on)
    return None


@command("digest_off", "Tắt bản tin hằng ngày")
@on_target()
async def digest_off(ctx: BotContext, cmd: Command) -> Reply:
    """Stop the daily digest (subscriptions are kept)."""
    if refusal := _switch_digest(ctx, cmd, False):
        return refusal
    return Reply("⏸ Đã tắt bản tin hằng ngày. Các đăng ký vẫn được giữ; bật lại: /digest_on")


@command("digest_on", "Bật lại bản tin hằng ngày")
@on_target()
async def digest_on(ctx: BotContext, cmd: Command) -> Reply:
    """Turn the daily digest back on."""
    if refusal := _switch_digest(ctx, cmd, True):
        return refusal
    chat = store.get_chat(ctx.db, cmd.chat_id)
    text = f"▶️ Đã bật bản tin hằng ngày, gửi lúc <b>{_digest_time(ctx, chat)}</b> ({tz_label(ctx.tz)})."
    if not store.list_subscriptions(ctx.db, cmd.chat_id):
        text += "\nBạn chưa đăng ký nhận tin nào: gõ /subscribe để bắt đầu."
    return Reply(text)


@command("broadcast")
async def broadcast(ctx: BotContext, cmd: Command) -> Reply:
    """Admins (DIPLOBOT_ADMINS) send a notice to every subscriber; others are refused."""
    if not is_bot_admin(ctx, cmd):
        return Reply(NOT_BOT_ADMIN)
    if not cmd.args.strip():
        return Reply("Cách dùng: /broadcast &lt;nội dung&gt; — gửi tới mọi người, mọi nhóm đã đăng ký.")
    chats = [c for c in store.subscriber_ids(ctx.db) if c != 0]
    queue_announcement(ctx.db, cmd.args, chats)
    if ctx.delivery is not None:
        ctx.delivery.wake()
        when = "đang được gửi"
    else:
        when = "sẽ được gửi ở lượt gửi tới (<code>diplobot digest</code> hoặc bot đang chạy)"
    return Reply(f"📢 Thông báo tới {len(chats)} người, nhóm đăng ký {when}.")
