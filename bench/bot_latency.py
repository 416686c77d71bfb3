"""Telegram bot latency: update received → sendMessage issued, over a 10,000-article database.

The real PTB Application runs in-process against the fake Bot API server (tests/fake_bot_api.py)
on 127.0.0.1. Commands (/latest, /province, /country, /search, mixed) go one at a time from
20 users, at most `--rate` a second (20): the bot's AIORateLimiter keeps sends under Telegram's
~30 messages/s, so a faster load would time the limiter's queue instead of the bot. Each
command is timed on both sides:

- bot: a handler in the first group stamps the moment the Application takes the update;
- server: the fake stamps when getUpdates hands the update out and when sendMessage arrives.

The database is built from vietnews records (title, abstract as the summary, body), tagged by
the real tagger and stored with storage.articles.store_article. `--db` keeps it for reruns.
Without the vietnews files it falls back to the seed articles, cycled (and says so).

    python bench/bot_latency.py [--val PATH] [--train PATH.gz] [--articles 10000] [--commands 1000]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

PROVINCES = ["Bình Dương", "binh duong", "Hà Nội", "TP.HCM", "Đà Nẵng", "Cần Thơ", "Sóc Trăng", "Hải Phòng",
             "Quảng Ninh", "Lạng Sơn", "Hà Tĩnh", "Nghệ An", "Thanh Hóa", "Huế", "Khánh Hòa", "Lâm Đồng",
             "Đồng Nai", "Bà Rịa - Vũng Tàu", "Kiên Giang", "An Giang", "Lào Cai", "Gia Lai", "Hoà Bình"]
COUNTRIES = ["Nhật Bản", "nhat ban", "Hàn Quốc", "Mỹ", "Hoa Kỳ", "Trung Quốc", "Lào", "Campuchia", "Pháp",
             "Nga", "Đức", "Anh", "Thái Lan", "Singapore", "Ấn Độ", "Úc", "Cuba", "Israel", "Ukraine"]
SEARCHES = ["đại sứ", "dai su", "hợp tác kinh tế", "bóng đá", "giáo dục", "xuất khẩu", "ngoại giao",
            "biển Đông", "covid", "du lịch", "đầu tư nước ngoài", "tai nạn giao thông", "giá vàng", "thủ tướng"]


def detokenize(text: str) -> str:
    """vietnews text has spaces around punctuation: `Hà Nội , ngày 5/6 .` → `Hà Nội, ngày 5/6.`"""
    text = re.sub(r" ([,.;:!?%…)\]”])", r"\1", text)
    return re.sub(r"([(\[“]) ", r"\1", text)


def records(val: Path, train: Path, limit: int):
    """vietnews records as {title, abstract, body}; the seeds, cycled, when the files are absent."""
    if val.is_file() and train.is_file():
        with open(val, encoding="utf-8") as first, gzip.open(train, "rt", encoding="utf-8") as second:
            lines = itertools.chain(first, second)
            yield from (json.loads(line) for line in itertools.islice(lines, limit))
        return
    print(f"vietnews files not found ({val}, {train}): using the seed articles, cycled", file=sys.stderr)
    from ingest.cleaning import clean_text

    seeds = [clean_text(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for i in range(limit):
        seed = seeds[i % len(seeds)]
        yield {"title": f"{seed.title} ({i})", "abstract": seed.body[:300], "body": seed.body}


def _tag(item: tuple[str, str, str]) -> tuple[str, str, str, dict]:
    from tagger import tag_article

    title, body, abstract = item
    return title, body, abstract, tag_article(title, body)


def build_db(path: Path, val: Path, train: Path, count: int) -> None:
    from tqdm import tqdm

    from storage import open_db
    from storage.articles import store_article

    db = open_db(path)
    have = db.execute("select count(*) from articles").fetchone()[0]
    if have >= count:
        print(f"database {path}: {have} articles already, reused")
        return
    started = time.perf_counter()
    rng = random.Random(7)
    base = datetime(2022, 1, 1, tzinfo=timezone.utc)
    texts = ((detokenize(r["title"]), detokenize(r["body"]), detokenize(r.get("abstract") or ""))
             for r in records(val, train, count))
    batch = 500
    # Tagging is the slow part (≈ 5 ms an article): every core tags, the main process stores.
    with multiprocessing.Pool(max(1, min(4, os.cpu_count() or 1))) as pool:
        tagged = pool.imap(_tag, texts, chunksize=64)
        for start in tqdm(range(0, count, batch), desc="articles", unit="×500", file=sys.stderr):
            with db.atomic():  # one transaction per batch; store_article nests as a savepoint
                for n, (title, body, abstract, tags) in enumerate(itertools.islice(tagged, batch), start):
                    when = base + timedelta(minutes=rng.randrange(3 * 365 * 24 * 60))
                    record = {
                        "source_key": f"bench:{n}", "url": f"https://tin.example.vn/bai-{n}.html",
                        "source": "vietnews", "title": title, "body": body, "published_at": when.isoformat(),
                        "content_hash": hashlib.sha1(body.encode()).hexdigest(),
                    }
                    store_article(db, record, {"text": abstract, "backend": "abstract"}, tags)
    total = db.execute("select count(*) from articles").fetchone()[0]
    print(f"built {path.name}: {total} articles in {time.perf_counter() - started:.1f} s")


def command_mix(count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    makers = [
        lambda: rng.choice(["/latest", "/latest", f"/latest {rng.randint(1, 10)}"]),
        lambda: f"/province {rng.choice(PROVINCES)}",
        lambda: f"/country {rng.choice(COUNTRIES)}",
        lambda: f"/search {rng.choice(SEARCHES)}",
    ]
    return [makers[i % 4]() for i in rng.sample(range(count), count)]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(db_path: Path, commands: list[str], users: int = 20, rate: float = 20.0) -> dict[str, list[tuple[str, float, float]]]:
    from telegram import Update
    from telegram.ext import TypeHandler

    from diplobot.settings import Settings
    from tests.fake_bot_api import TOKEN, BotThread, FakeBotAPI, message_update

    taken: dict[int, float] = {}

    def configure(app) -> None:
        async def stamp(update: Update, context) -> None:
            taken[update.update_id] = time.perf_counter()

        app.add_handler(TypeHandler(Update, stamp), group=-100)

    results: list[tuple[str, float, float, float]] = []
    with FakeBotAPI() as api:
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                                      "DIPLOBOT_DB": str(db_path)})
        arrived = threading.Event()
        waiting = {"chat": None, "sent": 0.0}

        def on_call(call) -> None:  # runs in the server thread
            if call.method == "sendMessage" and call.status == 200 and call.chat_id == waiting["chat"] \
                    and not arrived.is_set():
                waiting["sent"] = call.at
                arrived.set()

        api.on_call = on_call
        with BotThread(settings, db_path, configure=configure):
            api.wait_for("getUpdates")
            next_at = time.perf_counter()
            for i, text in enumerate(commands):
                time.sleep(max(0.0, next_at - time.perf_counter()))
                next_at = time.perf_counter() + 1 / rate
                chat = 1000 + i % users  # the next command comes from another chat
                arrived.clear()
                waiting["chat"] = chat
                injected = time.perf_counter()
                update_id = api.inject(message_update(text, chat_id=chat, user_id=chat))
                if not arrived.wait(30):
                    raise SystemExit(f"no reply to {text!r}")
                sent = waiting["sent"]
                results.append((text.split()[0], taken[update_id] - injected, sent - taken[update_id], sent - injected))
    by_kind: dict[str, list] = {}
    for kind, poll, handle, total in results:
        by_kind.setdefault(kind, []).append((poll, handle, total))
    by_kind["all"] = [r[1:] for r in results]
    return by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--val", type=Path, default=DATA / "vietnews_val_2000.jsonl")
    parser.add_argument("--train", type=Path, default=DATA / "vietnews_train_20000.jsonl.gz")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--commands", type=int, default=1_000)
    parser.add_argument("--rate", type=float, default=20.0,
                        help="commands per second at most (AIORateLimiter holds sends to Telegram's ~30/s)")
    parser.add_argument("--db", type=Path, help="keep the database here (reused when it has enough articles)")
    args = parser.parse_args()

    import logging

    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or Path(tmp) / "bench.db"
        build_db(db_path, args.val, args.train, args.articles)
        commands = command_mix(args.commands)
        # Warm up (imports, tagger tables, SQLite page cache) on a few commands first.
        measure(db_path, command_mix(20, seed=3))
        started = time.perf_counter()
        by_kind = measure(db_path, commands, rate=args.rate)
        elapsed = time.perf_counter() - started
    print(f"\n{len(commands)} commands in {elapsed:.1f} s, one at a time (≤ {args.rate:g}/s), 20 users; milliseconds:")
    print(f"{'command':<11}{'n':>6}{'bot p50':>10}{'bot p95':>10}{'e2e p50':>10}{'e2e p95':>10}{'poll p50':>10}")
    for kind in ["/latest", "/province", "/country", "/search", "all"]:
        rows = by_kind.get(kind, [])
        if not rows:
            continue
        handle = [r[1] * 1000 for r in rows]
        total = [r[2] * 1000 for r in rows]
        poll = [r[0] * 1000 for r in rows]
        print(f"{kind:<11}{len(rows):>6}{pct(handle, .5):>10.1f}{pct(handle, .95):>10.1f}"
              f"{pct(total, .5):>10.1f}{pct(total, .95):>10.1f}{pct(poll, .5):>10.1f}")
    handle_all = [r[1] * 1000 for r in by_kind["all"]]
    verdict = "meets" if pct(handle_all, .95) <= 50 else "MISSES"
    print(f"bot = update taken by the Application → sendMessage received by the server; "
          f"e2e adds the long-poll hand-off (poll).")
    print(f"summary: p50 {statistics.median(handle_all):.1f} ms, p95 {pct(handle_all, .95):.1f} ms "
          f"({verdict} the 50 ms p95 target)")


if __name__ == "__main__":
    main()
