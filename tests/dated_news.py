"""Support for the issue-15 tests of listing periods, /events and /timezone: articles dated
relative to today (real dates, no frozen clock), a command run as a chat sends it, and the
real PTB `Application` over the fake Bot API with a button press read back as a user sees it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.commands import parse_command
from bot.handlers import dispatch
from bot.registry import BotContext
from bot.replies import Reply
from bot.telegram import button_command
from diplobot.settings import Settings
from diplobot.tags import Tags
from storage.articles import store_article
from tests.fake_bot_api import TOKEN, BotThread, FakeBotAPI, callback_update, check_html, message_update

VN = ZoneInfo("Asia/Ho_Chi_Minh")
JAPAN = {"mention": "Nhật Bản", "name": "Nhật Bản", "code": "JP"}
KOREA = {"mention": "Hàn Quốc", "name": "Hàn Quốc", "code": "KR"}


def today(tz: ZoneInfo = VN) -> date:
    return datetime.now(tz).date()


def noon(days_ago: int, tz: ZoneInfo = VN) -> datetime:
    """Local noon `days_ago` days before today in `tz` (negative: days ahead)."""
    return datetime.combine(today(tz) - timedelta(days=days_ago), time(12), tz)


BINH_DUONG = {"mention": "Bình Dương", "old": "Bình Dương", "old_code": "74", "new": "Hồ Chí Minh", "new_code": "79"}
TRADE = {"name": "ngoại giao kinh tế", "score": 0.9}
MINISTER = {"name": "Lê Hoài Trung", "role": "Bộ trưởng Ngoại giao"}


def add(db, title: str, published: datetime | None, dates: tuple[date, ...] = (), body: str = "",
        **kinds: list[dict]) -> int:
    """Store one article as ingest would: its date (None: undated), event `dates`, and tags of
    the other kinds as `Tags.from_dict` reads them (`countries=[JAPAN]`, `topics=[TRADE]`)."""
    record = {"source_key": title, "title": title, "url": f"https://example.vn/{abs(hash(title))}",
              "body": body or f"{title}. Nội dung về hợp tác đối ngoại.", "content_hash": title,
              "published_at": published.isoformat() if published else None}
    tags = Tags.from_dict({**kinds, "dates": [d.isoformat() for d in dates]})
    return store_article(db, record, {"text": f"Tóm tắt: {title}.", "backend": "test"}, tags)


def run(db, text: str, chat_id: int = 42, settings: Settings | None = None, **where: Any) -> Reply:
    """`text` as chat `chat_id` types it, through `dispatch` (the chat's time zone included)."""
    cmd = parse_command(text, chat_id=chat_id, user_id=where.pop("user_id", chat_id), **where)
    assert cmd is not None, text
    return asyncio.run(dispatch(BotContext(db=db, settings=settings or Settings.from_env({})), cmd))


def press(db, reply: Reply, chat_id: int = 42, settings: Settings | None = None) -> Reply:
    """Press the reply's one `Xem thêm ›` button, as the Telegram adapter reads it."""
    (row,) = reply.buttons
    cmd = button_command(row[0].callback_data)  # the adapter's own reading of a button
    assert cmd is not None
    cmd = replace(cmd, chat_id=chat_id, user_id=chat_id)
    return asyncio.run(dispatch(BotContext(db=db, settings=settings or Settings.from_env({})), cmd))


def visible(reply: Reply) -> str:
    """What a Telegram user reads of the reply (its HTML checked as Telegram would)."""
    text, problems = check_html(reply.html)
    assert problems == []
    return text


# --- the real Application --------------------------------------------------------------------

@contextmanager
def running_bot(db_path: Path) -> Iterator[BotThread]:
    """`diplobot run`'s Application over the fake Bot API on `db_path`; `.api` is the fake API."""
    with FakeBotAPI() as api:
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                                      "DIPLOBOT_DB": str(db_path), "DIPLOBOT_FEEDS": "none"})
        with BotThread(settings, db_path) as running:
            running.api = api
            yield running
        assert [c.params for c in api.calls if c.status == 400] == []  # every text was valid Telegram HTML


def _read(calls: list, before: int) -> tuple[str, Any]:
    call = calls[before]
    text, problems = check_html(call.text)
    assert problems == []
    return text, call


def says(bot: BotThread, text: str, chat_id: int = 42, **kw: Any) -> tuple[str, Any]:
    """Send `text` as a user; (what the user reads, the sendMessage call with its buttons)."""
    before = len(bot.api.sent(chat_id))
    bot.api.inject(message_update(text, chat_id=chat_id, user_id=kw.pop("user_id", chat_id), **kw))
    return _read(bot.api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat_id), before)


def taps_more(bot: BotThread, call: Any, chat_id: int = 42) -> tuple[str, Any]:
    """Tap the `Xem thêm ›` button under the message `call` sent; the next page as the user reads it."""
    (button,) = call.params["reply_markup"]["inline_keyboard"][0]
    assert button["text"] == "Xem thêm ›"
    before = len(bot.api.sent(chat_id))
    bot.api.inject(callback_update(button["callback_data"], chat_id=chat_id, user_id=chat_id))
    return _read(bot.api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat_id), before)
