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

    python bench/fanout.py [--subscribers 10000] [--rate 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
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
        elif method == "getMe":
            payload = json.dumps({"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "Diplobot",
                                                          "username": "diplobot_bench_bot"}})
        elif method == "sendMessage":
            params = dict(parse_qsl(body.decode()))
            chat_id = int(params["chat_id"])
            FakeAPI.counts[chat_id] = FakeAPI.counts.get(chat_id, 0) + 1
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
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
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        server, base = start_server(tmp)
        try:
            t = throughput(tmp, base, args.subscribers, args.rate)
            t["engine_ms"] = engine_only(tmp, args.subscribers)
            t["ceiling_cpu"] = stack_cpu(base, min(args.subscribers, 3000), args.rate)
            c = crash_test(tmp, base, args.subscribers, args.rate)
        finally:
            server.kill()
    print(f"fan-out: {t['subscribers']} subscribers, limit {args.rate:.0f} msg/s, fake Bot API on 127.0.0.1")
    print(f"{'measure':<40}{'value':>14}")
    rows = [
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
    ]
    for name, value in rows:
        print(f"{name:<40}{value:>14}")
    print(f"summary: {t['rate'] / args.rate:.2f} of the limit, {t['cpu_ms']:.2f} CPU ms/msg sending, "
          f"{t['duplicates']} duplicates; crash: {c['duplicates']} duplicates, {c['lost']} lost, "
          f"{c['uncertain']} uncertain; statuses {c['statuses']}")


if __name__ == "__main__":
    main()
