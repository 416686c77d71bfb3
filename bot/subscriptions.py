"""Subscription commands: /subscribe, /unsubscribe, /subscriptions, /digest_time,
/digest_off, /digest_on, and the admins' /broadcast.

`/subscribe` alone is every diplomatic article; `/subscribe tỉnh Bình Dương`,
`/subscribe nước Nhật Bản`, `/subscribe chủ đề ngoại giao kinh tế` narrow it (the kind
word also without marks, `tinh`/`nuoc`/`chu de`, or `province`/`country`/`topic`; left
out, the name is tried as a province, then a country, then a topic). Names are read by
the tagger's resolvers, so a subscription uses the tags' own codes; a new province
(`TP. Hồ Chí Minh`) covers the old ones merged into it. In groups only admins may
change anything. `/subscribe từ khóa <cụm từ>` follows a phrase (`-<cụm từ>` shuts it out of
every subscription of the chat) and `/subscribe người <họ tên>` a person; `bot.matcher` matches
them. A chat has at most SUBSCRIPTION_LIMIT subscriptions. From a private chat, a channel or group named first (`/subscribe @kenh …`)
is managed instead (`bot.targets`); a subscription made in a forum topic sends there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from bot.access import is_bot_admin, may_change_chat
from bot.alerts import arrival_lines
from bot.clock import parse_time, tz_label
from bot.commands import fits_callback, match_person
from bot.registry import BotContext, Command, command
from bot.targets import on_target
from bot.format import format_moment, province_label
from bot.outbox import queue_announcement
from tagger.countries import flag, resolve_country, suggest_countries
from tagger.provinces import resolve_province, suggest_provinces
from tagger.topics import resolve_topic, suggest_topics
from bot.replies import Button, Reply, esc, quote
from diplobot.text import fold, normalize
from storage import subscriptions as store
from storage import follow
from storage.follow import WEEKLY
from storage.queries import search_words
from storage.subscriptions import ALL, ALL_CODE, EXCLUDE, KEYWORD, PERSON
from tagger.people import name_matches
from storage.times import parse_iso

NOT_GROUP_ADMIN = "Chỉ quản trị viên của nhóm mới được thay đổi đăng ký và bản tin của nhóm."
NOT_BOT_ADMIN = "Chỉ quản trị viên của bot mới được dùng lệnh /broadcast."
KIND_WORDS = {  # folded forms that may start the argument
    ALL: ("tat ca", "all", "moi tin"),
    "province": ("tinh", "province", "thanh pho"),
    "country": ("nuoc", "quoc gia", "country"),
    "topic": ("chu de", "chude", "topic"),
    KEYWORD: ("tu khoa", "tukhoa", "keyword"),
    PERSON: ("nguoi", "nhan vat", "person"),
}
KIND_NAMES = {"province": "tỉnh, thành", "country": "quốc gia", "topic": "chủ đề", KEYWORD: "từ khóa",
              PERSON: "nhân vật"}
SUBSCRIPTION_LIMIT = 50  # per chat, every kind together
KEYWORD_MAX_CHARS = 100
EXCLUDE_MARKS = "-–—−"  # `-bóng đá`; phones turn `--` into a dash
PHRASE_TRIM = " \"'“”«»‘’`"
USAGE = (
    "Cách dùng:\n"
    "/subscribe — mọi tin ngoại giao\n"
    "/subscribe tỉnh &lt;tên&gt; — ví dụ <code>/subscribe tỉnh Bình Dương</code>\n"
    "/subscribe nước &lt;tên&gt; — ví dụ <code>/subscribe nước Nhật Bản</code>\n"
    "/subscribe chủ đề &lt;tên&gt; — ví dụ <code>/subscribe chủ đề ngoại giao kinh tế</code>\n"
    "/subscribe từ khóa &lt;cụm từ&gt; — ví dụ <code>/subscribe từ khóa biển Đông</code>, "
    "<code>/subscribe tu khoa dai su</code>\n"
    "/subscribe từ khóa -&lt;cụm từ&gt; — loại trừ: bài có cụm từ này không được gửi, "
    "ví dụ <code>/subscribe từ khóa -bóng đá</code>\n"
    "/subscribe người &lt;họ tên&gt; — ví dụ <code>/subscribe người Lê Hoài Trung</code>\n"
    "Từ khóa gõ không dấu khớp mọi cách viết (<code>dai su</code>: đại sứ, đại sự); gõ có dấu chỉ khớp "
    "đúng từ đó (<code>đại sứ</code>). Tối đa 50 đăng ký."
)
KEYWORD_USAGE = ("Hãy gõ cụm từ cần theo dõi, ví dụ <code>/subscribe từ khóa biển Đông</code> "
                 "(loại trừ: <code>/subscribe từ khóa -bóng đá</code>).")
PERSON_USAGE = "Hãy gõ họ tên người cần theo dõi, ví dụ <code>/subscribe người Lê Hoài Trung</code>."


@dataclass(frozen=True)
class Target:
    """What a subscription points at, in the tags' own terms."""

    kind: str  # all, province, province_new, country, topic, keyword, exclude, person
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
    if kind == KEYWORD:
        return f"🔑 từ khóa «<b>{esc(value)}</b>»"
    if kind == EXCLUDE:
        return f"🚫 loại trừ «<b>{esc(value)}</b>»"
    if kind == PERSON:
        return f"👤 <b>{esc(value)}</b>"
    return f"🏷 chủ đề <b>{esc(value)}</b>"


