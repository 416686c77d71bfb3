"""Numbers people type (and buttons carry) are parsed strictly in one place: ASCII digits in a
sane range, answered in Vietnamese otherwise, never a traceback."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.commands import MAX_ARTICLE_ID, parse_command, parse_more, parse_number
from bot.handlers import dispatch
from bot.registry import BotContext


@pytest.mark.parametrize("text, high, expected", [
    ("12", 20, 12), (" 7 ", 20, 7), ("0007", 20, 7), ("20", 20, 20), ("21", 20, None), ("0", 20, None),
    ("-1", 20, None), ("+1", 20, None), ("1.5", 20, None), ("1e3", 20, None), ("", 20, None), ("1 2", 20, None),
    ("²", 20, None), ("①", 20, None), ("１２", 20, None), ("١٢", 20, None), ("৩", 20, None),
    ("9223372036854775807", MAX_ARTICLE_ID, 2**63 - 1), ("9223372036854775808", MAX_ARTICLE_ID, None),
    ("9" * 4301, MAX_ARTICLE_ID, None), ("0" * 5000 + "1", MAX_ARTICLE_ID, 1),
])
def test_parse_number(text, high, expected):
    assert parse_number(text, 1, high) == expected


HUGE = "9" * 4301


@pytest.mark.parametrize("text", [
    "/article 9223372036854775808", "/article 18446744073709551616", f"/article {HUGE}", "/article ²",
    "/article ①", "/article -1", "/article_-1", "/article -9223372036854775809", "/article 1.0", "/article_²",
    "/latest ²", "/latest ①", "/latest -1", "/latest 9223372036854775808", f"/latest {HUGE}", "/latest 0",
])
def test_bad_numbers_get_the_usage_line_and_no_traceback(seeded_db, caplog, text, settings):
    cmd = parse_command(text)
    assert cmd is not None
    with caplog.at_level(logging.WARNING):
        reply = asyncio.run(dispatch(BotContext(db=seeded_db, settings=settings), cmd))
    assert "Cách dùng: /" in reply.text and "Xin lỗi" not in reply.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(reply.text) < 400  # 4,301 digits are not echoed


def test_largest_id_is_a_plain_not_found(seeded_db, settings):
    reply = asyncio.run(dispatch(BotContext(db=seeded_db, settings=settings), parse_command("/article 9223372036854775807")))
    assert reply.text == "Không có bài viết số 9223372036854775807."


@pytest.mark.parametrize("offset", ["²", "①", "-5", "0", "9" * 5000, "18446744073709551616"])
def test_button_offsets_are_numbers_too(offset):
    assert parse_more(f"more|latest|{offset}|Abcdefgh") is None
    assert parse_more("more|latest|10|Abcdefgh").offset == 10
