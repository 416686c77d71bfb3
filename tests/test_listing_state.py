"""`Xem thêm ›` keeps its listing on the server: a short id in the callback data, an expiry,
and a polite answer once it has expired, for every listing."""

from __future__ import annotations

import asyncio
import io
import re

import pytest

from bot.commands import LISTING_EXPIRED, LISTING_TTL, parse_command, parse_more
from bot.handlers import dispatch
from bot.registry import BotContext
from bot.terminal import TerminalChat
from diplobot.settings import Settings
from diplobot.tags import Tags
from storage import listing_state, open_db, queries
from storage.articles import store_article

# 60 characters, 13 words: cut at 64 bytes of callback data it kept about 20 characters.
LONG_QUERY = "hợp tác phát triển bền vững giữa các địa phương Việt Nam Lào"
PERSON = "Lê Hoài Trung"
TOPIC = "ngoại giao kinh tế"


def ask(db, text: str):
    return asyncio.run(dispatch(BotContext(db=db, settings=Settings.from_env({})), parse_command(text)))


def press(db, button):
    cmd = parse_more(button.callback_data)
    assert cmd is not None, button.callback_data
    return asyncio.run(dispatch(BotContext(db=db, settings=Settings.from_env({})), cmd))


def numbered(reply) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", reply.text, re.MULTILINE)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """14 articles with the whole long query (and the tags every listing needs), 6 with only
    its first words: page 2 of the cut query would list those."""
    db = open_db(tmp_path_factory.mktemp("listing") / "d.db")
    tags = Tags.from_dict({
        "provinces": [{"old": "Bình Dương", "old_code": "74", "new": "Hồ Chí Minh", "new_code": "79"}],
        "countries": [{"name": "Lào", "code": "LA"}],
        "people": [{"name": PERSON, "role": "Thứ trưởng"}], "topics": [{"name": TOPIC, "score": 1.0}]})
    for i in range(20):
        whole = i % 10 < 7
        body = f"Bài {i}: {LONG_QUERY}." if whole else f"Bài {i}: hợp tác phát triển bền vững với đối tác."
        title = f"Tin đầy đủ {i}" if whole else f"Tin mồi {i}"
        store_article(db, {"source_key": f"k{i}", "title": title, "body": body, "content_hash": f"h{i}",
                           "published_at": f"2024-01-{i + 1:02d}T08:00:00+07:00"}, None, tags)
    return db


def test_page_two_of_a_long_search_is_the_same_query(db):
    assert len(LONG_QUERY) == 60
    first = ask(db, f"/search {LONG_QUERY}")
    (button,) = first.buttons[0]
    assert len(button.callback_data.encode()) <= 64 and LONG_QUERY[:3] not in button.callback_data
    second = press(db, button)
    assert "Bài 6–10/14" in second.text
    expected = [item["title"] for item in queries.search(db, LONG_QUERY, offset=5).items]
    assert numbered(second) == expected and all("mồi" not in t for t in numbered(second))
    third = press(db, second.buttons[0][0])
    assert "Bài 11–14/14" in third.text and not third.buttons


@pytest.mark.parametrize("command, listing", [
    ("/latest", "latest"), ("/province Bình Dương", "province"), ("/country Lào", "country"),
    (f"/person {PERSON}", "person"), (f"/topic {TOPIC}", "topic"), ("/search hop tac", "search"),
])
def test_every_listing_pages_through_a_short_id(db, command, listing):
    first = ask(db, command)
    data = first.buttons[0][0].callback_data
    assert re.fullmatch(rf"more\|{listing}\|5\|[A-Za-z0-9_-]{{8}}", data), data
    assert "Bài 6–10/20" in press(db, first.buttons[0][0]).text
    assert ask(db, command).buttons[0][0].callback_data == data  # one row per listing, not one per press


def test_an_expired_listing_gets_a_polite_answer(db):
    button = ask(db, f"/search {LONG_QUERY}").buttons[0][0]
    state = button.callback_data.rsplit("|", 1)[1]
    db.execute("update listing_state set used_at = used_at - ? where id = ?", [LISTING_TTL + 1, state])
    reply = press(db, button)
    assert reply.text == LISTING_EXPIRED and "hết hạn" in reply.text and not reply.buttons
    assert press(db, type(button)("x", callback_data="more|search|5|NoSuchId")).text == LISTING_EXPIRED
    assert ask(db, f"/search {LONG_QUERY}").buttons  # the command again works at once


def test_a_listing_id_belongs_to_its_listing(db, settings):
    data = ask(db, "/country Lào").buttons[0][0].callback_data
    assert parse_more(data.replace("|country|", "|search|")) is not None
    reply = asyncio.run(dispatch(BotContext(db=db, settings=settings), parse_more(data.replace("|country|", "|search|"))))
    assert reply.text == LISTING_EXPIRED


@pytest.mark.parametrize("data", ["more|latest|abc|Abcdefgh", "more|latest|²|Abcdefgh", "more|latest|0|Abcdefgh",
                                  "more|latest|-5|Abcdefgh", "more|latest|" + "9" * 5000 + "|Abcdefgh",
                                  "more|search|5|", "more|search|5|đại sứ", "more|search|5", "garbage"])
def test_malformed_button_data_is_no_command(data):
    assert parse_more(data) is None


def test_state_storage(tmp_path):
    db = open_db(tmp_path / "s.db")
    first = listing_state.remember(db, "search", "đại sứ", ttl=100, now=1000)
    assert listing_state.remember(db, "search", "đại sứ", ttl=100, now=1050) == first  # refreshed, same id
    other = listing_state.remember(db, "search", "dai su", ttl=100, now=1050)
    assert other != first and re.fullmatch(r"[A-Za-z0-9_-]{8}", other)
    assert listing_state.recall(db, first, "search", ttl=100, now=1150) == "đại sứ"
    assert listing_state.recall(db, first, "search", ttl=100, now=1151) is None  # expired
    assert listing_state.recall(db, first, "country", ttl=100, now=1100) is None
    listing_state.remember(db, "latest", "", ttl=100, now=1300)  # prunes what expired
    assert db.execute("select listing from listing_state").fetchall() == [("latest",)]


def test_terminal_more_follows_a_long_search(db, settings):
    out = io.StringIO()
    TerminalChat(BotContext(db=db, settings=settings), stdin=io.StringIO(f"/search {LONG_QUERY}\n/more\n"), stdout=out).run()
    assert "Bài 1–5/14" in out.getvalue() and "Bài 6–10/14" in out.getvalue() and "mồi" not in out.getvalue()
