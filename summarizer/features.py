"""Per-sentence features for the learned extractive scorer.

Features are computed on lowercase syllables from the article (title and candidate
sentences) and one table learned from the training bodies: the IDF of the frequent
syllables (`Idf`; rarer syllables share one value), stored in the model file. The order
of FEATURE_NAMES is the order of the model's input columns: the model file stores it and
it is checked on load.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from summarizer.shapes import DATE_RE

ROLE_WORDS = (
    "bộ trưởng", "thứ trưởng", "đại sứ", "chủ tịch", "thủ tướng", "tổng bí thư", "bí thư",
    "tổng thống", "ngoại trưởng", "quốc vương", "nhà vua", "tổng lãnh sự", "người phát ngôn",
    "tổng thư ký", "đặc phái viên", "trưởng đoàn", "chủ nhiệm", "nghị sĩ", "giám đốc",
    "vụ trưởng", "cục trưởng", "lãnh đạo", "đại biểu", "thượng nghị sĩ", "phó thủ tướng",
)
ATTRIBUTION_VERBS = (
    "cho biết", "nhấn mạnh", "khẳng định", "cho rằng", "phát biểu", "tuyên bố", "bày tỏ",
    "đề nghị", "nêu rõ", "chia sẻ", "thông báo", "đánh giá", "kêu gọi", "hoan nghênh",
    "nói", "thông tin", "trả lời", "nhận định",
)
EVENT_WORDS = (
    "hội đàm", "hội kiến", "tiếp", "thăm", "chính thức", "ký", "hội nghị", "diễn đàn",
    "khai mạc", "tổ chức", "dẫn đầu", "tham dự", "điện đàm", "gặp", "làm việc",
)
CONNECTIVES = (
    "tuy nhiên", "ngoài ra", "bên cạnh đó", "đồng thời", "do đó", "vì vậy", "theo đó",
    "trong đó", "cũng", "còn", "trước đó", "sau đó", "mặt khác", "thêm vào đó", "hơn nữa",
    "tuy vậy", "do vậy", "vì thế", "nhưng", "và", "song", "trong khi đó", "cùng với đó",
    "tiếp đó", "như vậy", "riêng", "ngoài", "đặc biệt",
)
ANAPHORA = (
    "ông", "bà", "anh", "chị", "đây", "điều này", "họ", "việc này", "người này", "nó",
    "theo ông", "theo bà", "vị này", "đó", "những", "các", "này",
)
TIME_STARTS = ("sáng", "chiều", "tối", "trưa", "ngày", "hôm", "đêm", "tuần", "vào", "tại", "nhân")

_NUMBER_RE = re.compile(r"\d+")
_RAW_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Idf:
    """Inverse document frequency of syllables; `rare` for any syllable not listed."""

    table: dict[str, float] = field(default_factory=dict)
    rare: float = 1.0

    def __getitem__(self, syllable: str) -> float:
        return self.table.get(syllable, self.rare)

    @classmethod
    def fit(cls, documents: Iterable[Iterable[str]], min_df: int = 50) -> Idf:
        """IDF (log N/df) of syllables in at least `min_df` documents; others share log N/min_df."""
        df: Counter = Counter()
        n = 0
        for doc in documents:
            df.update(set(doc))
            n += 1
        table = {w: round(math.log(n / c), 3) for w, c in sorted(df.items()) if c >= min_df}
        return cls(table, round(math.log(n / min_df), 3))


FEATURE_NAMES = (
    "pos_log", "pos_rel", "is_first", "is_second", "is_lead3", "n_sent_log",
    "len_log", "len_norm", "is_short", "is_long", "len_rel",
    "title_recall", "title_precision", "title_bigram_recall", "title_rank",
    "centroid_cos", "centroid_rank", "doc_freq_mean", "first_sim", "max_sim",
    "numbers_log", "has_date", "time_start",
    "capital_ratio", "roles_log", "quote", "attribution", "event_words",
    "connective_start", "anaphora_start", "final_punct", "colon", "parens", "question_excl",
    "theo_start",
    "title_idf_recall", "title_tfidf_cos", "centroid_tfidf_cos", "centroid_tfidf_rank",
    "idf_mean", "keyword_cover",
)


def _phrases_re(phrases: tuple[str, ...], anchored: bool = False) -> re.Pattern:
    """Any of `phrases` as whole words of a padded syllable string (` a b c `).

    Unanchored, it is a lookahead, so that `len(findall)` counts every place a phrase
    starts, as one `str.count` per phrase would (no phrase of a list starts another).
    """
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(f"^ (?:{alternatives}) " if anchored else f"(?= (?:{alternatives}) )")


_ROLES_RE, _ATTRIBUTION_RE, _EVENTS_RE = (_phrases_re(p) for p in (ROLE_WORDS, ATTRIBUTION_VERBS, EVENT_WORDS))
_CONNECTIVE_START_RE, _ANAPHORA_START_RE, _TIME_START_RE = (
    _phrases_re(p, anchored=True) for p in (CONNECTIVES, ANAPHORA, TIME_STARTS)
)


def _phrase_count(padded: str, pattern: re.Pattern) -> int:
    return len(pattern.findall(padded))


def _starts_with(padded: str, pattern: re.Pattern) -> bool:
    return pattern.match(padded) is not None


def _ranks(values: np.ndarray) -> np.ndarray:
    """0 for the highest value, 1 for the lowest (ties share the better rank)."""
    n = len(values)
    if n < 2:
        return np.zeros(n)
    return (values[None, :] > values[:, None]).sum(axis=1) / (n - 1)


def _row_cosines(rows: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Cosine of each row of `rows` with the same row of `others` (0 for empty vectors)."""
    norms = np.linalg.norm(rows, axis=1) * np.linalg.norm(others, axis=1)
    dots = np.einsum("ij,ij->i", rows, others)
    return np.divide(dots, norms, out=np.zeros(len(rows)), where=norms > 0)


