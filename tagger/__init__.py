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
