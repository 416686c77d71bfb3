"""Extraction on real article pages: headline, first and last sentence, boilerplate, date, outlet.

    PYTHONPATH=. python bench/real_pages.py [FOLDER] [--why]

FOLDER defaults to ../shared/data/real_pages (relative to the repository root); every page of its
`manifest.jsonl` is scored (`ingest.page_checks`), so a page added there is scored too. Prints one
row per page, one column per check (✓/✗), and the totals; `--why` prints what was found where a
check fails. Exit status 0 (so that `make bench` goes on), or with `--strict` 1 when a check fails;
a missing folder is said in one line and skipped.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.page_checks import CHECKS, score_folder  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "real_pages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--why", action="store_true", help="print what was found for each failed check")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a check fails")
    args = parser.parse_args(argv)
    if not (args.folder / "manifest.jsonl").is_file():
        print(f"real pages skipped: no manifest.jsonl in {args.folder}")
        return 0
    start = time.perf_counter()
    scores = score_folder(args.folder)
    per_page = (time.perf_counter() - start) / max(len(scores), 1) * 1000
    width = max(len(s.case.file) for s in scores)
    print(f"{'page':<{width}}  " + "  ".join(CHECKS))
    for s in scores:
        cells = "  ".join(f"{'✓' if s.passed[c] else '✗':^{len(c)}}" for c in CHECKS)
        print(f"{s.case.file:<{width}}  {cells}")
    totals = "  ".join(f"{f'{sum(s.passed[c] for s in scores)}/{len(scores)}':^{len(c)}}" for c in CHECKS)
    print(f"{'total':<{width}}  {totals}")
    all_ok = sum(s.ok for s in scores)
    print(f"pages right on every check: {all_ok}/{len(scores)}; {per_page:.0f} ms per page (extract and score)")
    if args.why:
        for s in scores:
            for c in CHECKS:
                if not s.passed[c]:
                    print(f"{s.case.file} {c}: {s.why[c]}")
    return 1 if args.strict and all_ok < len(scores) else 0


if __name__ == "__main__":
    sys.exit(main())
