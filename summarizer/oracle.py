"""Fast syllable ROUGE on token lists, and the greedy oracle that labels training sentences.

rouge-score is the reference for reported numbers (`summarizer.evaluate`); this module
only needs to be quick, since the oracle scores every sentence of 20,000 articles many
times. Same tokens, same F1 formula for R1 and R2.
"""

from __future__ import annotations

from collections import Counter


def ngrams(tokens: list[str], n: int) -> Counter:
    """Counts of the n-grams of a token list."""
    return Counter(zip(*(tokens[i:] for i in range(n))))


def f1(candidate: Counter, reference: Counter) -> float:
    """ROUGE-N F1 from two n-gram counters."""
    if not candidate or not reference:
        return 0.0
    overlap = sum((candidate & reference).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(candidate.values())
    recall = overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def rouge_12(candidate: list[str], reference: list[str]) -> float:
    """Mean of ROUGE-1 and ROUGE-2 F1."""
    return (f1(ngrams(candidate, 1), ngrams(reference, 1)) + f1(ngrams(candidate, 2), ngrams(reference, 2))) / 2


def greedy_oracle(
    sentences: list[list[str]], reference: list[str], max_sentences: int = 3, can_open: list[bool] | None = None
) -> list[int]:
    """Indices (article order) of the sentences that greedily maximise R1+R2+RL against the reference.

    The mean of the three F1, as the length policy is tuned on (`summarizer.train`); RL on
    the sentences in article order, as a summary shows them. Stops when no sentence improves
    the score, so short references get one sentence. With `can_open`, the first sentence in
    article order is one that may open a summary, as `select` requires (`Điều này …` only
    after a sentence before it).
    """
    ref1, ref2 = ngrams(reference, 1), ngrams(reference, 2)
    grams = [(ngrams(s, 1), ngrams(s, 2)) for s in sentences]
    chosen: list[int] = []
    cur1: Counter = Counter()
    cur2: Counter = Counter()
    best = 0.0
    while len(chosen) < max_sentences:
        pick, pick_score = -1, best
        for i, (g1, g2) in enumerate(grams):
            if i in chosen or not sentences[i]:
                continue
            if can_open is not None and not can_open[i] and i < min(chosen, default=len(grams)):
                continue
            in_order = [w for j in sorted(chosen + [i]) for w in sentences[j]]
            score = (f1(cur1 + g1, ref1) + f1(cur2 + g2, ref2) + rouge_l(in_order, reference)) / 3
            if score > pick_score:
                pick, pick_score = i, score
        if pick < 0:
            break
        chosen.append(pick)
        cur1 += grams[pick][0]
        cur2 += grams[pick][1]
        best = pick_score
    return sorted(chosen)


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of two token lists.

    Bit-parallel (Allison-Dix, as Hyyrö writes it): one big-integer step per token of `b`
    instead of a len(a) × len(b) table, which makes ROUGE-L cheap enough for tuning.
    """
    masks: dict[str, int] = {}
    for i, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for token in b:
        u = v & masks.get(token, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def rouge_l(candidate: list[str], reference: list[str]) -> float:
    """ROUGE-L F1: one LCS over the whole texts (rouge-score's `rougeL`)."""
    if not candidate or not reference:
        return 0.0
    lcs = lcs_length(candidate, reference)
    if not lcs:
        return 0.0
    precision, recall = lcs / len(candidate), lcs / len(reference)
    return 2 * precision * recall / (precision + recall)
