"""Command handlers: a parsed command in, a Vietnamese reply out.

No Telegram and no terminal code here, and no SQL: handlers ask `storage.queries`
and the tagger's resolvers, and format with `bot.format`. Handlers register with
`bot.registry.command`; adapters call `bot.handlers.dispatch`, which knows every handler module.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from bot.format import article_card, article_full, province_label
from bot.periods import Period, PeriodError, split_period
from bot.registry import BotContext, Command, command
from bot.replies import Button, Reply, esc, quote
from bot.telegram_html import MESSAGE_LIMIT, split_html
from diplobot.text import fold
from storage import listing_state, queries
from tagger.countries import flag, resolve_country, suggest_countries
from tagger.people import name_matches
from tagger.provinces import ProvinceQuery, resolve_province, suggest_provinces
from tagger.topics import TAXONOMY, resolve_topic, suggest_topics

log = logging.getLogger(__name__)

PAGE_SIZE = 5
MAX_LATEST = 20
MAX_ARTICLE_ID = 2**63 - 1  # SQLite's largest integer
MAX_OFFSET = 10_000  # deeper than any reader pages (2,000 pages); bounds the work a forged offset asks for
MAX_QUERY_CHARS = 256  # a search query; longer ones are answered with the usage line
MAX_NAME_CHARS = 100  # a province, country, person or topic name (fuzzy matching 10,000 took 0.4 s)
LISTING_TTL = 24 * 60 * 60  # seconds a listing's `Xem thêm ›` keeps working after its last page
MORE = "Xem thêm ›"
READ_ON = "Đọc tiếp ›"  # the next messages of a long /article
ARTICLE_PARTS = 3  # messages /article sends at once
LISTING_EXPIRED = "Danh sách này đã hết hạn. Vui lòng gửi lại lệnh để xem tiếp."


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
    return Reply(text, next_page(ctx, page, listing, key))


def next_page(ctx: BotContext, page: queries.Page, listing: str, key: str) -> list[list[Button]]:
    """The `Xem thêm ›` row under a page that has more after it; none otherwise."""
    if not page.has_more:
        return []
    return saved_button(lambda: more_button(ctx, listing, key, page.offset + len(page.items)))


def saved_button(make: Callable[[], Button]) -> list[list[Button]]:
    """A row with the button `make` draws, or none when its listing state cannot be saved:
    the page itself is the answer, and a database that refuses the write (busy past the
    wait, read-only, full) must not cost the user that answer."""
    try:
        return [[make()]]
    except sqlite3.Error as exc:  # storage.tx.DatabaseBusy is one
        log.warning("listing state not saved, page sent without its button: %s", exc)
        return []


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
/latest [n] — tin mới nhất, ví dụ <code>/latest 10</code>, <code>/latest tuần này</code>
/province &lt;tên&gt; — tin theo tỉnh, thành, ví dụ <code>/province Bình Dương</code>
/country &lt;tên&gt; — tin theo quốc gia, ví dụ <code>/country Nhật Bản</code>
/person &lt;họ tên&gt; — tin theo nhân vật, ví dụ <code>/person Lê Hoài Trung</code>
/topic &lt;chủ đề&gt; — tin theo chủ đề, ví dụ <code>/topic ngoại giao kinh tế</code>
/search &lt;từ khóa&gt; — tìm kiếm, ví dụ <code>/search đại sứ</code>
/article &lt;số&gt; — đọc một bài, ví dụ <code>/article 1</code>
Lọc theo ngày đăng: thêm thời gian vào cuối /latest, /province, /country, /person, /topic, /search, ví dụ <code>/country Nhật Bản tuần này</code>, <code>/search đại sứ từ 01/01/2024 đến 31/03/2024</code> (bài không rõ ngày không được liệt kê)
/events [thời gian] — sự kiện sắp diễn ra nêu trong các bài, ví dụ <code>/events</code>, <code>/events tháng này</code>, <code>/events 7 ngày</code>
/trend &lt;tên&gt;[, &lt;tên&gt;…] [thời gian] — biểu đồ số bài theo tuần, ví dụ <code>/trend Nhật Bản, Hàn Quốc</code>, <code>/trend Đà Nẵng 30 ngày</code>
/stats [thời gian] — biểu đồ tỉnh, nước được nhắc nhiều nhất (mặc định tháng này)
/report [thời gian] — bản tin Word (mặc định 7 ngày qua), ví dụ <code>/report từ 01/01/2024 đến 31/03/2024</code>
Thời gian (không dấu cũng được): <code>hôm nay</code>, <code>tuần này</code>, <code>tháng trước</code>, <code>7 ngày</code>, <code>12 tuần</code>, <code>từ 01/01/2024 đến 31/03/2024</code>
/help — hướng dẫn này

<b>Bản tin hằng ngày</b>
/subscribe — nhận mọi tin ngoại giao; hoặc <code>/subscribe tỉnh Bình Dương</code>, <code>/subscribe nước Nhật Bản</code>, <code>/subscribe chủ đề ngoại giao kinh tế</code>
/subscribe từ khóa &lt;cụm từ&gt; — theo dõi một cụm từ (tiêu đề, tóm tắt, nội dung), ví dụ <code>/subscribe từ khóa biển Đông</code>; có dấu trừ là loại trừ: <code>/subscribe từ khóa -bóng đá</code> (bài có cụm từ này không được gửi)
/subscribe người &lt;họ tên&gt; — theo dõi một nhân vật, ví dụ <code>/subscribe người Lê Hoài Trung</code>
/unsubscribe &lt;như trên&gt; hoặc <code>/unsubscribe tất cả</code> — hủy đăng ký
/subscriptions — các đăng ký, giờ nhận bản tin
/digest_time HH:MM — đổi giờ nhận, ví dụ <code>/digest_time 07:30</code>; /digest_off, /digest_on — tắt, bật
/timezone &lt;vùng&gt; — múi giờ của cuộc trò chuyện (giờ bản tin, ngày giờ hiển thị), ví dụ <code>/timezone Asia/Tokyo</code>, <code>/timezone Luân Đôn</code>; <code>/timezone</code> để xem
/digest_weekly — bản tin hằng tuần, thứ Hai, gồm tin cả tuần; /digest_daily — trở lại hằng ngày
/alerts on|off — báo ngay từng tin mới khớp đăng ký, mỗi tin một lần (<code>/alerts bật</code>, <code>/alerts tắt</code>)
/quiet 22:00-07:00 — giờ yên lặng: tin báo ngay được giữ lại, gửi gộp một lần khi hết giờ; <code>/quiet tắt</code> để bỏ
Kênh, nhóm bạn quản trị: gõ trong chat riêng với bot, tên kênh hoặc mã số đứng trước, ví dụ <code>/subscribe @kenh tỉnh Bình Dương</code>, <code>/subscribe -1001234567890 nước Nhật Bản</code>, <code>/subscriptions @kenh</code>, <code>/unsubscribe @kenh tất cả</code>, <code>/digest_time @kenh 06:30</code> (bot phải ở trong đó; với kênh: là quản trị viên có quyền đăng tin)
Nhóm có chủ đề (forum): đăng ký trong chủ đề nào, bản tin gửi vào chủ đề đó

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


# --- a trailing period on listings: `/country Nhật Bản tuần này` ---------------------------

_KEPT_SEP = "\n"  # in no listing key otherwise: queries are one line, tag keys are codes


@dataclass(frozen=True)
class Within:
    """A listing's trailing period: the local dates the reader typed (`period`, for the header)
    and the UTC bounds storage filters on, kept with the listing so that `Xem thêm ›` keeps them."""

    period: Period | None = None
    bounds: queries.Bounds | None = None

    def header(self, header: str) -> str:
        """`🇯🇵 <b>Nhật Bản</b> · tuần này (30/11/2026–03/12/2026)`: the period on the first line."""
        if self.period is None or not header:
            return header
        first, newline, rest = header.partition("\n")
        return f"{first} · {esc(self.period.describe())}{newline}{rest}"

    def empty(self, empty: str) -> str:
        if self.period is None:
            return empty
        when = f"ngày {self.period.span}" if self.period.days == 1 else f"khoảng {self.period.span}"
        return f"Không có bài viết nào đăng trong {when}."

    def key(self, key: str) -> str:
        """The listing's key with the bounds, as `storage.listing_state` keeps it."""
        return key if self.bounds is None else _KEPT_SEP.join((key, *self.bounds))


