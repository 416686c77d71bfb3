"""Command handlers: a parsed command in, a Vietnamese reply out.

No Telegram and no terminal code here, and no SQL: handlers ask `storage.queries`
and the tagger's resolvers, and format with `bot.format`. Adapters call `dispatch`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.format import article_card, article_full, province_label
from bot.replies import Button, Reply, esc, quote
from storage import listing_state, queries
from storage.tx import DatabaseBusy

log = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_LATEST = 20
MAX_ARTICLE_ID = 2**63 - 1  # SQLite's largest integer
MAX_OFFSET = 10_000  # deeper than any reader pages (2,000 pages); bounds the work a forged offset asks for
MAX_QUERY_CHARS = 256  # a search query; longer ones are answered with the usage line
MAX_NAME_CHARS = 100  # a province, country, person or topic name (fuzzy matching 10,000 took 0.4 s)
LISTING_TTL = 24 * 60 * 60  # seconds a listing's `Xem thêm ›` keeps working after its last page
MORE = "Xem thêm ›"
LISTING_EXPIRED = "Danh sách này đã hết hạn. Vui lòng gửi lại lệnh để xem tiếp."


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
    # or subscriptions needs it (see `may_change_settings`).
    is_admin: bool | None = None
    # A `Xem thêm ›` press: the id of the listing's state kept on the server
    # (storage.listing_state); `dispatch` puts the listing's key into `args`.
    listing: str = ""


@dataclass
class BotContext:
    """What handlers may use: the database, the settings, and adapter-provided extras."""

    db: Any
    settings: Any = None
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self):
        return getattr(self.settings, "tz", None)


Handler = Callable[[BotContext, Command], Awaitable[Reply]]
HANDLERS: dict[str, Handler] = {}
DESCRIPTIONS: dict[str, str] = {}  # the command menu, in Vietnamese


def command(name: str, description: str = ""):
    """Register a handler under `/name` (and its menu description)."""

    def register(func: Handler) -> Handler:
        HANDLERS[name] = func
        if description:
            DESCRIPTIONS[name] = description
        return func

    return register


_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.DOTALL)
# `/article_12` is clickable; `/article_-1`, `/article_²` (no command to the regex above) still
# reach /article, whose usage line says what is wrong.
_ARTICLE_RE = re.compile(r"^/article_([^\s@]*)(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.DOTALL | re.IGNORECASE)


def parse_command(text: str, bot_username: str | None = None, **where: Any) -> Command | None:
    """A `Command` for text that starts with `/`; None for chatter or another bot's command."""
    text = text.strip()
    match = _ARTICLE_RE.match(text)
    if match:
        name, target, args = "article", match.group(2), f"{match.group(1)} {match.group(3) or ''}".strip()
    else:
        match = _COMMAND_RE.match(text)
        if not match:
            return None
        name, target, args = match.group(1).lower(), match.group(2), (match.group(3) or "").strip()
    if target and bot_username and target.lower() != bot_username.lower():
        return None
    return Command(name=name, args=args, **where)


_DIGITS_RE = re.compile(r"[0-9]+")


def parse_number(text: str, low: int, high: int) -> int | None:
    """An integer typed in ASCII digits within [low, high]; None for anything else.

    Every number a user or a button sends goes through here: `str.isdigit` accepts `²` and
    `①` (int() then raises), int() refuses 4,300 digits, and SQLite 2**63.
    """
    text = text.strip()
    if not _DIGITS_RE.fullmatch(text):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(high)):
        return None
    value = int(digits)
    return value if low <= value <= high else None


async def dispatch(ctx: BotContext, cmd: Command) -> Reply:
    """Run the handler for `cmd`; unknown commands, expired listings and handler errors get a
    short Vietnamese reply."""
    handler = HANDLERS.get(cmd.name)
    if handler is None:
        return Reply(f"Không có lệnh /{quote(cmd.name)}. Gõ /help để xem các lệnh.")
    try:
        if cmd.listing:
            key = listing_state.recall(ctx.db, cmd.listing, cmd.name, LISTING_TTL)
            if key is None:
                return Reply(LISTING_EXPIRED)
            cmd = replace(cmd, args=key)
        return await handler(ctx, cmd)
    except Exception:  # nothing a user types may become a traceback
        log.exception("handler /%s failed", cmd.name)
        return Reply("Xin lỗi, đã có lỗi khi xử lý lệnh này. Vui lòng thử lại sau.")


