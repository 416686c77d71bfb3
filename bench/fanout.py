"""Digest fan-out to 10,000 subscribers against a local fake Bot API, and a crash test.

The overall limit is scaled up (default 300 messages/s, Telegram's is 30) so that our own
overhead shows: the achieved rate as a fraction of the limit (target ≥ 0.9), CPU ms per
message of the sending process (PTB, the delivery log, pacing), its peak RSS, and the
duplicates the server saw. The real stack is measured: `ExtBot` + `AIORateLimiter` +
HTTPX against a small asyncio HTTP server in another process.

Crash test: a child process plans and sends the same fan-out; it is killed with SIGKILL
at about 50 % of the messages, then a second run (what `diplobot digest` does after a
crash) sends the rest. Duplicates and losses must both be 0; rows caught in flight by
the kill are reported as uncertain (with how many of them the server did receive).

Keyword case (issue 15): 10,000 chats, each following 3 phrases and excluding 1, with
alerts on; 200 new articles (vietnews text from ../shared, read in place): the index build,
matching ms per article, planning the alerts, sending them, duplicates (the same text to the
same chat twice). Matching case: ms per article for one index of 100,000 keyword and person
subscriptions (the issue's bound: 10 ms).

    python bench/fanout.py [--case digest|keywords|matching|all] [--subscribers 10000] [--rate 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOKEN = "123:abc"
CONCURRENCY = 8  # chats sent to at once (and HTTP connections)

# --- a fast fake Bot API (asyncio, keep-alive, standard library only) -------------------------


class FakeAPI(asyncio.Protocol):
    """Answers getMe and sendMessage; counts messages per chat; GET /stats returns them."""

    counts: dict[int, int] = {}
    texts: dict[tuple[int, int], int] = {}  # (chat, crc32 of the text) → sends: a repeat is a duplicate
    next_id = 1

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data):
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buffer) < head_end + 4 + length:
                return
            body = self.buffer[head_end + 4: head_end + 4 + length]
            self.buffer = self.buffer[head_end + 4 + length:]
            self.respond(head.split(" ", 2)[1], body)

    def respond(self, path: str, body: bytes):
        method = path.rsplit("/", 1)[-1]
        if path == "/stats":
            payload = json.dumps(FakeAPI.counts)
        elif path == "/repeats":
            payload = json.dumps(sum(n - 1 for n in FakeAPI.texts.values()))
        elif method == "getMe":
            payload = json.dumps({"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Diplobot",
                                                          "username": "diplobot_bench_bot"}})
        elif method == "sendMessage":
            params = dict(parse_qsl(body.decode()))
            chat_id = int(params["chat_id"])
            FakeAPI.counts[chat_id] = FakeAPI.counts.get(chat_id, 0) + 1
            key = (chat_id, zlib.crc32(params.get("text", "").encode()))
            FakeAPI.texts[key] = FakeAPI.texts.get(key, 0) + 1
            FakeAPI.next_id += 1
            payload = json.dumps({"ok": True, "result": {
                "message_id": FakeAPI.next_id, "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Lan"}}})
        else:
            payload = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"})
        data = payload.encode()
        self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                             + str(len(data)).encode() + b"\r\n\r\n" + data)


async def serve(port_file: str) -> None:
    server = await asyncio.get_running_loop().create_server(FakeAPI, "127.0.0.1", 0)
    Path(port_file).write_text(str(server.sockets[0].getsockname()[1]))
    await server.serve_forever()


def start_server(tmp: Path) -> tuple[subprocess.Popen, str]:
    port_file = tmp / "port"
    proc = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)])
    for _ in range(200):
        if port_file.exists() and port_file.read_text():
            return proc, f"http://127.0.0.1:{port_file.read_text()}"
        time.sleep(0.05)
    raise RuntimeError("fake Bot API did not start")


def server_counts(base: str) -> dict[int, int]:
    with urllib.request.urlopen(f"{base}/stats") as response:
        return {int(k): v for k, v in json.loads(response.read()).items()}


def server_repeats(base: str) -> int:
    """Messages the server got twice: the same text to the same chat."""
    with urllib.request.urlopen(f"{base}/repeats") as response:
        return json.loads(response.read())


# --- the data ---------------------------------------------------------------------------------

NOW = datetime.now(timezone.utc)
PROVINCES = [{"old": "Bình Dương", "old_code": "74", "new": "Hồ Chí Minh", "new_code": "79"},
             {"old": "Hà Tĩnh", "old_code": "42", "new": "Hà Tĩnh", "new_code": "42"}]
COUNTRIES = [{"name": "Nhật Bản", "code": "JP"}, {"name": "Hàn Quốc", "code": "KR"}, {"name": "Lào", "code": "LA"}]


SAMPLE_TEXT = ("🗞 <b>Bản tin ngoại giao</b>\n" + "Tóm tắt bài về hợp tác đầu tư. " * 90)[:3000]


def build_db(path: Path, subscribers: int) -> None:
    """`subscribers` private chats (a third each: everything, TP. Hồ Chí Minh, Nhật Bản) and
    ten fresh diplomatic articles, so every chat gets a one-message digest."""
    from diplobot.tags import Tags
    from storage import open_db
    from storage.articles import store_article
    from storage.times import now_iso

    db = open_db(path)
    for n in range(10):
        body = f"Bài {n}: đoàn đại sứ làm việc với địa phương về hợp tác đầu tư và ngoại giao kinh tế."
        store_article(db, {
            "source_key": f"bench:{n}", "url": f"https://example.vn/bai-{n}", "source": "example.vn",
            "title": f"Đoàn đại sứ làm việc về hợp tác số {n}", "body": body, "content_hash": f"h{n}",
            "fetched_at": now_iso(NOW - timedelta(hours=n + 1)),
        }, {"text": f"Tóm tắt bài {n} về hợp tác đầu tư. Câu thứ hai nói về kết quả.", "backend": "bench"},
            Tags.from_dict({"provinces": [PROVINCES[n % 2]], "countries": COUNTRIES[: 1 + n % 3], "is_diplomatic": 0.9}))
    created = now_iso(NOW - timedelta(days=2))
    kinds = [("all", "*", ""), ("province_new", "79", "Hồ Chí Minh"), ("country", "JP", "Nhật Bản")]
    with db.atomic():
        db["chats"].insert_all(({"chat_id": 1000 + i, "type": "private", "blocked": 0, "digest_enabled": 1,
                                 "created_at": created} for i in range(subscribers)), batch_size=1000)
        db["subscriptions"].insert_all(({"chat_id": 1000 + i, "kind": kinds[i % 3][0], "code": kinds[i % 3][1],
                                         "value": kinds[i % 3][2], "created_at": created}
                                        for i in range(subscribers)), batch_size=1000)


def settings_for(db_path: Path, base: str):
    from diplobot.settings import Settings

    return Settings.from_env({"DIPLOBOT_DB": str(db_path), "TELEGRAM_BOT_TOKEN": TOKEN,
                              "TELEGRAM_API_BASE_URL": f"{base}/bot", "DIPLOBOT_BROADCAST": "off"})


async def send_all(db_path: Path, base: str, rate: float, stale_after: float = 60.0):
    """Plan and send (what `diplobot digest --now` does), with the limits scaled to `rate`."""
    from bot.delivery import Pacing, PTBSender, make_bot, run_digests
    from storage import open_db

    settings = settings_for(db_path, base)
    db = open_db(db_path)
    bot = make_bot(settings, rate=rate, connections=CONCURRENCY)
    async with bot:
        return await run_digests(db, settings, PTBSender(bot), force=True, pacing=Pacing(rate=rate),
                                 concurrency=CONCURRENCY, stale_after=timedelta(seconds=stale_after))


# --- the runs ---------------------------------------------------------------------------------

async def timed_fanout(db_path: Path, base: str, rate: float) -> dict:
    """`run_digests`' two steps, timed apart: planning the digests, then sending them."""
    from bot.delivery import Deliverer, Pacing, PTBSender, make_bot
    from bot.outbox import plan_digests
    from storage import open_db

    settings = settings_for(db_path, base)
    db = open_db(db_path)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    plan = plan_digests(db, settings, force=True)
    plan_cpu, plan_wall = time.process_time() - cpu0, time.perf_counter() - wall0
    bot = make_bot(settings, rate=rate, connections=CONCURRENCY)
    async with bot:
        cpu0 = time.process_time()
        report = await Deliverer(db, PTBSender(bot), Pacing(rate=rate), CONCURRENCY).run()
        send_cpu = time.process_time() - cpu0
    return {"plan": plan, "plan_cpu": plan_cpu, "plan_wall": plan_wall, "report": report, "send_cpu": send_cpu}


