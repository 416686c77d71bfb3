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
Batching, guards and the per-article fallback live in `summarizer.seq2seq`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from summarizer.base import Summarizer
from summarizer.ct2 import load_ct2
from summarizer.seq2seq import (
    BATCH_SIZE,
    MAX_INPUT_TOKENS,
    MAX_LENGTH,
    NUM_BEAMS,
    Seq2SeqSummarizer,
    first_line,
    load_error,
)

TOKENIZER_FILES = ("spiece.model", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json")


def is_ct2_folder(path: str | os.PathLike) -> bool:
    """A CTranslate2 conversion: `model.bin` plus a ct2 `config.json` (no `model_type`).

    Hugging Face folders carry `model_type` in their config and weights in
    `model.safetensors` or `pytorch_model.bin`, never a bare `model.bin`.
    """
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


def load_vit5(model: str, **options) -> Summarizer:
    """The ViT5 summarizer for `model` (Hub id or folder; CTranslate2 folders detected), as
    `DIPLOBOT_VIT5_MODEL` names it (its default lives in diplobot.settings).

    Options: `num_beams`, `max_length`, `batch_size`; `threads` for CTranslate2.
    Raises `SummarizerLoadError` with one line naming `DIPLOBOT_VIT5_MODEL`.
    """
    model = model.strip()
    if not model:
        raise load_error(model, "no model named (a Hub id like owner/name, or a folder)")
    if is_ct2_folder(model):
        return load_ct2(model, **options)
    if not os.path.isdir(model) and looks_like_path(model):
        raise load_error(model, "no such folder (expected a model folder or a Hub id like owner/name)")
    options.pop("threads", None)
    return load_transformers(model, **options)
