"""How well `is_diplomatic` keeps diplomacy out of world news: precision and recall on 100 hand-labelled
world-news items of vietnews val_2000 (issue 13.3).

    python bench/diplomatic_check.py [--data ../shared/data/vietnews_val_2000.jsonl] [--sample]

The sample (fixed before any score was looked at): the items whose title or abstract names a
foreign country, territory or international body (WORLD_WORDS), ordered by sha1 of their id,
then those that name one only in the body, the first 100. val_2000 holds little world news
(86 items pass the headline test, mostly showbiz and crime with a foreign name in them), so the
sample is what a "world" filter lets through, and few items are diplomatic; recall is also
read on vietnews_val_diplomatic.jsonl, where every article is about diplomacy.
`--sample` prints the sample (id, title, abstract) for labelling and nothing else.

The labels (bench/data/diplomatic_world_100.csv: id, label, note; ids only, never the texts)
were written by hand from the title and abstract before running the score, under this rule:
1 = the article is about relations between states or with international bodies — visits,
talks, calls, agreements, summits, diplomatic statements or protests, sanctions, ambassadors,
negotiations, alliances, disputes argued between governments; 0 = anything else, including a
foreign country's domestic politics, crime, disasters, business, science, sport or war
reporting with no state-to-state act in it.

The score is the stored one (`tagger.tag_article(...).is_diplomatic`) against the bot's
default threshold (DIPLOBOT_DIPLOMATIC_THRESHOLD, 0.5); the table also shows other thresholds.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "vietnews_val_2000.jsonl"
DIPLOMATIC = ROOT.parent / "shared" / "data" / "vietnews_val_diplomatic.jsonl"
LABELS = ROOT / "bench" / "data" / "diplomatic_world_100.csv"
SAMPLE_SIZE = 100
# Foreign countries, territories, capitals and international bodies whose names are not also common
# Vietnamese words or names; the short ones that are (Mỹ, Nga, Anh, Pháp, Đức, Nhật, Lào, Úc, Ý: Mỹ Tâm,
# Phương Nga, Ngân Anh, Lào Cai) count only after a word that makes them a country ("người Mỹ", "tại Nga").
WORLD_WORDS = [
    "Trung Quốc", "Hàn Quốc", "Nhật Bản", "Hoa Kỳ", "Triều Tiên", "Thái Lan", "Campuchia", "Singapore", "Malaysia",
    "Indonesia", "Philippines", "Myanmar", "Ấn Độ", "Australia", "Ukraine", "Syria", "Iran", "Israel",
    "Liên Hợp Quốc", "ASEAN", "APEC", "châu Âu", "Đài Loan", "Hong Kong", "Tổng thống", "Ngoại trưởng", "Nhà Trắng",
]
_AMBIGUOUS = ["Mỹ", "Nga", "Anh", "Pháp", "Đức", "Nhật", "Lào", "Úc", "Ý"]
_BEFORE = ["nước", "người", "tại", "ở", "sang", "từ", "với", "của"]
_WORLD_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in WORLD_WORDS)
    + r"|(?:" + "|".join(_BEFORE) + r")\s+(?:" + "|".join(_AMBIGUOUS) + r")(?!\s*(?:Cai|Tâm|Linh|Đình|Kim)))(?!\w)")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)


def world_sample(path: Path, size: int = SAMPLE_SIZE) -> list[dict]:
    """The fixed sample: items whose title or abstract names the world (WORLD_WORDS), by sha1(id);
    then, to reach `size`, items that name it only in the body, by sha1(id)."""
    with path.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh if line.strip()]
    order = lambda r: hashlib.sha1(r["id"].encode()).hexdigest()  # noqa: E731
    headline = sorted((r for r in records if _WORLD_RE.search(f"{r['title']} {r['abstract']}")), key=order)
    body = sorted((r for r in records if r not in headline and _WORLD_RE.search(r["body"])), key=order)
    return (headline + body)[:size]


def read_labels(path: Path = LABELS) -> dict[str, int]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: int(row["label"]) for row in csv.DictReader(fh)}


def scores(sample: list[dict]) -> dict[str, float]:
    from tagger import tag_article  # loads the gazetteers

    return {r["id"]: tag_article(r["title"], r["body"]).is_diplomatic for r in sample}


def metrics(labels: dict[str, int], score: dict[str, float], threshold: float) -> dict[str, float]:
    tp = sum(1 for i, y in labels.items() if y and score[i] >= threshold)
    fp = sum(1 for i, y in labels.items() if not y and score[i] >= threshold)
    fn = sum(1 for i, y in labels.items() if y and score[i] < threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--diplomatic", type=Path, default=DIPLOMATIC, help="all-diplomatic set for recall")
    parser.add_argument("--sample", action="store_true", help="print the sample to label, no scores")
    args = parser.parse_args()
    sample = world_sample(args.data)
    if args.sample:
        for r in sample:
            print(json.dumps({"id": r["id"], "title": r["title"], "abstract": r["abstract"]}, ensure_ascii=False))
        return
    labels = read_labels()
    ids = [r["id"] for r in sample]
    if sorted(ids) != sorted(labels):
        sys.exit(f"the labels in {LABELS} are not the sample of {args.data} (the rule or the data changed)")
    score = scores(sample)
    positives = sum(labels.values())
    print(f"{len(sample)} world-news items of {args.data.name}: {positives} diplomatic by hand, "
          f"{len(sample) - positives} not")
    print(f"{'threshold':>9} {'kept':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'f1':>6}")
    for threshold in THRESHOLDS:
        m = metrics(labels, score, threshold)
        mark = "  <- DIPLOBOT_DIPLOMATIC_THRESHOLD default" if threshold == 0.5 else ""
        print(f"{threshold:>9.1f} {m['tp'] + m['fp']:>5} {m['tp']:>4} {m['fp']:>4} {m['fn']:>4} "
              f"{m['precision']:>9.2f} {m['recall']:>7.2f} {m['f1']:>6.2f}{mark}")
    if args.diplomatic.exists():
        with args.diplomatic.open(encoding="utf-8") as fh:
            diplomatic = [json.loads(line) for line in fh if line.strip()]
        kept = scores(diplomatic)
        shares = "  ".join(f"{t:.1f}: {sum(v >= t for v in kept.values()) / len(kept):.2f}" for t in THRESHOLDS)
        print(f"\nrecall on {args.diplomatic.name} ({len(kept)} articles, all diplomatic): {shares}")
    wrong = [(i, labels[i], score[i]) for i in ids if (score[i] >= 0.5) != bool(labels[i])]
    print(f"\nat 0.5: {len(wrong)} disagreements (id, hand label, score):")
    for i, y, s in wrong:
        print(f"  {i}  {y}  {s:.2f}")


if __name__ == "__main__":
    main()