def throughput(tmp: Path, base: str, subscribers: int, rate: float) -> dict:
    from storage import open_db

    db_path = tmp / "fanout.db"
    build_db(db_path, subscribers)
    r = asyncio.run(timed_fanout(db_path, base, rate))
    report = r["report"]
    counts = server_counts(base)
    statuses = dict(open_db(db_path).execute("select status, count(*) from deliveries group by status").fetchall())
    return {
        "subscribers": subscribers, "messages": report.sent, "planned": r["plan"].messages,
        "plan_s": r["plan_wall"], "plan_cpu_ms": r["plan_cpu"] * 1000 / subscribers,
        "send_s": report.seconds, "rate": report.sent / report.seconds,
        "cpu_ms": r["send_cpu"] * 1000 / max(1, report.sent),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "duplicates": sum(c - 1 for c in counts.values() if c > 1), "received": len(counts), "statuses": statuses,
    }


def crash_test(tmp: Path, base: str, subscribers: int, rate: float) -> dict:
    from storage import open_db

    db_path = tmp / "crash.db"
    build_db(db_path, subscribers)
    before = server_counts(base)
    child = subprocess.Popen([sys.executable, __file__, "--child", str(db_path), base, str(rate)])
    killed_at = 0
    while child.poll() is None:
        now = server_counts(base)
        killed_at = sum(now.get(k, 0) - before.get(k, 0) for k in now)
        if killed_at >= subscribers // 2:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            break
        time.sleep(0.02)
    after_kill = server_counts(base)
    received_before_restart = sum(after_kill.get(k, 0) - before.get(k, 0) for k in after_kill)
    rerun = asyncio.run(send_all(db_path, base, rate, stale_after=0))  # the operator's restart
    counts = server_counts(base)
    fresh = {k: counts.get(k, 0) - before.get(k, 0) for k in range(1000, 1000 + subscribers)}
    rows = dict(open_db(db_path).execute(
        "select chat_id, status from deliveries where kind = 'digest'").fetchall())
    uncertain = [c for c, s in rows.items() if s == "uncertain"]
    return {
        "killed_at": killed_at, "received_before_restart": received_before_restart,
        "resent_after_restart": rerun.delivery.sent, "recovered": rerun.recovered,
        "duplicates": sum(n - 1 for n in fresh.values() if n > 1),
        "lost": sum(1 for c, n in fresh.items() if n == 0 and rows.get(c) != "uncertain"),
        "uncertain": len(uncertain), "uncertain_received": sum(1 for c in uncertain if fresh[c] > 0),
        "statuses": dict(open_db(db_path).execute("select status, count(*) from deliveries group by status").fetchall()),
    }


