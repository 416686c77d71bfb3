"""A ViT5/T5 folder (or Hub id) to a CTranslate2 folder: `diplobot convert-model SRC DST`.

int8 by default: on a 2-core CPU it is several times faster than transformers fp32
and a quarter of the size (`bench/summarize_speed.py`). The SentencePiece files go
along, so the result is all `summarizer.ct2` needs. Needs torch, transformers,
ctranslate2 and protobuf (AutoTokenizer builds the fast tokenizer from `spiece.model`).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from summarizer.base import SummarizerLoadError
from summarizer.seq2seq import first_line
from summarizer.vit5 import TOKENIZER_FILES, is_ct2_folder, looks_like_path

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float16", "float32", None)


class ConvertError(SummarizerLoadError):
    """SRC or DST is unusable; the message is one line naming which and why."""


def _check_src(src: str) -> None:
    folder = Path(src)
    if folder.is_dir():
        if is_ct2_folder(folder):
            raise ConvertError(f"SRC {src}: already a CTranslate2 folder")
        if not (folder / "config.json").is_file():
            raise ConvertError(f"SRC {src}: no config.json (not a Hugging Face model folder)")
        if not (folder / "spiece.model").is_file():
            raise ConvertError(f"SRC {src}: no spiece.model (the SentencePiece tokenizer)")
    elif looks_like_path(src):
        raise ConvertError(f"SRC {src}: no such folder")


def _converter_module():
    """ctranslate2's transformers converter, with torch & co. bound in its globals.

    If `summarizer.ct2` imported ctranslate2 first (torch hidden), the converter
    module missed its `import torch, transformers`: bind them now.
    """
    import huggingface_hub
    import torch
    import transformers
    from ctranslate2.converters import transformers as module

    for name, value in (("torch", torch), ("transformers", transformers), ("huggingface_hub", huggingface_hub)):
        module.__dict__.setdefault(name, value)
    return module


def convert_model(src: str, dst: str, quantization: str | None = "int8", force: bool = False) -> Path:
    """Convert `src` into the CTranslate2 folder `dst`; returns `dst`.

    Raises `ConvertError` (a `SummarizerLoadError`) with one line for a bad SRC/DST
    or missing packages.
    """
    if quantization not in QUANTIZATIONS:
        raise ConvertError(f"quantization {quantization!r}: expected one of {QUANTIZATIONS}")
    _check_src(src)
    out = Path(dst)
    if out.exists() and any(out.iterdir()) and not force:
        raise ConvertError(f"DST {dst}: exists and is not empty (use force=True / --force)")
    try:
        import google.protobuf  # noqa: F401  (needed to read spiece.model into a fast tokenizer)

        module = _converter_module()
    except ImportError as exc:
        raise ConvertError(f"{exc.name} is not installed (pip install -r requirements-vit5.txt)") from None
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    # from the Hub only spiece.model is sure to exist (a missing file fails the copy)
    copy = [name for name in TOKENIZER_FILES if (Path(src) / name).is_file()] if os.path.isdir(src) else ["spiece.model"]
    try:
        converter = module.TransformersConverter(src, copy_files=copy, low_cpu_mem_usage=True)
        converter.convert(str(out), quantization=quantization, force=True)
    except Exception as exc:  # noqa: BLE001 - loader, hub and ct2 errors: all one line
        raise ConvertError(f"SRC {src}: {first_line(exc)}") from None
    return out


if __name__ == "__main__":  # python -m summarizer.convert SRC DST (until the CLI has it)
    try:
        print(convert_model(sys.argv[1], sys.argv[2]))
    except (ConvertError, IndexError) as exc:
        sys.exit(str(exc) if isinstance(exc, ConvertError) else "usage: python -m summarizer.convert SRC DST")
