"""What both ViT5 runtimes share (transformers in `summarizer.vit5`, CTranslate2 in
`summarizer.ct2`): generation limits, the vietnews input and output spacing, one-line
load errors, and `Seq2SeqSummarizer`, which batches, guards and falls back per article.

An article whose generation fails falls back to the extractive summarizer, and its
`Summary` says so (backend "extractive", flag "fallback"), so `resummarize` can redo it.
"""

from __future__ import annotations

import logging
import re

from diplobot.text import is_vietnamese, normalize, syllables
from summarizer.base import SummarizerLoadError, Summary
from summarizer.extractive import ExtractiveSummarizer

log = logging.getLogger(__name__)

ENV_VAR = "DIPLOBOT_VIT5_MODEL"
MAX_INPUT_TOKENS = 1024  # the length ViT5 was fine-tuned and evaluated with
MAX_LENGTH = 256  # generate(max_length=256): counts the decoder start token
NUM_BEAMS = 1  # greedy, as the published evaluation; beams are slow on CPU
BATCH_SIZE = 8
MIN_SYLLABLES = 40  # shorter bodies are not worth a model call: extractive decides

# vietnews (the fine-tuning data) has spaces around punctuation: "Hà Nội , ngày 5/8 ."
# Numbers keep their inner marks (1.000, 14-5, 12/6), so only split off a mark that
# is not between two digits.
_PUNCT_RE = re.compile(r'(?<!\d)([.,;:!?…])|([.,;:!?…])(?!\d)|([()\[\]"“”])')
_SPACE_BEFORE_RE = re.compile(r"\s+([.,;:!?…)\]”])")
_SPACE_AFTER_RE = re.compile(r"([(\[“])\s+")
_QUOTED_RE = re.compile(r'"\s*([^"]*?)\s*"')


def load_error(model: str, reason: str) -> SummarizerLoadError:
    """The one-line error the CLI prints: names the variable, the value and why."""
    return SummarizerLoadError(f"{ENV_VAR}={model}: cannot load the ViT5 model: {reason}")


def first_line(exc: BaseException) -> str:
    """An exception as one short line (library errors span several)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def model_input(body: str) -> str:
    """The body as vietnews showed it to the model: one line, punctuation spaced."""
    text = " ".join(line.strip() for line in normalize(body).splitlines() if line.strip())
    text = _PUNCT_RE.sub(lambda m: f" {m.group(0)} ", text)
    return re.sub(r"\s+", " ", text).strip()


def clean_output(text: str) -> str:
    """Undo vietnews spacing for readers: "Hà Nội , ( ASEAN ) ." -> "Hà Nội, (ASEAN)."."""
    text = re.sub(r"\s+", " ", text).strip()
    text = _QUOTED_RE.sub(r'"\1"', text)
    text = _SPACE_BEFORE_RE.sub(r"\1", text)
    return _SPACE_AFTER_RE.sub(r"\1", text)


class Seq2SeqSummarizer:
    """Batching, guards and per-article fallback shared by both runtimes.

    Subclasses implement `generate(texts) -> list[str]` for one batch of model inputs.
    """

    name = "vit5"

    def __init__(self, model: str, batch_size: int = BATCH_SIZE) -> None:
        self.model = model
        self.batch_size = max(1, batch_size)
        self.fallback = ExtractiveSummarizer()

    def generate(self, texts: list[str]) -> list[str]:
        raise NotImplementedError

    def summarize(self, title: str, body: str) -> Summary:
        return self.summarize_many([(title, body)])[0]

    def summarize_many(self, items: list[tuple[str, str]]) -> list[Summary]:
        out: list[Summary | None] = [None] * len(items)
        todo: list[int] = []
        for i, (title, body) in enumerate(items):
            if not is_vietnamese(body) or len(syllables(body)) < MIN_SYLLABLES:
                out[i] = self.fallback.summarize(title, body)  # passthrough rules live there
            else:
                todo.append(i)
        todo.sort(key=lambda i: len(items[i][1]))  # similar lengths per batch: less padding
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            for i, summary in zip(batch, self._run_batch([items[i] for i in batch])):
                out[i] = summary
        return [s for s in out if s is not None]

    def _run_batch(self, items: list[tuple[str, str]]) -> list[Summary]:
        try:
            texts = self.generate([model_input(body) for _, body in items])
        except Exception as exc:  # noqa: BLE001 - one bad article must not sink the batch
            if len(items) > 1:  # find the culprit: retry one by one
                return [s for item in items for s in self._run_batch([item])]
            return [self._fallback(items[0], exc)]
        return [
            Summary(clean_output(text), self.name, self.model) if text.strip() else self._fallback(item, "empty output")
            for item, text in zip(items, texts)
        ]

    def _fallback(self, item: tuple[str, str], why: object) -> Summary:
        log.warning("%s failed on %r (%s); extractive summary instead", self.name, item[0][:60], why)
        summary = self.fallback.summarize(*item)
        return Summary(summary.text, summary.backend, summary.model, "fallback")
