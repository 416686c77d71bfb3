"""Countries by ISO 3166 alpha-2: Babel's Vietnamese names plus media forms.

Babel (`Locale('vi').territories`) gives one name per code (`Nhật Bản`, `Hoa Kỳ`);
Vietnamese news also writes `Mỹ`, `I-xra-en`, `Xinh-ga-po`, `CHDCND Lào`, which live in
`tagger.aliases`. Việt Nam itself is never tagged: every article is about it.

Data and reader queries, and tags from matches: scanning a text is `tagger.gazetteer`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from rapidfuzz import fuzz, process

from diplobot.text import fold
from tagger import aliases
from tagger._text import canon, looks_vietnamese
from tagger.matches import Entry, Match, first_mentions
from tagger.provinces import fuzzy_pick


@dataclass
class CountryQuery:
    """What a reader's country query means (for `/country`)."""

    query: str
    code: str
    name: str
    exact: bool = True


@lru_cache(maxsize=1)
def names() -> dict[str, str]:
    """ISO alpha-2 -> canonical Vietnamese name, real countries and territories only."""
    out = {}
    for code, name in Locale("vi").territories.items():
        if len(code) == 2 and code.isalpha() and code not in aliases.NOT_COUNTRIES:
            out[code] = canon(aliases.COUNTRY_NAMES.get(code, name))
    return out


@lru_cache(maxsize=1)
def _english() -> dict[str, str]:
    return {c: n for c, n in Locale("en").territories.items() if c in names()}


def country_name(code: str) -> str:
    return names()[code.upper()]


def entries() -> list[Entry]:
    """Gazetteer entries: Babel names (when they are a name people write) plus aliases."""
    forms: dict[str, str] = {}
    for code, name in names().items():
        if "," not in name and "(" not in name:
            forms.setdefault(name, code)
    forms["Myanmar"] = "MM"
    for code, alias_list in aliases.COUNTRY_ALIASES.items():
        for form in alias_list:
            forms[canon(form)] = code
    return [
        Entry("country", code, canon(form), ambiguous=form in aliases.AMBIGUOUS)
        for form, code in forms.items()
    ]


def tag_entry(code: str, mention: str) -> dict:
    return {"mention": mention, "name": country_name(code), "code": code}


def countries_from_matches(canon_text: str, matches: list[Match]) -> list[dict]:
    """Contract dicts from `gazetteer.scan` output; the first mention names each."""
    named: dict[str, bool] = {}  # form -> does someone in the text bear it as a given name
    matches = [m for m in matches if not _given_name(canon_text, m, named)]
    return first_mentions(canon_text, matches, "country", tag_entry)


# Words before a short country name that make it the country even when someone in the
# article bears it as a given name (`sang Đức`, `người Nga`).
_COUNTRY_BEFORE = {"nước", "tại", "ở", "sang", "người", "phía", "thăm", "đến", "tới", "từ",
                   "Cộng", "hòa", "Bộ", "giữa", "với", "quốc", "tịch", "đội", "tuyển"}
# Words before it that make it a person's name (`Thiếu úy Đức`, `thường gọi là Nga`).
_PERSON_BEFORE = {"úy", "cáo", "can", "tượng", "tên"}
# Words before a capitalized syllable that make `X Đức` a commune (`xã Gia Đức`).
_ADMIN = {"xã", "phường", "thôn", "huyện", "quận", "trấn", "ấp", "xóm", "bản", "làng", "khu", "tổ"}
_REGION_BEFORE = {"châu", "miền", "vùng", "nước", "quốc", "tỉnh", "thành", "phố", "khu", "bán", "đảo"}
_WORDS = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")


def _given_name(canon_text: str, m, named: dict[str, bool]) -> bool:
    """A short country word that is a person or a commune here (issue 14): `nhóm của Đức`
    after `Nguyễn Đình Đức`, `Thiếu úy Đức`, `các bị cáo Ngọc và Anh`, `xã Gia Đức`."""
    if m.entry.kind != "country" or not m.entry.ambiguous:
        return False
    before = _WORDS.findall(canon_text[max(0, m.start - 40) : m.start])
    after = _WORDS.findall(canon_text[m.end : m.end + 30])
    if before and before[-1] in _COUNTRY_BEFORE:
        return False
    if before and before[-1].lower() in _PERSON_BEFORE or before[-2:] in (["gọi", "là"], ["tên", "là"]):
        return True  # (not `chuyên gia Mỹ`, `binh sĩ Nga`, `đối tác lớn nhất là Mỹ`: the country)
    if len(before) >= 2 and _syllable(before[-1]) and before[-2].lower() in _ADMIN:
        return True  # `xã Gia Đức`
    if before and before[-1].lower() in _ADMIN and after and _syllable(after[0]):
        return True  # `xã Nga Trường`
    if _listed_with_a_given_name(before, after):
        return True
    form = m.entry.form
    if form not in named:
        named[form] = form in canon_text and _full_name_re(form).search(canon_text) is not None
    return named[form]


