"""ViT5 on CTranslate2: an int8 folder made by `summarizer.convert`, no torch at run time.

`import ctranslate2` imports torch and transformers whenever they are installed (its
converters do, at package import): 2.1 s and 283 MB RSS against 0.2 s and 40 MB
here. Inference needs neither, so the import below hides them for that one import.
Tokens come from the `spiece.model` copied next to `model.bin`, through
SentencePiece directly, the same pieces `T5Tokenizer(legacy=True)` produces.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

from summarizer.seq2seq import (
    BATCH_SIZE,
    MAX_INPUT_TOKENS,
    MAX_LENGTH,
    NUM_BEAMS,
    Seq2SeqSummarizer,
    first_line,
    load_error,
)

_HIDDEN = ("torch", "transformers", "huggingface_hub")
_SPECIAL = {"<pad>", "</s>", "<unk>"}


@contextmanager
def _hidden_modules(names: tuple[str, ...] = _HIDDEN):
    """Make `import name` fail inside the block, for names not imported yet."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # None = ImportError on import
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


def import_ctranslate2():
    """`ctranslate2` without dragging torch in (see the module docstring)."""
    if "ctranslate2" in sys.modules:
        return sys.modules["ctranslate2"]
    with _hidden_modules():
        import ctranslate2
    return ctranslate2


class CT2Summarizer(Seq2SeqSummarizer):
    """ViT5 on CTranslate2 (int8 weights as converted, CPU)."""

    name = "ct2"

    def __init__(self, translator, sp, model: str, num_beams: int = NUM_BEAMS,
                 max_length: int = MAX_LENGTH, batch_size: int = BATCH_SIZE) -> None:
        super().__init__(model, batch_size)
        self.translator = translator
        self.sp = sp
        self.num_beams = num_beams
        # transformers' max_length counts the decoder start token; ct2 counts output only
        self.max_decoding_length = max_length - 1

    def tokens(self, text: str) -> list[str]:
        """SentencePiece pieces, truncated like `tokenizer(truncation=True, max_length=1024)`."""
        return self.sp.encode(text, out_type=str)[: MAX_INPUT_TOKENS - 1] + ["</s>"]

    def generate(self, texts: list[str]) -> list[str]:
        results = self.translator.translate_batch(
            [self.tokens(text) for text in texts], beam_size=self.num_beams,
            max_decoding_length=self.max_decoding_length, max_input_length=MAX_INPUT_TOKENS,
        )
        return [self.decode(result.hypotheses[0]) for result in results]

    def decode(self, pieces: list[str]) -> str:
        """Pieces to text, dropping special tokens as `skip_special_tokens=True` does."""
        kept = [p for p in pieces if p not in _SPECIAL and not p.startswith("<extra_id_")]
        return self.sp.decode_pieces(kept)


def load_ct2(model: str, threads: int = 0, num_beams: int = NUM_BEAMS, max_length: int = MAX_LENGTH,
             batch_size: int = BATCH_SIZE) -> CT2Summarizer:
    """The CTranslate2 folder `model` on CPU; `threads=0` lets CTranslate2 use every core."""
    folder = Path(model)
    if not (folder / "spiece.model").is_file():
        raise load_error(model, "no spiece.model next to model.bin (convert with `diplobot convert-model`)")
    try:
        import sentencepiece

        ctranslate2 = import_ctranslate2()
    except ImportError as exc:
        raise load_error(model, f"{exc.name} is not installed (pip install -r requirements-vit5.txt)") from None
    try:
        sp = sentencepiece.SentencePieceProcessor(model_file=str(folder / "spiece.model"))
        translator = ctranslate2.Translator(str(folder), device="cpu", intra_threads=threads)
    except Exception as exc:  # noqa: BLE001 - RuntimeError/OSError from the C++ side
        raise load_error(model, first_line(exc)) from None
    return CT2Summarizer(translator, sp, model, num_beams=num_beams, max_length=max_length, batch_size=batch_size)
