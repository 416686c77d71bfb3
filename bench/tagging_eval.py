"""Tagger quality on the gold sets, and tagger speed.

    PYTHONPATH=. python bench/tagging_eval.py [--old tests/data/tags_gold.jsonl]
        [--blind tests/data/people_gold/gold.jsonl] [--data ../shared/data]
        [--speed DATA.jsonl] [--errors N] [--no-heldout-errors]

Prints precision/recall/F1 per kind:
- the old gold set (tags_gold.jsonl: provinces, countries, people name+role, people
  names, dates), whole and per split (dev / heldout);
- the blind people set of issue 14 (tests/data/people_gold/, texts read from the shared
  data folder): people names after folding (the acceptance measure), names as written,
  name+role, countries, provinces; for each part (diplomatic, domestic) on the two
  thirds fixes could look at ("open"), on the held-out third, and on all of it;
then the errors (`+` extra, `-` missed; held-out errors only with --heldout-errors), then
articles per second of `tag_article` on one core.
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
from tagger.gold import BLIND_KINDS, KINDS, load_gold, load_people_gold, score  # noqa: E402


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


def with_roles_only(tags) -> dict:
    out = tags.to_dict() if hasattr(tags, "to_dict") else dict(tags)
    out["people"] = [p for p in out["people"] if p["role"]]
    return out


def table(label: str, n: int, scores: dict, kinds: tuple[str, ...] = KINDS) -> None:
    print(f"\n[{label}: {n} articles]")
    print(f"{'kind':<14}{'gold':>6}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for kind in kinds:
        s = scores[kind]
        print(f"{kind:<14}{s.tp + s.fn:>6}{s.tp + s.fp:>6}{s.precision:>8.3f}{s.recall:>8.3f}{s.f1:>8.3f}")


def errors(scores: dict, kinds: tuple[str, ...], limit: int, skip: tuple[str, ...] = ()) -> None:
    for kind in kinds:
        if kind in skip or not scores[kind].errors:
            continue
        print(f"\nerrors: {kind}")
        for line in scores[kind].errors[:limit]:
            print("  " + line)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", default=str(ROOT / "tests" / "data" / "tags_gold.jsonl"))
    ap.add_argument("--blind", default=str(ROOT / "tests" / "data" / "people_gold" / "gold.jsonl"))
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"),
                    help="folder with the vietnews files the blind set points into")
    ap.add_argument("--speed", metavar="JSONL", help="also time tag_article on these records")
    ap.add_argument("--errors", type=int, default=200, help="errors to list per kind")
    ap.add_argument("--heldout-errors", action="store_true",
                    help="also list the errors of the held-out third (do not read them while fixing)")
    args = ap.parse_args()

    articles = load_gold(args.old)
    # The old set annotated only people the text gives a role: people tagged without one
    # are left out of its scores (the blind set scores every named person).
    preds = [with_roles_only(tag_article(a.title, a.body, a.published_at)) for a in articles]
    scores = score(articles, preds)
    print(f"old gold set: {len(articles)} articles ({args.old}; people with a role only)")
    table("old: all", len(articles), scores)
    for split in sorted({a.split for a in articles}):
        picked = [(a, p) for a, p in zip(articles, preds) if a.split == split]
        table(f"old: {split}", len(picked), score([a for a, _ in picked], [p for _, p in picked]))
    errors(scores, KINDS, args.errors, skip=("people_names",))

    blind = load_people_gold(args.blind, args.data)
    bpreds = [tag_article(a.title, a.body) for a in blind]
    print(f"\n\nblind people set: {len(blind)} articles ({args.blind})")
    for part in ("diplomatic", "domestic"):
        for label, keep in (("open two thirds", lambda a: not a.heldout),
                            ("held-out third", lambda a: a.heldout), ("all", lambda a: True)):
            picked = [(a, p) for a, p in zip(blind, bpreds) if a.split == part and keep(a)]
            s = score([a for a, _ in picked], [p for _, p in picked], BLIND_KINDS)
            table(f"blind {part}: {label}", len(picked), s, BLIND_KINDS)
    shown = [(a, p) for a, p in zip(blind, bpreds) if args.heldout_errors or not a.heldout]
    s = score([a for a, _ in shown], [p for _, p in shown], BLIND_KINDS)
    print("\nblind errors" + ("" if args.heldout_errors else " (open two thirds only)") + ":")
    errors(s, BLIND_KINDS, args.errors, skip=("people_names", "people"))

    rate, kb = speed([(a.title, a.body) for a in articles], repeat=5)
    print(f"\nspeed (old gold set, {kb:.1f} KB/article): {rate:.0f} articles/s on one core")
    rate, kb = speed([(a.title, a.body) for a in blind], repeat=3)
    print(f"speed (blind set, {kb:.1f} KB/article): {rate:.0f} articles/s on one core")
    if args.speed:
        rows = [json.loads(line) for line in open(args.speed, encoding="utf-8")]
        rate, kb = speed([(r.get("title", ""), r.get("body", "")) for r in rows])
        print(f"speed ({Path(args.speed).name}, {len(rows)} articles, {kb:.1f} KB/article): "
              f"{rate:.0f} articles/s on one core")


if __name__ == "__main__":
    main()