# --- reading the argument -------------------------------------------------------------------

def split_kind(args: str) -> tuple[str | None, str]:
    """(a kind of KIND_WORDS or None, the name): `tỉnh Bình Dương` → province."""
    text = " ".join(normalize(args).split())  # NFC: the kind word's length is the same folded
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


# --- keywords and people ----------------------------------------------------------------------

def keyword_target(ctx: BotContext, text: str) -> Target | Reply:
    """A phrase to follow, or with a leading `-` to shut out; bad input gets its one line.

    The code is the phrase's words as /search reads them (`storage.queries.search_words`:
    lower case, marks kept), so `bot.matcher` applies /search's rule: without marks any
    form, with them only that word."""
    text = text.strip()
    exclude = bool(text) and text[0] in EXCLUDE_MARKS
    phrase = " ".join(text[1:].split() if exclude else text.split()).strip(PHRASE_TRIM)
    if not phrase:
        return Reply(KEYWORD_USAGE)
    if len(phrase) > KEYWORD_MAX_CHARS:
        return Reply(f"Từ khóa dài {len(phrase)} ký tự, quá {KEYWORD_MAX_CHARS}: hãy rút gọn.")
    words = search_words(phrase)
    if not words:
        return Reply(f"Từ khóa «{quote(phrase)}» không có chữ hay số nào: hãy gõ một từ hoặc cụm từ.")
    code = " ".join(w.text for w in words)
    if len(code.replace(" ", "")) < 2:
        return Reply(f"Từ khóa «{quote(phrase)}» chỉ có một chữ: hãy gõ ít nhất hai chữ cái.")
    if exclude:
        note = "Bài có cụm từ này sẽ không được gửi cho bạn, dù khớp đăng ký nào."
    elif any(w.marked for w in words):
        note = (f"Gõ có dấu nên chỉ khớp đúng cách viết này; muốn khớp mọi cách viết, gõ không dấu: "
                f"<code>/subscribe từ khóa {esc(fold(code))}</code>.")
    else:
        note = "Gõ không dấu nên khớp mọi cách viết, có dấu hay không."
    return Target(EXCLUDE if exclude else KEYWORD, code, phrase, note)


