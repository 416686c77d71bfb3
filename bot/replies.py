"""The reply value every handler returns, and its plain-text rendering."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None  # ≤ 64 bytes, Telegram's limit
    url: str | None = None


@dataclass(frozen=True)
class Attachment:
    """A file a reply carries: a chart (`photo`, PNG) or a bulletin (`document`)."""

    kind: Literal["photo", "document"]
    data: bytes = field(repr=False)
    filename: str  # a plain name, no folder: the terminal chat writes it under DIPLOBOT_CHART_DIR


@dataclass
class Reply:
    html: str  # Telegram HTML: every inserted value already escaped; with an attachment, its caption
    buttons: list[list[Button]] = field(default_factory=list)
    attachment: Attachment | None = None

    @property
    def text(self) -> str:
        return html_to_text(self.html)


_LINK_RE = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_TAG_RE = re.compile(r"</?(?:b|i|u|s|code|pre|blockquote|tg-spoiler|span)[^>]*>")


def html_to_text(markup: str) -> str:
    """Render Telegram HTML for a terminal: links as `text <url>`, tags dropped, entities decoded."""
    markup = _LINK_RE.sub(lambda m: f"{m.group(2)} <{html.unescape(m.group(1))}>", markup)
    return html.unescape(_TAG_RE.sub("", markup))


def esc(value) -> str:
    """Escape a value for Telegram HTML text."""
    return html.escape(str(value), quote=False)


QUOTE_CHARS = 100  # the most of a user's argument a reply echoes


def quote(value, limit: int = QUOTE_CHARS) -> str:
    """A user's argument to echo in a reply: one line, at most `limit` characters (then `…`), escaped.

    A 10,000-character argument must not come back in full, and control characters
    (NUL, escapes) have no business in a message.
    """
    whole = str(value).strip()
    head = whole[: 4 * limit]  # enough to fill `limit` after collapsing spaces, and no more work
    text = " ".join("".join(ch if unicodedata.category(ch) != "Cc" else " " for ch in head).split())
    if len(text) > limit or len(whole) > len(head):
        text = text[:limit].rstrip() + "…"
    return esc(text)


def link(url: str | None, text: str) -> str:
    """`<a>` only for http(s) URLs (quoted attribute); anything else stays plain text."""
    if url and re.match(r"^https?://", url, re.IGNORECASE):
        return f'<a href="{html.escape(url, quote=True)}">{esc(text)}</a>'
    return esc(text)
