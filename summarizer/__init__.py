"""Text in, summary out. Knows nothing of storage or Telegram.

Every backend returns a `Summary` that records which backend made it, so a stored
summary can be redone later by a better one (`diplobot resummarize`).
"""

from __future__ import annotations

from summarizer.base import Summarizer, SummarizerLoadError, Summary
from summarizer.extractive import ExtractiveSummarizer
from summarizer.vit5 import load_vit5

__all__ = ["Summarizer", "SummarizerLoadError", "Summary", "load_summarizer"]


def load_summarizer(kind: str = "extractive", model: str = "") -> Summarizer:
    """The summarizer named by `DIPLOBOT_SUMMARIZER` (`extractive`, or `vit5` with `model`,
    the `DIPLOBOT_VIT5_MODEL` setting)."""
    if kind == "extractive":
        return ExtractiveSummarizer()
    if kind == "vit5":
        return load_vit5(model)
    raise SummarizerLoadError(f"DIPLOBOT_SUMMARIZER: unknown backend {kind!r} (extractive, vit5)")