def person_target(ctx: BotContext, name: str) -> Target | Reply:
    """A person already named in stored articles, read as `/person` reads names
    (`bot.commands.match_person`). Several people answer to a partial name (`Trung`):
    the reader chooses (buttons), nothing is stored; a full name typed as stored is taken."""
    if not name.strip():
        return Reply(PERSON_USAGE)
    codes, names, hint = match_person(ctx, name)
    if not codes:
        tail = f" Có phải bạn muốn: {hint}?" if hint else ""
        return Reply(f"Chưa có bài viết nào nhắc đến «{quote(name)}», nên chưa theo dõi được.{tail}")
    typed = " ".join(fold(name).split())
    exact = [(c, n) for c, n in zip(codes, names) if " ".join(fold(n).split()) == typed]
    if exact:
        return Target(PERSON, exact[0][0], exact[0][1])
    # The fullest form stands for the others when they are all forms of one name (`Putin`).
    code, full = max(zip(codes, names), key=lambda pair: len(pair[1].split()))
    others = [n for n in names if not (name_matches(n, full) or name_matches(full, n))]
    if others:
        return _which_person(name, [full, *others])
    return Target(PERSON, code, full, "", exact=False)


def _which_person(name: str, names: list[str]) -> Reply:
    shown = list(dict.fromkeys(names))[:5]
    text = (f"«{quote(name)}» khớp với nhiều người: " + ", ".join(f"<b>{esc(n)}</b>" for n in shown)
            + ". Hãy gõ đầy đủ họ tên người bạn muốn theo dõi.")
    runs = [(n, f"run|subscribe|người {n}") for n in shown]
    return Reply(text, [[Button(n, callback_data=data)] for n, data in runs if fits_callback(data)])


TERM_READERS = {KEYWORD: keyword_target, PERSON: person_target}


def stored_term(ctx: BotContext, current: list[dict], kind: str, name: str) -> dict | Reply | None:
    """The chat's keyword, exclusion or person subscription that `/unsubscribe` names.

    `từ khóa X` removes the keyword X, else the exclusion X (`-X`: the other way round);
    typed without marks it also finds the phrase stored with them. People: by `/person`'s rule."""
    if kind == PERSON:
        return next((s for s in current if s["kind"] == PERSON
                     and (name_matches(name, s["value"]) or fold(name) == s["code"])), None)
    target = keyword_target(ctx, name)
    if isinstance(target, Reply):
        return target
    order = (EXCLUDE, KEYWORD) if target.kind == EXCLUDE else (KEYWORD, EXCLUDE)
    for same in (lambda s: s["code"] == target.code, lambda s: fold(s["code"]) == fold(target.code)):
        found = sorted((s for s in current if s["kind"] in order and same(s)), key=lambda s: order.index(s["kind"]))
        if found:
            return found[0]
    return None


# --- settings helpers -------------------------------------------------------------------------

def _refusal(cmd: Command, text: str = NOT_GROUP_ADMIN) -> Reply | None:
    """Groups: only their admins change subscriptions or settings (`bot.access.may_change_chat`)."""
    if not may_change_chat(cmd):
        return Reply(text)
    return None


def record_change(ctx: BotContext, cmd: Command, text: str = NOT_GROUP_ADMIN) -> Reply | None:
    """Before a setting of this chat is written: the refusal where the sender may not change
    it, else None with the chat's row recorded (bot.alert_commands uses it too)."""
    if refusal := _refusal(cmd, text):
        return refusal
    store.ensure_chat(ctx.db, cmd.chat_id, cmd.chat_type)
    return None


def no_subscriptions_hint(ctx: BotContext, chat_id: int) -> str:
    """The line a setting's reply ends with while the chat follows nothing yet."""
    if store.list_subscriptions(ctx.db, chat_id):
        return ""
    return "\nBạn chưa đăng ký nhận tin nào: gõ /subscribe để bắt đầu."


def _digest_time(ctx: BotContext, chat: dict | None) -> str:
    return (chat or {}).get("digest_time") or ctx.settings.digest_time


# --- commands ---------------------------------------------------------------------------------

