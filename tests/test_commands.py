"""Command handlers over the seeded database: the replies a reader gets."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.commands import parse_command, parse_more
from bot.handlers import dispatch
from bot.registry import BotContext, Command
from bot.replies import Reply
from diplobot.settings import Settings


def ask(db, text: str) -> Reply:
    cmd = parse_command(text, "diplobot")
    assert cmd is not None, text
    return asyncio.run(dispatch(BotContext(db=db, settings=Settings.from_env({})), cmd))


def listed_titles(reply: Reply) -> list[str]:
    """Titles of the numbered article cards in a reply."""
    return re.findall(r"^\d+\. (.+?)(?: <https?://[^>]+>)?$", reply.text, re.MULTILINE)


def seeds_in(reply: Reply, seed_titles: dict[str, str]) -> set[str]:
    titles = listed_titles(reply)
    return {seed for seed, title in seed_titles.items() if title in titles}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("/country Nhật Bản", {"001", "003"}),
        ("/country nhat ban", {"001", "003"}),
        ("/country Hàn Quốc", {"001", "003"}),
        ("/country Lào", {"003"}),
        ("/country Trung Quốc", {"004"}),
        ("/province Hà Tĩnh", {"003"}),
        ("/province ha tinh", {"003"}),
        ("/province Hòa Bình", set()),
        ("/province Bình Dương", {"001"}),
        ("/province binh duong", {"001"}),
        ("/province tỉnh Bình Dương", {"001"}),
        ("/province Sóc Trăng", {"000"}),
        ("/province Cần Thơ", {"000"}),
        ("/province TP. Cần Thơ", {"000"}),
        ("/province Lạng Sơn", {"004"}),
    ],
)
def test_listings(seeded_db, seed_titles, text, expected):
    assert seeds_in(ask(seeded_db, text), seed_titles) == expected


def test_country_lists_no_other(seeded_db, seed_titles):
    reply = ask(seeded_db, "/country Nhật Bản")
    assert len(listed_titles(reply)) == 2


def test_merger_is_explained_both_ways(seeded_db):
    old = ask(seeded_db, "/province Sóc Trăng").text
    assert "Sóc Trăng nay thuộc TP. Cần Thơ" in old
    new = ask(seeded_db, "/province Cần Thơ").text
    assert "Sóc Trăng" in new and "Hậu Giang" in new


def test_hcm_after_merger_includes_binh_duong(seeded_db, seed_titles):
    assert "001" in seeds_in(ask(seeded_db, "/province TP. Hồ Chí Minh"), seed_titles)


def test_small_typo_still_resolves(seeded_db, seed_titles):
    assert seeds_in(ask(seeded_db, "/province Binh Duongg"), seed_titles) == {"001"}


def test_unknown_province_gets_suggestions(seeded_db):
    reply = ask(seeded_db, "/province Bình Dươngxyz Quận")
    assert reply.text.startswith("Không tìm thấy tỉnh, thành «Bình Dươngxyz Quận».")
    assert "Bình Dương" in reply.text.split("Có phải bạn muốn", 1)[1]  # the closest names are offered
    reply = ask(seeded_db, "/province Atlantis")
    assert "Không tìm thấy tỉnh, thành «Atlantis»" in reply.text
    assert "Có phải bạn muốn" in reply.text and reply.buttons


@pytest.mark.parametrize("text", ["/province", "/country", "/search", "/article", "/article abc", "/latest 999"])
def test_empty_or_bad_argument_gets_usage(seeded_db, text):
    assert "Cách dùng" in ask(seeded_db, text).text


def test_summary_and_meta_in_cards(seeded_db):
    text = ask(seeded_db, "/province Bình Dương").text
    assert "Bình Dương" in text and "24/01/2024" in text
    assert "nay thuộc TP. Hồ Chí Minh" in text
    assert "🇯🇵 Nhật Bản" in text


def test_latest_and_pagination(seeded_db, settings):
    first = ask(seeded_db, "/latest 2")
    assert len(listed_titles(first)) == 2
    more = first.buttons[0][0]
    assert more.text == "Xem thêm ›" and len(more.callback_data.encode()) <= 64
    cmd = parse_more(more.callback_data)
    second = asyncio.run(dispatch(BotContext(db=seeded_db, settings=settings), cmd))
    assert len(listed_titles(second)) == 5 - 2  # the rest of the five seeds
    assert not set(listed_titles(first)) & set(listed_titles(second))


def test_article_command_and_shortcut(seeded_db):
    reply = ask(seeded_db, "/article_1")
    assert reply.text.count("\n") > 3
    assert "Không có bài viết số 999" in ask(seeded_db, "/article 999").text


def test_search_escapes_user_input(seeded_db):
    reply = ask(seeded_db, "/search <script>alert(1)</script> & co")
    assert "<script>" not in reply.html
    assert "&lt;script&gt;" in reply.html and "&amp; co" in reply.html


def test_unknown_command(seeded_db):
    assert "/help" in ask(seeded_db, "/frobnicate").text


def test_parse_command_forms():
    assert parse_command("/province@diplobot Bình Dương", "diplobot").args == "Bình Dương"
    assert parse_command("/province@otherbot x", "diplobot") is None
    assert parse_command("hello there", "diplobot") is None
    assert parse_command("/LATEST 3").name == "latest"
    assert parse_command("/article_12").args == "12"


def test_help_is_vietnamese_with_examples(seeded_db):
    text = ask(seeded_db, "/help").text
    assert "/province Bình Dương" in text and "/country Nhật Bản" in text and "tìm kiếm" in text.lower()


def test_command_handlers_know_nothing_of_sql_or_telegram():
    from tests.conftest import ROOT

    source = (ROOT / "bot" / "commands.py").read_text(encoding="utf-8")
    assert "import telegram" not in source and "from telegram" not in source
    assert not re.search(r"\bselect\b.+\bfrom\b", source, re.IGNORECASE)


def test_handler_failure_is_a_polite_reply(seeded_db, monkeypatch, settings):
    from storage import queries

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(queries, "latest", broken)
    reply = asyncio.run(dispatch(BotContext(db=seeded_db, settings=settings), Command("latest")))
    assert "Xin lỗi" in reply.text


def test_person_by_full_and_short_name(seeded_db, seed_titles):
    assert seeds_in(ask(seeded_db, "/person Lê Hoài Trung"), seed_titles) == {"003"}
    assert seeds_in(ask(seeded_db, "/person le hoai trung"), seed_titles) == {"003"}
    assert "Lê Hoài Trung" in ask(seeded_db, "/person Le Hoai Trungg").text  # suggestion


def test_topic_listing_and_suggestions(seeded_db):
    reply = ask(seeded_db, "/topic ngoại giao kinh tế")
    assert "ngoại giao kinh tế" in reply.text and listed_titles(reply)
    assert "Có phải bạn muốn" in ask(seeded_db, "/topic xyzzy").text
    assert "Các chủ đề" in ask(seeded_db, "/topic").text


def test_suggestion_buttons_fit_telegram(seeded_db):
    for text in ("/topic xyzzy", "/province Atlantis", "/country Atlantis"):
        for row in ask(seeded_db, text).buttons:
            for button in row:
                assert len(button.callback_data.encode()) <= 64


@pytest.mark.parametrize("text, name", [
    ("/latest abc", "latest"), ("/latest 0", "latest"), ("/latest 21", "latest"), ("/latest ²", "latest"),
    ("/province", "province"), ("/province   ", "province"), ("/country", "country"),
    ("/person", "person"), ("/topic", "topic"), ("/search", "search"), ("/search !!! ...", "search"),
    ("/search \x00\x01", "search"), ("/search " + "ab " * 100, "search"), ("/article", "article"),
    ("/article abc", "article"), ("/article 1.5", "article"), ("/article_-1", "article"), ("/article_x", "article"),
    ("/country " + "x" * 101, "country"), ("/province " + "x" * 101, "province"),
])
def test_malformed_commands_get_their_usage_line(seeded_db, text, name):
    reply = ask(seeded_db, text)
    assert f"Cách dùng: /{name}" in reply.text and not reply.buttons


def test_parse_command_keeps_malformed_commands_for_their_usage_line():
    assert parse_command("/article_-1") == Command("article", "-1")
    assert parse_command("/article_x y") == Command("article", "x y")
    assert parse_command("/article_12@diplobot", "diplobot") == Command("article", "12")
    assert parse_command("/article_-1@otherbot", "diplobot") is None
    assert parse_command("/latest@diplobot 3", "diplobot") == Command("latest", "3")
    assert parse_command("/latest@otherbot 3", "diplobot") is None
    assert parse_command("/") is None and parse_command("/ăn") is None and parse_command("xin chào") is None


ARGUMENT = ("<b>đại sứ</b> & " * 700)[:10_000]


@pytest.mark.parametrize("command", ["/search", "/province", "/country", "/person", "/topic", "/article", "/latest"])
def test_a_long_argument_is_quoted_short_and_escaped(seeded_db, command):
    reply = ask(seeded_db, f"{command} {ARGUMENT}")
    assert "…" in reply.text and len(reply.text) < 500
    assert "<b>đại sứ</b> &" not in reply.html and "&lt;b&gt;đại sứ&lt;/b&gt; &amp;" in reply.html


def test_quote_helper():
    from bot.replies import QUOTE_CHARS, quote

    assert quote("a" * 10_000) == "a" * QUOTE_CHARS + "…"
    assert quote("đại sứ") == "đại sứ" and quote("x" * QUOTE_CHARS) == "x" * QUOTE_CHARS
    assert quote("<b>\x00 a\n\nb & c</b>") == "&lt;b&gt; a b &amp; c&lt;/b&gt;"
    assert quote("  \n ") == ""


@pytest.mark.parametrize("command", ["/subscribe", "/subscribe tỉnh", "/unsubscribe", "/unsubscribe nước"])
def test_subscription_replies_quote_a_long_argument_short(tmp_path, command):
    from storage import open_db

    reply = ask(open_db(tmp_path / "subs.db"), f"{command} {ARGUMENT}")
    assert "…" in reply.text and len(reply.text) < 600 and "<b>đại sứ</b> &" not in reply.html