ADMIN_ONLY = "Chỉ quản trị viên của nhóm mới thay đổi được cài đặt này."


def may_change_settings(cmd: Command) -> bool:
    """Anyone in a private chat (or the terminal); only the chat's admins in groups and channels."""
    return cmd.chat_type == "private" or cmd.is_admin is True


# --- pagination -----------------------------------------------------------------------

CALLBACK_BYTES = 64  # Telegram's limit on a button's callback data
_STATE_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,16}")


def fits_callback(data: str) -> bool:
    return len(data.encode()) <= CALLBACK_BYTES


def more_button(ctx: BotContext, listing: str, key: str, offset: int) -> Button:
    """A `Xem thêm ›` button: `more|listing|offset|id`, the listing's key kept on the server.

    The key (a search query, tag codes) used to ride in the callback data and was cut at
    64 bytes, about 20 Vietnamese characters: page 2 then answered another query.
    """
    state = listing_state.remember(ctx.db, listing, key, LISTING_TTL)
    return Button(MORE, callback_data=f"more|{listing}|{offset}|{state}")


def parse_more(data: str) -> Command | None:
    """The command a `Xem thêm ›` button stands for; None for data no button of ours carries."""
    parts = data.split("|", 3)
    if len(parts) != 4 or parts[0] != "more" or not _STATE_ID_RE.fullmatch(parts[3]):
        return None
    offset = parse_number(parts[2], 1, MAX_OFFSET)
    if offset is None:
        return None
    return Command(name=parts[1], offset=offset, listing=parts[3])


def page_reply(ctx: BotContext, header: str, page: queries.Page, listing: str, key: str, empty: str) -> Reply:
    if not page.items:
        return Reply(f"{header}\n\n{empty}" if header else empty)
    cards = [article_card(item, page.offset + i + 1, ctx.tz) for i, item in enumerate(page.items)]
    shown = f"{page.offset + 1}–{page.offset + len(page.items)}/{page.total}"
    text = (f"{header}\n" if header else "") + f"<i>Bài {shown}</i>\n\n" + "\n\n".join(cards)
    buttons = []
    if page.has_more:
        try:
            buttons = [[more_button(ctx, listing, key, page.offset + len(page.items))]]
        except DatabaseBusy:  # the page itself is the answer; only its button waits on other writers
            log.warning("listing state not saved: the database is busy")
    return Reply(text, buttons)


# --- usage lines ------------------------------------------------------------------------

USAGE = {
    "latest": f"Cách dùng: /latest [n], với n từ 1 đến {MAX_LATEST}. Ví dụ: <code>/latest 10</code>",
    "province": "Cách dùng: /province &lt;tên tỉnh, thành&gt;. Ví dụ: <code>/province Bình Dương</code>, "
                "<code>/province Cần Thơ</code>",
    "country": "Cách dùng: /country &lt;tên nước&gt;. Ví dụ: <code>/country Nhật Bản</code>",
    "person": "Cách dùng: /person &lt;họ tên&gt;. Ví dụ: <code>/person Lê Hoài Trung</code>",
    "topic": "Cách dùng: /topic &lt;chủ đề&gt;. Ví dụ: <code>/topic ngoại giao kinh tế</code>",
    "search": f"Cách dùng: /search &lt;từ khóa&gt; (tối đa {MAX_QUERY_CHARS} ký tự). "
              "Ví dụ: <code>/search đại sứ</code>, <code>/search han quoc</code>",
    "article": "Cách dùng: /article &lt;số bài&gt;. Ví dụ: <code>/article 1</code>",
}


def usage(name: str, typed: str = "") -> Reply:
    """The usage line of a command, after what was typed (quoted, clipped) when there was something."""
    line = USAGE.get(name, "Gõ /help để xem các lệnh.")
    return Reply(f"«{quote(typed)}» không hợp lệ. {line}" if typed.strip() else line)


# --- commands ---------------------------------------------------------------------------

