"""A database that refuses writes (read-only file, full disk) still answers every reading
command: the page itself, without the `Xem thêm ›` / `Đọc tiếp ›` button whose listing
state could not be saved (issue 18.11: the state of issue 18.8 is a write)."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.commands import parse_command
from bot.handlers import dispatch
from bot.registry import BotContext
from diplobot.tags import Tags
from storage import open_db
from storage.articles import store_article
from storage.db import Database

LONG_BODY = " ".join(f"Câu {n}: Bộ Ngoại giao tiếp tục hợp tác phát triển với các địa phương." for n in range(400))


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    """Seven short articles and one long one (more parts than /article sends at once), opened read-only."""
    path = tmp_path_factory.mktemp("ro") / "d.db"
    db = open_db(path)
    for i in range(8):
        body = LONG_BODY if i == 7 else f"Bài {i}: Bộ Ngoại giao hợp tác phát triển với các địa phương."
        store_article(db, {"source_key": f"k{i}", "title": f"Tin hợp tác {i}", "body": body, "content_hash": f"h{i}",
                           "published_at": f"2024-01-{i + 1:02d}T08:00:00+07:00"}, None, Tags.from_dict({}))
    db.close()
    return Database(sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None))


@pytest.mark.parametrize("text, first", [("/latest", "Bài 1–5/8"), ("/search hợp tác", "Bài 1–5/8"),
                                         ("/article 8", "Tin hợp tác 7")])
def test_reading_commands_answer_without_their_button(read_only, settings, caplog, text, first):
    reply = asyncio.run(dispatch(BotContext(db=read_only, settings=settings), parse_command(text)))
    assert first in reply.text and "đã có lỗi" not in reply.text
    assert not reply.buttons
    assert "listing state not saved, page sent without its button: attempt to write a readonly database" in caplog.text
