"""Extractive summarizer: whole sentences of the article, in article order.

Sentences a reader can take out of context (no captions, bylines, half quotes or the
title again) are scored by a small model learned from vietnews (`summarizer/model.json`,
see `summarizer.train`), then picked best first with a redundancy penalty until the
length the model file prescribes, within 400 characters for the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from diplobot.text import is_vietnamese, syllables
from summarizer import Summary, SummarizerLoadError
from summarizer.features import sentence_features
from summarizer.model import ModelFileError, Policy, load_model
from summarizer.select import select
from summarizer.sentences import readable, split_line_sentences, strip_source_tag

MAX_CHARS = 400


@dataclass(frozen=True)
class Candidates:
    """The sentences of an article that may appear in a summary, with their syllables."""

    sentences: list[str]
    tokens: list[list[str]]
    total: int  # sentences in the body, candidates or not


def candidates(title: str, body: str) -> Candidates:
    """The sentences of `body` a reader may be shown alone (`sentences.readable`)."""
    sentences = [strip_source_tag(s) for s in split_line_sentences(body)]
    tokens = [syllables(s) for s in sentences]
    title_tokens = syllables(title)
    keep = [i for i, (s, t) in enumerate(zip(sentences, tokens)) if readable(s, t, title_tokens)]
    return Candidates([sentences[i] for i in keep], [tokens[i] for i in keep], len(sentences))


class ExtractiveSummarizer:
    """Learned sentence scoring, MMR and a length policy; needs only numpy at run time."""

    name = "extractive"

    def __init__(
        self,
        model_path: str | Path | None = None,
        max_chars: int | None = MAX_CHARS,
        policy: Policy | None = None,
    ) -> None:
        try:
            self.model = load_model(model_path)
        except ModelFileError as exc:
            raise SummarizerLoadError(str(exc)) from exc
        self.max_chars = max_chars
        self.policy = policy or self.model.policy
        self.model_name = str(self.model.meta.get("name", ""))

    def summarize(self, title: str, body: str) -> Summary:
        text = body.strip()
        # The language of the first few thousand characters is the language of the text.
        if any(ch.isalpha() for ch in text) and not is_vietnamese(text[:3000]):
            return Summary(text, "passthrough", flag="not_vietnamese")
        found = candidates(title, text)
        # Under two sentences, or nothing but captions and headings: nothing to choose from.
        if found.total < 2 or not found.sentences:
            return Summary(text, "passthrough", flag="too_short")
        chosen = self.choose(title, found)
        return Summary(" ".join(found.sentences[i] for i in chosen), self.name, model=self.model_name)

    def choose(self, title: str, found: Candidates) -> list[int]:
        """Indices into `found.sentences` of the summary, in article order."""
        if len(found.sentences) == 1:
            return [0]
        features = sentence_features(syllables(title), found.sentences, found.tokens, self.model.idf)
        scores = self.model.score(features)
        lengths = [len(s) for s in found.sentences]
        return select(scores, found.tokens, lengths, self.policy, self.max_chars)

    def summarize_many(self, items: list[tuple[str, str]]) -> list[Summary]:
        return [self.summarize(title, body) for title, body in items]
