"""The tag contract: what the tagger finds in an article, what storage keeps, what the bot shows.

Plain frozen dataclasses and nothing else, so that every layer can import them (storage
rebuilds `Tags` from its rows and may import nothing from `tagger/`). The tagger produces
them (`tagger.tag_article`, which re-exports these names); `storage.tag_rows` maps them to
rows and back; `bot.format` reads them. `to_dict` is the JSON shape `diplobot tags` prints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Province:
    """One old (pre-2025) province and the new one it belongs to since 1/7/2025."""

    mention: str = ""  # as first written in the article
    old: str
    old_code: str
    new: str
    new_code: str


@dataclass(frozen=True, kw_only=True)
class Country:
    mention: str = ""  # as first written in the article
    name: str  # the Vietnamese name
    code: str  # ISO 3166-1 alpha-2


@dataclass(frozen=True)
class Person:
    name: str  # as written, e.g. "Lê Hoài Trung"
    role: str = ""  # e.g. "Thứ trưởng Bộ Ngoại giao"; "" when none is known


@dataclass(frozen=True)
class Topic:
    name: str  # a name of the taxonomy (`tagger.topics.TAXONOMY`)
    score: float | None = None  # 0..1


@dataclass(frozen=True)
class Tags:
    """All tags of one article, each kind in order of first mention."""

    provinces: tuple[Province, ...] = ()
    countries: tuple[Country, ...] = ()
    people: tuple[Person, ...] = ()
    topics: tuple[Topic, ...] = ()
    dates: tuple[str, ...] = ()  # event dates, ISO `YYYY-MM-DD`
    is_diplomatic: float | None = None  # 0..1; None: never scored

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: lists of plain dicts, keys as the field names."""
        return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tags:
        """The inverse of `to_dict` (kinds left out are empty)."""
        return cls(
            provinces=tuple(Province(**p) for p in data.get("provinces", ())),
            countries=tuple(Country(**c) for c in data.get("countries", ())),
            people=tuple(Person(**p) for p in data.get("people", ())),
            topics=tuple(Topic(**t) for t in data.get("topics", ())),
            dates=tuple(data.get("dates", ())),
            is_diplomatic=data.get("is_diplomatic"),
        )
