"""One longest-match scanner for every place name (provinces, countries, blockers).

Provinces and countries are scanned together so that the longest name wins across
both lists: `Lào Cai` (a province) swallows `Lào` (Laos), `Thái Bình Dương` (a
blocker: the Pacific) swallows `Thái Bình` and `Bình Dương`. Matching is case
sensitive on canonical tokens (`hòa bình`, peace, is not `Hòa Bình`), and every
candidate then passes the context rules of `tagger.context`.

The names come from the data modules (`tagger.provinces`, `tagger.countries`,
`tagger.aliases`), which know nothing of scanning; `Entry` and `Match` live in
`tagger.matches`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from tagger import aliases, countries, provinces
from tagger._text import Token, canon, tokenize
from tagger.context import accept
from tagger.matches import Entry, Match


@dataclass
class _Node:
    children: dict[str, "_Node"] = field(default_factory=dict)
    entry: Entry | None = None


def form_tokens(form: str) -> list[str]:
    return [t.text for t in tokenize(canon(form))]


class Gazetteer:
    """A token trie over name forms; `scan` yields the longest match at each place."""

    def __init__(self, entries: list[Entry]) -> None:
        self.root = _Node()
        for entry in entries:
            toks = form_tokens(entry.form)
            self._add(toks, entry)
            words = [t for t in toks if t[0].isalnum()]
            if len(words) >= 2:  # headlines in capitals: `HÀ TĨNH`
                self._add([t.upper() for t in toks], entry)

    def _add(self, toks: list[str], entry: Entry) -> None:
        node = self.root
        for tok in toks:
            node = node.children.setdefault(tok, _Node())
        # A longer or earlier-registered form keeps its entry; blockers always win.
        if node.entry is None or entry.kind == "block":
            node.entry = entry

    def longest(self, tokens: list[Token], i: int) -> Match | None:
        node, best = self.root, None
        for j in range(i, len(tokens)):
            node = node.children.get(tokens[j].text)
            if node is None:
                break
            if node.entry is not None:
                best = Match(node.entry, i, j + 1, tokens[i].start, tokens[j].end)
        return best


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """Provinces, countries and blockers in one trie (built once, ≈ 20 ms)."""
    entries = provinces.entries() + countries.entries()
    entries += [Entry("block", "", form) for form in aliases.BLOCKERS]
    return Gazetteer(entries)


@dataclass
class Scan:
    """A text read once: canonical text, tokens, accepted places, and every place-like
    span (accepted places and blockers, by first token) for the people parser."""

    text: str
    tokens: list[Token]
    matches: list[Match]
    places: dict[int, int]  # first token -> one past the last


def scan(text: str) -> Scan:
    """Read `text` once: canonical spelling, tokens, accepted place matches in order."""
    text = canon(text)
    tokens = tokenize(text)
    gaz = default_gazetteer()
    out: list[Match] = []
    places: dict[int, int] = {}
    i = 0
    while i < len(tokens):
        m = gaz.longest(tokens, i)
        if m is None:
            i += 1
            continue
        if m.entry.kind == "block":
            places[m.i] = m.j
        elif accept(m, tokens, gaz.longest):
            out.append(m)
            places[m.i] = m.j
        i = m.j  # a rejected span is a name or a foreign place: skip it whole
    return Scan(text, tokens, out, places)


def find_provinces(text: str) -> list[dict]:
    """Provinces named in `text`, one per distinct old province, in order of first mention."""
    result = scan(text)
    return provinces.provinces_from_matches(result.text, result.matches)


def find_countries(text: str) -> list[dict]:
    """Countries named in `text`, one per code, in order of first mention (never VN)."""
    result = scan(text)
    return countries.countries_from_matches(result.text, result.matches)
