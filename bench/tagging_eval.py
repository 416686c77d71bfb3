"""Tagger quality on the hand-checked gold set, and tagger speed.

    PYTHONPATH=. python bench/tagging_eval.py [tests/data/tags_gold.jsonl]
        [--speed DATA.jsonl] [--errors N]

Prints precision/recall/F1 per kind (provinces, countries, people name+role, people
names only, dates) for the whole set and for each split (dev: read while writing the
tagger; heldout: annotated afterwards, only scored), then the errors (`+` extra,
`-` missed), then articles per second of `tag_article` on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tagger import tag_article  # noqa: E402
from tagger.gold import KINDS, load_gold, score  # noqa: E402


def speed(records: list[tuple[str, str]], repeat: int = 1) -> tuple[float, float]:
    """(articles per second, mean KB per article) over `records`, after one warm-up call."""
    tag_article(*records[0])
    start = time.perf_counter()
    for _ in range(repeat):
        for title, body in records:
            tag_article(title, body)
    elapsed = time.perf_counter() - start
    kb = sum(len(t) + len(b) for t, b in records) / len(records) / 1024
    return repeat * len(records) / elapsed, kb


def table(label: str, n: int, scores: dict) -> None:
    print(f"\n[{label}: {n} articles]")
    print(f"{'kind':<14}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for kind in KINDS:
        s = scores[kind]
        print(f"{kind:<14}{s.tp + s.fn:>6}{s.tp + s.fp:>6}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?", default=str(ROOT / "tests" / "data" / "tags_gold.jsonl"))
    ap.add_argument("--speed", metavar="JSONL", help="also time tag_article on these records")
    ap.add_argument("--errors", type=int, default=200, help="errors to list per kind")
    args = ap.parse_args()

    articles = load_gold(args.gold)
    preds = [tag_article(a.title, a.body, a.published_at) for a in articles]
    scores = score(articles, preds)

    print(f"gold set: {len(articles)} articles ({args.gold})")
    table("all", len(articles), scores)
    for split in sorted({a.split for a in articles}):
        picked = [(a, p) for a, p in zip(articles, preds) if a.split == split]
        table(split, len(picked), score([a for a, _ in picked], [p for _, p in picked]))
    for kind in KINDS:
        if kind == "people_names" or not scores[kind].errors:
            continue
        print(f"\nerrors: {kind}")
        for line in scores[kind].errors[: args.errors]:
            print("  " + line)

    rate, kb = speed([(a.title, a.body) for a in articles], repeat=5)
    print(f"\nspeed (gold set, {kb:.1f} KB/article): {rate:.0f} articles/s on one core")
    if args.speed:
        rows = [json.loads(line) for line in open(args.speed, encoding="utf-8")]
        rate, kb = speed([(r.get("title", ""), r.get("body", "")) for r in rows])
        print(f"speed ({Path(args.speed).name}, {len(rows)} articles, {kb:.1f} KB/article): "
              f"{rate:.0f} articles/s on one core")


if __name__ == "__main__":
    main()
