"""Bulletins and charts: `diplobot report` time and peak memory at about 1,000 and 10,000 articles
(DOCX, HTML, CSV), and the time of one /trend or /stats chart.

The database is the one bench/bot_latency.py builds (vietnews articles, real tags, dates spread
over 2022–2024); `--db` keeps it for reruns. Each report runs the real CLI (`diplobot report
--no-progress`) in a fresh process, which prints its own wall time and peak RSS (ru_maxrss), so
imports (python-docx, matplotlib) are counted as a user pays them.

    python bench/report_speed.py [--db PATH] [--articles 10000] [--repeat 10] [--example docs/trend-example.png]

`--example FILE` also writes the README's example chart there (`EXAMPLE`, drawn by /trend).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SPANS = {"~1,000": ("2022-01-01", "2022-04-10"), "10,000": ("2022-01-01", "2024-12-31")}
EXAMPLE = "/trend Nhật Bản, Hàn Quốc, Trung Quốc từ 01/01/2024 đến 31/12/2024"
CHARTS = ["/trend Nhật Bản từ 01/01/2024 đến 31/03/2024", EXAMPLE, "/trend Hà Nội từ 01/12/2024 đến 30/12/2024",
          "/stats từ 01/01/2024 đến 31/12/2024"]


def one(db: str, start: str, end: str, fmt: str, out: str) -> None:
    """In a child process: run the CLI once, print {seconds, peak_mb, size} as JSON."""
    import resource

    from diplobot.cli import cli

    os.environ["DIPLOBOT_DB"] = db
    started = time.perf_counter()
    try:
        cli.main(["report", "--from", start, "--to", end, "--format", fmt, "--out", out, "--no-progress"],
                 prog_name="diplobot", standalone_mode=False)
    finally:
        seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "size": Path(out).stat().st_size}))


def run_one(db: Path, start: str, end: str, fmt: str, folder: Path) -> dict:
    out = folder / f"bulletin.{fmt}"
    done = subprocess.run([sys.executable, __file__, "--one", str(db), start, end, fmt, str(out)],
                          capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def charts(db: Path, repeat: int, example: Path | None = None) -> None:
    from zoneinfo import ZoneInfo

    from bot.commands import parse_command
    from bot.handlers import dispatch
    from bot.registry import BotContext
    from diplobot.settings import Settings
    from storage import open_db

    ctx = BotContext(db=open_db(db), settings=Settings.from_env({"DIPLOBOT_DB": str(db), "DIPLOBOT_FEEDS": "none"}))
    assert ctx.tz == ZoneInfo("Asia/Ho_Chi_Minh")
    print("\nchart per request (in-process, handler → PNG bytes), milliseconds:")
    print(f"{'command':72} {'first':>7} {'median':>7} {'max':>7}  png")
    for line in CHARTS:
        cmd = parse_command(line)
        times, reply = [], None
        for _ in range(repeat + 1):
            started = time.perf_counter()
            reply = asyncio.run(dispatch(ctx, cmd))
            times.append((time.perf_counter() - started) * 1000)
        size = f"{len(reply.attachment.data) // 1024} KB" if reply.attachment else "no chart: " + reply.text[:40]
        print(f"{line:72} {times[0]:7.0f} {statistics.median(times[1:]):7.0f} {max(times[1:]):7.0f}  {size}")
        if example is not None and line == EXAMPLE:
            example.write_bytes(reply.attachment.data)
            print(f"{'':72} → {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="keep the database here (reused when it has enough articles)")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10, help="warm chart requests per command")
    parser.add_argument("--example", type=Path, help="write the example /trend chart to this PNG")
    parser.add_argument("--one", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(*args.one)
        return
    from bot_latency import DATA, build_db

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        build_db(db, DATA / "vietnews_val_2000.jsonl", DATA / "vietnews_train_20000.jsonl.gz", args.articles)
        from storage import open_db

        count = open_db(db).execute("select count(*) from articles where duplicate_of is null and "
                                    "published_at >= ? and published_at < ?", ["2022-01-01", "2022-04-11"]).fetchone()[0]
        print(f"\ndiplobot report (fresh process each; {count} articles in {SPANS['~1,000']}):")
        print(f"{'articles':>8} {'format':>6} {'seconds':>8} {'peak MB':>8} {'file KB':>8}")
        for label, (start, end) in SPANS.items():
            for fmt in ("docx", "html", "csv"):
                result = run_one(db, start, end, fmt, Path(tmp))
                print(f"{label:>8} {fmt:>6} {result['seconds']:8.1f} {result['peak_mb']:8.0f} {result['size'] // 1024:8}")
        charts(db, args.repeat, args.example)


if __name__ == "__main__":
    main()
