"""Extraction on real article pages: headline, first and last sentence, boilerplate, date, outlet.

    PYTHONPATH=. python bench/real_pages.py [FOLDER] [--why]

FOLDER defaults to ../shared/data/real_pages (relative to the repository root); every page of its
`manifest.jsonl` is scored (`ingest.page_checks`), so a page added there is scored too. Prints one
row per page, one column per check (✓/✗), and the totals; `--why` prints what was found where a
check fails. Exit status 1 when any check fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.page_checks import CHECKS, score_folder  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "real_pages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--why", action="store_true", help="print what was found for each failed check")
    args = parser.parse_args(argv)
    if not (args.folder / "manifest.jsonl").is_file():
        print(f"no manifest.jsonl in {args.folder}", file=sys.stderr)
        return 2
    scores = score_folder(args.folder)
    width = max(len(s.case.file) for s in scores)
    print(f"{'page':<{width}}  " + "  ".join(CHECKS))
    for s in scores:
        cells = "  ".join(f"{'✓' if s.passed[c] else '✗':^{len(c)}}" for c in CHECKS)
        print(f"{s.case.file:<{width}}  {cells}")
    totals = "  ".join(f"{f'{sum(s.passed[c] for s in scores)}/{len(scores)}':^{len(c)}}" for c in CHECKS)
    print(f"{'total':<{width}}  {totals}")
    all_ok = sum(s.ok for s in scores)
    print(f"pages right on every check: {all_ok}/{len(scores)}")
    if args.why:
        for s in scores:
            for c in CHECKS:
                if not s.passed[c]:
                    print(f"{s.case.file} {c}: {s.why[c]}")
    return 0 if all_ok == len(scores) else 1


if __name__ == "__main__":
    sys.exit(main())
