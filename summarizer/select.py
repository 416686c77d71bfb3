"""Which scored sentences make the summary: redundancy control and the length policy.

Sentences are taken best first, each one's score lowered by its overlap with what is
already taken (MMR), until the summary reaches the target length in syllables. A
character budget (the 400 characters a reader sees) skips sentences that do not fit;
the best sentence is always kept, even when it alone is longer.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from summarizer.model import Policy

LONG_RATIO = 0.5


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def select(
    scores: np.ndarray,
    tokens: list[list[str]],
    char_lengths: list[int],
    policy: Policy,
    max_chars: int | None = None,
) -> list[int]:
    """Indices of the chosen sentences, in article order."""
    n = len(tokens)
    if n == 0:
        return []
    counts = [Counter(t) for t in tokens]
    first = int(np.argmax(scores))
    if max_chars is not None and char_lengths[first] > max_chars:
        fitting = [i for i in range(n) if char_lengths[i] <= max_chars]
        if fitting:
            best_fit = max(fitting, key=lambda i: scores[i])
            if scores[best_fit] >= LONG_RATIO * scores[first]:
                first = best_fit
    chosen = [first]
    syllable_total, char_total = len(tokens[first]), char_lengths[first]
    floor = policy.min_ratio * float(scores[first])
    while len(chosen) < policy.max_sentences and syllable_total < policy.target_syllables:
        best, best_value = -1, -math.inf
        for i in range(n):
            if i in chosen:
                continue
            if syllable_total + len(tokens[i]) > policy.max_syllables:
                continue
            if max_chars is not None and char_total + 1 + char_lengths[i] > max_chars:
                continue
            overlap = max(_cosine(counts[i], counts[j]) for j in chosen)
            value = float(scores[i]) - policy.mmr_lambda * overlap
            if value > best_value:
                best, best_value = i, value
        if best < 0 or best_value < floor:
            break
        chosen.append(best)
        syllable_total += len(tokens[best])
        char_total += 1 + char_lengths[best]
    return sorted(chosen)
