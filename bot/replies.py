"""The reply value every handler returns, and its plain-text rendering."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None = None  # ≤ 64 bytes, Telegram's limit
    url: str | None = None


@dataclass
class Reply:
    html: str  # Telegram HTML: every inserted value already escaped
    buttons: list[list[Button]] = field(default_factory=list)

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


def link(url: str | None, text: str) -> str:
    """`<a>` only for http(s) URLs (quoted attribute); anything else stays plain text."""
    if url and re.match(r"^https?://", url, re.IGNORECASE):
        return f'<a href="{html.escape(url, quote=True)}">{esc(text)}</a>'
    return esc(text)