HELP = """<b>Diplobot</b> tóm tắt tin ngoại giao Việt Nam.

<b>Các lệnh</b>
/latest [n] — tin mới nhất, ví dụ <code>/latest 10</code>
/province &lt;tên&gt; — tin theo tỉnh, thành, ví dụ <code>/province Bình Dương</code>
/country &lt;tên&gt; — tin theo quốc gia, ví dụ <code>/country Nhật Bản</code>
/person &lt;họ tên&gt; — tin theo nhân vật, ví dụ <code>/person Lê Hoài Trung</code>
/topic &lt;chủ đề&gt; — tin theo chủ đề, ví dụ <code>/topic ngoại giao kinh tế</code>
/search &lt;từ khóa&gt; — tìm kiếm, ví dụ <code>/search đại sứ</code>
/article &lt;số&gt; — đọc một bài, ví dụ <code>/article 1</code>
/help — hướng dẫn này

<b>Bản tin hằng ngày</b>
/subscribe — nhận mọi tin ngoại giao; hoặc <code>/subscribe tỉnh Bình Dương</code>, <code>/subscribe nước Nhật Bản</code>, <code>/subscribe chủ đề ngoại giao kinh tế</code>
/unsubscribe &lt;như trên&gt; hoặc <code>/unsubscribe tất cả</code> — hủy đăng ký
/subscriptions — các đăng ký, giờ nhận bản tin
/digest_time HH:MM — đổi giờ nhận, ví dụ <code>/digest_time 07:30</code>; /digest_off, /digest_on — tắt, bật

Tên tỉnh và nước gõ không dấu cũng được (<code>/province binh duong</code>). Tỉnh, thành trước và sau sáp nhập ngày 1/7/2025 đều tra được.
Tìm kiếm: từ gõ có dấu chỉ khớp đúng từ đó (<code>sứ</code> khác <code>sự</code>), từ gõ không dấu khớp mọi cách viết (<code>su</code>)."""


@command("start", "Bắt đầu")
async def start(ctx: BotContext, cmd: Command) -> Reply:
    """Greet and show what the bot does."""
    total = queries.count_articles(ctx.db)
    return Reply(f"Xin chào! Hiện có {total} bài viết.\n\n" + HELP)


@command("help", "Hướng dẫn sử dụng")
async def help_(ctx: BotContext, cmd: Command) -> Reply:
    """The Vietnamese usage text with examples."""
    return Reply(HELP)


@command("latest", "Tin mới nhất")
async def latest(ctx: BotContext, cmd: Command) -> Reply:
    """Newest articles; `/latest 10` asks for more at once."""
    size = PAGE_SIZE
    if cmd.args and not cmd.offset:
        size = parse_number(cmd.args, 1, MAX_LATEST)
        if size is None:
            return usage("latest", cmd.args)
    page = queries.latest(ctx.db, limit=size, offset=cmd.offset)
    return page_reply(ctx, "🆕 <b>Tin mới nhất</b>", page, "latest", "", "Chưa có bài viết nào.")


def _suggestions(names: list[str], command_name: str) -> tuple[str, list[list[Button]]]:
    if not names:
        return "", []
    text = "Có phải bạn muốn: " + ", ".join(f"<b>{esc(n)}</b>" for n in names) + "?"
    # A name too long for the callback data gets no button: a cut one would run another command.
    buttons = [[Button(n, callback_data=f"run|{command_name}|{n}")] for n in names
               if fits_callback(f"run|{command_name}|{n}")]
    return text, buttons


@command("province", "Tin theo tỉnh, thành")
async def province(ctx: BotContext, cmd: Command) -> Reply:
    """Articles about a province, before or after the 2025 merger."""
    from tagger.provinces import resolve_province, suggest_provinces

    if not cmd.args.strip():
        return usage("province")
    if cmd.offset:  # a page after the first: the key is the resolved kind and code
        kind, _, code = cmd.args.partition(":")
        page = queries.by_tag(ctx.db, kind, code.split(","), offset=cmd.offset)
        return page_reply(ctx, "", page, "province", cmd.args, "Không còn bài viết nào.")
    if len(cmd.args) > MAX_NAME_CHARS:
        return usage("province", cmd.args)
    match = resolve_province(cmd.args)
    if match is None:
        hint, buttons = _suggestions(suggest_provinces(cmd.args), "province")
        return Reply(f"Không tìm thấy tỉnh, thành «{quote(cmd.args)}». {hint}".strip(), buttons)
    header = _province_header(match)
    if match.kind == "new":
        key, page = f"province_new:{match.new_code}", queries.by_tag(ctx.db, "province_new", [match.new_code])
    else:
        codes = ",".join(match.old_codes)
        key, page = f"province:{codes}", queries.by_tag(ctx.db, "province", match.old_codes)
    return page_reply(ctx, header, page, "province", key, f"Chưa có bài viết nào về {esc(province_label(match.name))}.")


