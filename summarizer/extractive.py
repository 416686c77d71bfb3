"""Extractive summarizer: whole sentences of the article, in article order.

Sentences a reader can take out of context (no captions, bylines, half quotes, questions,
cut sentences or the title again) are scored by a small model learned from vietnews
(`summarizer/model.json`, see `summarizer.train`), then picked best first with a
redundancy penalty until the length the model file prescribes, within 400 characters for
the bot. Photo captions are found by their shape (`eligibility.is_caption`), and the
summary never opens on a sentence that points back at one it does not hold
(`eligibility.opener`): the connective goes, or the sentence before comes along, or
another sentence opens. `summarizer.readability` counts what still slips through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from diplobot.text import is_vietnamese, normalize, syllables
from summarizer.base import SummarizerLoadError, Summary
from summarizer.eligibility import is_caption, opener
from summarizer.features import sentence_features
from summarizer.model import ModelFileError, Policy, load_model
from summarizer.names import in_full
from summarizer.select import select
from summarizer.sentences import ends_sentence, readable, split_lines, strip_source_tag
from summarizer.shapes import (
    credited_caption,
    is_question,
    link_names,
    marked_caption,
    restated_by,
    strip_photo_position,
)

MAX_CHARS = 400


@dataclass(frozen=True)
class Candidates:
    """The sentences of an article that may appear in a summary, with their syllables."""

    sentences: list[str]
    tokens: list[list[str]]
    total: int  # sentences in the body, candidates or not
    whole_line: list[bool] = field(default_factory=list)  # a line of its own in the body
    names: frozenset[str] = frozenset()  # connectives the body uses as names (`shapes.link_names`)
    _openers: dict[int, str | None] = field(default_factory=dict, repr=False, compare=False)

    def allowed(self, i: int) -> bool:
        """Not a photo caption (asked lazily by `select`: it may tag words)."""
        return not (self.whole_line[i] and is_caption(self.sentences[i], len(self.tokens[i])))

    def opener(self, i: int) -> str | None:
        """Sentence i as a summary's first sentence (`eligibility.opener`), computed once."""
        if i not in self._openers:
            self._openers[i] = opener(self.sentences[i], self.names)
        return self._openers[i]

    def can_open(self, i: int, drop_links: bool = True) -> bool:
        """Whether sentence i may open a summary: as it is, or without its connective."""
        text = self.opener(i)
        return text is not None and (drop_links or text == self.sentences[i])


def candidates(title: str, body: str) -> Candidates:
    """The sentences of `body` a reader may be shown alone (`sentences.readable`)."""
    # A caption's `( trái )` goes; what is left is judged like any other line.
    raw = [(strip_source_tag(s), whole) for s, whole in split_lines(body)]
    pieces = [(strip_photo_position(s), whole) for s, whole in raw]
    tokens = [syllables(s) for s, _ in pieces]
    title_tokens = syllables(title)
    asks = is_question(normalize(title).strip())
    keep = [
        i
        for i, ((s, whole), t) in enumerate(zip(pieces, tokens))
        if readable(s, t, title_tokens, asks) and not (whole and marked_caption(raw[i][0], len(t)))
        and not (whole and i + 1 < len(pieces) and pieces[i + 1][1] and credited_caption(len(t), pieces[i + 1][0]))
    ]
    # A photo caption often opens the body ("Tổng thống Philippines Rodrigo Duterte ."): it
    # goes before the features, so that the lead is scored as the first sentence it is.
    # Captions further down are left to `select`, which asks only about what it would take.
    while keep and pieces[keep[0]][1] and is_caption(pieces[keep[0]][0], len(tokens[keep[0]])):
        keep.pop(0)
    # So does a short first line the lede repeats ("Tổng thống Trump tưởng niệm các nạn nhân thảm hoạ
    # 11/9 ." before "Tổng thống Mỹ Donald Trump hôm qua có bài phát biểu tưởng nhớ các nạn nhân …"):
    # a caption with a verb, or the heading again.
    if len(keep) > 1 and pieces[keep[0]][1] and restated_by(pieces[keep[0]][0], tokens[keep[0]], tokens[keep[1]]):
        keep.pop(0)
    sentences = [pieces[i][0] for i in keep]
    names = link_names(body, sentences)
    return Candidates(sentences, [tokens[i] for i in keep], len(pieces), [pieces[i][1] for i in keep], names)


def _ended(sentence: str) -> str:
    """A sentence the source left without its full stop gets one, so that the next does not run
    into it (`… huyện Chợ Mới ( An Giang ) Theo đó , …`)."""
    if ends_sentence(sentence):
        return sentence
    return sentence + ("." if sentence[-1:].isalnum() else " .")


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

    def warm_up(self) -> None:
        """Load what the first caption check and the first name given in full would (underthesea's
        tagger, ≈ 0.5 s; the people tagger's gazetteer, ≈ 0.1 s)."""
        is_caption("Tổng thống Mỹ .", 3)
        in_full("Bà Hằng nói .", "", "Người phát ngôn Bộ Ngoại giao Lê Thị Thu Hằng .")

    def summarize(self, title: str, body: str) -> Summary:
        text = body.strip()
        # The language of the first 1,500 characters (a few hundred words) is the text's.
        if any(ch.isalpha() for ch in text) and not is_vietnamese(text[:1500]):
            return Summary(text, "passthrough", flag="not_vietnamese")
        found = candidates(title, text)
        # Under two sentences, or nothing but captions and headings: nothing to choose from.
        if found.total < 2 or not found.sentences:
            return Summary(text, "passthrough", flag="too_short")
        chosen = self.choose(title, found)
        if not chosen:  # every candidate is a caption or points back at what came before
            return Summary(text, "passthrough", flag="too_short")
        # The first sentence shows without an opening that points back (`Tuy nhiên ,`).
        texts = [found.opener(chosen[0])] + [found.sentences[i] for i in chosen[1:]]
        # A person named by one word gets the full name the article gives them, at the summary's first
        # mention (`summarizer.names`).
        for k in range(len(texts)):
            texts[k] = in_full(texts[k], title, text, " ".join(texts[:k]))
        return Summary(" ".join(_ended(t) for t in texts), self.name, model=self.model_name)

    def choose(self, title: str, found: Candidates) -> list[int]:
        """Indices into `found.sentences` of the summary, in article order."""
        features = sentence_features(syllables(title), found.sentences, found.tokens, self.model.idf)
        scores = self.model.score(features)
        lengths = [len(s) for s in found.sentences]
        drop = self.policy.drop_links
        opens = partial(found.can_open, drop_links=drop)
        return select(scores, found.tokens, lengths, self.policy, self.max_chars, found.allowed, opens)

    def summarize_many(self, items: list[tuple[str, str]]) -> list[Summary]:
        return [self.summarize(title, body) for title, body in items]