def _similarities(counts: np.ndarray) -> np.ndarray:
    """Cosine between every pair of sentences (rows of a count matrix)."""
    norms = np.linalg.norm(counts, axis=1)
    unit = counts / np.where(norms > 0, norms, 1.0)[:, None]
    return unit @ unit.T


def _matrices(title_tokens: list[str], tokens: list[list[str]], idf: Idf) -> tuple:
    """Sentence × syllable counts, the title's counts and the IDF, on this article's vocabulary."""
    vocab: dict[str, int] = {}
    for sentence in tokens:
        for w in sentence:
            vocab.setdefault(w, len(vocab))
    doc_vocab = len(vocab)
    for w in title_tokens:
        vocab.setdefault(w, len(vocab))
    counts = np.zeros((len(tokens), len(vocab)))
    for i, sentence in enumerate(tokens):
        np.add.at(counts[i], [vocab[w] for w in sentence], 1.0)
    title = np.zeros(len(vocab))
    np.add.at(title, [vocab[w] for w in title_tokens], 1.0)
    table, rare = idf.table, idf.rare  # dict.get, not Idf.__getitem__: this is per word
    weights = np.fromiter((table.get(w, rare) for w in vocab), dtype=np.float64, count=len(vocab))
    return counts, title, weights, doc_vocab


