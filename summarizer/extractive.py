"""Extractive summarizer: whole sentences of the article, in article order.

First version: the lead sentences that fit in the length budget, skipping the title
repeated and caption-like fragments. The summarizer issue replaces the scoring with a
model learned from vietnews.
"""

from __future__ import annotations

from diplobot.text import fold, is_vietnamese, split_sentences
from summarizer import Summary

MAX_CHARS = 400
MAX_SENTENCES = 3


class ExtractiveSummarizer:
    name = "extractive"

    def summarize(self, title: str, body: str) -> Summary:
        sentences = [s for s in split_sentences(body) if fold(s) != fold(title)]
        if not is_vietnamese(body):
            return Summary(body.strip(), "passthrough", flag="not_vietnamese")
        if len(sentences) < 2:
            return Summary(body.strip(), "passthrough", flag="too_short")
        chosen: list[str] = []
        for sentence in sentences:
            if len(chosen) == MAX_SENTENCES:
                break
            if not sentence.endswith((".", "!", "?", "”", '"')):
                continue  # captions and headings have no closing punctuation
            if chosen and len(" ".join(chosen + [sentence])) > MAX_CHARS:
                break
            chosen.append(sentence)
        return Summary(" ".join(chosen or sentences[:1]), self.name)

    def summarize_many(self, items: list[tuple[str, str]]) -> list[Summary]:
        return [self.summarize(title, body) for title, body in items]
