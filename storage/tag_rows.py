"""`Tags` ↔ rows of the `tags` table, both ways, in one place.

A row is (kind, value, code, extra): `code` is what listings and subscriptions match on,
`extra` (JSON) what only display needs. A province gets two rows, its old one (`province`,
old code) and, once per new province, a `province_new` row, so that either can be queried;
reading back, the old rows carry everything. `is_diplomatic` is a column of `articles`,
not a row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from diplobot.tags import Country, Person, Province, Tags, Topic
from diplobot.text import fold


@dataclass(frozen=True)
class TagRow:
    kind: str  # province, province_new, country, person, topic, date
    value: str
    code: str
    extra: str = "{}"  # JSON


def _row(kind: str, value: str, code: str, extra: dict[str, Any] | None = None) -> TagRow:
    return TagRow(kind, value, code, json.dumps(extra or {}, ensure_ascii=False))


def to_rows(tags: Tags) -> list[TagRow]:
    """The rows that store `tags`, in the order they were found."""
    rows: list[TagRow] = []
    seen_new: set[str] = set()
    for p in tags.provinces:
        rows.append(_row("province", p.old, p.old_code, {"mention": p.mention, "new": p.new, "new_code": p.new_code}))
        if p.new_code not in seen_new:
            seen_new.add(p.new_code)
            rows.append(_row("province_new", p.new, p.new_code))
    rows += [_row("country", c.name, c.code, {"mention": c.mention}) for c in tags.countries]
    rows += [_row("person", p.name, fold(p.name), {"role": p.role}) for p in tags.people]
    rows += [_row("topic", t.name, fold(t.name), {"score": t.score}) for t in tags.topics]
    rows += [_row("date", d, d) for d in tags.dates]
    return rows


def from_rows(rows: Iterable[tuple[str, str, str, str | None]], is_diplomatic: float | None = None) -> Tags:
    """`Tags` from (kind, value, code, extra) rows in stored order (the inverse of `to_rows`)."""
    kinds: dict[str, list] = {"province": [], "country": [], "person": [], "topic": [], "date": []}
    for kind, value, code, extra_json in rows:
        extra = json.loads(extra_json or "{}")
        if kind == "province":
            # Read as leniently as the rows were before this module: no new province, not merged.
            kinds[kind].append(Province(mention=extra.get("mention") or "", old=value, old_code=code,
                                        new=extra.get("new", value), new_code=extra.get("new_code", code)))
        elif kind == "country":
            kinds[kind].append(Country(mention=extra.get("mention") or "", name=value, code=code))
        elif kind == "person":
            kinds[kind].append(Person(value, extra.get("role") or ""))
        elif kind == "topic":
            kinds[kind].append(Topic(value, extra.get("score")))
        elif kind == "date":
            kinds[kind].append(value)
    return Tags(provinces=tuple(kinds["province"]), countries=tuple(kinds["country"]),
                people=tuple(kinds["person"]), topics=tuple(kinds["topic"]), dates=tuple(kinds["date"]),
                is_diplomatic=is_diplomatic)
