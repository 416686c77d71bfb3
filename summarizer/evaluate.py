"""ROUGE at syllable level for summarizers, next to the Lead-n baselines on the same texts,
and the share of summaries holding a sentence no editor would print (`summarizer.readability`).

rouge-score's default tokenizer keeps only `[a-z0-9]` and shreds Vietnamese
(`Bộ Ngoại giao` → `b ngo i giao`), which roughly doubles R1: every number here is made
with `rouge_tokenize` instead. ROUGE-L is one LCS over the whole text (`rougeL`).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.extractive import ExtractiveSummarizer
from summarizer.readability import KINDS, kind_shares, lede_share

if TYPE_CHECKING:
    from rouge_score.rouge_scorer import RougeScorer

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
LEADS = (1, 2, 3)
_WORD_RE = re.compile(r"\w+")

# A summarizer under test: (title, body) -> summary text or an object with `.text`.
SummarizeFn = Callable[[str, str], Any]


def rouge_tokenize(text: str) -> list[str]:
    """NFC, lowercase, `_` as a space (word-segmented text), then `\\w+` syllables."""
    return _WORD_RE.findall(unicodedata.normalize("NFC", text).lower().replace("_", " "))


class SyllableTokenizer:
    """The `tokenizer=` object rouge-score wants: anything with `.tokenize(text)`."""

    def tokenize(self, text: str) -> list[str]:
        return rouge_tokenize(text)


def make_scorer() -> RougeScorer:
    """A RougeScorer for R1, R2 and RL on Vietnamese syllables."""
    from rouge_score.rouge_scorer import RougeScorer  # here: it loads nltk (0.2-0.7 s), only `eval` needs it

    return RougeScorer(list(ROUGE_TYPES), tokenizer=SyllableTokenizer())


def load_jsonl(path: str | Path) -> list[dict]:
    """Records of a `.jsonl` or `.jsonl.gz` file (blank lines skipped)."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def lead_n(body: str, n: int) -> str:
    """The first n non-empty lines of a body: sentences, in vietnews."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return "\n".join(lines[:n])


def _lead(n: int) -> SummarizeFn:
    return lambda title, body: lead_n(body, n)


def _text(result: Any) -> str:
    return result if isinstance(result, str) else str(getattr(result, "text", ""))


def _run_system(
    name: str, fn: SummarizeFn, records: list[dict], scorer: RougeScorer, progress: bool
) -> dict[str, float]:
    """Summaries of every record by one system, then their mean scores and speed.

    One untimed call first (and the summarizer's `warm_up()` when it has one), so that lazy
    imports and model warm-up do not count as speed.
    """
    from tqdm import tqdm

    warm_up = getattr(getattr(fn, "__self__", None), "warm_up", None)
    if warm_up is not None:
        warm_up()  # models loaded lazily, on the first article that needs them
    if records:
        fn(records[0].get("title", ""), records[0]["body"])
    summaries: list[str] = []
    start = time.perf_counter()
    for record in tqdm(records, desc=name, unit="art", file=sys.stderr, disable=not progress, leave=False):
        summaries.append(_text(fn(record.get("title", ""), record["body"])))
    seconds = time.perf_counter() - start
    totals = dict.fromkeys(ROUGE_TYPES, 0.0)
    syllable_count = char_count = 0
    for record, summary in zip(records, summaries):
        scores = scorer.score(record["abstract"], summary)
        for kind in ROUGE_TYPES:
            totals[kind] += scores[kind].fmeasure
        syllable_count += len(rouge_tokenize(summary))
        char_count += len(summary)
    n = max(len(records), 1)
    result = {kind: 100 * totals[kind] / n for kind in ROUGE_TYPES}
    result.update(kind_shares((r.get("title", ""), r["body"], s) for r, s in zip(records, summaries)))
    result["lede"] = lede_share((r["body"], s) for r, s in zip(records, summaries))
    result.update(
        syllables=syllable_count / n,
        chars=char_count / n,
        seconds=seconds,
        articles_per_s=len(records) / seconds if seconds > 0 else float("inf"),
    )
    return result


def evaluate(
    records: Iterable[dict],
    summarizers: dict[str, SummarizeFn],
    progress: bool = True,
    leads: Iterable[int] = LEADS,
) -> dict[str, Any]:
    """F1 ROUGE-1/2/L ×100, mean length, speed and unreadable shares of each summarizer and of Lead-n.

    Each kind of `readability.KINDS` (and `any`) is the percent of summaries holding it.

    `records` carry `title`, `body` (one sentence per line) and the reference `abstract`.
    A summarizer is any callable `(title, body)` returning text or a `Summary`.
    """
    records = [r for r in records if r.get("abstract") and r.get("body")]
    systems: dict[str, SummarizeFn] = {f"Lead-{n}": _lead(n) for n in leads}
    systems.update(summarizers)
    scorer = make_scorer()
    results = {name: _run_system(name, fn, records, scorer, progress) for name, fn in systems.items()}
    return {"articles": len(records), "systems": results}


def format_report(report: dict[str, Any]) -> str:
    """A side-by-side table, one system a row, and one summary line at the end.

    The unreadable columns are the percent of summaries holding each kind of sentence
    no editor would print (`summarizer.readability`); `any` is their union.
    """
    kinds = KINDS + ("any",)
    header = f"{'system':<28} {'R1':>6} {'R2':>6} {'RL':>6} {'syll':>6} {'chars':>6} {'art/s':>8} {'lede%':>6} "
    header += " ".join(f"{kind + '%':>9}" for kind in kinds)
    lines = [header, "-" * len(header)]
    for name, row in report["systems"].items():
        lines.append(
            f"{name:<28} {row['rouge1']:6.2f} {row['rouge2']:6.2f} {row['rougeL']:6.2f} "
            f"{row['syllables']:6.1f} {row['chars']:6.0f} {row['articles_per_s']:8.1f} {row.get('lede', 0.0):6.1f} "
            + " ".join(f"{row.get(kind, 0.0):9.2f}" for kind in kinds)
        )
    best = max(report["systems"].items(), key=lambda item: item[1]["rouge1"], default=None)
    summary = (
        f"{report['articles']} articles, F1 ×100, syllable-level ROUGE (rougeL = one LCS), "
        "lede: % of summaries that open on the article's lede (read by hand, those that open further in are "
        "clearly wrong ten times as often); unreadable: % of summaries with a caption, question, dangling opening or cut sentence"
    )
    if best:
        summary += f"; best R1: {best[0]} {best[1]['rouge1']:.2f}"
    lines.append(summary)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """`python -m summarizer.evaluate DATA.jsonl [--limit N] [--rouge-length]`."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("data")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--model", default=None, help="model JSON (default: the shipped one)")
    parser.add_argument(
        "--rouge-length", action="store_true", help="also the variant without the 400-character cap"
    )
    args = parser.parse_args(argv)
    records = load_jsonl(args.data)[: args.limit]
    systems: dict[str, SummarizeFn] = {"extractive (≤400 chars)": ExtractiveSummarizer(args.model).summarize}
    if args.rouge_length:
        systems["extractive (no char cap)"] = ExtractiveSummarizer(args.model, max_chars=None).summarize
    print(format_report(evaluate(records, systems)))


if __name__ == "__main__":
    main()
