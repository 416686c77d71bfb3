"""What every summarizer backend returns and raises: `Summary`, `Summarizer`, `SummarizerLoadError`.

A leaf: the backends (extractive, seq2seq, vit5, ct2) import it, and `summarizer`
re-exports it beside `load_summarizer`.
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
