"""Admin commands for the feeds the bot polls: /addfeed, /removefeed, /feeds; source alerts.

Only users listed in DIPLOBOT_ADMINS may run them; others get a short Vietnamese refusal.
`/addfeed` reads the URL once through the same safe fetcher as polling (`afetch`, in a
worker thread, so the event loop never blocks) and keeps it only if it is a feed.
Not in the public command menu. `announce_source_health` tells the admins when a source
keeps failing and when it works again (storage.sources.claim_health_changes, sent with
bot.operator.notify_admins), after each polling round.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from bot.access import is_bot_admin
from bot.format import format_moment
from bot.registry import BotContext, Command, command
from bot.operator import notify_admins
from bot.replies import Reply, esc, link, quote
from diplobot.settings import Settings
from ingest.catalogue import catalogue_kind
from ingest.feeds import looks_like_feed, parse_feed
from ingest.fetch import afetch
from storage import sources

REFUSAL = "Xin lỗi, lệnh này chỉ dành cho quản trị viên."
USAGE = "Cách dùng: /{name} &lt;URL của RSS/Atom feed&gt;. Ví dụ: <code>/{name} https://baoquocte.vn/rss/thoi-su.rss</code>"

# Why a read failed, for admins: the machine reasons of ingest.fetch / ingest.feeds in Vietnamese.
REASONS = {
    "timeout": "quá thời gian chờ",
    "connect_error": "không kết nối được",
    "network_error": "lỗi mạng",
    "dns_error": "không tìm thấy tên miền",
    "tls_error": "lỗi chứng chỉ HTTPS",
    "blocked_private_address": "địa chỉ nội bộ bị chặn",
    "bad_url": "URL không hợp lệ",
    "bad_scheme": "chỉ nhận http hoặc https",
    "unsupported_scheme": "chỉ nhận http hoặc https",
    "malformed_feed": "feed hỏng (XML lỗi, không có tin nào)",
    "too_large": "nội dung quá lớn",
    "bad_content_type": "không phải trang văn bản",
    "too_many_redirects": "chuyển hướng quá nhiều lần",
    "bad_redirect": "chuyển hướng lỗi",
    "anti_bot": "trang chống bot chặn truy cập",
    "not_a_feed": "không phải RSS/Atom feed",
    "no_article_list": "không tìm thấy danh sách bài trên trang chuyên mục",
    "items_unreachable": "không tải được trang của bài nào trong nguồn",
    "moved": "nguồn đã chuyển sang tên miền khác",
    "not_html": "không phải trang HTML",
    "decoding_error": "lỗi giải mã nội dung",
    "error": "lỗi khi xử lý",
}


def reason_text(reason: str | None) -> str:
    """A stored failure reason (`http_404`, `timeout`…) as Vietnamese words."""
    if not reason:
        return ""
    if reason.startswith("http_") and reason[5:].isdigit():
        return f"lỗi HTTP {reason[5:]}"
    return REASONS.get(reason, reason)


def valid_feed_url(text: str) -> str | None:
    """The URL an admin typed, if it is a plain http(s) URL with a host; else None."""
    url = text.strip().strip("<>")
    if not url or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _when(value: str | None, tz) -> str:
    return format_moment(value, tz) or "chưa có"


def _admin_url(ctx: BotContext, cmd: Command) -> str | Reply:
    """The feed URL an admin typed; else the refusal, or the usage line of `cmd`."""
    if not is_bot_admin(ctx, cmd):
        return Reply(REFUSAL)
    url = valid_feed_url(cmd.args)
    return Reply(USAGE.format(name=cmd.name)) if url is None else url


@command("addfeed")
async def addfeed(ctx: BotContext, cmd: Command) -> Reply:
    """Admin: check that a URL is a feed, then poll it with the others."""
    url = _admin_url(ctx, cmd)
    if isinstance(url, Reply):
        return url
    if url in ctx.settings.feeds:
        return Reply(f"Nguồn này đã có trong {_ORIGIN[ctx.settings.feeds_from]}.")
    existing = sources.get_source(ctx.db, url)
    if existing and existing["polled"]:
        return Reply("Nguồn này đã có trong danh sách. Xem /feeds.")
    result = await afetch(url, allow_private=ctx.settings.allow_private_urls)
    if not result.ok:
        return Reply(f"Không đọc được {quote(url)}: {esc(reason_text(result.reason))}. Chưa thêm nguồn này.")
    feed = parse_feed(result.content, result.final_url, result.content_type) \
        if looks_like_feed(result.content, result.content_type) else None
    if feed is None or not feed.ok:
        return Reply(f"{quote(url)} không phải RSS/Atom feed. Chưa thêm nguồn này.")
    sources.add_source(ctx.db, url, feed.title, added_by=cmd.user_id)
    title = esc(feed.title or url)
    return Reply(f"✅ Đã thêm nguồn <b>{title}</b> ({len(feed.items)} bài trong feed). "
                 + (f"Bot sẽ đọc nguồn này mỗi {ctx.settings.poll_minutes} phút." if ctx.settings.feeds_from != "none"
                    else "Bot đang tắt việc tự đọc nguồn (DIPLOBOT_FEEDS=none): nguồn được đọc khi chạy "
                         "<code>diplobot poll</code>."))


@command("removefeed")
async def removefeed(ctx: BotContext, cmd: Command) -> Reply:
    """Admin: stop polling a feed (its articles stay)."""
    url = _admin_url(ctx, cmd)
    if isinstance(url, Reply):
        return url
    if url in ctx.settings.feeds and ctx.settings.feeds_from == "catalogue":
        return Reply("Nguồn này thuộc danh mục nguồn có sẵn: đặt DIPLOBOT_FEEDS (danh sách URL, hoặc none) "
                     "rồi khởi động lại bot để không đọc nó nữa.")
    if url in ctx.settings.feeds:
        return Reply("Nguồn này nằm trong cấu hình DIPLOBOT_FEEDS: hãy xóa nó khỏi biến môi trường rồi khởi động lại bot.")
    if sources.remove_source(ctx.db, url):
        return Reply(f"Đã gỡ nguồn {quote(url)}. Các bài đã lưu vẫn được giữ.")
    return Reply("Không có nguồn này trong danh sách. Xem /feeds.")


@command("feeds")
async def feeds(ctx: BotContext, cmd: Command) -> Reply:
    """Admin: every polled feed with its last success, last error and articles stored."""
    if not is_bot_admin(ctx, cmd):
        return Reply(REFUSAL)
    rows = sources.list_sources(ctx.db, ctx.settings.feeds)
    if not rows:
        return Reply("Chưa có nguồn tin nào. Thêm bằng <code>/addfeed &lt;URL&gt;</code>.")
    blocks = [f"📡 <b>Nguồn tin</b> ({len(rows)}), đọc mỗi {ctx.settings.poll_minutes} phút"]
    for number, row in enumerate(rows, 1):
        blocks.append(_source_block(number, row, ctx.tz, _LABEL[ctx.settings.feeds_from]))
    blocks.append("Thêm: <code>/addfeed &lt;URL&gt;</code> · Gỡ: <code>/removefeed &lt;URL&gt;</code>")
    return Reply("\n\n".join(blocks))


_ORIGIN = {"env": "cấu hình DIPLOBOT_FEEDS", "catalogue": "danh mục nguồn có sẵn", "none": "cấu hình DIPLOBOT_FEEDS"}
_LABEL = {"env": "DIPLOBOT_FEEDS", "catalogue": "danh mục", "none": "DIPLOBOT_FEEDS"}


def _source_block(number: int, row: dict, tz, label: str = "DIPLOBOT_FEEDS") -> str:
    title = row.get("title") or row["url"]
    tags = [label] if row.get("configured") else []
    if (row.get("kind") or catalogue_kind(row["url"])) == "section":
        tags.append("trang chuyên mục")
    lines = [f"{number}. <b>{link(row['url'], title)}</b>" + "".join(f" · {t}" for t in tags)]
    lines.append(f"✅ Đọc tốt gần nhất: {_when(row.get('last_ok'), tz)} · {row.get('items') or 0} bài đã lưu")
    if row.get("errors"):
        lines.append(f"⚠️ Lỗi: {esc(reason_text(row.get('last_error')))} lúc {_when(row.get('last_error_at'), tz)} "
                     f"({row['errors']} lần liên tiếp; thử lại sau {_when(row.get('backoff_until'), tz)})")
    elif row.get("last_error"):
        lines.append(f"Lỗi gần nhất: {esc(reason_text(row['last_error']))} lúc {_when(row.get('last_error_at'), tz)}")
    return "\n".join(lines)


def health_message(change: sources.HealthChange, tz=None) -> str:
    """The plain-text admin message for one outage or recovery (bot.operator escapes it)."""
    name = f"{change.title} ({change.url})" if change.title else change.url
    if change.state == "up":
        return f"✅ Nguồn {name} đã hoạt động trở lại."
    since = f", lỗi từ {_when(change.since, tz)}" if change.since else ""
    detail = f" — {change.detail[:200]}" if change.detail else ""
    return (f"⚠️ Nguồn {name} lỗi {change.errors} lần liên tiếp{since}. "
            f"Lỗi gần nhất: {reason_text(change.reason)}{detail}. Xem /feeds.")


async def announce_source_health(bot, db, settings: Settings, now: datetime | None = None) -> int:
    """Tell every admin about each source that went down or came back since the last round.

    Nothing is claimed while DIPLOBOT_ADMINS is empty, so admins added later still hear of
    an outage in progress. Returns the number of messages that reached a chat.
    """
    if not settings.admins:
        return 0
    reached = 0
    for change in sources.claim_health_changes(db, now, configured=settings.feeds):
        reached += await notify_admins(bot, db, settings.admins, f"source_{change.state}:{change.url}",
                                       health_message(change, settings.tz), force=change.state == "up", now=now)
    return reached