def within(ctx: BotContext, text: str, alone: bool = False) -> tuple[str, Within]:
    """`Nhật Bản tuần này` → (`Nhật Bản`, this week in the chat's dates): the one reading of a
    listing's trailing period (`bot.periods.split_period`). Text that is only a period stays the
    name unless `alone` (`/search hôm nay` looks for those words; `/latest hôm nay` filters).
    PeriodError for an invalid one (`từ 31/02/2024`)."""
    rest, period = split_period(text, ctx.today)
    if period is None or (not rest and not alone):
        return " ".join(text.split()), Within()
    return rest, Within(period, period.utc_bounds(ctx.tz))


def kept(key: str) -> tuple[str, Within]:
    """A kept listing key (`Within.key`) back as the key and its bounds, for the pages after the first."""
    key, *bounds = key.split(_KEPT_SEP)
    return key, Within(bounds=(bounds[0], bounds[1]) if len(bounds) == 2 else None)


@command("latest", "Tin mới nhất")
async def latest(ctx: BotContext, cmd: Command) -> Reply:
    """Newest articles; `/latest 10` asks for more at once, `/latest 10 tuần này` within a period."""
    size = PAGE_SIZE
    if cmd.offset:
        _, dated = kept(cmd.args)
    else:
        try:
            rest, dated = within(ctx, cmd.args, alone=True)
        except PeriodError as exc:
            return Reply(esc(str(exc)))
        if rest:
            size = parse_number(rest, 1, MAX_LATEST)
            if size is None:
                return usage("latest", cmd.args)
    page = queries.latest(ctx.db, limit=size, offset=cmd.offset, bounds=dated.bounds)
    return page_reply(ctx, dated.header("🆕 <b>Tin mới nhất</b>"), page, "latest", dated.key(""),
                      dated.empty("Chưa có bài viết nào."))