def stack_cpu(base: str, messages: int, rate: float) -> float:
    """CPU ms per message of the same PTB stack (ExtBot, AIORateLimiter, HTTPX) sending
    alone: no database, no engine. The difference to ours is our overhead."""
    from bot.delivery import PTBSender, make_bot

    async def go():
        bot = make_bot(settings_for(Path("unused.db"), base), rate=rate * 100, connections=CONCURRENCY)
        sender = PTBSender(bot)
        gate = asyncio.Semaphore(CONCURRENCY)

        async def one(i):
            async with gate:
                await sender.send(900_000 + i, SAMPLE_TEXT)

        async with bot:
            cpu0 = time.process_time()
            await asyncio.gather(*(one(i) for i in range(messages)))
            return (time.process_time() - cpu0) * 1000 / messages

    return asyncio.run(go())


class NullSender:
    async def send(self, chat_id: int, text: str, preview: bool = False, thread_id: int | None = None) -> int:
        return 1


def engine_only(tmp: Path, messages: int) -> float:
    """CPU ms per message of the engine alone (claims, results, pacing, scheduling)."""
    from bot.delivery import Deliverer, Pacing
    from storage import deliveries, open_db

    db = open_db(tmp / "engine.db")
    deliveries.enqueue(db, ({"chat_id": 1000 + i, "item": "x", "kind": "announce", "payload": "x"}
                            for i in range(messages)))
    cpu0 = time.process_time()
    report = asyncio.run(Deliverer(db, NullSender(), Pacing(rate=0), CONCURRENCY).run())
    return (time.process_time() - cpu0) * 1000 / report.sent


