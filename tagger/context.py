"""Context rules that turn a name-shaped span into a place, or not.

A gazetteer hit is only a candidate: `Anh` in `ông Trần Phước Anh` is a given name,
`Đức` in `Võ Đức Trong` a middle name, `Pháp` in `Báo Pháp luật` a newspaper,
`Hà Nam (Trung Quốc)` a Chinese province, `Hồ Chí Minh` after `Chủ tịch` a person.
Each rule below names the mistake it prevents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tagger import aliases
from tagger._text import (
    Token,
    is_caps_syllable,
    is_sentence_start,
    is_title,
    looks_vietnamese,
)

# Abbreviations whose dot does not end a sentence (`TP.Hồ Chí Minh`).
_DOT_ABBREVIATIONS = {"TP", "Tp", "tp", "T", "P", "Q", "TX", "TT", "St", "Mr", "Dr", "Th", "GS", "TS"}
_CITY_WORDS = {"TP", "Tp", "tp", "phố", "Phố", "HCM"}
_HCM_LEADERS = {"tại", "ở", "đến", "tới", "về", "ra", "vào", ",", "và", "-", "(", "từ",
                "sang", "khỏi", "&", "/", "Tại", "Ở", "Từ", "Đến", "Về"}
_ANH_AFTER_START = {"và", ",", "-", "(", "/", "cùng", "với"}
_ANH_COMPOUNDS = {"hùng", "em", "chị", "ấy", "ta", "trai", "rể", "cả", "hai", "ba"}


def sentence_start(tokens: list[Token], i: int) -> bool:
    """Like `is_sentence_start`, but the dot of `TP.` does not end a sentence."""
    if i >= 2 and tokens[i - 1].text == "." and tokens[i - 2].text in _DOT_ABBREVIATIONS:
        return tokens[i].line_start
    return is_sentence_start(tokens, i)


def _prev(tokens: list[Token], i: int) -> Token | None:
    if i == 0 or tokens[i].line_start:
        return None
    return tokens[i - 1]


def _next(tokens: list[Token], j: int) -> Token | None:
    if j >= len(tokens) or tokens[j].line_start:
        return None
    return tokens[j]


def in_language_list(tokens: list[Token], i: int) -> bool:
    """`tiếng Anh`, and the next items of `tiếng Anh, Pháp và Hà Lan`."""
    k = i - 1
    while k >= 0 and not tokens[k + 1].line_start:
        word = tokens[k].text
        if word.lower() == "tiếng":
            return True
        if word in {",", "và", "hoặc", "-"} or word[:1].isupper():
            k -= 1  # walk back over the earlier items of the list
            continue
        return False
    return False


def after_kinship(tokens: list[Token], i: int) -> bool:
    """`anh Minh`, `chị Nga`, `đồng chí Đức`: a title before a given name."""
    prev = _prev(tokens, i)
    if prev is None:
        return False
    word = prev.text.lower()
    if word == "em" and i >= 2 and tokens[i - 2].text.lower() == "anh":
        return False  # `nước anh em Lào`
    if word == "chí" and i >= 2 and tokens[i - 2].text.lower() == "đồng":
        return True
    return word in aliases.KINSHIP


def after_name(tokens: list[Token], i: int) -> bool:
    """The word before is a capitalized Vietnamese syllable of a person's name.

    `Trần Phước Anh`, `Nguyễn Minh Đức`, `Trần Hà Nam`. A sentence's first word is
    capitalized anyway, so there only a surname counts (`Võ Đức Trong`, not `Tại Huế`).
    """
    prev = _prev(tokens, i)
    if prev is None or not is_title(prev.text) or not prev.text.isalpha():
        return False
    word = prev.text.lower()
    if word in aliases.PLACE_LEADERS or not looks_vietnamese(prev.text):
        return False
    if _viet_compound(tokens, i - 1):
        return False
    if sentence_start(tokens, i - 1):
        return word in aliases.SURNAMES
    return True


def _viet_compound(tokens: list[Token], k: int) -> bool:
    """`Việt` in `quan hệ Việt Pháp` (a place leader), not in `Nguyễn Việt Anh` (a name)."""
    if tokens[k].text != "Việt":
        return False
    before = _prev(tokens, k)
    return before is None or not (is_title(before.text) and before.text.isalpha())


def after_given(tokens: list[Token], i: int) -> bool:
    """`Phương Anh` opening a byline line: a given name even at a sentence start."""
    prev = _prev(tokens, i)
    return (
        prev is not None
        and prev.text.isalpha()
        and is_title(prev.text)
        and looks_vietnamese(prev.text)
        and prev.text.lower() not in aliases.PLACE_LEADERS
        and not _viet_compound(tokens, i - 1)
    )


def before_given_name(tokens: list[Token], j: int) -> bool:
    """The next word is a capitalized Vietnamese syllable: `Đức Trong`, `Mỹ Linh`.

    Foreign names after a country stay fine: `Ngoại trưởng Mỹ Mike Pompeo`.
    """
    nxt = _next(tokens, j)
    return (
        nxt is not None
        and nxt.text.isalpha()
        and is_title(nxt.text)
        and looks_vietnamese(nxt.text)
        and nxt.text.lower() not in aliases.PLACE_LEADERS
    )


# The gazetteer's longest match at a token (`Gazetteer.longest`): the scanner passes it in.
Longest = Callable[[list[Token], int], Any]


def foreign_suffix(tokens: list[Token], j: int, form: str, longest: Longest) -> bool:
    """`Hà Nam (Trung Quốc)`, `Georgia (Mỹ)`: a place inside another country."""
    nxt = _next(tokens, j)
    if nxt is None:
        return False
    if nxt.text == "(":
        m = longest(tokens, j + 1)
        return (
            m is not None
            and m.entry.kind == "country"
            and m.j < len(tokens)
            and tokens[m.j].text == ")"
        )
    if nxt.text == "," and form in {"Hà Nam"}:  # Henan, China
        m = longest(tokens, j + 1)
        return m is not None and m.entry.target == "CN"
    return False


def city_context(tokens: list[Token], i: int) -> bool:
    """`TP Hồ Chí Minh`, `tại Hồ Chí Minh`, `Hà Nội, Hồ Chí Minh` are the city;
    `Chủ tịch Hồ Chí Minh`, `tư tưởng Hồ Chí Minh` are the person."""
    prev = _prev(tokens, i)
    if prev is None:
        return False
    if prev.text == "." and i >= 2:
        prev = tokens[i - 2]
    return prev.text in _CITY_WORDS or prev.text in _HCM_LEADERS


def ambiguous_word(tokens: list[Token], i: int, j: int, form: str) -> bool:
    """Common-word readings of one-syllable country names (`Pháp luật`, `Ý kiến`, `Anh ấy`)."""
    nxt = _next(tokens, j)
    nxt_word = nxt.text if nxt is not None else ""
    prev = _prev(tokens, i)
    if any(t is not None and is_caps_syllable(t.text) for t in (prev, nxt)):
        return True  # `LƯU Ý`: a word in a capitalized line, not Italy
    if nxt_word in aliases.COMPOUNDS.get(form, ()):
        if form != "Anh" or sentence_start(tokens, i):
            return True
    if form == "Anh":
        if nxt_word in _ANH_COMPOUNDS:
            return True
        if sentence_start(tokens, i) and nxt_word not in _ANH_AFTER_START:
            return True
    return before_given_name(tokens, j)


def accept(match, tokens: list[Token], longest: Longest) -> bool:
    """Keep a gazetteer match only if its context says it is that place (`longest` reads
    the names around it)."""
    entry = match.entry
    i, j = match.i, match.j
    prev = _prev(tokens, i)
    if entry.kind == "country" and in_language_list(tokens, i):
        return False  # `tiếng Anh và Hà Lan` are languages
    if after_kinship(tokens, i) or after_name(tokens, i):
        return False
    if entry.ambiguous and (ambiguous_word(tokens, i, j, entry.form) or after_given(tokens, i)):
        return False
    if entry.city_prefix and not city_context(tokens, i):
        return False
    if "(" not in entry.form and foreign_suffix(tokens, j, entry.form, longest):
        return False
    if ship_name(tokens, i, j):
        return False
    return True


def ship_name(tokens: list[Token], i: int, j: int) -> bool:
    """`tàu khảo sát địa chất Hải Dương 8`: a ship named after a place."""
    nxt = _next(tokens, j)
    if nxt is None or not nxt.text.isdigit():
        return False
    return any(t.text.lower() == "tàu" for t in tokens[max(0, i - 6) : i])


__all__ = ["accept", "sentence_start"]
