"""Helpers for the subscription, digest and delivery tests: settings, articles with
chosen tags and ingest times, commands as a chat sends them, and an in-process `Sender`
that fails on cue with the real `telegram.error` exceptions."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import itertools
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.handlers import dispatch
from bot.registry import BotContext, Command
from bot.outbox import ChatInfo
from diplobot.tags import Tags
from diplobot.settings import Settings
from storage.articles import store_article

NOW = datetime(2025, 7, 2, 1, 0, tzinfo=timezone.utc)  # 08:00 in Hồ Chí Minh City

HCM_NEW = {"old": "Hồ Chí Minh", "old_code": "79", "new": "Hồ Chí Minh", "new_code": "79"}
BINH_DUONG = {"old": "Bình Dương", "old_code": "74", "new": "Hồ Chí Minh", "new_code": "79"}
HA_TINH = {"old": "Hà Tĩnh", "old_code": "42", "new": "Hà Tĩnh", "new_code": "42"}
JAPAN = {"name": "Nhật Bản", "code": "JP"}
KOREA = {"name": "Hàn Quốc", "code": "KR"}


def make_settings(**env: str) -> Settings:
    base = {"DIPLOBOT_DIPLOMATIC_THRESHOLD": "0.5", "TELEGRAM_BOT_TOKEN": "123:abc"}
    return Settings.from_env({**base, **env})


_keys = itertools.count(1)


def add_article(db, title: str, *, provinces=(), countries=(), topics=(), score: float | None = 0.9,
                fetched_at: datetime | None = None, duplicate_of: int | None = None,
                summary: str | None = None, url: str | None = None) -> int:
    """Store an article with exactly these tags (no tagger) and this ingest time."""
    n = next(_keys)
    body = f"{title}. Nội dung bài viết số {n} về công tác đối ngoại."
    record = {
        "source_key": f"test:{n}", "url": url or f"https://example.vn/bai-{n}", "source": "example.vn",
        "title": title, "body": body, "content_hash": hashlib.sha1(body.encode()).hexdigest(),
        "fetched_at": (fetched_at or NOW - timedelta(hours=2)).isoformat(timespec="seconds"),
        "duplicate_of": duplicate_of,
    }
    tags = Tags.from_dict({"provinces": list(provinces), "countries": list(countries),
                           "topics": [{"name": t, "score": 1.0} for t in topics], "is_diplomatic": score})
    summary_row = {"text": summary or f"Tóm tắt bài {n}. Câu thứ hai của bài {n}. Câu thứ ba.", "backend": "test"}
    return store_article(db, record, summary_row, tags)


def command(name: str, args: str = "", chat_id: int = 42, user_id: int = 42, chat_type: str = "private",
            is_admin: bool | None = None) -> Command:
    """A `Command`, with `is_admin` when the adapter's field exists (set for groups)."""
    fields = {f.name for f in dataclasses.fields(Command)}
    cmd = Command(name=name, args=args, chat_id=chat_id, user_id=user_id, chat_type=chat_type)
    if is_admin is not None:
        if "is_admin" in fields:
            cmd = dataclasses.replace(cmd, is_admin=is_admin)
        else:
            cmd = _AdminCommand(**{f: getattr(cmd, f) for f in fields}, is_admin=is_admin)
    return cmd


@dataclasses.dataclass(frozen=True)
class _AdminCommand(Command):
    is_admin: bool = False


def ask(db, settings, name: str, args: str = "", **where: Any):
    delivery = where.pop("delivery", None)
    return asyncio.run(dispatch(BotContext(db=db, settings=settings, delivery=delivery), command(name, args, **where)))


class Crash(BaseException):
    """Stands in for a kill: not an Exception, so no handler turns it into a status."""


class FakeSender:
    """Records sends; `fail[chat_id]` is a list of exceptions to raise on its next sends
    (None = succeed); `crash_after` raises `Crash` on that send (a process dying mid-batch)."""

    def __init__(self, delay: float = 0.0):
        self.sent: list[tuple[int, str, float]] = []
        self.fail: dict[int, list[BaseException | None]] = {}
        self.crash_after: int | None = None
        self.attempts = 0
        self.delay = delay
        self.chats: dict[str, ChatInfo] = {}
        self.get_chat_calls = 0
        self._ids = itertools.count(1)

    async def send(self, chat_id: int, text: str, preview: bool = False, thread_id: int | None = None) -> int:
        self.attempts += 1
        await asyncio.sleep(self.delay)
        if self.crash_after is not None and self.attempts > self.crash_after:
            raise Crash()
        queue = self.fail.get(chat_id)
        if queue:
            exc = queue.pop(0)
            if exc is not None:
                raise exc
        self.sent.append((chat_id, text, asyncio.get_running_loop().time()))
        return next(self._ids)

    async def get_chat(self, chat: int | str) -> ChatInfo:
        self.get_chat_calls += 1
        return self.chats[str(chat)]

    def to(self, chat_id: int) -> list[str]:
        return [text for c, text, _ in self.sent if c == chat_id]