def _syllable(word: str) -> bool:
    """A capitalized Vietnamese syllable (`Gia`, `Trường`)."""
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower()) and looks_vietnamese(word)


def _lone_given(word: str, outer: str | None) -> bool:
    """A capitalized given name standing alone (`Ngọc` in `bị cáo Ngọc và Anh`, `Sọn` in
    `Nga , Sọn , Huynh`), not a country of a list of countries (`Anh , Pháp`)."""
    if not _syllable(word) or word in _single_forms() or (outer or "").lower() in _REGION_BEFORE:
        return False  # (`các nước châu Âu , Mỹ`: a region, then a country)
    if outer in {",", "và"}:
        return True  # a list goes on: given names, one after another
    return word.lower() in aliases.GIVEN_NAMES and not (outer and outer[:1].isupper() and outer.isalpha())


def _listed_with_a_given_name(before: list[str], after: list[str]) -> bool:
    """`Ngọc và Anh`, `cho Nga , Sọn , Huynh`: a list of people called by given names."""
    if len(before) >= 2 and before[-1] in {",", "và"}:
        if _lone_given(before[-2], before[-3] if len(before) >= 3 else None):
            return True
    if len(after) >= 2 and after[0] in {",", "và"}:
        if _lone_given(after[1], after[2] if len(after) >= 3 else None):
            return True
    return False


@lru_cache(maxsize=1)
def _single_forms() -> frozenset[str]:
    """One-word country names (`Nhật`, `Pháp`, `Lào`): a list of them is a list of countries."""
    return frozenset(e.form for e in entries() if " " not in e.form)


@lru_cache(maxsize=64)
def _full_name_re(form: str) -> re.Pattern[str]:
    surnames = "|".join(sorted((s.capitalize() for s in aliases.SURNAMES), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{surnames})(?: [A-ZĐ][^\W\d_]*){{1,2}} {re.escape(form)}(?!\w)")


def flag(code: str) -> str:
    """Regional-indicator emoji for an alpha-2 code: `JP` -> 🇯🇵 (empty for a bad code)."""
    code = code.strip().upper()
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        return ""
    return "".join(chr(0x1F1E6 + ord(ch) - ord("A")) for ch in code)


# --- reader queries --------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", fold(canon(text))).split())


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """Folded form -> code: canonical names first, then aliases, English names, codes."""
    table: dict[str, str] = {}
    for code, name in names().items():
        table.setdefault(_key(name), code)
    for code, alias_list in aliases.COUNTRY_ALIASES.items():
        for form in alias_list:
            table.setdefault(_key(form), code)
            table.setdefault(_key(form).replace(" ", ""), code)
    for code, name in _english().items():
        table.setdefault(_key(name), code)
    return table


def resolve_country(query: str) -> CountryQuery | None:
    """Read a country as typed: any case, no marks, media forms, English, ISO codes, typos."""
    key = _key(query)
    if not key or key in {"viet nam", "vietnam", "vn"}:
        return None
    table = _lookup()
    code = table.get(key) or table.get(key.replace(" ", ""))
    if code is None and len(key) == 2 and key.upper() in names():
        code = key.upper()
    if code:
        return CountryQuery(query, code, country_name(code), True)
    best = fuzzy_pick(key, list(table))
    if best is None:
        return None
    code = table[best]
    return CountryQuery(query, code, country_name(code), False)


def suggest_countries(query: str, n: int = 3) -> list[str]:
    """Closest canonical country names to a query, best first."""
    table = _lookup()
    out: list[str] = []
    for choice, _score, _ in process.extract(_key(query), list(table), scorer=fuzz.WRatio,
                                             limit=n * 4):
        name = country_name(table[choice])
        if name not in out:
            out.append(name)
    return out[:n]