def _province_header(match) -> str:
    name = esc(province_label(match.name))
    header = f"📍 <b>{name}</b>"
    if not match.exact:
        header += f" <i>(hiểu là {name})</i>"
    if match.kind == "old" and match.new_name != match.name:
        header += f"\n{name} nay thuộc <b>{esc(province_label(match.new_name))}</b> (sáp nhập từ 1/7/2025)."
    elif match.kind == "new" and len(match.members) > 1:
        members = ", ".join(esc(m) for m in match.members)
        header += f"\nTừ 1/7/2025 gồm: {members}."
    return header


@command("country", "Tin theo quốc gia")
async def country(ctx: BotContext, cmd: Command) -> Reply:
    """Articles that mention a country."""
    from tagger.countries import flag
    from tagger.countries import resolve_country, suggest_countries

    if not cmd.args.strip():
        return usage("country")
    if cmd.offset:
        page = queries.by_tag(ctx.db, "country", [cmd.args], offset=cmd.offset)
        return page_reply(ctx, "", page, "country", cmd.args, "Không còn bài viết nào.")
    if len(cmd.args) > MAX_NAME_CHARS:
        return usage("country", cmd.args)
    match = resolve_country(cmd.args)
    if match is None:
        hint, buttons = _suggestions(suggest_countries(cmd.args), "country")
        return Reply(f"Không tìm thấy quốc gia «{quote(cmd.args)}». {hint}".strip(), buttons)
    name = esc(match.name)
    header = f"{flag(match.code)} <b>{name}</b>".strip()
    if not match.exact:
        header += f" <i>(hiểu là {name})</i>"
    page = queries.by_tag(ctx.db, "country", [match.code])
    return page_reply(ctx, header, page, "country", match.code, f"Chưa có bài viết nào về {name}.")


@command("search", "Tìm kiếm bài viết")
async def search(ctx: BotContext, cmd: Command) -> Reply:
    """Full-text search over titles, summaries and bodies; diacritics optional."""
    query = " ".join(cmd.args.split())
    if not query:
        return usage("search")
    if len(query) > MAX_QUERY_CHARS or not queries.search_words(query):
        return usage("search", query)
    page = queries.search(ctx.db, query, offset=cmd.offset)
    header = "" if cmd.offset else f"🔎 Kết quả cho «<b>{quote(query)}</b>»"
    return page_reply(ctx, header, page, "search", query, f"Không tìm thấy bài viết nào cho «{quote(query)}».")


@command("article", "Đọc một bài viết")
async def article(ctx: BotContext, cmd: Command) -> Reply:
    """One article in full."""
    article_id = parse_number(cmd.args, 1, MAX_ARTICLE_ID)
    if article_id is None:
        return usage("article", cmd.args)
    item = queries.get_article(ctx.db, article_id)
    if item is None:
        return Reply(f"Không có bài viết số {article_id}.")
    return Reply(article_full(item, ctx.tz))


def match_person(ctx: BotContext, query: str) -> tuple[list[str], list[str], str | None]:
    """(codes, names) of stored people whose folded name ends with the query, or suggestions."""
    from rapidfuzz import fuzz, process

    from diplobot.text import fold

    wanted = " ".join(fold(query).split())
    people = queries.tag_names(ctx.db, "person")
    hits = [(v, c) for v, c, _ in people if c == wanted or c.endswith(" " + wanted)]
    if hits:
        return [c for _, c in hits], [v for v, _ in hits], None
    best = process.extract(wanted, {c: c for _, c, _ in people}, scorer=fuzz.WRatio, limit=3, score_cutoff=70)
    names = {c: v for v, c, _ in people}
    return [], [], ", ".join(f"<b>{esc(names[c])}</b>" for _, _, c in best) or None


