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
import time
t = time.perf_counter()
from summarizer.extractive import ExtractiveSummarizer
s = ExtractiveSummarizer()
load = time.perf_counter() - t
t = time.perf_counter()
s.summarize("Tiêu đề", "Câu thứ nhất nói về Bộ Ngoại giao. Câu thứ hai nói về Đại sứ.\\nCâu thứ ba ở đây.")
print(f"{load:.3f} {time.perf_counter() - t:.3f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--limit", type=int, default=500)
    args = parser.parse_args()

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    loads = [subprocess.run([sys.executable, "-c", LOAD_SNIPPET], env=env, capture_output=True, text=True, check=True).stdout.split() for _ in range(3)]
    load_s = min(float(x[0]) for x in loads)
    first_s = min(float(x[1]) for x in loads)

    sys.path.insert(0, str(root))
    from summarizer.evaluate import load_jsonl
    from summarizer.extractive import ExtractiveSummarizer

    records = load_jsonl(args.data)[: args.limit]
    summarizer = ExtractiveSummarizer()
    for record in records[:20]:
        summarizer.summarize(record["title"], record["body"])
    start = time.perf_counter()
    for record in records:
        summarizer.summarize(record["title"], record["body"])
    seconds = time.perf_counter() - start
    chars = sum(len(r["body"]) for r in records) / len(records)
    print(f"import + model load: {load_s:.3f} s; first summary: {first_s:.3f} s (best of 3 fresh runs)")
    print(f"{len(records)} articles (mean {chars:.0f} chars): {len(records) / seconds:.1f} articles/s, "
          f"{1000 * seconds / len(records):.1f} ms/article, one core")
    print(f"model file: {(root / 'summarizer' / 'model.json').stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
