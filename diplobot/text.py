"""Vietnamese text helpers shared by every stage: normalization, folding, sentences.

Kept free of any stage's logic so that ingest, summarizer, tagger and storage can all
use the same definition of "the same text".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that carry Vietnamese diacritics; used to tell Vietnamese from other Latin text.
VIETNAMESE_MARKS = set(
    "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
)
_SPACE_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_WORD_RE = re.compile(r"\w+")


def normalize(text: str) -> str:
    """NFC, with every kind of space folded to one ASCII space per run."""
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "")
    return _SPACE_RE.sub(" ", text)


def fold(text: str) -> str:
    """Lowercase without diacritics (đ → d), for matching what people type.

    `đ` is a letter of its own, not d plus a mark, so NFD does not strip it.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", text).lower()


def fold_d(text: str) -> str:
    """Only đ/Đ folded to d/D: what SQLite FTS `remove_diacritics 2` cannot do alone."""
    return text.replace("đ", "d").replace("Đ", "D")


def syllables(text: str) -> list[str]:
    """Lowercase syllable tokens (NFC, `_` as space, `\\w+`): the unit of ROUGE here."""
    return _WORD_RE.findall(unicodedata.normalize("NFC", text).lower().replace("_", " "))


def vietnamese_ratio(text: str) -> float:
    """Share of alphabetic words that carry a Vietnamese diacritic (0 for no words)."""
    words = [w for w in _WORD_RE.findall(text.lower()) if w.isalpha()]
    if not words:
        return 0.0
    marked = sum(1 for w in words if not VIETNAMESE_MARKS.isdisjoint(w))
    return marked / len(words)


def is_vietnamese(text: str, threshold: float = 0.25) -> bool:
    """True when enough words carry Vietnamese marks (news prose is well above 0.4)."""
    return vietnamese_ratio(text) >= threshold


# underthesea's __init__ eagerly imports optional pipelines; `translate` pulls in
# transformers and torch (5 s when they are installed) and the others download models.
# We never use them, so they are marked absent (underthesea skips an ImportError).
_UNUSED_UNDERTHESEA = (
    "underthesea.pipeline.translate", "underthesea.pipeline.dependency_parse", "underthesea.agent",
    "underthesea.pipeline.classification", "underthesea.pipeline.sentiment", "underthesea.pipeline.lang_detect",
)


def import_underthesea():
    """`import underthesea` without its heavy optional pipelines (≈ 0.5 s instead of 5 s)."""
    import sys

    if "underthesea" not in sys.modules:
        for name in _UNUSED_UNDERTHESEA:
            sys.modules.setdefault(name, None)
    import underthesea

    return underthesea


@lru_cache(maxsize=1)
def _sent_tokenize():
    return import_underthesea().sent_tokenize


# underthesea keeps "năm 2022.Các đại biểu" together; split a glued sentence end.
_GLUED_END_RE = re.compile(r"(?<=[a-zà-ỹ\d][.!?])(?=[A-ZÀ-Ỹ][a-zà-ỹ])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, line by line (underthesea does not split on newlines)."""
    tokenize = _sent_tokenize()
    out: list[str] = []
    for line in text.splitlines():
        line = normalize(line).strip()
        if not line:
            continue
        sentences: list[str] = []
        for sentence in tokenize(_GLUED_END_RE.sub(" ", line)):
            sentence = sentence.strip()
            if sentences and not _WORD_RE.search(sentence):
                sentences[-1] += sentence  # a closing quote split off: `quốc tế.` + `”`
            elif sentence:
                sentences.append(sentence)
        out.extend(sentences)
    return out


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of a body, stripped."""
    return [p.strip() for p in text.splitlines() if p.strip()]
