"""What opening on the lede costs: ROUGE against how often a summary opens on the article's
lede (`readability.opens_on_lede`, the `lede%` of `diplobot eval`), as `Policy.lede_bonus` grows.

    PYTHONPATH=. python bench/summary_frontier.py [DATA.jsonl ...] [--bonus 0 0.02 0.08 1]

Without files it reads vietnews val 2,000 and the diplomatic val file from ../shared/data.
Read by hand (docs/summaries.md), summaries that open on the lede hold one of issue 19's four
kinds far less often than those that open further in; this prints the ROUGE each share costs.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from summarizer.evaluate import ROUGE_TYPES, load_jsonl, make_scorer
from summarizer.extractive import ExtractiveSummarizer
from summarizer.readability import opens_on_lede

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_FILES = [SHARED / "vietnews_val_2000.jsonl", SHARED / "vietnews_val_diplomatic.jsonl"]


def measure(summarizer: ExtractiveSummarizer, records: list[dict]) -> tuple[list[float], float]:
    """Mean ROUGE-1/2/L F1 (×100) and the share (%) of summaries that open on the lede."""
    scorer = make_scorer()
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    on_lede = 0
    for record in records:
        title, body = record.get("title", ""), record["body"]
        text = summarizer.summarize(title, body).text
        on_lede += opens_on_lede(body, text)
        score = scorer.score(record["abstract"], text)
        for kind in ROUGE_TYPES:
            totals[kind] += score[kind].fmeasure
    n = len(records)
    return [100 * totals[k] / n for k in ROUGE_TYPES], 100 * on_lede / n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--bonus", nargs="+", type=float, default=[0.0, 0.005, 0.02, 0.08, 1.0])
    args = parser.parse_args()
    files = args.files or DEFAULT_FILES
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        print(f"error: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    base = ExtractiveSummarizer()
    data = {f.name: [r for r in load_jsonl(f) if r.get("abstract") and r.get("body")] for f in files}
    print("lede_bonus  " + "  ".join(f"{name}: R1 / R2 / RL, opens on the lede" for name in data))
    for bonus in args.bonus:
        summarizer = ExtractiveSummarizer(policy=replace(base.policy, lede_bonus=bonus))
        cells = []
        for records in data.values():
            rouge, share = measure(summarizer, records)
            cells.append(" / ".join(f"{v:.2f}" for v in rouge) + f", {share:.1f} %")
        print(f"{bonus:<10}  " + "  ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