def did_you_mean(names: list[str], command_name: str) -> tuple[str, list[list[Button]]]:
    """`Có phải bạn muốn: …?` and a button per name that runs `/command_name name`."""
    if not names:
        return "", []
    text = "Có phải bạn muốn: " + ", ".join(f"<b>{esc(n)}</b>" for n in names) + "?"
    # A name too long for the callback data gets no button: a cut one would run another command.
    buttons = [[Button(n, callback_data=f"run|{command_name}|{n}")] for n in names
               if fits_callback(f"run|{command_name}|{n}")]
    return text, buttons


# --- listings by tag: /province, /country, /person, /topic --------------------------------

@dataclass(frozen=True)
class TagQuery:
    """A name read as tags: which articles to list, and how the listing is headed."""

    kind: str  # province, province_new, country, person, topic (storage.queries.by_tag)
    codes: tuple[str, ...]
    header: str
    empty: str  # the answer when no article carries these tags yet

    @property
    def key(self) -> str:
        """What the `Xem thêm ›` button keeps on the server (storage.listing_state)."""
        return f"{self.kind}:{','.join(self.codes)}"


def tag_listing(ctx: BotContext, cmd: Command, read: Callable[[str], TagQuery | Reply]) -> Reply:
    """The one skeleton of the tag listings: a next page from its kept key, else `read` the name
    (and its trailing period, `within`)."""
    if not cmd.args.strip():
        return usage(cmd.name)
    if cmd.offset:  # a page after the first: `args` is the kept key, `kind:code,code` (and bounds)
        key, dated = kept(cmd.args)
        kind, _, codes = key.partition(":")
        page = queries.by_tag(ctx.db, kind, codes.split(","), offset=cmd.offset, bounds=dated.bounds)
        return page_reply(ctx, "", page, cmd.name, cmd.args, "Không còn bài viết nào.")
    try:
        name, dated = within(ctx, cmd.args)
    except PeriodError as exc:
        return Reply(esc(str(exc)))
    if len(name) > MAX_NAME_CHARS:
        return usage(cmd.name, cmd.args)
    found = read(name)
    if isinstance(found, Reply):
        return found
    page = queries.by_tag(ctx.db, found.kind, found.codes, bounds=dated.bounds)
    return page_reply(ctx, dated.header(found.header), page, cmd.name, dated.key(found.key), dated.empty(found.empty))


