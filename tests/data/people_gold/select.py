"""Choose the blind people gold set by a fixed rule (issue 14), decided before any
candidate was read.

    PYTHONPATH=. python tests/data/people_gold/select.py > tests/data/people_gold/selection.jsonl

Rule:
- diplomatic part: the lines of ../shared/data/vietnews_val_diplomatic.jsonl whose id is
  not in tests/data/tags_gold.jsonl, in file order; take every 12th candidate starting
  with the 6th (candidate index i with i % 12 == 5), the first 40 of them.
- domestic part: the lines of ../shared/data/vietnews_val_2000.jsonl whose id is not in
  tags_gold.jsonl nor in the diplomatic file, whose `is_diplomatic` score by the tagger
  (topic keywords + number of countries; the people finder is not run) is < 0.5 and that
  name at least two distinct provinces (the province scanner); every k-th candidate with
  k = candidates // 30, index i with i % k == 0, the first 30.
- held-out third: within each part, the articles at positions p (0-based, in the order
  above) with p % 3 == 2 (13 diplomatic, 10 domestic). No fix looks at them.

Each output line: {"id", "file", "line" (0-based line index in the file), "part",
"heldout"}. Only ids and line indexes are stored in the project; the texts are read
from ../shared at test and bench time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from tagger import tag_article  # noqa: E402,F401  (imports the package the way the bot does)
from tagger._text import canon  # noqa: E402
from tagger.countries import countries_from_matches  # noqa: E402
from tagger.gazetteer import scan  # noqa: E402
from tagger.provinces import provinces_from_matches  # noqa: E402
from tagger.topics import diplomatic_from_hits, keyword_hits  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
DIPLO = "vietnews_val_diplomatic.jsonl"
VAL = "vietnews_val_2000.jsonl"


def _places(title: str, body: str) -> tuple[float, int]:
    """(is_diplomatic, number of distinct provinces) without running the people finder."""
    result = scan(f"{title}\n{body}")
    countries = countries_from_matches(result.text, result.matches)
    cut = len(canon(title))
    hits = keyword_hits(result.text[:cut], result.text[cut + 1:])
    provinces = provinces_from_matches(result.text, result.matches)
    return diplomatic_from_hits(hits, len(countries)), len({p["old_code"] for p in provinces})


def main() -> None:
    old = {json.loads(line)["id"] for line in open(ROOT / "tests/data/tags_gold.jsonl", encoding="utf-8")}
    rows = [json.loads(line) for line in open(DATA / DIPLO, encoding="utf-8")]
    diplo_ids = {r["id"] for r in rows}
    cands = [(n, r["id"]) for n, r in enumerate(rows) if r["id"] not in old]
    picked = [c for i, c in enumerate(cands) if i % 12 == 5][:40]
    out = [(DIPLO, n, rid, "diplomatic", p) for p, (n, rid) in enumerate(picked)]

    cands = []
    for n, line in enumerate(open(DATA / VAL, encoding="utf-8")):
        r = json.loads(line)
        if r["id"] in old or r["id"] in diplo_ids:
            continue
        score, n_prov = _places(r.get("title", ""), r.get("body", ""))
        if score < 0.5 and n_prov >= 2:
            cands.append((n, r["id"]))
    k = len(cands) // 30
    picked = [c for i, c in enumerate(cands) if i % k == 0][:30]
    out += [(VAL, n, rid, "domestic", p) for p, (n, rid) in enumerate(picked)]
    print(f"domestic candidates: {len(cands)}, k = {k}", file=sys.stderr)
    for file, n, rid, part, p in out:
        print(json.dumps({"id": rid, "file": file, "line": n, "part": part, "heldout": p % 3 == 2}))


if __name__ == "__main__":
    main()
