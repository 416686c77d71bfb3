"""Text in, summary out. Knows nothing of storage or Telegram.

Every backend returns a `Summary` that records which backend made it, so a stored
summary can be redone later by a better one (`diplobot resummarize`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Summary:
    text: str
    backend: str  # "extractive", "vit5", "ct2" or "passthrough"
    model: str = ""
    flag: str | None = None  # "too_short", "not_vietnamese", "fallback", ...


class Summarizer(Protocol):
    name: str

    def summarize(self, title: str, body: str) -> Summary: ...

    def summarize_many(self, items: list[tuple[str, str]]) -> list[Summary]: ...


class SummarizerLoadError(RuntimeError):
    """The configured backend cannot start (missing model, missing packages)."""


def load_summarizer(kind: str = "extractive", model: str | None = None) -> Summarizer:
    """The summarizer named by `DIPLOBOT_SUMMARIZER` (`extractive` or `vit5`)."""
    if kind == "extractive":
        from summarizer.extractive import ExtractiveSummarizer

        return ExtractiveSummarizer()
    if kind == "vit5":
        from summarizer.vit5 import load_vit5

        return load_vit5(model)
    raise SummarizerLoadError(f"DIPLOBOT_SUMMARIZER: unknown backend {kind!r} (extractive, vit5)")