def province_codes(match: ProvinceQuery) -> tuple[str, tuple[str, ...]]:
    """The tags a province stands for: a new province's code, or the old codes of an old one."""
    return ("province_new", (match.new_code,)) if match.kind == "new" else ("province", tuple(match.old_codes))


def read_province(name: str) -> TagQuery | Reply:
    match = resolve_province(name)
    if match is None:
        hint, buttons = did_you_mean(suggest_provinces(name), "province")
        return Reply(f"Không tìm thấy tỉnh, thành «{quote(name)}». {hint}".strip(), buttons)
    return TagQuery(*province_codes(match), _province_header(match),
                    f"Chưa có bài viết nào về {esc(province_label(match.name))}.")


@command("province", "Tin theo tỉnh, thành")
async def province(ctx: BotContext, cmd: Command) -> Reply:
    """Articles about a province, before or after the 2025 merger."""
    return tag_listing(ctx, cmd, read_province)


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


def read_country(name: str) -> TagQuery | Reply:
    match = resolve_country(name)
    if match is None:
        hint, buttons = did_you_mean(suggest_countries(name), "country")
        return Reply(f"Không tìm thấy quốc gia «{quote(name)}». {hint}".strip(), buttons)
    label = esc(match.name)
    header = f"{flag(match.code)} <b>{label}</b>".strip()
    if not match.exact:
        header += f" <i>(hiểu là {label})</i>"
    return TagQuery("country", (match.code,), header, f"Chưa có bài viết nào về {label}.")


@command("country", "Tin theo quốc gia")
async def country(ctx: BotContext, cmd: Command) -> Reply:
    """Articles that mention a country."""
    return tag_listing(ctx, cmd, read_country)


@command("search", "Tìm kiếm bài viết")
async def search(ctx: BotContext, cmd: Command) -> Reply:
    """Full-text search over titles, summaries and bodies; diacritics optional; a trailing period."""
    if cmd.offset:
        query, dated = kept(cmd.args)
    else:
        try:
            query, dated = within(ctx, cmd.args)
        except PeriodError as exc:
            return Reply(esc(str(exc)))
    if not query:
        return usage("search")
    if len(query) > MAX_QUERY_CHARS or not queries.search_words(query):
        return usage("search", query)
    page = queries.search(ctx.db, query, offset=cmd.offset, bounds=dated.bounds)
    header = "" if cmd.offset else dated.header(f"🔎 Kết quả cho «<b>{quote(query)}</b>»")
    return page_reply(ctx, header, page, "search", dated.key(query),
                      dated.empty(f"Không tìm thấy bài viết nào cho «{quote(query)}»."))


@command("article", "Đọc một bài viết")
async def article(ctx: BotContext, cmd: Command) -> Reply:
    """One article in full: ARTICLE_PARTS messages at a time, `Đọc tiếp ›` for the next ones."""
    article_id = parse_number(cmd.args, 1, MAX_ARTICLE_ID)
    if article_id is None:
        return usage("article", cmd.args)
    item = queries.get_article(ctx.db, article_id)
    if item is None:
        return Reply(f"Không có bài viết số {article_id}.")
    # Cut here, with room for the "(tiếp …)" line, so that a press sends at most ARTICLE_PARTS messages.
    parts = split_html(article_full(item, ctx.tz, full_body=True), MESSAGE_LIMIT - 96)
    shown = parts[cmd.offset:cmd.offset + ARTICLE_PARTS]
    if not shown:
        return Reply(f"Bài viết số {article_id} không còn phần nào nữa.")
    end = cmd.offset + len(shown)
    mark = f"<i>(bài {article_id}, tiếp: phần {cmd.offset + 1}–{end}/{len(parts)})</i>\n\n" if cmd.offset else ""
    buttons = []
    if end < len(parts):
        def read_on() -> Button:
            state = listing_state.remember(ctx.db, "article", str(article_id), LISTING_TTL)
            return Button(READ_ON, callback_data=f"more|article|{end}|{state}")

        buttons = saved_button(read_on)
    return Reply(mark + "\n\n".join(shown), buttons)


