"""Telegram HTML: the strict validator the fake server uses, and splitting long replies."""

from __future__ import annotations

import re

import pytest

from bot.telegram_html import MESSAGE_LIMIT, plain_text, split_html, telegram_length
from tests.fake_bot_api import check_html, utf16_len


@pytest.mark.parametrize(
    "markup",
    [
        "plain text",
        "<b>đậm</b> <i>nghiêng</i> <u>gạch</u> <s>xóa</s> <code>x</code> <pre>y</pre>",
        '<a href="https://baoquocte.vn/a?b=1&amp;c=2">bài</a>',
        "<blockquote>trích</blockquote> <tg-spoiler>ẩn</tg-spoiler> <span class=\"tg-spoiler\">ẩn</span>",
        '<pre><code class="language-python">x &lt; 1</code></pre>',
        "&lt;script&gt; &amp; &quot; &#128512; &#x1F600;",
        "<strong><em>lồng <ins>nhau</ins></em></strong>",
    ],
)
def test_validator_accepts_what_telegram_accepts(markup):
    assert check_html(markup)[1] == []


@pytest.mark.parametrize(
    "markup, problem",
    [
        ("<script>alert(1)</script>", "unsupported tag"),
        ("a < b", "unescaped <"),
        ("a > b", "unescaped >"),
        ("Tom & Jerry", "bare &"),
        ("&nbsp;", "bare &"),
        ("<b>open", "unclosed"),
        ("<b><i>x</b></i>", "does not close"),
        ('<a href="javascript:alert(1)">x</a>', "bad <a>"),
        ("<a>x</a>", "bad <a>"),
        ('<span class="x">y</span>', "tg-spoiler"),
        ('<b class="x">y</b>', "takes no attributes"),
        ('<a href="https://a.vn"><a href="https://b.vn">x</a></a>', "nested"),
    ],
)
def test_validator_rejects_what_telegram_rejects(markup, problem):
    problems = check_html(markup)[1]
    assert problems and any(problem in p for p in problems), problems


def test_length_counts_visible_utf16_units():
    assert telegram_length("<b>a</b>&amp;b") == 3  # tags are free, &amp; is one character
    assert telegram_length('<a href="https://very.long/url">x</a>') == 1
    assert telegram_length("🇻🇳") == 4  # two regional indicators outside the BMP
    assert telegram_length("Việt Nam") == 8  # precomposed NFC letters are one unit each
    assert plain_text("<i>x &lt; y</i>") == "x < y"


def test_short_reply_is_one_part_unchanged():
    markup = "<b>Tiêu đề</b>\n\nNội dung &amp; tóm tắt."
    assert split_html(markup) == [markup]


def _parts_ok(parts: list[str], limit: int) -> None:
    for part in parts:
        visible, problems = check_html(part)
        assert problems == [], (problems, part[:200])
        assert 0 < utf16_len(visible) <= limit


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_paragraphs_split_on_blank_lines_with_tags_reopened():
    cards = [f'<b>{i}. <a href="https://x.vn/{i}">Bài số {i} &amp; cộng sự</a></b>\n' + "Tóm tắt dài. " * 30
             for i in range(40)]
    markup = "<i>Danh sách</i>\n\n" + "\n\n".join(cards)
    parts = split_html(markup)
    assert len(parts) > 1
    _parts_ok(parts, MESSAGE_LIMIT)
    # Every cut fell on a paragraph boundary: each later part starts with a card title.
    assert all(p.startswith("<b>") for p in parts[1:])
    assert _normalized("".join(plain_text(p) + " " for p in parts)) == _normalized(plain_text(markup))


def test_one_huge_paragraph_splits_on_lines_then_words_inside_tags():
    lines = "\n".join("dòng " + "chữ " * 20 for _ in range(10))
    markup = f"<blockquote><b>{lines}</b></blockquote>"
    parts = split_html(markup, limit=300)
    _parts_ok(parts, 300)
    assert all(p.startswith("<blockquote><b>") and p.endswith("</b></blockquote>") for p in parts)
    assert _normalized(" ".join(plain_text(p) for p in parts)) == _normalized(plain_text(markup))
    words = "<i>" + " ".join(["từ"] * 400) + "</i>"
    parts = split_html(words, limit=100)
    _parts_ok(parts, 100)
    assert all(not plain_text(p).startswith(" ") and "t ừ" not in p for p in parts)


def test_entities_and_emoji_are_never_cut():
    markup = "&amp;" * 50 + "😀" * 50
    parts = split_html(markup, limit=7)
    _parts_ok(parts, 7)
    assert "".join(plain_text(p) for p in parts) == "&" * 50 + "😀" * 50


def test_a_word_longer_than_a_message_is_cut_between_characters():
    markup = '<a href="https://x.vn/?a=1&amp;b=2">' + "x" * 250 + "</a>"
    parts = split_html(markup, limit=100)
    assert len(parts) == 3
    _parts_ok(parts, 100)
    assert all(p.startswith('<a href="https://x.vn/?a=1&amp;b=2">') for p in parts)
