"""Vietnam's 63 provinces before the 2025 merger and the 34 after it.

The data is underthesea's bundled `address/data/mapping.json` (built from
vietnamadminunits, effective 2025-07-01): old key -> new key, 34 new and 63 old
names with their codes. Articles name old provinces (`Bình Dương`, `Sóc Trăng`);
readers may ask with either an old or a new name, so every tag carries both.

Data and reader queries, and tags from matches: scanning a text is `tagger.gazetteer`'s.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from rapidfuzz import fuzz, process

from diplobot.text import fold
from tagger import aliases
from tagger._text import canon
from tagger.matches import Entry, Match, first_mentions


@dataclass(frozen=True)
class Province:
    key: str
    name: str  # short: "Sóc Trăng"
    full_name: str  # "Tỉnh Sóc Trăng"
    code: str


@dataclass(frozen=True)
class ProvinceData:
    old: dict[str, Province]  # old key -> province
    new: dict[str, Province]  # new key -> province
    old_to_new: dict[str, str]  # old key -> new key
    old_by_code: dict[str, Province] = field(default_factory=dict)
    old_by_name: dict[str, Province] = field(default_factory=dict)


@dataclass
class ProvinceQuery:
    """What a reader's province query means (for `/province`).

    `kind` is "new" when the name is a post-2025 province (`Cần Thơ`, `Hồ Chí Minh`),
    else "old" (`Sóc Trăng`). `old_codes` are the old provinces it covers; `members`
    are the short names of the old provinces that make up `new_name`.
    """

    query: str
    kind: str
    name: str
    full_name: str
    old_codes: list[str]
    new_code: str
    new_name: str
    members: list[str]
    exact: bool = True


def _mapping_path() -> Path:
    """Located without importing underthesea (its import costs seconds)."""
    spec = find_spec("underthesea")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("underthesea is not installed; it ships the province mapping")
    return Path(list(spec.submodule_search_locations)[0]) / "address" / "data" / "mapping.json"


_WARD_KEY_RE = re.compile(r',\s*"ward_mapping"\s*:')


@lru_cache(maxsize=1)
def data() -> ProvinceData:
    """Province parts of mapping.json, loaded once (the ward list is cut off unparsed)."""
    text = _mapping_path().read_text(encoding="utf-8")
    cut = _WARD_KEY_RE.search(text)
    raw = json.loads(text[: cut.start()] + "}") if cut else json.loads(text)

    def build(table: dict) -> dict[str, Province]:
        return {
            key: Province(key, canon(v["short"]), canon(v["name"]), v["code"])
            for key, v in table.items()
        }

    old, new = build(raw["old_province_names"]), build(raw["province_names"])
    return ProvinceData(
        old=old,
        new=new,
        old_to_new=dict(raw["province_mapping"]),
        old_by_code={p.code: p for p in old.values()},
        old_by_name={p.name: p for p in old.values()},
    )


def old_province(name: str) -> Province:
    return data().old_by_name[canon(name)]


def new_of(old: Province) -> Province:
    d = data()
    return d.new[d.old_to_new[old.key]]


def members_of(new_key: str) -> list[Province]:
    d = data()
    return [d.old[k] for k, v in d.old_to_new.items() if v == new_key]


def entries() -> list[Entry]:
    """Gazetteer entries: every old short name plus the reviewed aliases."""
    out = []
    forms = {p.name: p.name for p in data().old.values()}
    forms.update(aliases.PROVINCE_ALIASES)
    for form, old_name in forms.items():
        p = old_province(old_name)
        out.append(
            Entry(
                "province",
                p.code,
                canon(form),
                ambiguous=form in aliases.AMBIGUOUS,
                city_prefix=form in aliases.CITY_PREFIX_ONLY,
            )
        )
    return out


def tag_entry(old_code: str, mention: str) -> dict:
    """The contract's province dict for one old province."""
    old = data().old_by_code[old_code]
    new = new_of(old)
    return {"mention": mention, "old": old.name, "old_code": old.code,
            "new": new.name, "new_code": new.code}


