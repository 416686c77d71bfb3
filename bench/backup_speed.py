"""Backup time and size at 10,000 and 100,000 articles, idle and beside a writer.

The databases are built as bench/ingest_speed.py builds them (vietnews training articles,
summarized and tagged once, stored many times under other ids and dates: `build_db`).
For each size:
1. `storage.backup.backup_file` as `diplobot backup` runs it: the online backup API in one
   step, switch of the copy to a rollback journal, `PRAGMA integrity_check`, fsync, rename.
   Time, size, and the integrity check's share (timed again on the copy); then the
   live file's `PRAGMA quick_check` and a whole `diplobot health` run (the Docker check).
2. The same while another process stores an article every 10 ms (`store_article`, the
   ingest's write): articles it committed during the backup, and its slowest commit, to show
   the copy holds no lock that writers wait for (WAL).

Usage: python bench/backup_speed.py [--sizes 10000,100000] [--distinct 2000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest_speed import DATA, analyse_all, build_db, read_records  # noqa: E402 (after sys.path)
from storage.backup import backup_file  # noqa: E402


def writer(path: str, stop, out) -> None:
    """Store an article every 10 ms until `stop` is set; put (commit times, latencies) on `out`."""
    from storage import open_db
    from storage.articles import store_article

    db = open_db(path)
    done, i = [], 0
    while not stop.is_set():
        i += 1
        started = time.time()
        store_article(db, {"source_key": f"writer:{i}", "title": f"Bài viết {i}", "body": "Nội dung bài viết. " * 150,
                           "content_hash": f"writer-{i}"}, {"text": "Tóm tắt.", "backend": "extractive"}, None)
        done.append((started, time.time() - started))
        time.sleep(0.01)
    out.put(done)


def check_seconds(path: Path, pragma: str = "integrity_check") -> float:
    conn = sqlite3.connect(path)
    started = time.perf_counter()
    assert conn.execute(f"pragma {pragma}").fetchone() == ("ok",)
    conn.close()
    return time.perf_counter() - started


def health_seconds(path: Path) -> float:
    """Wall time of `diplobot health` (no token: database, schema, sources) on this database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(DIPLOBOT_DB=str(path), DIPLOBOT_FEEDS="none", PYTHONPATH=str(ROOT))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "diplobot.cli", "health"], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def bench_size(path: Path, size: int, tmp: Path) -> None:
    idle = backup_file(path, tmp / f"idle-{size}.db")
    check = check_seconds(idle.path)
    print(f"{size:>9,}  idle     {idle.seconds:6.2f} s  {idle.size / 1e6:8.1f} MB  {idle.size / 1e6 / idle.seconds:6.0f} MB/s"
          f"  (integrity_check {check:.2f} s)  {idle.articles:,} articles")
    print(f"{size:>9,}  quick_check {check_seconds(path, 'quick_check'):.2f} s; "
          f"`diplobot health` {health_seconds(path):.2f} s wall")
    idle.path.unlink()
    stop, out = multiprocessing.Event(), multiprocessing.Queue()
    proc = multiprocessing.Process(target=writer, args=(str(path), stop, out))
    proc.start()
    time.sleep(1.0)  # the writer is under way
    began = time.time()
    busy = backup_file(path, tmp / f"busy-{size}.db")
    ended = time.time()
    time.sleep(0.2)
    stop.set()
    commits = out.get(timeout=60)
    proc.join(30)
    during = [latency for started, latency in commits if began <= started <= ended]
    slowest = max(during) * 1000 if during else 0.0
    print(f"{size:>9,}  writing  {busy.seconds:6.2f} s  {busy.size / 1e6:8.1f} MB  {busy.size / 1e6 / busy.seconds:6.0f} MB/s"
          f"  writer: {len(during)} articles stored during the backup, slowest commit {slowest:.0f} ms;"
          f" copy holds {busy.articles:,} articles")
    busy.path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train", type=Path, default=DATA / "vietnews_train_20000.jsonl.gz")
    parser.add_argument("--sizes", default="10000,100000", help="database sizes, comma-separated")
    parser.add_argument("--distinct", type=int, default=2000, help="distinct articles the databases are built from")
    args = parser.parse_args()
    if not args.train.exists():
        print(f"backup_speed: skipped, missing data file {args.train} (pass --train)")
        return
    started = time.perf_counter()
    distinct = analyse_all(read_records(args.train, args.distinct))
    print(f"{len(distinct)} distinct articles analysed in {time.perf_counter() - started:.0f} s; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"{'articles':>9}  {'while':<8} {'time':>8}  {'size':>11}  {'speed':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(tmp) / f"db{size}.db"
            seconds = build_db(path, size, distinct)
            print(f"built {size:,} articles in {seconds:.0f} s")
            bench_size(path, size, Path(tmp))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
