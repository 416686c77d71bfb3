"""Telegram HTML measured and split the way Telegram counts it.

Telegram limits a message to 4096 characters *after* entity parsing, counted in UTF-16
code units: tags do not count, `&amp;` counts as one, an emoji outside the BMP as two.
`split_html` cuts a long reply into valid parts at paragraph breaks, then line breaks,
then spaces (a character boundary only for a word longer than a message), never inside
a tag or an entity, closing the open tags at the end of a part and reopening them at
the start of the next.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

MESSAGE_LIMIT = 4096

# A tag, an entity, or one plain character; input is trusted (our own handlers' output).
_ATOM_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>|&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);|.", re.DOTALL)

# Break priorities: the visible text just before the cut decides.
_PARAGRAPH, _LINE, _WORD, _CHAR = 3, 2, 1, 0


@dataclass(frozen=True)
class _Atom:
    raw: str
    tag: str = ""  # tag name for tags, "" for text
    closing: bool = False
    char: str = ""  # the visible character a text atom stands for
    units: int = 0  # its UTF-16 length


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def _atoms(markup: str) -> list[_Atom]:
    atoms = []
    for m in _ATOM_RE.finditer(markup):
        if m.group(2):
            atoms.append(_Atom(m.group(0), tag=m.group(2).lower(), closing=bool(m.group(1))))
        else:
            char = html.unescape(m.group(0)) if m.group(0).startswith("&") else m.group(0)
            atoms.append(_Atom(m.group(0), char=char, units=utf16_len(char)))
    return atoms


_TAGS_RE = re.compile(r"<[^>]*>")


@lru_cache(maxsize=8192)  # a digest fan-out measures the same cards for thousands of chats
def telegram_length(markup: str) -> int:
    """The length Telegram checks against its 4096 limit: visible text, UTF-16 units."""
    return utf16_len(html.unescape(_TAGS_RE.sub("", markup)))


def plain_text(markup: str) -> str:
    """The text Telegram shows: tags dropped, entities decoded."""
    return "".join(a.char for a in _atoms(markup))


@dataclass
class _Cut:
    priority: int
    visible: int  # visible units before the cut
    index: int  # cut before this atom
    stack: tuple[_Atom, ...]  # tags open at the cut


def _priority(before: str) -> int:
    if before.endswith("\n\n"):
        return _PARAGRAPH
    if before.endswith("\n"):
        return _LINE
    if before.endswith((" ", "\t")):
        return _WORD
    return _CHAR


def _best(cuts: list[_Cut], limit: int) -> _Cut:
    """The highest priority, then the longest part, then the fewest tags left open; among the
    cuts that fill at least half the part when there are such, so that an early line break
    does not leave a part of a few words."""
    cuts = [c for c in cuts if 2 * c.visible >= limit] or cuts
    top = max(c.priority for c in cuts)
    longest = max(c.visible for c in cuts if c.priority == top)
    return min((c for c in cuts if c.priority == top and c.visible == longest), key=lambda c: c.index)


def _next_cut(atoms: list[_Atom], start: int, stack: tuple[_Atom, ...], limit: int) -> tuple[int, tuple[_Atom, ...]]:
    """Where the part that begins at `start` (with `stack` open) must end."""
    open_tags = list(stack)
    visible, tail = 0, ""
    cuts: list[_Cut] = []
    for i in range(start, len(atoms)):
        atom = atoms[i]
        if visible and (atom.tag == "" or not atom.closing):
            cuts.append(_Cut(_priority(tail), visible, i, tuple(open_tags)))
        if atom.tag:
            if atom.closing:
                if open_tags and open_tags[-1].tag == atom.tag:
                    open_tags.pop()
            else:
                open_tags.append(atom)
            continue
        if visible + atom.units > limit and cuts:
            best = _best(cuts, limit)
            return best.index, best.stack
        visible += atom.units
        tail = (tail + atom.char)[-2:]
    return len(atoms), tuple(open_tags)


def _render(opened: tuple[_Atom, ...], atoms: list[_Atom], closing: tuple[_Atom, ...]) -> str:
    body = "".join(a.raw for a in opened) + "".join(a.raw for a in atoms)
    return body + "".join(f"</{a.tag}>" for a in reversed(closing))


def _strip(atoms: list[_Atom]) -> list[_Atom]:
    """Drop whitespace at a part's edges (only bare text atoms, never tags)."""
    lo, hi = 0, len(atoms)
    while lo < hi and not atoms[lo].tag and atoms[lo].char.isspace():
        lo += 1
    while hi > lo and not atoms[hi - 1].tag and atoms[hi - 1].char.isspace():
        hi -= 1
    return atoms[lo:hi]


def split_html(markup: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Valid Telegram-HTML parts, each at most `limit` UTF-16 units of visible text."""
    if utf16_len(markup) <= limit or telegram_length(markup) <= limit:  # tags and entities only shrink
        return [markup]
    atoms = _atoms(markup)
    parts: list[str] = []
    start, stack = 0, ()
    while start < len(atoms):
        end, end_stack = _next_cut(atoms, start, stack, limit)
        chunk = _strip(atoms[start:end])
        if any(a.units for a in chunk):
            parts.append(_render(stack, chunk, end_stack))
        start, stack = end, end_stack
    return parts
