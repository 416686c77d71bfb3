"""Train the sentence scorer on vietnews and tune the length policy on validation data.

    python -m summarizer.train TRAIN.jsonl.gz --val VAL.jsonl --out summarizer/model.json

Labels come from a greedy ROUGE oracle (syllables, R1+R2, at most 3 sentences) over the
same candidate sentences the summarizer sees. The model is a one-hidden-layer MLP trained
with numpy alone (Adam, binary cross-entropy), seeded, so a rerun gives the same file.
The policy (target length, MMR weight, ...) is the grid point with the best validation
ROUGE-1 under the 400-character cap the bot uses.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from dataclasses import dataclass

import numpy as np
from tqdm import tqdm

from diplobot.text import syllables
from summarizer.evaluate import load_jsonl
from summarizer.extractive import MAX_CHARS, candidates
from summarizer.features import FEATURE_NAMES, sentence_features
from summarizer.model import Policy, SentenceModel
from summarizer.oracle import f1, greedy_oracle, ngrams
from summarizer.select import select


@dataclass
class Dataset:
    """Feature rows of every candidate sentence, with what tuning needs per article."""

    features: np.ndarray
    labels: np.ndarray
    offsets: list[int]  # article k owns rows offsets[k]:offsets[k+1]
    tokens: list[list[list[str]]]
    char_lengths: list[list[int]]
    references: list[list[str]]


def build_dataset(records: list[dict], desc: str, progress: bool = True) -> Dataset:
    """Candidates, features and oracle labels of each record with at least two candidates."""
    blocks, labels, offsets = [], [], [0]
    tokens, char_lengths, references = [], [], []
    for record in tqdm(records, desc=desc, unit="art", file=sys.stderr, disable=not progress):
        found = candidates(record["title"], record["body"])
        reference = syllables(record["abstract"])
        if len(found.sentences) < 2 or not reference:
            continue
        blocks.append(sentence_features(syllables(record["title"]), found.sentences, found.tokens))
        picked = set(greedy_oracle(found.tokens, reference))
        labels.extend(1.0 if i in picked else 0.0 for i in range(len(found.sentences)))
        offsets.append(offsets[-1] + len(found.sentences))
        tokens.append(found.tokens)
        char_lengths.append([len(s) for s in found.sentences])
        references.append(reference)
    return Dataset(np.vstack(blocks), np.asarray(labels), offsets, tokens, char_lengths, references)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def train_mlp(
    x: np.ndarray, y: np.ndarray, hidden: int, epochs: int, seed: int, lr: float = 2e-3, l2: float = 1e-5
) -> SentenceModel:
    """Fit standardization and a ReLU MLP (logistic regression when hidden == 0) by Adam."""
    rng = np.random.default_rng(seed)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    xs = (x - mean) / scale
    dims = [x.shape[1]] + ([hidden] if hidden else []) + [1]
    params = []
    for fan_in, fan_out in zip(dims, dims[1:]):
        params += [rng.normal(0, np.sqrt(2.0 / fan_in), (fan_in, fan_out)), np.zeros(fan_out)]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    step, batch = 0, 512
    for epoch in range(epochs):
        order = rng.permutation(len(xs))
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            grads = _gradients(params, xs[idx], y[idx], l2)
            step += 1
            for k, (p, g) in enumerate(zip(params, grads)):
                m, v = moments[k]
                m[:] = 0.9 * m + 0.1 * g
                v[:] = 0.999 * v + 0.001 * g * g
                p -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        loss = _loss(params, xs, y)
        print(f"epoch {epoch + 1}/{epochs}: train log-loss {loss:.4f}", file=sys.stderr)
    layers = []
    for k in range(0, len(params), 2):
        last = k == len(params) - 2
        layers.append((params[k], params[k + 1], "sigmoid" if last else "relu"))
    return SentenceModel(mean=mean, scale=scale, layers=layers)


def _forward(params: list[np.ndarray], x: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    activations = [x]
    for k in range(0, len(params) - 2, 2):
        activations.append(np.maximum(activations[-1] @ params[k] + params[k + 1], 0.0))
    logits = (activations[-1] @ params[-2] + params[-1])[:, 0]
    return activations, logits


def _loss(params: list[np.ndarray], x: np.ndarray, y: np.ndarray) -> float:
    _, logits = _forward(params, x)
    p = np.clip(_sigmoid(logits), 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _gradients(params: list[np.ndarray], x: np.ndarray, y: np.ndarray, l2: float) -> list[np.ndarray]:
    activations, logits = _forward(params, x)
    delta = ((_sigmoid(logits) - y) / len(y))[:, None]
    grads: list[np.ndarray] = [None] * len(params)  # type: ignore[list-item]
    for k in range(len(params) - 2, -1, -2):
        a = activations[k // 2]
        grads[k] = a.T @ delta + l2 * params[k]
        grads[k + 1] = delta.sum(axis=0)
        if k:
            delta = (delta @ params[k].T) * (a > 0)
    return grads


def rouge1_of(data: Dataset, scores: np.ndarray, policy: Policy, max_chars: int | None) -> tuple[float, float]:
    """Mean ROUGE-1 and ROUGE-2 F1 (×100) of the summaries the policy picks."""
    r1 = r2 = 0.0
    for k, reference in enumerate(data.references):
        lo, hi = data.offsets[k], data.offsets[k + 1]
        chosen = select(scores[lo:hi], data.tokens[k], data.char_lengths[k], policy, max_chars)
        summary = [w for i in chosen for w in data.tokens[k][i]]
        r1 += f1(ngrams(summary, 1), ngrams(reference, 1))
        r2 += f1(ngrams(summary, 2), ngrams(reference, 2))
    n = len(data.references)
    return 100 * r1 / n, 100 * r2 / n


POLICY_GRID = {
    "target_syllables": (20, 25, 30, 35, 40, 45, 50, 60),
    "max_syllables": (60, 80, 120),
    "max_sentences": (2, 3),
    "min_ratio": (0.0, 0.3, 0.6),
    "mmr_lambda": (0.0, 0.3),
}


def tune_policy(data: Dataset, scores: np.ndarray, max_chars: int | None) -> tuple[Policy, float, float]:
    """The grid policy with the best validation ROUGE-1 (R2 breaks ties)."""
    best: tuple[float, float, Policy] | None = None
    keys = list(POLICY_GRID)
    grid = list(itertools.product(*POLICY_GRID.values()))
    for values in tqdm(grid, desc="policy grid", file=sys.stderr):
        policy = Policy(**dict(zip(keys, values)))
        r1, r2 = rouge1_of(data, scores, policy, max_chars)
        if best is None or (r1, r2) > best[:2]:
            best = (r1, r2, policy)
    assert best is not None
    return best[2], best[0], best[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the extractive sentence scorer.")
    parser.add_argument("train", help="vietnews JSONL(.gz) with title, abstract, body")
    parser.add_argument("--val", required=True, help="validation JSONL for the length policy")
    parser.add_argument("--out", default="summarizer/model.json")
    parser.add_argument("--hidden", type=int, default=16, help="hidden units (0: logistic regression)")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=None, help="first N training records only")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    train_records = load_jsonl(args.train)[: args.limit]
    train = build_dataset(train_records, "train features")
    val = build_dataset(load_jsonl(args.val), "val features")
    print(f"{len(train.references)} train articles, {len(train.labels)} sentences, "
          f"{train.labels.mean():.3f} positive", file=sys.stderr)
    model = train_mlp(train.features, train.labels, args.hidden, args.epochs, args.seed)
    scores = model.score(val.features)
    policy, r1, r2 = tune_policy(val, scores, MAX_CHARS)
    model.policy = policy
    model.meta = {
        "name": f"{'mlp' if args.hidden else 'logreg'}-{len(FEATURE_NAMES)}x{args.hidden}-vietnews",
        "train_articles": len(train.references),
        "epochs": args.epochs,
        "seed": args.seed,
        "val_rouge1": round(r1, 2),
        "val_rouge2": round(r2, 2),
    }
    model.save(args.out)
    print(f"wrote {args.out}: val R1 {r1:.2f} R2 {r2:.2f} with {policy} "
          f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