@command("person", "Tin theo nhân vật")
async def person(ctx: BotContext, cmd: Command) -> Reply:
    """Articles that name a person (full name, or the last part of it)."""
    if not cmd.args.strip():
        return usage("person")
    if cmd.offset:
        page = queries.by_tag(ctx.db, "person", cmd.args.split(","), offset=cmd.offset)
        return page_reply(ctx, "", page, "person", cmd.args, "Không còn bài viết nào.")
    if len(cmd.args) > MAX_NAME_CHARS:
        return usage("person", cmd.args)
    codes, names, suggestions = match_person(ctx, cmd.args)
    if not codes:
        hint = f" Có phải bạn muốn: {suggestions}?" if suggestions else ""
        return Reply(f"Chưa có bài viết nào nhắc đến «{quote(cmd.args)}».{hint}")
    header = "👤 " + ", ".join(f"<b>{esc(n)}</b>" for n in names[:5])
    page = queries.by_tag(ctx.db, "person", codes)
    return page_reply(ctx, header, page, "person", ",".join(codes), "Chưa có bài viết nào.")


@command("topic", "Tin theo chủ đề")
async def topic(ctx: BotContext, cmd: Command) -> Reply:
    """Articles on a topic of the diplomatic taxonomy."""
    from diplobot.text import fold
    from tagger.topics import TAXONOMY, resolve_topic, suggest_topics

    if not cmd.args.strip():
        names = "\n".join(f"• {esc(name)}" for name in TAXONOMY)
        return Reply(f"{USAGE['topic']}\n\nCác chủ đề:\n{names}")
    if cmd.offset:
        page = queries.by_tag(ctx.db, "topic", [cmd.args], offset=cmd.offset)
        return page_reply(ctx, "", page, "topic", cmd.args, "Không còn bài viết nào.")
    if len(cmd.args) > MAX_NAME_CHARS:
        return usage("topic", cmd.args)
    name = resolve_topic(cmd.args)
    if name is None:
        hint, buttons = _suggestions(suggest_topics(cmd.args), "topic")
        return Reply(f"Không có chủ đề «{quote(cmd.args)}». {hint}".strip(), buttons)
    page = queries.by_tag(ctx.db, "topic", [fold(name)])
    return page_reply(ctx, f"🏷 <b>{esc(name)}</b>", page, "topic", fold(name), f"Chưa có bài viết nào về {esc(name)}.")


# --- free-text lookup (Telegram inline mode) ---------------------------------------------

def find_articles(ctx: BotContext, text: str, limit: int = PAGE_SIZE, offset: int = 0) -> queries.Page:
    """Articles for free text: a province or a country when the text names one exactly,
    else full-text search (falling back to a close province or country name), latest when empty."""
    from tagger.countries import resolve_country
    from tagger.provinces import resolve_province

    text = text.strip()
    if not text:
        return queries.latest(ctx.db, limit=limit, offset=offset)
    province_match, country_match = resolve_province(text), resolve_country(text)
    by_province = by_country = None
    if province_match is not None:
        if province_match.kind == "new":
            by_province = ("province_new", [province_match.new_code])
        else:
            by_province = ("province", list(province_match.old_codes))
    if country_match is not None:
        by_country = ("country", [country_match.code])
    for found, match in ((by_province, province_match), (by_country, country_match)):
        if found and match.exact:
            return queries.by_tag(ctx.db, *found, limit=limit, offset=offset)
    page = queries.search(ctx.db, text, limit=limit, offset=offset)
    if page.total == 0:
        for found in (by_province, by_country):
            if found:
                return queries.by_tag(ctx.db, *found, limit=limit, offset=offset)
    return page


# Registers /subscribe, /unsubscribe, /subscriptions, /digest_time, /digest_off, /digest_on, /broadcast.
from bot import subscriptions as _subscriptions  # noqa: E402,F401
from bot import feeds as _feeds  # noqa: E402,F401 (registers the admin commands /addfeed, /removefeed, /feeds)
