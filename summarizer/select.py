"""Which scored sentences make the summary: redundancy control and the length policy.

Sentences are taken best first, each one's score lowered by its overlap with what is
already taken (MMR), until the summary reaches the target length in syllables. A
character budget (the 400 characters a reader sees) skips sentences that do not fit;
the best sentence is always kept, even when it alone is longer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import numpy as np

from summarizer.model import Policy

LONG_RATIO = 0.5


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _lead_in(
    ranked: list[int],
    char_lengths: list[int],
    policy: Policy,
    max_chars: int | None,
    ok: Callable[[int], bool],
    opens: Callable[[int], bool],
) -> list[int]:
    """The best sentence after the one before it, when it cannot open and `policy.lead_in`."""
    best = next((i for i in ranked if ok(i)), None)
    if not policy.lead_in or best is None or best == 0 or opens(best):
        return []
    pair = [best - 1, best]
    if max_chars is not None and char_lengths[best - 1] + 1 + char_lengths[best] > max_chars:
        return []
    return pair if opens(best - 1) and ok(best - 1) else []


def select(
    scores: np.ndarray,
    tokens: list[list[str]],
    char_lengths: list[int],
    policy: Policy,
    max_chars: int | None = None,
    allowed: Callable[[int], bool] | None = None,
    can_open: Callable[[int], bool] | None = None,
) -> list[int]:
    """Indices of the chosen sentences, in article order.

    `allowed(i)` says whether sentence i may be chosen at all; it is asked lazily, only
    about a sentence about to be taken (it may be costly: a caption check tags words).
    A sentence with `can_open(i)` False may join the summary but not as its first
    sentence in article order (`Điều này …` needs the sentence it points back to); it is
    asked lazily too.
    """
    n = len(tokens)
    if n == 0:
        return []
    if policy.lede_bonus:
        scores = scores.astype(float, copy=True)
        scores[0] += policy.lede_bonus
    verdicts: dict[int, bool] = {}

    def ok(i: int) -> bool:
        if i not in verdicts:
            verdicts[i] = allowed is None or allowed(i)
        return verdicts[i]

    def opens(i: int) -> bool:
        return can_open is None or can_open(i)

    ranked = sorted(range(n), key=lambda i: -scores[i])  # stable: ties keep article order
    chosen = _lead_in(ranked, char_lengths, policy, max_chars, ok, opens)
    if not chosen:
        first = next((i for i in ranked if opens(i) and ok(i)), None)
        if first is None:
            return []
        if max_chars is not None and char_lengths[first] > max_chars:
            best_fit = next((i for i in ranked if char_lengths[i] <= max_chars and opens(i) and ok(i)), None)
            if best_fit is not None and scores[best_fit] >= LONG_RATIO * scores[first]:
                first = best_fit
        chosen = [first]
    counts = [Counter(t) for t in tokens]
    syllable_total = sum(len(tokens[i]) for i in chosen)
    char_total = sum(char_lengths[i] for i in chosen) + len(chosen) - 1
    floor = policy.min_ratio * float(max(scores[i] for i in chosen))
    while len(chosen) < policy.max_sentences and syllable_total < policy.target_syllables:
        values = []
        for i in range(n):
            if i in chosen or (i < min(chosen) and not opens(i)):
                continue
            if syllable_total + len(tokens[i]) > policy.max_syllables:
                continue
            if max_chars is not None and char_total + 1 + char_lengths[i] > max_chars:
                continue
            overlap = max(_cosine(counts[i], counts[j]) for j in chosen)
            values.append((float(scores[i]) - policy.mmr_lambda * overlap, i))
        values.sort(key=lambda item: -item[0])  # stable: ties keep article order
        best = next((i for value, i in values if value >= floor and ok(i)), -1)
        if best < 0:
            break
        chosen.append(best)
        syllable_total += len(tokens[best])
        char_total += 1 + char_lengths[best]
    return sorted(chosen)
