"""Writers at once on one database: three `diplobot ingest` runs beside the bot answering commands.

Three `diplobot ingest` processes, each given its own folder of vietnews articles (300 by
default), start together on one new database file, while a bot process answers 20
commands a second through `bot.handlers.dispatch`, recording the chat before each one as
the Telegram adapter's remember_chat does (`storage.chats.upsert_chat`). The mix has
readers (/latest, /province, /country, /search) and writers (/subscribe, /digest_time,
/digest_off, /digest_on, /unsubscribe). When the ingests are done the bot answers
`--idle` more commands on the full, quiet database: the same latency without the write load.

Printed: items lost (files that left no row and were not reported as rejected, duplicate
or failed; must be 0), items reported failed (database busy past storage.tx.WRITE_WAIT),
`locked` errors surfaced to a user (error replies, or exceptions, that came from a locked
database; must be 0), and p50/p95 command latency under the load and idle.

Before storage/tx.py, writes began deferred transactions and the second writer failed at
once with `database is locked`: 67 of 800 and 19 of 500 items were dropped. This bench on
that code (2 cores): 110 of 900 items lost (rejected as `error`), 16 of 170 commands answered
with an error.

    python bench/concurrency.py [--ingests 3] [--files 300] [--rate 20] [--idle 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"

READERS = ["/latest", "/province Hà Nội", "/country Nhật Bản", "/search hợp tác", "/province binh duong",
           "/country Lào", "/search dai su", "/latest 2"]
WRITERS = ["/subscribe nước Nhật Bản", "/digest_time 07:30", "/digest_off", "/digest_on", "/unsubscribe tất cả",
           "/subscribe tỉnh Hà Tĩnh"]
ERROR_REPLY = "đã có lỗi"  # bot.handlers.dispatch's reply to a handler that raised
USERS = 50


def detok(text: str) -> str:
    """vietnews is tokenized with spaces around punctuation: `Hà Nội , ngày 3/2 .` → `Hà Nội, ngày 3/2.`"""
    text = re.sub(r"\s+([,.;:!?%)\]}»”…])", r"\1", text)
    return re.sub(r"([(\[{«“])\s+", r"\1", text)


def article_texts(count: int, path: Path) -> list[str]:
    """`count` article files' texts (title line, then paragraphs) from the vietnews file."""
    if not path.is_file():
        raise SystemExit(f"{path} not found (the vietnews validation file, see README)")
    texts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            paragraphs = [detok(p) for p in record["body"].splitlines() if p.strip()]
            texts.append(detok(record["title"]) + "\n\n" + "\n\n".join(paragraphs) + "\n")
            if len(texts) == count:
                return texts
    raise SystemExit(f"{path} has only {len(texts)} records, {count} wanted")


def diplobot(*args: str) -> list[str]:
    exe = shutil.which("diplobot", path=os.path.dirname(sys.executable))
    return [exe, *args] if exe else [sys.executable, "-m", "diplobot.cli", *args]


# --- the bot process ------------------------------------------------------------------------------

def bot_process(db_path: str, rate: float, idle: int, stop, results) -> None:
    """Answer commands at `rate`/s until `stop`, then `idle` more; put the timings on `results`."""
    import logging

    class Errors(logging.Handler):
        def __init__(self):
            super().__init__(logging.ERROR)
            self.messages: list[str] = []

        def emit(self, record):
            self.messages.append(f"{record.getMessage()} {record.exc_text or ''} {record.exc_info and record.exc_info[1]}")

    errors = Errors()
    logging.getLogger().addHandler(errors)
    from bot.commands import parse_command
    from bot.handlers import dispatch
    from bot.registry import BotContext
    from diplobot.settings import Settings
    from storage import open_db
    from storage.chats import upsert_chat

    db = open_db(db_path)
    ctx = BotContext(db=db, settings=Settings.from_env({"DIPLOBOT_DB": db_path}))
    rng = random.Random(3)
    results.put(("ready", None))

    async def answer(n: int) -> tuple[str, float, float, bool, str]:
        chat = 1000 + n % USERS
        text = rng.choice(WRITERS) if rng.random() < 0.3 else rng.choice(READERS)
        started = recorded = time.perf_counter()
        try:
            upsert_chat(db, chat, "private", f"Bạn đọc {chat}", None)  # remember_chat
            recorded = time.perf_counter()
            reply = await dispatch(ctx, parse_command(text, chat_id=chat, user_id=chat))
            failed, said = ERROR_REPLY in reply.text, reply.text
        except Exception as exc:  # what the adapter's error handler would turn into an apology
            failed, said = True, f"{type(exc).__name__}: {exc}"
        return text.split()[0], time.perf_counter() - started, recorded - started, failed, said

    async def run() -> None:
        n, phase, next_at, left = 0, "load", time.perf_counter(), idle
        while phase == "load" or left > 0:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            next_at += 1 / rate
            if phase == "load" and stop.is_set():
                phase = "idle"
                continue
            kind, seconds, record, failed, said = await answer(n)
            results.put(("command", (phase, kind, seconds, record, failed, said[:200])))
            n += 1
            left -= phase == "idle"

    asyncio.run(run())
    results.put(("logged", errors.messages))
    results.put(("done", None))


# --- the run --------------------------------------------------------------------------------------