# --- the keyword case (issue 15): alerts to 10,000 chats that follow phrases ----------------------

SHARED_DATA = ROOT.parent / "shared" / "data"
NEWS = SHARED_DATA / "vietnews_train_20000.jsonl.gz"  # read in place, never copied
_WORDS = re.compile(r"\w+")
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Tô".split()
MIDDLES = "Văn Thị Hữu Đức Minh Quốc Thanh Hoài Xuân Thu Ngọc Kim Anh Hồng Bảo Gia Đình Công Trọng Tiến".split()
GIVENS = ("An Bình Cường Dũng Giang Hà Hải Hùng Hưng Khánh Lan Linh Long Mai Nam Nga Phong Phúc Quang "
          "Sơn Tâm Thắng Thành Trung Tuấn Tùng Vinh Yến Lĩnh Hiếu").split()


def news(start: int, count: int) -> list[dict]:
    """`count` vietnews articles from line `start` on (title, summary, body)."""
    import gzip

    out = []
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n >= start + count:
                break
            if n >= start:
                row = json.loads(line)
                out.append({"title": row["title"], "summary": row["abstract"], "body": row["body"]})
    return out


def phrases(sample: list[dict], low: float, high: float, rng) -> list[str]:
    """What readers would follow: 1–3-word phrases found in between `low` and `high` of a
    sample of articles (others than the ones matched), as they are written; a third typed
    without marks, as many people type."""
    import unicodedata

    from diplobot.text import fold

    seen: dict[str, int] = {}
    for item in sample:
        words = _WORDS.findall(unicodedata.normalize("NFC", f"{item['title']} {item['body']}").lower())
        grams = {" ".join(words[i:i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        for gram in grams:
            seen[gram] = seen.get(gram, 0) + 1
    chosen = sorted(g for g, df in seen.items()
                    if low * len(sample) <= df <= high * len(sample) and not any(ch.isdigit() for ch in g)
                    and len(g) > 2)
    rng.shuffle(chosen)
    return [fold(p) if i % 3 == 0 else p for i, p in enumerate(chosen)]


def person_names(count: int, rng) -> list[str]:
    names = {f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}" for _ in range(count * 2)}
    return sorted(names)[:count]


def matching_at_scale(subscriptions: int = 100_000, articles: int = 500) -> dict:
    """ms per article for one SubscriptionIndex holding `subscriptions` keyword and person
    subscriptions (4 a chat: 3 keywords or people, 1 exclusion in a chat out of four)."""
    import random
    import statistics

    from bot.matcher import SubscriptionIndex
    from diplobot.tags import Person, Tags
    from diplobot.text import fold

    rng = random.Random(15)
    pool = phrases(news(4000, 2000), 0.001, 0.05, rng)
    people = person_names(5000, rng)
    by_chat: dict[int, list[dict]] = {}
    for n in range(subscriptions):
        chat = n // 4
        if n % 5 == 4:
            name = rng.choice(people)
            sub = {"kind": "person", "code": fold(name), "value": name}
        else:
            phrase = pool[int(rng.paretovariate(1.2) * 7) % len(pool)] if n % 2 else rng.choice(pool)
            sub = {"kind": "exclude" if chat % 4 == 0 and n % 4 == 3 else "keyword", "code": phrase, "value": phrase}
        by_chat.setdefault(chat, []).append(sub)
    t0 = time.perf_counter()
    index = SubscriptionIndex.build(by_chat)
    index.chats_for({"id": 0, "title": "khởi động", "summary": "", "body": ""})  # the automaton is built on first use
    build_s = time.perf_counter() - t0
    items = [{"id": i, "keys": set(), **a, "tags": Tags(people=tuple(Person(p) for p in rng.sample(people, 3)))}
             for i, a in enumerate(news(0, articles))]
    times, reached = [], []
    cpu0 = time.process_time()
    for item in items:
        t0 = time.perf_counter()
        found = index.chats_for(item)
        times.append((time.perf_counter() - t0) * 1000)
        reached.append(len(found))
    cpu_ms = (time.process_time() - cpu0) * 1000 / len(items)
    times.sort()
    return {"subscriptions": subscriptions, "chats": len(by_chat), "phrases": len(pool), "build_s": build_s,
            "mean_ms": statistics.fmean(times), "cpu_ms": cpu_ms, "p50_ms": times[len(times) // 2],
            "p95_ms": times[int(len(times) * 0.95)], "chats_per_article": statistics.fmean(reached),
            "chars_per_article": statistics.fmean(len(a["title"]) + len(a["summary"]) + len(a["body"]) for a in items)}


def build_keyword_db(path: Path, chats: int, articles: int) -> None:
    """`chats` private chats with alerts on, each following 3 phrases and excluding 1, and
    `articles` diplomatic articles stored a minute ago (real vietnews text)."""
    import random

    from diplobot.tags import Tags
    from storage import open_db
    from storage.articles import store_article
    from storage.times import now_iso

    rng = random.Random(15)
    follow = phrases(news(4000, 2000), 0.002, 0.01, rng)
    shut_out = phrases(news(6000, 1000), 0.02, 0.05, rng)
    db = open_db(path)
    for n, item in enumerate(news(0, articles)):
        store_article(db, {
            "source_key": f"kw:{n}", "url": f"https://example.vn/tin-{n}", "source": "example.vn",
            "title": item["title"], "body": item["body"], "content_hash": f"kw{n}",
            "fetched_at": now_iso(NOW - timedelta(seconds=60 + n)),
        }, {"text": item["summary"], "backend": "bench"}, Tags.from_dict({"is_diplomatic": 0.9}))
    created, since = now_iso(NOW - timedelta(days=2)), now_iso(NOW - timedelta(hours=1))
    rows = []
    for i in range(chats):
        rows += [{"chat_id": 1000 + i, "kind": "keyword", "code": p, "value": p, "created_at": created}
                 for p in rng.sample(follow, 3)]
        excluded = rng.choice(shut_out)
        rows.append({"chat_id": 1000 + i, "kind": "exclude", "code": excluded, "value": excluded, "created_at": created})
    with db.atomic():
        # digest_day far ahead: only alerts are due in this run
        db["chats"].insert_all(({"chat_id": 1000 + i, "type": "private", "blocked": 0, "digest_enabled": 1,
                                 "digest_day": "9999-12-31", "alerts": 1, "alert_until": since, "created_at": created}
                                for i in range(chats)), batch_size=1000)
        db["subscriptions"].insert_all(rows, batch_size=2000)


def keyword_fanout(tmp: Path, base: str, chats: int, articles: int, rate: float) -> dict:
    """Plan the alerts (timed, and the matching alone), send them, count what the server saw."""
    from bot.alerts import plan_alerts
    from bot.delivery import Deliverer, Pacing, PTBSender, make_bot
    from bot.matcher import SubscriptionIndex
    from storage import open_db
    from storage import subscriptions as subs

    db_path = tmp / "keywords.db"
    build_keyword_db(db_path, chats, articles)
    settings = settings_for(db_path, base)
    db = open_db(db_path)
    t0 = time.perf_counter()
    index = SubscriptionIndex.build(subs.subscriptions_by_chat(db))
    pool = subs.digest_pool(db, NOW - timedelta(hours=1), datetime.now(timezone.utc), settings.diplomatic_threshold)
    index.chats_for(pool[0])  # the automaton is built on first use
    build_s = time.perf_counter() - t0
    t0, cpu0 = time.perf_counter(), time.process_time()
    reached = sum(len(index.chats_for(item)) for item in pool)
    match_ms = (time.perf_counter() - t0) * 1000 / len(pool)
    match_cpu_ms = (time.process_time() - cpu0) * 1000 / len(pool)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    plan = plan_alerts(db, settings)
    plan_cpu, plan_wall = time.process_time() - cpu0, time.perf_counter() - wall0
    again = plan_alerts(db, settings)  # a second run at once: nothing new
    rows = db.execute("select count(*) from deliveries where kind = 'alert'").fetchone()[0]
    before, repeats_before = server_counts(base), server_repeats(base)
    bot = make_bot(settings, rate=rate, connections=CONCURRENCY)

    async def send():
        async with bot:
            return await Deliverer(db, PTBSender(bot), Pacing(rate=rate), CONCURRENCY).run()

    report = asyncio.run(send())
    after = server_counts(base)
    received = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    return {
        "chats": chats, "articles": len(pool), "subscriptions": chats * 4, "index_build_s": build_s,
        "match_ms": match_ms, "match_cpu_ms": match_cpu_ms, "article_chat_pairs": reached, "plan_s": plan_wall, "plan_cpu_s": plan_cpu,
        "planned": plan.messages, "rows": rows, "alerted_articles": plan.articles, "chats_alerted": len(plan.recorded),
        "second_plan": again.messages, "sent": report.sent, "send_s": report.seconds,
        "rate": report.sent / max(report.seconds, 1e-9), "received": sum(received.values()),
        "repeats": server_repeats(base) - repeats_before,
    }


def print_rows(title: str, rows: list[tuple[str, str]]) -> None:
    print(title)
    print(f"{'measure':<44}{'value':>14}")
    for name, value in rows:
        print(f"{name:<44}{value:>14}")


def digest_case(tmp: Path, base: str, args) -> None:
    t = throughput(tmp, base, args.subscribers, args.rate)
    t["engine_ms"] = engine_only(tmp, args.subscribers)
    t["ceiling_cpu"] = stack_cpu(base, min(args.subscribers, 3000), args.rate)
    c = crash_test(tmp, base, args.subscribers, args.rate)
    print_rows(f"fan-out: {t['subscribers']} subscribers, limit {args.rate:.0f} msg/s, fake Bot API on 127.0.0.1", [
        ("messages sent", f"{t['messages']}"),
        ("planning: digests built and queued, s", f"{t['plan_s']:.2f}"),
        ("planning CPU ms per chat", f"{t['plan_cpu_ms']:.3f}"),
        ("sending s", f"{t['send_s']:.2f}"),
        ("achieved rate msg/s", f"{t['rate']:.1f}"),
        ("fraction of the limit", f"{t['rate'] / args.rate:.3f}"),
        ("sending CPU ms per message", f"{t['cpu_ms']:.2f}"),
        ("  of which ours (engine, null sender)", f"{t['engine_ms']:.3f}"),
        ("  PTB stack alone (no DB, no engine)", f"{t['ceiling_cpu']:.2f}"),
        ("peak RSS MB", f"{t['rss_mb']:.0f}"),
        ("duplicates", f"{t['duplicates']}"),
        ("crash: killed after (messages)", f"{c['killed_at']}"),
        ("crash: received before restart", f"{c['received_before_restart']}"),
        ("crash: sent after restart", f"{c['resent_after_restart']}"),
        ("crash: duplicates", f"{c['duplicates']}"),
        ("crash: lost (not sent, not flagged)", f"{c['lost']}"),
        ("crash: uncertain (in flight at kill)", f"{c['uncertain']}"),
        ("crash: uncertain yet received", f"{c['uncertain_received']}"),
    ])
    print(f"summary: {t['rate'] / args.rate:.2f} of the limit, {t['cpu_ms']:.2f} CPU ms/msg sending, "
          f"{t['duplicates']} duplicates; crash: {c['duplicates']} duplicates, {c['lost']} lost, "
          f"{c['uncertain']} uncertain; statuses {c['statuses']}")


def keyword_case(tmp: Path, base: str, args) -> None:
    k = keyword_fanout(tmp, base, args.keyword_chats, args.articles, args.rate)
    print_rows(f"keywords: {k['chats']} chats × (3 keywords + 1 exclusion), {k['articles']} new articles, "
               f"alerts on, limit {args.rate:.0f} msg/s", [
        (f"index build ({k['subscriptions']:,} subscriptions), s", f"{k['index_build_s']:.2f}"),
        ("matching ms per article", f"{k['match_ms']:.2f}"),
        ("matching CPU ms per article", f"{k['match_cpu_ms']:.2f}"),
        ("(article, chat) pairs matched", f"{k['article_chat_pairs']}"),
        ("planning alerts, s (wall)", f"{k['plan_s']:.2f}"),
        ("planning alerts, CPU s", f"{k['plan_cpu_s']:.2f}"),
        ("alerts planned (articles alone or bundled)", f"{k['planned']}"),
        ("  articles in them", f"{k['alerted_articles']}"),
        ("  Telegram messages queued (parts)", f"{k['rows']}"),
        ("chats alerted", f"{k['chats_alerted']}"),
        ("second planning run: messages", f"{k['second_plan']}"),
        ("messages sent", f"{k['sent']}"),
        ("sending s", f"{k['send_s']:.2f}"),
        ("achieved rate msg/s", f"{k['rate']:.1f}"),
        ("fraction of the limit", f"{k['rate'] / args.rate:.3f}"),
        ("server received", f"{k['received']}"),
        ("duplicates (same text, same chat)", f"{k['repeats']}"),
    ])


def matching_case(args) -> None:
    m = matching_at_scale(args.match_subscriptions)
    print_rows(f"matching: {m['subscriptions']} keyword and person subscriptions ({m['chats']} chats, "
               f"{m['phrases']} distinct phrases to draw from), {m['chars_per_article']:.0f} characters an article", [
        ("index build, s", f"{m['build_s']:.2f}"),
        ("ms per article, mean", f"{m['mean_ms']:.2f}"),
        ("CPU ms per article, mean", f"{m['cpu_ms']:.2f}"),
        ("ms per article, median", f"{m['p50_ms']:.2f}"),
        ("ms per article, 95th percentile", f"{m['p95_ms']:.2f}"),
        ("chats reached per article, mean", f"{m['chats_per_article']:.0f}"),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", choices=("digest", "keywords", "matching", "all"), default="all")
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--keyword-chats", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=200, help="new articles in the keyword case")
    parser.add_argument("--match-subscriptions", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=300.0, help="overall limit, messages per second")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return
    if args.child:
        db_path, base, rate = args.child
        asyncio.run(send_all(Path(db_path), base, float(rate)))
        return
    import logging

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.case in ("matching", "all"):
        matching_case(args)
    if args.case == "matching":
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server, base = start_server(tmp)
        try:
            if args.case in ("keywords", "all"):
                keyword_case(tmp, base, args)
            if args.case in ("digest", "all"):
                digest_case(tmp, base, args)
        finally:
            server.kill()


if __name__ == "__main__":
    main()
