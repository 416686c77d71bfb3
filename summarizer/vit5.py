"""ViT5 abstractive summarizer (VietAI/vit5-base-vietnews-summarization).

Two runtimes behind one loader: a Hugging Face folder or Hub id runs on transformers
(fp32, torch); a folder made by `summarizer.convert` runs on CTranslate2 (int8, no
torch import, see `summarizer.ct2`). Generation follows the model card and VietAI's
published vietnews evaluation: no prefix for the base model, inputs truncated to
their leading 1024 tokens, `max_length=256`, greedy search (the evaluation notebook
calls `generate` without `num_beams`; beams cost ~beam-size times the decoder time
on a 2-core CPU). Leading 1024 tokens rather than chunk-and-merge: the model was
fine-tuned on leading-1024 inputs, news puts its point first, and chunking multiplies
the cost by the chunk count (numbers in `bench/summarize_speed.py --truncation`).

An article whose generation fails falls back to the extractive summarizer, and its
`Summary` says so (backend "extractive", flag "fallback"), so `resummarize` can redo it.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from diplobot.text import is_vietnamese, normalize, syllables
from summarizer import Summarizer, Summary, SummarizerLoadError

log = logging.getLogger(__name__)

ENV_VAR = "DIPLOBOT_VIT5_MODEL"
DEFAULT_MODEL = "VietAI/vit5-base-vietnews-summarization"
MAX_INPUT_TOKENS = 1024  # the length ViT5 was fine-tuned and evaluated with
MAX_LENGTH = 256  # generate(max_length=256): counts the decoder start token
NUM_BEAMS = 1  # greedy, as the published evaluation; beams are slow on CPU
BATCH_SIZE = 8
MIN_SYLLABLES = 40  # shorter bodies are not worth a model call: extractive decides
TOKENIZER_FILES = ("spiece.model", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json")

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


def is_ct2_folder(path: str | os.PathLike) -> bool:
    """A CTranslate2 conversion: `model.bin` plus a ct2 `config.json` (no `model_type`).

    Hugging Face folders carry `model_type` in their config and weights in
    `model.safetensors` or `pytorch_model.bin`, never a bare `model.bin`.
    """
    import json

    folder = Path(path)
    if not (folder / "model.bin").is_file():
        return False
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "model_type" not in config


def looks_like_path(model: str) -> bool:
    """True for what can only be a folder: Hub ids are `owner/name` (or a bare name)."""
    return model.startswith((".", "/", "~", "\\")) or model.count("/") > 1 or "\\" in model


class Seq2SeqSummarizer:
    """Batching, guards and per-article fallback shared by both runtimes.

    Subclasses implement `generate(texts) -> list[str]` for one batch of model inputs.
    """

    name = "vit5"

    def __init__(self, model: str, batch_size: int = BATCH_SIZE) -> None:
        from summarizer.extractive import ExtractiveSummarizer

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


class TransformersSummarizer(Seq2SeqSummarizer):
    """ViT5 on transformers + torch, fp32 on CPU."""

    name = "vit5"

    def __init__(self, tokenizer, model, model_name: str, num_beams: int = NUM_BEAMS,
                 max_length: int = MAX_LENGTH, batch_size: int = BATCH_SIZE) -> None:
        super().__init__(model_name, batch_size)
        self.tokenizer = tokenizer
        self.seq2seq = model.eval()
        self.num_beams = num_beams
        self.max_length = max_length

    def generate(self, texts: list[str]) -> list[str]:
        import torch

        enc = self.tokenizer(texts, max_length=MAX_INPUT_TOKENS, truncation=True, padding=True, return_tensors="pt")
        with torch.inference_mode():
            ids = self.seq2seq.generate(
                input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], max_length=self.max_length,
                num_beams=self.num_beams, do_sample=False, early_stopping=self.num_beams > 1,
            )
        return self.tokenizer.batch_decode(ids, skip_special_tokens=True)


def load_tokenizer(model: str):
    """The slow `T5Tokenizer` (SentencePiece): works from a bare `spiece.model`.

    `legacy=True` is what ViT5 was trained with and what transformers picks by default
    (with a warning); saying it keeps the log quiet and the behaviour fixed.
    """
    from transformers import T5Tokenizer

    return T5Tokenizer.from_pretrained(model, legacy=True)


def load_transformers(model: str, **options) -> TransformersSummarizer:
    """Tokenizer and weights from a local folder or the Hub (cache); one-line errors."""
    if os.path.isdir(model) and not (Path(model) / "spiece.model").is_file():
        raise load_error(model, "no spiece.model (the SentencePiece tokenizer) in the folder")
    try:
        import sentencepiece  # noqa: F401  (T5Tokenizer needs it; its own error is vague)
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as exc:
        raise load_error(model, f"{exc.name} is not installed (pip install -r requirements-vit5.txt)") from None
    from transformers import T5ForConditionalGeneration
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the CLI shows our one line, not library chatter
    try:
        tokenizer = load_tokenizer(model)
    except Exception as exc:  # noqa: BLE001 - OSError, ValueError, hub errors: all one line
        if not os.path.isdir(model):  # a Hub id that is neither cached nor downloadable now
            raise load_error(model, "not in the local Hugging Face cache and the Hub cannot be reached "
                                    f"({first_line(exc)}); download it once online, or use a local folder") from None
        raise load_error(model, f"tokenizer: {first_line(exc)}") from None
    try:
        seq2seq = T5ForConditionalGeneration.from_pretrained(model)
    except Exception as exc:  # noqa: BLE001
        raise load_error(model, f"weights: {first_line(exc)}") from None
    return TransformersSummarizer(tokenizer, seq2seq, model, **options)


def load_vit5(model: str | None = None, **options) -> Summarizer:
    """The ViT5 summarizer for `model` (Hub id or folder; CTranslate2 folders detected).

    Options: `num_beams`, `max_length`, `batch_size`; `threads` for CTranslate2.
    Raises `SummarizerLoadError` with one line naming `DIPLOBOT_VIT5_MODEL`.
    """
    model = (model or "").strip() or DEFAULT_MODEL
    if is_ct2_folder(model):
        from summarizer.ct2 import load_ct2

        return load_ct2(model, **options)
    if not os.path.isdir(model) and looks_like_path(model):
        raise load_error(model, "no such folder (expected a model folder or a Hub id like owner/name)")
    options.pop("threads", None)
    return load_transformers(model, **options)