def summary_numbers(out: str) -> dict[str, int]:
    line = next((line for line in out.splitlines() if " items in " in line), "")
    numbers = {w: int(n) for n, w in re.findall(r"(\d+) (items|new|updated|duplicate|merged|rejected)", line)}
    failed = re.search(r"(\d+) failed \(", line)
    numbers["failed"] = int(failed.group(1)) if failed else 0
    reasons = re.search(r"rejected \(([^)]*)\)", line)
    numbers["errors"] = sum(int(n) for r, n in re.findall(r"(\w+) (\d+)", reasons.group(1)) if r == "error") if reasons else 0
    return numbers


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ingests", type=int, default=3)
    parser.add_argument("--files", type=int, default=300, help="article files per ingest")
    parser.add_argument("--rate", type=float, default=20.0, help="bot commands per second")
    parser.add_argument("--idle", type=int, default=200, help="commands timed afterwards, without the ingests")
    parser.add_argument("--val", type=Path, default=DATA / "vietnews_val_2000.jsonl")
    args = parser.parse_args()

    texts = article_texts(args.ingests * args.files, args.val)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        folders = []
        for i in range(args.ingests):
            folder = tmp / f"in{i}"
            folder.mkdir()
            for j, text in enumerate(texts[i * args.files:(i + 1) * args.files]):
                (folder / f"bai_{i}_{j:04d}.txt").write_text(text, encoding="utf-8")
            folders.append(folder)
        db_path = tmp / "news.db"
        env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"} | {"DIPLOBOT_DB": str(db_path)}

        spawn = multiprocessing.get_context("spawn")
        stop, results = spawn.Event(), spawn.Queue()
        bot = spawn.Process(target=bot_process, args=(str(db_path), args.rate, args.idle, stop, results))
        bot.start()
        assert results.get(timeout=120)[0] == "ready"
        started = time.perf_counter()
        ingests = [subprocess.Popen(diplobot("ingest", str(f)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, text=True, env=env, cwd=ROOT) for f in folders]
        outputs = [p.communicate() for p in ingests]
        ingest_seconds = time.perf_counter() - started
        stop.set()
        commands, logged = [], []
        while True:
            what, value = results.get(timeout=600)
            if what == "command":
                commands.append(value)
            elif what == "logged":
                logged = value
            elif what == "done":
                break
        bot.join()

        reports = [summary_numbers(out) for out, _ in outputs]
        conn = sqlite3.connect(db_path)
        keys = {r[0] for r in conn.execute("select source_key from articles")}
        stored = sum(f"file:{p.resolve()}" in keys for f in folders for p in f.iterdir())
        rows = {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("articles", "chats", "subscriptions")}
        listed = conn.execute("select count(*) from articles where duplicate_of is null").fetchone()[0]
        conn.close()

    files = args.ingests * args.files
    # Lost: neither stored, nor judged (duplicate, or rejected for its content), nor reported
    # as failed to be tried again. An item rejected as `error` (the old `database is locked`) is lost.
    judged = sum(r.get("rejected", 0) - r["errors"] + r.get("duplicate", 0) for r in reports)
    failed = sum(r["failed"] for r in reports)
    lost = files - stored - judged - failed
    locked_words = ("locked", "busy")
    ingest_locked = sum(any(w in (out + err).lower() for w in locked_words) for out, err in outputs)
    surfaced = [c for c in commands if c[4]]
    surfaced_locked = [c for c in surfaced if any(w in c[5].lower() for w in locked_words)]
    logged_locked = [m for m in logged if any(w in m.lower() for w in locked_words)]

    print(f"{args.ingests} × `diplobot ingest` of {args.files} files + the bot at {args.rate:g} commands/s, "
          f"one database, {os.cpu_count()} cores; ingests took {ingest_seconds:.1f} s")
    for i, (report, (out, err)) in enumerate(zip(reports, outputs)):
        line = next((line for line in out.splitlines() if " items in " in line), err.strip().splitlines()[-1:])
        print(f"  ingest {i + 1}: {line}")
    print(f"rows: {rows['articles']} articles ({listed} listed), {rows['chats']} chats, "
          f"{rows['subscriptions']} subscriptions")
    print(f"items lost: {lost} (of {files}: {stored} stored, {judged} duplicate or rejected for their content, "
          f"{sum(r['errors'] for r in reports)} rejected as errors)")
    print(f"items reported failed (database busy, stored by the next run): {failed}")
    print(f"ingest runs whose output mentions locked/busy: {ingest_locked}")
    print(f"`locked` errors surfaced to a user: {len(surfaced_locked)} "
          f"(error replies of any kind: {len(surfaced)}; locked/busy in the bot's error log: {len(logged_locked)})")
    print(f"{'commands':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for phase, label in (("load", "under the write load"), ("idle", "idle, same database")):
        for group, names in (("all", None), ("readers", READERS), ("writers", WRITERS)):
            heads = None if names is None else {n.split()[0] for n in names}
            ms = [c[2] * 1000 for c in commands if c[0] == phase and (heads is None or c[1] in heads)]
            if not ms:
                continue
            name = f"{label if group == 'all' else '  ' + group}"
            print(f"{name:<22}{len(ms):>6}{statistics.median(ms):>10.1f}{pct(ms, .95):>10.1f}{max(ms):>10.1f}")
        record = [c[3] * 1000 for c in commands if c[0] == phase]
        print(f"{'  of which record chat':<22}{len(record):>6}{statistics.median(record):>10.1f}"
              f"{pct(record, .95):>10.1f}{max(record):>10.1f}")
    load = [c[2] * 1000 for c in commands if c[0] == "load"]
    print(f"summary: lost {lost}, locked surfaced {len(surfaced_locked)}, "
          f"p50 {statistics.median(load):.1f} ms, p95 {pct(load, .95):.1f} ms under load")


if __name__ == "__main__":
    main()
