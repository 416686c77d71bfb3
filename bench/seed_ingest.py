"""Time to ingest the five seed articles into a fresh database (clean, summarize, tag, store).

Prints the cold time (first run: imports and model loads included), the warm time for the
same work into a second fresh database, and the re-ingest time (everything a duplicate).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    started = time.perf_counter()
    from ingest.run import ingest
    from storage import open_db
    from summarizer import load_summarizer

    summarizer = load_summarizer("extractive")
    seeds = ROOT / "seeds"
    with tempfile.TemporaryDirectory() as tmp:
        cold = ingest(open_db(Path(tmp) / "cold.db"), [seeds], summarizer)
        cold_total = time.perf_counter() - started
        db = open_db(Path(tmp) / "warm.db")
        warm = ingest(db, [seeds], summarizer)
        again = ingest(db, [seeds], summarizer)
    print(f"{'run':<28}{'seconds':>10}{'per article':>14}")
    print(f"{'cold (imports + loads)':<28}{cold_total:>10.3f}{cold_total / 5:>14.3f}")
    print(f"{'warm, fresh database':<28}{warm.seconds:>10.3f}{warm.seconds / 5:>14.3f}")
    print(f"{'re-ingest (duplicates)':<28}{again.seconds:>10.3f}{again.seconds / 5:>14.3f}")
    print(f"summary: {cold.summary_line()} | warm {warm.new} new | re-ingest {again.unchanged} unchanged")


if __name__ == "__main__":
    main()
