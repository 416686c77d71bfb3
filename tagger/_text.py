"""Token-level helpers shared by the gazetteer taggers.

Places and people are found on tokens, not substrings: `Pháp` must not fire inside
`pháp luật`, and `Anh` in `Trần Phước Anh` is a given name. The helpers here give
every tagger the same view of a text: canonical spelling, tokens with offsets,
capitalization tests and "does this look like a Vietnamese syllable".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from diplobot.text import fold, normalize

# Old-style tone placement (`hoà`, `uỷ`) moved to the first vowel (`hòa`, `ủy`) when the
# diphthong ends the syllable; mapping.json and most modern text use the latter.
_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
_OLD_TONE_RE = re.compile(
    r"(?<![qQ])([oOuU])([àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ])(?![^\W\d_])"
)
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "‐": "-", "−": "-"})


def _move_tone(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    pair = (first + second).lower()
    if pair[0] == "o" and fold(second) not in "ae":
        return match.group(0)
    if pair[0] == "u" and fold(second) != "y":
        return match.group(0)
    decomposed = unicodedata.normalize("NFD", second)
    mark = "".join(ch for ch in decomposed if ch in _MARKS)
    bare = "".join(ch for ch in decomposed if ch not in _MARKS)
    return unicodedata.normalize("NFC", first + mark) + unicodedata.normalize("NFC", bare)


def canon(text: str) -> str:
    """NFC text with modern tone placement and ASCII dashes; keeps every offset.

    `Hoà Bình` and `Hòa Bình`, `Khánh Hoà` and `Khánh Hòa` become the same string, so
    one gazetteer entry covers both spellings.
    """
    text = normalize(text).translate(_DASHES)
    return _OLD_TONE_RE.sub(_move_tone, text)


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    line_start: bool  # first token of a line


_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def tokenize(text: str) -> list[Token]:
    """Word and punctuation tokens with offsets into `text` (already canonical)."""
    tokens: list[Token] = []
    last_end = 0
    for m in _TOKEN_RE.finditer(text):
        gap = text[last_end : m.start()]
        tokens.append(Token(m.group(), m.start(), m.end(), not tokens or "\n" in gap))
        last_end = m.end()
    return tokens


SENTENCE_END = {".", "!", "?", ":", ";", "…", "\"", "“", "”", "|"}


def is_sentence_start(tokens: list[Token], i: int) -> bool:
    """True when token i opens a sentence, a line or a quotation."""
    if i == 0 or tokens[i].line_start:
        return True
    return tokens[i - 1].text in SENTENCE_END


def is_cap(word: str) -> bool:
    """Capitalized word: upper first letter (`Hà`, `TP`, `I`)."""
    return bool(word) and word[0].isupper()


def is_title(word: str) -> bool:
    """`Minh` but not `UBND` or `minh`."""
    return len(word) > 0 and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


_VI_SYLLABLE_RE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(uye|uya|uyu|ieu|yeu|uoi|uou|oai|oay|oeo|uay|uao|ươi|"
    r"[aeiouy]{1,3})(ch|nh|ng|[cmnpt])?$"
)


@lru_cache(maxsize=8192)
def looks_vietnamese(word: str) -> bool:
    """Could `word` be one Vietnamese syllable? (`Trong`, `Minh`, `Đức` yes; `Mike`, `Marc` no)."""
    if any(ch in "ăâđêôơư" for ch in word.lower()):
        return True
    folded = fold(word)
    if folded != word.lower():  # carries a tone mark
        return True
    return bool(_VI_SYLLABLE_RE.match(folded))


def is_caps_syllable(word: str) -> bool:
    """An all-capitals Vietnamese syllable with marks (`LƯU`, `THÁI`): a shouted headline."""
    return (
        len(word) >= 2
        and word.isupper()
        and word.isalpha()
        and fold(word) != word.lower()
        and bool(_VI_SYLLABLE_RE.match(fold(word)))
    )
