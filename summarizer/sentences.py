"""Sentences of an article body, and which of them a reader may be shown alone.

Splitting uses `diplobot.text.split_sentences`, with two additions that matter for
summaries: a line with no inner sentence end is kept whole without calling underthesea
(most news lines; it avoids importing underthesea at all for such texts), and pieces that
underthesea cuts at a person's initials (`Đ. N.A`) or before a comma are glued back.
"""

from __future__ import annotations

import re

from diplobot.text import fold, normalize, split_sentences, syllables

# A sentence end followed by more text: only such lines need the real splitter.
_INNER_END_RE = re.compile(r"[.!?](?=.*\w)")
# Characters that cannot open a sentence: it continues the previous piece.
_CONTINUATION_CHARS = set(",;:)]”’»")
# A piece that ends on an initial (`Đ.`, `Th .`): the name goes on in the next piece.
# (`Kh ..` is an initial and a sentence end: not matched.)
_INITIAL_END_RE = re.compile(r"(?:^|[\s.(])([^\W\d_]{1,2})\s?\.$")

_FINAL_PUNCT = (".", "!", "?", "…", "”", '"', "»", "'", "’", ")")
# Photo captions, credits, related-article links and similar furniture.
_FURNITURE_RE = re.compile(
    r"(\bẢnh\s*:|\(\s*Ảnh|\bNguồn\s*:|\bVideo\s*:|\bClip\s*:|^\s*(Xem|Đọc)\s+thêm\b|>\s*>)",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(r"^\(?\s*(Theo|Nguồn)\s+[\w./+ -]{1,40}\)?\s*\.?$", re.IGNORECASE)
_SOURCE_ONLY_RE = re.compile(r"^\(\s*[\w./+ -]{1,40}\s*\)\s*\.?$")


def split_line_sentences(text: str) -> list[str]:
    """Sentences of `text`, line by line, with cut names and clauses glued back."""
    out: list[str] = []
    for line in text.splitlines():
        line = normalize(line).strip()
        if not line:
            continue
        pieces = split_sentences(line) if _INNER_END_RE.search(line) else [line]
        out.extend(_glue(pieces))
    return out


def broken_start(text: str) -> bool:
    """True when `text` starts mid-sentence: punctuation, or a lowercase word (not `iPhone`)."""
    if not text:
        return True
    if text[0] in _CONTINUATION_CHARS:
        return True
    return text[0].islower() and not (len(text) > 1 and text[1].isupper())


def _ends_on_initial(text: str) -> bool:
    """`… với Đ.` or `… ông Th .`: a capital, at most one small letter, then a period."""
    match = _INITIAL_END_RE.search(text)
    if not match:
        return False
    initial = match.group(1)
    return initial[0].isupper() and (len(initial) == 1 or initial[1].islower())


def _glue(pieces: list[str]) -> list[str]:
    """Join a piece to the previous one when it plainly continues it."""
    glued: list[str] = []
    for piece in pieces:
        if glued and (broken_start(piece) or _ends_on_initial(glued[-1])):
            glued[-1] = f"{glued[-1]} {piece}"
        else:
            glued.append(piece)
    return glued


def quotes_balanced(sentence: str) -> bool:
    """False for half a quotation: an opening quote closed in another sentence."""
    if sentence.count("“") != sentence.count("”"):
        return False
    if sentence.count("«") != sentence.count("»"):
        return False
    return sentence.count('"') % 2 == 0


def is_furniture(sentence: str, n_syllables: int) -> bool:
    """Captions, bylines, credits and headings: text a summary must never show."""
    if _FURNITURE_RE.search(sentence) or _BYLINE_RE.match(sentence) or _SOURCE_ONLY_RE.match(sentence):
        return True
    # Headings and captions have no closing punctuation; real sentences rarely lack it.
    return not sentence.rstrip().endswith(_FINAL_PUNCT) and n_syllables < 30


def repeats_title(sentence: str, title: str) -> bool:
    """True when the sentence is the title again (image alt text, a repeated heading)."""
    if not title.strip():
        return False
    s, t = fold(sentence).strip(" .!?"), fold(title).strip(" .!?")
    if s == t or (len(s) >= 10 and s in t):
        return True
    s_syl, t_syl = syllables(s), set(syllables(t))
    if not s_syl or not t_syl:
        return False
    covered = sum(1 for w in s_syl if w in t_syl) / len(s_syl)
    return covered >= 0.9 and len(s_syl) <= 1.2 * len(t_syl)


def readable(sentence: str, title: str, n_syllables: int) -> bool:
    """Whether a reader may be shown this sentence out of its article."""
    return (
        n_syllables >= 5
        and not broken_start(sentence)
        and quotes_balanced(sentence)
        and not is_furniture(sentence, n_syllables)
        and not repeats_title(sentence, title)
    )
