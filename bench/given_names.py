"""Regenerate `tagger.aliases.GIVEN_NAMES`: syllables that end or middle Vietnamese names.

    PYTHONPATH=. python bench/given_names.py [../shared/data/vietnews_train_20000.jsonl.gz] [--min 8]

Reads the training split only (never the validation files the gold sets come from):
every run of three or four capitalized Vietnamese syllables led by a surname of
`aliases.SURNAMES` is a name; its syllables after the surname are counted, and those
seen at least `--min` times, and less often as an ordinary lowercase word than
`--ratio` times that, are printed, sorted, ready to paste (`của`, `các` are left out).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tagger import aliases  # noqa: E402
from tagger._text import canon, looks_vietnamese  # noqa: E402

_RUN = re.compile(r"(?<!\w)([A-ZĐÀ-Ỹ][^\W\d_]*(?: [A-ZĐÀ-Ỹ][^\W\d_]*){2,3})(?!\w)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", default=str(ROOT.parent / "shared" / "data" / "vietnews_train_20000.jsonl.gz"))
    ap.add_argument("--min", type=int, default=8)
    ap.add_argument("--ratio", type=float, default=3.0)
    args = ap.parse_args()
    counts: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            body = canon(rec.get("body", ""))
            lower.update(w for w in re.findall(r"[^\W\d_]+", body) if w.islower())
            for m in _RUN.finditer(body):
                words = m.group(1).split()
                if words[0].lower() in aliases.SURNAMES and all(looks_vietnamese(w) for w in words) \
                        and all(w[1:].islower() for w in words):
                    counts.update(w.lower() for w in words[1:])
    keep = sorted(w for w, n in counts.items() if n >= args.min and lower[w] < args.ratio * n)
    print(f"# {len(keep)} syllables", file=sys.stderr)
    print(" ".join(keep))


if __name__ == "__main__":
    main()
