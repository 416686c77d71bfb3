"""The article as it travels through the pipeline, before storage gives it an id."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from diplobot.text import fold


@dataclass
class Article:
    title: str
    body: str
    source_key: str  # what makes a re-ingest of the same item recognisable: path or URL
    source: str = ""  # human name of the outlet: "baolangson.vn", "TTXVN/Vietnam+"
    url: str | None = None
    canonical_url: str | None = None
    published_at: datetime | None = None
    extra: dict = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """Hash of the folded, whitespace-free text: survives re-encoding and spacing."""
        text = "".join(fold(self.title + "\n" + self.body).split())
        return hashlib.sha256(text.encode()).hexdigest()[:32]