def match_person(ctx: BotContext, query: str) -> tuple[list[str], list[str], str | None]:
    """(codes, names) of stored people the query names (`tagger.people.name_matches`), or suggestions."""
    wanted = " ".join(fold(query).split())
    people = queries.tag_names(ctx.db, "person")
    hits = [(v, c) for v, c, _ in people if name_matches(query, v)]
    if hits:
        return [c for _, c in hits], [v for v, _ in hits], None
    best = process.extract(wanted, {c: c for _, c, _ in people}, scorer=fuzz.WRatio, limit=3, score_cutoff=70)
    names = {c: v for v, c, _ in people}
    return [], [], ", ".join(f"<b>{esc(names[c])}</b>" for _, _, c in best) or None


def person_reader(ctx: BotContext) -> Callable[[str], TagQuery | Reply]:
    """People are read against the names stored so far (`match_person`)."""

    def read(name: str) -> TagQuery | Reply:
        codes, names, suggestions = match_person(ctx, name)
        if not codes:
            hint = f" Có phải bạn muốn: {suggestions}?" if suggestions else ""
            return Reply(f"Chưa có bài viết nào nhắc đến «{quote(name)}».{hint}")
        header = "👤 " + ", ".join(f"<b>{esc(n)}</b>" for n in names[:5])
        return TagQuery("person", tuple(codes), header, "Chưa có bài viết nào.")

    return read


@command("person", "Tin theo nhân vật")
async def person(ctx: BotContext, cmd: Command) -> Reply:
    """Articles that name a person (full name, or the last part of it)."""
    return tag_listing(ctx, cmd, person_reader(ctx))


def read_topic(name: str) -> TagQuery | Reply:
    topic_name = resolve_topic(name)
    if topic_name is None:
        hint, buttons = did_you_mean(suggest_topics(name), "topic")
        return Reply(f"Không có chủ đề «{quote(name)}». {hint}".strip(), buttons)
    return TagQuery("topic", (fold(topic_name),), f"🏷 <b>{esc(topic_name)}</b>",
                    f"Chưa có bài viết nào về {esc(topic_name)}.")


@command("topic", "Tin theo chủ đề")
async def topic(ctx: BotContext, cmd: Command) -> Reply:
    """Articles on a topic of the diplomatic taxonomy; without one, the taxonomy."""
    if not cmd.args.strip():
        names = "\n".join(f"• {esc(name)}" for name in TAXONOMY)
        return Reply(f"{USAGE['topic']}\n\nCác chủ đề:\n{names}")
    return tag_listing(ctx, cmd, read_topic)


# --- free-text lookup (Telegram inline mode) ---------------------------------------------

def find_articles(ctx: BotContext, text: str, limit: int = PAGE_SIZE, offset: int = 0) -> queries.Page:
    """Articles for free text: a province or a country when the text names one exactly,
    else full-text search (falling back to a close province or country name), latest when empty."""
    text = text.strip()
    if not text:
        return queries.latest(ctx.db, limit=limit, offset=offset)
    province_match, country_match = resolve_province(text), resolve_country(text)
    by_province = province_codes(province_match) if province_match is not None else None
    by_country = ("country", (country_match.code,)) if country_match is not None else None
    for found, match in ((by_province, province_match), (by_country, country_match)):
        if found and match.exact:
            return queries.by_tag(ctx.db, *found, limit=limit, offset=offset)
    page = queries.search(ctx.db, text, limit=limit, offset=offset)
    if page.total == 0:
        for found in (by_province, by_country):
            if found:
                return queries.by_tag(ctx.db, *found, limit=limit, offset=offset)
    return page