@command("subscribe", "Đăng ký nhận bản tin")
@on_target(needs_post=True)
async def subscribe(ctx: BotContext, cmd: Command) -> Reply:
    """Subscribe this chat to every diplomatic article, a province, a country, a topic, a
    keyword (or exclude one) or a person."""
    if refusal := _refusal(cmd):
        return refusal
    kind, name = split_kind(cmd.args)
    if kind in RESOLVERS and not name:
        return Reply(USAGE)
    if kind in TERM_READERS:
        target = TERM_READERS[kind](ctx, name)
        if isinstance(target, Reply):
            return target
    else:
        target = ALL_TARGET if (kind == ALL or not name) else resolve(kind, name)
        if target is None and kind is None:  # no place, country or topic: a person named in the news?
            person = person_target(ctx, name)
            target = person if isinstance(person, Target) else None
        if target is None:
            return not_found("subscribe", kind, name)
    label = target_label(target.kind, target.value, target.code)
    current = store.list_subscriptions(ctx.db, cmd.chat_id)
    if len(current) >= SUBSCRIPTION_LIMIT and (target.kind, target.code) not in {(s["kind"], s["code"]) for s in current}:
        return Reply(f"Đã đủ {SUBSCRIPTION_LIMIT} đăng ký, mức tối đa: hãy hủy bớt (/unsubscribe) rồi đăng ký {label}.")
    store.ensure_chat(ctx.db, cmd.chat_id, cmd.chat_type)
    if not store.subscribe(ctx.db, cmd.chat_id, target.kind, target.code, target.value, thread_id=cmd.thread_id):
        return Reply(f"Bạn đã đăng ký {label} rồi. Xem các đăng ký: /subscriptions")
    chat = store.get_chat(ctx.db, cmd.chat_id)
    lines = [f"✅ Đã đăng ký {label}" + ("" if target.exact else f" <i>(hiểu là {esc(target.value)})</i>") + "."]
    if target.note:
        lines.append(target.note)
    if not follow.digest_on(chat):
        lines.append("Bản tin hằng ngày đang tắt: gõ /digest_on để bật.")
    elif (chat or {}).get("digest_frequency") == WEEKLY:
        lines.append(f"Bản tin hằng tuần gửi vào thứ Hai lúc <b>{_digest_time(ctx, chat)}</b> ({tz_label(ctx.tz)}); "
                     "tuần không có tin mới thì không gửi.")
    else:
        lines.append(f"Bản tin hằng ngày gửi lúc <b>{_digest_time(ctx, chat)}</b> ({tz_label(ctx.tz)}); "
                     "ngày không có tin mới thì không gửi.")
    if cmd.thread_id is not None:
        lines.append("📌 Tin theo đăng ký này sẽ được gửi vào chủ đề này.")
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
        return Reply("Cách dùng: /unsubscribe tỉnh|nước|chủ đề|từ khóa|người &lt;tên&gt;, "
                     "hoặc <code>/unsubscribe tất cả</code>.\n\n" + _listing(current))
    if kind in TERM_READERS:
        found = stored_term(ctx, current, kind, name)
        if isinstance(found, Reply):
            return found
        if found is None:
            return Reply(f"Bạn chưa đăng ký {KIND_NAMES[kind]} «{quote(name)}».\n\n" + _listing(current))
        store.unsubscribe(ctx.db, cmd.chat_id, found["kind"], [found["code"]])
        tail = "" if len(current) > 1 else " Bạn không còn đăng ký nào."
        return Reply(f"Đã hủy {target_label(found['kind'], found['value'], found['code'])}.{tail}")
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
    # In a forum group, each subscription delivers into the topic it was made in (bot.digest.topic_for).
    lines += [f"• {target_label(s['kind'], s['value'], s['code'])}"
              + (f" · 📌 chủ đề #{s['thread_id']}" if s.get("thread_id") else "") for s in subs]
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
    lines = [_listing(subs), "", *arrival_lines(chat, ctx.settings)]  # digest, alerts, quiet window
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
    follow.set_digest_time(ctx.db, cmd.chat_id, hhmm)
    text = f"⏰ Bản tin hằng ngày sẽ được gửi lúc <b>{hhmm}</b> ({tz_label(tz)})."
    return Reply(text + no_subscriptions_hint(ctx, cmd.chat_id))


def _switch_digest(ctx: BotContext, cmd: Command, on: bool) -> Reply | None:
    """Turn this chat's digest on or off; the refusal instead where the sender may not."""
    if refusal := record_change(ctx, cmd):
        return refusal
    follow.set_digest_enabled(ctx.db, cmd.chat_id, on)
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
    return Reply(text + no_subscriptions_hint(ctx, cmd.chat_id))


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
