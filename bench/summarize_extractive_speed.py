"""Speed of the extractive summarizer: load time, first call, articles per second on one core.

    PYTHONPATH=. python bench/summarize_extractive_speed.py DATA.jsonl [--limit 500]

Load is measured in a fresh interpreter (imports + model file); the first call includes
underthesea's import when a line needs the sentence splitter. Throughput is measured
after a warm-up, with BLAS held to one thread.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

LOAD_SNIPPET = """
import sys, time
if {hide}:  # as installed from requirements.txt alone: underthesea then skips its translate module
    sys.modules["transformers"] = sys.modules["torch"] = None
t = time.perf_counter()
from summarizer.extractive import ExtractiveSummarizer
s = ExtractiveSummarizer()
load = time.perf_counter() - t
t = time.perf_counter()
s.summarize("Tiêu đề", "Câu thứ nhất nói về Bộ Ngoại giao. Câu thứ hai nói về Đại sứ.\\nCâu thứ ba ở đây.")
print(f"{load:.3f} {time.perf_counter() - t:.3f}")
"""


def _fresh_run(snippet: str, env: dict[str, str]) -> tuple[float, float]:
    """(load, first summary) seconds in a new interpreter."""
    out = subprocess.run([sys.executable, "-c", snippet], env=env, capture_output=True, text=True, check=True)
    load, first = out.stdout.split()
    return float(load), float(first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    timings = {}
    for hide in (False, True):
        runs = [_fresh_run(LOAD_SNIPPET.replace("{hide}", str(hide)), env) for _ in range(3)]
        timings[hide] = (min(r[0] for r in runs), min(r[1] for r in runs))

    sys.path.insert(0, str(root))
    from summarizer.evaluate import load_jsonl
    from summarizer.extractive import ExtractiveSummarizer

    records = load_jsonl(args.data)[: args.limit]
    summarizer = ExtractiveSummarizer()
    summarizer.warm_up()  # the taggers it loads lazily, as `diplobot eval` does before timing
    for record in records[:20]:
        summarizer.summarize(record["title"], record["body"])
    start = time.perf_counter()
    for record in records:
        summarizer.summarize(record["title"], record["body"])
    seconds = time.perf_counter() - start
    chars = sum(len(r["body"]) for r in records) / len(records)
    for hide, label in ((False, "this venv"), (True, "without transformers (requirements.txt)")):
        load_s, first_s = timings[hide]
        print(f"{label}: import + model load {load_s:.3f} s; first summary (imports underthesea) "
              f"{first_s:.3f} s; best of 3 fresh runs")
    print(f"{len(records)} articles (mean {chars:.0f} chars): {len(records) / seconds:.1f} articles/s, "
          f"{1000 * seconds / len(records):.1f} ms/article, one core")
    print(f"model file: {(root / 'summarizer' / 'model.json').stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
