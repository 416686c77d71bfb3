"""Per-sentence features for the learned extractive scorer.

Every feature is computed from the article alone (title and candidate sentences), on
lowercase syllables, so the model needs no vocabulary file. The order of FEATURE_NAMES is
the order of the model's input columns: the model file stores it and is checked on load.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

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

_DATE_RE = re.compile(
    r"\b\d{1,2}\s?[/-]\s?\d{1,2}\b|\b(ngày|tháng)\s\d|\bnăm\s\d{4}\b|\bhôm\s(nay|qua)\b", re.IGNORECASE
)
_NUMBER_RE = re.compile(r"\d+")
_RAW_WORD_RE = re.compile(r"\w+")

FEATURE_NAMES = (
    "pos_log", "pos_rel", "is_first", "is_second", "is_lead3", "n_sent_log",
    "len_log", "len_norm", "is_short", "is_long", "len_rel",
    "title_recall", "title_precision", "title_bigram_recall", "title_rank",
    "centroid_cos", "centroid_rank", "doc_freq_mean", "first_sim", "max_sim",
    "numbers_log", "has_date", "time_start",
    "capital_ratio", "roles_log", "quote", "attribution", "event_words",
    "connective_start", "anaphora_start", "final_punct", "colon", "parens", "question_excl",
    "theo_start",
)


def _phrase_count(padded: str, phrases: tuple[str, ...]) -> int:
    return sum(padded.count(f" {p} ") for p in phrases)


def _starts_with(padded: str, phrases: tuple[str, ...]) -> bool:
    return any(padded.startswith(f" {p} ") for p in phrases)


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(v * large.get(k, 0) for k, v in small.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _ranks(values: list[float]) -> list[float]:
    """0 for the highest value, 1 for the lowest (ties share the better rank)."""
    n = len(values)
    if n < 2:
        return [0.0] * n
    order = sorted(values, reverse=True)
    return [order.index(v) / (n - 1) for v in values]


def sentence_features(title_tokens: list[str], sentences: list[str], tokens: list[list[str]]) -> np.ndarray:
    """A (len(sentences), len(FEATURE_NAMES)) float32 matrix, rows in article order.

    `tokens[i]` are the lowercase syllables of `sentences[i]` (`diplobot.text.syllables`).
    """
    n = len(sentences)
    title_set = set(title_tokens)
    title_bigrams = set(zip(title_tokens, title_tokens[1:]))
    counts = [Counter(t) for t in tokens]
    doc = Counter()
    for c in counts:
        doc.update(c)
    # Sentence frequency of each syllable: how many sentences use it (salience, no IDF file).
    sent_freq = Counter()
    for c in counts:
        sent_freq.update(c.keys())
    lengths = [len(t) for t in tokens]
    max_len = max(lengths, default=1) or 1

    title_recall, centroid = [], []
    for t, c in zip(tokens, counts):
        title_recall.append(len(title_set & c.keys()) / len(title_set) if title_set else 0.0)
        centroid.append(_cosine(c, doc - c) if n > 1 else 1.0)
    title_rank, centroid_rank = _ranks(title_recall), _ranks(centroid)

    rows = np.zeros((n, len(FEATURE_NAMES)), dtype=np.float32)
    for i, (sentence, t, c) in enumerate(zip(sentences, tokens, counts)):
        length = len(t)
        padded = " " + " ".join(t) + " "
        others = [_cosine(c, counts[j]) for j in range(n) if j != i]
        raw_words = _RAW_WORD_RE.findall(sentence)
        capitals = sum(1 for w in raw_words[1:] if w[0].isupper())
        bigrams = set(zip(t, t[1:]))
        rows[i] = (
            math.log1p(i),
            i / (n - 1) if n > 1 else 0.0,
            i == 0,
            i == 1,
            i < 3,
            math.log1p(n),
            math.log1p(length),
            min(length / 40, 3.0),
            length < 10,
            length > 60,
            length / max_len,
            title_recall[i],
            len(title_set & c.keys()) / len(c) if c else 0.0,
            len(title_bigrams & bigrams) / len(title_bigrams) if title_bigrams else 0.0,
            title_rank[i],
            centroid[i],
            centroid_rank[i],
            sum((sent_freq[w] - 1) for w in t) / (length * max(n - 1, 1)) if length else 0.0,
            _cosine(c, counts[0]) if i else 1.0,
            max(others, default=0.0),
            math.log1p(len(_NUMBER_RE.findall(sentence))),
            bool(_DATE_RE.search(sentence)),
            _starts_with(padded, TIME_STARTS),
            capitals / max(len(raw_words) - 1, 1),
            math.log1p(_phrase_count(padded, ROLE_WORDS)),
            any(q in sentence for q in "“”\"«»"),
            _phrase_count(padded, ATTRIBUTION_VERBS) > 0,
            math.log1p(_phrase_count(padded, EVENT_WORDS)),
            _starts_with(padded, CONNECTIVES),
            _starts_with(padded, ANAPHORA),
            sentence.rstrip().endswith((".", "!", "?", "…", '"', "”")),
            ":" in sentence,
            sentence.count("(") / max(length, 1) * 10,
            sentence.rstrip(" \"”").endswith(("?", "!")),
            padded.startswith(" theo "),
        )
    return rows