def provinces_from_matches(canon_text: str, matches: list[Match]) -> list[dict]:
    """Contract dicts from `gazetteer.scan` output; the first mention names each."""
    return first_mentions(canon_text, matches, "province", tag_entry)


# --- reader queries --------------------------------------------------------------


def _strip_prefix(folded: str) -> str:
    folded = folded.strip()
    for prefix in aliases.PROVINCE_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            rest = folded[len(prefix) :].lstrip(" .")
            if rest:
                return rest
    return folded


def _key(text: str) -> str:
    """Folded, prefix-free, punctuation-free form used to compare names."""
    folded = _strip_prefix(fold(canon(text)))
    folded = re.sub(r"[^\w]+", " ", folded)
    return " ".join(folded.split())


@lru_cache(maxsize=1)
def _lookup() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Folded name -> (kind, key). Exact names first, aliases second."""
    d = data()
    names: dict[str, tuple[str, str]] = {}
    for p in d.old.values():
        names[_key(p.name)] = ("old", p.key)
    for p in d.new.values():  # a post-2025 name wins: it is what readers now mean
        names[_key(p.name)] = ("new", p.key)
    alias_map: dict[str, tuple[str, str]] = {}
    for form, old_name in aliases.PROVINCE_ALIASES.items():
        p = old_province(old_name)
        kind = "new" if p.key in d.new else "old"
        alias_map[_key(form)] = (kind, p.key)
    for form in ("TP HCM", "HCM", "TPHCM", "Sài Gòn", "Thành phố HCM"):
        alias_map[_key(form)] = ("new", "thanhphohochiminh")
    # Spelled-out forms with no space (`soctrang`, `hanoi`) and the d/đ-less typing.
    for k, v in list(names.items()):
        alias_map.setdefault(k.replace(" ", ""), v)
    return names, alias_map


def _query(query: str, kind: str, key: str, exact: bool) -> ProvinceQuery:
    d = data()
    if kind == "new":
        p = d.new[key]
        members = members_of(key)
        return ProvinceQuery(query, "new", p.name, p.full_name, [m.code for m in members],
                             p.code, p.name, [m.name for m in members], exact)
    p = d.old[key]
    new = d.new[d.old_to_new[key]]
    members = members_of(new.key)
    return ProvinceQuery(query, "old", p.name, p.full_name, [p.code], new.code, new.name,
                         [m.name for m in members], exact)


def resolve_province(query: str) -> ProvinceQuery | None:
    """Read a province as a user types it: any case, no marks, `tỉnh`/`TP.` prefixes,
    aliases (`TPHCM`, `Huế`, `BR-VT`), old tone spelling (`Hoà Bình`), small typos."""
    key = _key(query)
    if not key:
        return None
    names, alias_map = _lookup()
    hit = names.get(key) or alias_map.get(key) or alias_map.get(key.replace(" ", ""))
    if hit:
        return _query(query, hit[0], hit[1], True)
    choices = {**alias_map, **names}
    best = fuzzy_pick(key, list(choices))
    if best is None:
        return None
    kind, pkey = choices[best]
    return _query(query, kind, pkey, False)


def _initials(key: str) -> str:
    return "".join(word[0] for word in key.split())


def fuzzy_pick(key: str, choices: list[str], cutoff: float = 85) -> str | None:
    """The closest choice if it is a plausible typo: close overall (rapidfuzz ratio) and
    the same syllable initials, so `Binh Duongg` is Bình Dương but `Bắc Kinh` is not Bắc Ninh."""
    if len(key) < 4:
        return None
    for choice, _score, _ in process.extract(key, choices, scorer=fuzz.ratio,
                                             score_cutoff=cutoff, limit=3):
        if _initials(choice) == _initials(key):
            return choice
    return None


def suggest_provinces(query: str, n: int = 3) -> list[str]:
    """Closest province names (old and new, short form) to a query, best first."""
    d = data()
    display = {_key(p.name): p.name for p in d.old.values()}
    key = _key(query)
    out: list[str] = []
    for choice, _score, _ in process.extract(key, list(display), scorer=fuzz.WRatio, limit=n * 2):
        if display[choice] not in out:
            out.append(display[choice])
    return out[:n]
