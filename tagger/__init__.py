"""Tags for an article: provinces (63 old + 34 new), countries, people with roles,
topics, event dates and an `is_diplomatic` score. Knows nothing of storage or Telegram.

Contract (storage and the bot rely on it):

    tag_article(title, body, published_at=None) -> dict
    {
      "provinces": [{"mention": "Bình Dương", "old": "Bình Dương", "old_code": "74",
                     "new": "Hồ Chí Minh", "new_code": "79"}, ...],   # one per province
      "countries": [{"mention": "Nhật Bản", "name": "Nhật Bản", "code": "JP"}, ...],
      "people":    [{"name": "Lê Hoài Trung", "role": "Thứ trưởng Bộ Ngoại giao"}, ...],
      "topics":    [{"name": "ngoại giao kinh tế", "score": 0.8}, ...],
      "dates":     ["2024-01-23", ...],
      "is_diplomatic": 0.93,
    }
"""

from __future__ import annotations

from datetime import datetime

from tagger.countries import CountryQuery, find_countries, flag, resolve_country, suggest_countries
from tagger.provinces import (
    ProvinceQuery,
    find_provinces,
    resolve_province,
    suggest_provinces,
)

__all__ = [
    "CountryQuery",
    "ProvinceQuery",
    "find_countries",
    "find_provinces",
    "flag",
    "resolve_country",
    "resolve_province",
    "suggest_countries",
    "suggest_provinces",
    "tag_article",
]


def tag_article(title: str, body: str, published_at: datetime | None = None) -> dict:
    """All tags of one article (see the module docstring for the shape)."""
    from tagger.gazetteer import scan
    from tagger.countries import countries_from_matches
    from tagger.provinces import provinces_from_matches

    text = f"{title}\n{body}"
    result = scan(text)
    return {
        "provinces": provinces_from_matches(result.text, result.matches),
        "countries": countries_from_matches(result.text, result.matches),
        "people": [],
        "topics": [],
        "dates": [],
        "is_diplomatic": 0.0,
    }