def sentence_features(
    title_tokens: list[str], sentences: list[str], tokens: list[list[str]], idf: Idf
) -> np.ndarray:
    """A (len(sentences), len(FEATURE_NAMES)) float32 matrix, rows in article order.

    `tokens[i]` are the lowercase syllables of `sentences[i]` (`diplobot.text.syllables`).
    Word-overlap features are computed on one count matrix per article (numpy).
    """
    n = len(sentences)
    counts, title, weights, doc_vocab = _matrices(title_tokens, tokens, idf)
    present, title_present = (counts > 0).astype(np.float64), (title > 0).astype(np.float64)
    lengths = counts.sum(axis=1)
    distinct = present.sum(axis=1)
    doc = counts.sum(axis=0)
    title_size = title_present.sum()
    title_bigrams = set(zip(title_tokens, title_tokens[1:]))

    shared_title = present @ title_present
    title_recall = shared_title / title_size if title_size else np.zeros(n)
    centroid = _row_cosines(counts, doc - counts) if n > 1 else np.ones(n)
    similarity = _similarities(counts)
    np.fill_diagonal(similarity, -np.inf)
    max_sim = similarity.max(axis=1) if n > 1 else np.zeros(n)
    first_sim = np.where(np.arange(n) == 0, 1.0, _similarities(counts)[:, 0])
    # Sentence frequency of each syllable: how many other sentences use it (salience).
    spread = counts @ (present.sum(axis=0) - 1.0) / (np.maximum(lengths, 1) * max(n - 1, 1))

    weighted = counts * weights
    title_weighted = title * weights
    title_mass = (title_present * weights).sum() or 1.0
    centroid_tfidf = _row_cosines(weighted, weighted.sum(axis=0) - weighted) if n > 1 else np.ones(n)
    doc_weighted = (doc * weights)[:doc_vocab]
    keywords = np.argsort(-doc_weighted, kind="stable")[:10]
    idf_mean = (counts @ weights) / np.maximum(lengths, 1)

    columns = {
        "title_recall": title_recall,
        "title_precision": shared_title / np.maximum(distinct, 1),
        "title_rank": _ranks(title_recall),
        "centroid_cos": centroid,
        "centroid_rank": _ranks(centroid),
        "doc_freq_mean": spread,
        "first_sim": first_sim,
        "max_sim": max_sim,
        "title_idf_recall": present @ (title_present * weights) / title_mass,
        "title_tfidf_cos": _row_cosines(weighted, np.broadcast_to(title_weighted, weighted.shape)),
        "centroid_tfidf_cos": centroid_tfidf,
        "centroid_tfidf_rank": _ranks(centroid_tfidf),
        "idf_mean": idf_mean,
        "keyword_cover": present[:, keywords].sum(axis=1) / max(len(keywords), 1),
    }
    max_len = max(lengths.max(initial=0), 1)
    rows = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    for i, (sentence, t) in enumerate(zip(sentences, tokens)):
        length = len(t)
        padded = " " + " ".join(t) + " "
        raw_words = _RAW_WORD_RE.findall(sentence)
        capitals = sum(1 for w in raw_words[1:] if w[0].isupper())
        bigrams = set(zip(t, t[1:]))
        columns_i = {
            "pos_log": math.log1p(i),
            "pos_rel": i / (n - 1) if n > 1 else 0.0,
            "is_first": i == 0,
            "is_second": i == 1,
            "is_lead3": i < 3,
            "n_sent_log": math.log1p(n),
            "len_log": math.log1p(length),
            "len_norm": min(length / 40, 3.0),
            "is_short": length < 10,
            "is_long": length > 60,
            "len_rel": length / max_len,
            "title_bigram_recall": len(title_bigrams & bigrams) / len(title_bigrams) if title_bigrams else 0.0,
            "numbers_log": math.log1p(len(_NUMBER_RE.findall(sentence))),
            "has_date": bool(DATE_RE.search(sentence)),
            "time_start": _starts_with(padded, _TIME_START_RE),
            "capital_ratio": capitals / max(len(raw_words) - 1, 1),
            "roles_log": math.log1p(_phrase_count(padded, _ROLES_RE)),
            "quote": any(q in sentence for q in "“”\"«»"),
            "attribution": _ATTRIBUTION_RE.search(padded) is not None,
            "event_words": math.log1p(_phrase_count(padded, _EVENTS_RE)),
            "connective_start": _starts_with(padded, _CONNECTIVE_START_RE),
            "anaphora_start": _starts_with(padded, _ANAPHORA_START_RE),
            "final_punct": sentence.rstrip().endswith((".", "!", "?", "…", '"', "”")),
            "colon": ":" in sentence,
            "parens": sentence.count("(") / max(length, 1) * 10,
            "question_excl": sentence.rstrip(" \"”").endswith(("?", "!")),
            "theo_start": padded.startswith(" theo "),
        }
        rows[i] = [columns_i[name] if name in columns_i else columns[name][i] for name in FEATURE_NAMES]
    return rows
