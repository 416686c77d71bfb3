"""What the place scanner works with: a name form (`Entry`), a span it found (`Match`),
and one contract dict per place named (`first_mentions`).

A leaf: the data modules (`tagger.provinces`, `tagger.countries`) describe their names as
entries and turn matches into tags; `tagger.gazetteer` imports them and scans. The data
modules never import the gazetteer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    """A name form: what it points to and how careful the context check must be."""

    kind: str  # "province", "country" or "block"
    target: str  # old province code, ISO alpha-2, or "" for blockers
    form: str
    ambiguous: bool = False  # a common word or given name (Anh, Đức, Pháp, Huế)
    city_prefix: bool = False  # only after TP/thành phố or a place preposition


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    i: int  # first token
    j: int  # one past the last token
    start: int
    end: int


def first_mentions(canon_text: str, matches: list[Match], kind: str, make: Callable[[str, str], dict]) -> list[dict]:
    """One contract dict per target of `kind`, named by its first mention, in text order."""
    seen: dict[str, dict] = {}
    for m in matches:
        if m.entry.kind == kind and m.entry.target not in seen:
            seen[m.entry.target] = make(m.entry.target, canon_text[m.start : m.end])
    return list(seen.values())
