"""Tags for an article: provinces (63 old + 34 new), countries, people with roles,
topics, event dates and an `is_diplomatic` score. Knows nothing of storage or Telegram.

Contract (storage and the bot rely on it): `tag_article(title, body, published_at=None) -> Tags`,
the frozen dataclasses of `diplobot.tags` (re-exported here): `Tags(provinces=(Province(mention=
"Bình Dương", old="Bình Dương", old_code="74", new="Hồ Chí Minh", new_code="79"), ...),
countries=(Country(mention="Nhật Bản", name="Nhật Bản", code="JP"), ...), people=(Person(
"Lê Hoài Trung", "Thứ trưởng Bộ Ngoại giao"), ...), topics=(Topic("ngoại giao kinh tế", 0.8), ...),
dates=("2024-01-23", ...), is_diplomatic=0.93)`. `Tags.to_dict()` is its JSON shape.
"""

from __future__ import annotations

from datetime import datetime

from diplobot.tags import Country, Person, Province, Tags, Topic
from tagger._text import canon
from tagger.countries import CountryQuery, countries_from_matches, flag, resolve_country, suggest_countries
from tagger.dates import find_dates
from tagger.gazetteer import find_countries, find_provinces, scan
from tagger.people import find_people, people_from_scan
from tagger.provinces import ProvinceQuery, provinces_from_matches, resolve_province, suggest_provinces
from tagger.topics import (
    TAXONOMY,
    diplomatic_from_hits,
    find_topics,
    keyword_hits,
    resolve_topic,
    suggest_topics,
    topics_from_hits,
)

__all__ = [
    "TAXONOMY",
    "Country",
    "CountryQuery",
    "Person",
    "Province",
    "ProvinceQuery",
    "Tags",
    "Topic",
    "find_countries",
    "find_dates",
    "find_people",
    "find_provinces",
    "find_topics",
    "flag",
    "resolve_country",
    "resolve_province",
    "resolve_topic",
    "suggest_countries",
    "suggest_provinces",
    "suggest_topics",
    "tag_article",
]


def tag_article(title: str, body: str, published_at: datetime | None = None) -> Tags:
    """All tags of one article (see the module docstring).

    The text is read once (`gazetteer.scan`); places, people and the diplomatic score
    share that reading. `published_at` gives the year to dates written without one.
    """
    title = title or ""
    result = scan(f"{title}\n{body or ''}")
    countries = countries_from_matches(result.text, result.matches)
    cut = len(canon(title))  # the canonical title opens the canonical text
    hits = keyword_hits(result.text[:cut], result.text[cut + 1 :])
    return Tags(
        provinces=tuple(Province(**p) for p in provinces_from_matches(result.text, result.matches)),
        countries=tuple(Country(**c) for c in countries),
        # The people extractor keeps its own records (issue 14 reshapes it); typed here.
        people=tuple(Person(p["name"], p["role"]) for p in people_from_scan(result)),
        topics=tuple(Topic(t["name"], t["score"]) for t in topics_from_hits(hits)),
        dates=tuple(find_dates(result.text, published_at)),
        is_diplomatic=diplomatic_from_hits(hits, len(countries)),
    )
