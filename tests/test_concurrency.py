"""Two writers at once: ingests beside each other and beside the bot lose nothing.

Writes begin with BEGIN IMMEDIATE and wait for the lock (storage/tx.py); a deferred
transaction used to fail at once with `database is locked` and drop the item.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from diplobot.text import split_sentences, syllables
from ingest.cleaning import clean_text
from ingest.run import ingest
from storage import open_db
from storage import subscriptions as store
from storage import tx
from tests.conftest import ROOT, SEED_FILES

SAMPLE = ROOT / "tests" / "data" / "vietnews_sample.jsonl"


def sentence_pool() -> list[str]:
    """Long sentences of the vietnews sample and the seeds: the bricks of made-up articles."""
    bodies = [json.loads(line)["body"] for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    bodies += [clean_text(p.read_text(encoding="utf-8")).body for p in SEED_FILES]
    pool = [s.strip() for body in bodies for s in split_sentences(body) if len(syllables(s)) >= 8]
    return list(dict.fromkeys(pool))


def article_texts(count: int, seed: int = 5, per_article: int = 5) -> list[str]:
    """`count` distinct article texts (title line, then sentences); no two share more than one
    sentence, so none is a near-duplicate of another."""
    pool = sentence_pool()
    rng = random.Random(seed)
    chosen: list[frozenset[int]] = []
    while len(chosen) < count:
        pick = frozenset(rng.sample(range(len(pool)), per_article))
        if all(len(pick & other) <= 1 for other in chosen):
            chosen.append(pick)
    texts = []
    for n, pick in enumerate(chosen):
        sentences = [pool[i] for i in sorted(pick)]
        title = f"Tin đối ngoại số {n}: " + " ".join(sentences[0].split()[:8])
        texts.append(title + "\n\n" + "\n\n".join(sentences) + "\n")
    return texts


def write_files(folder: Path, texts: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts:
        (folder / name).write_text(text, encoding="utf-8")


def diplobot(*args: str) -> list[str]:
    exe = shutil.which("diplobot", path=os.path.dirname(sys.executable))
    return [exe, *args] if exe else [sys.executable, "-m", "diplobot.cli", *args]


# A process that writes like the bot: each "update" records its chat (the Telegram adapter's
# remember_chat), subscribes it, plans a message and records its delivery (the delivery log,
# on its own connection), until the stop file appears; prints how many chats it wrote.
BOT_WRITER = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from storage import open_db
from storage import deliveries, subscriptions as store
from storage.chats import upsert_chat

async def main():
    db = open_db({db!r})
    log = deliveries.DeliveryLog.for_db(db)
    stop, n = Path({stop!r}), 0
    while n < {least} or not stop.exists():
        chat = 5000 + n
        upsert_chat(db, chat, "private", f"Bạn đọc {{n}}", None)
        store.ensure_chat(db, chat, "private")
        store.subscribe(db, chat, "country", "JP", "Nhật Bản")
        deliveries.enqueue(db, [{{"chat_id": chat, "item": "note", "kind": "announce", "payload": "Xin chào"}}])
        row = deliveries.pending(db, [chat])[chat][0]
        assert await log.claim(row)
        log.finish(row, deliveries.SENT, message_id=n)
        n += 1
        await asyncio.sleep(0.005)
    await log.close()
    print("chats", n)

asyncio.run(main())
"""


def test_two_ingests_and_the_bot_at_once_lose_nothing(tmp_path):
    texts = article_texts(150)
    own_a, own_b, shared = texts[:70], texts[70:140], texts[140:]
    # Both runs also get the same ten texts under the same names: whichever stores one
    # first makes it new, the other finds a duplicate (same outlet: the file name).
    write_files(tmp_path / "a", [(f"a{i:03d}.txt", t) for i, t in enumerate(own_a)]
                + [(f"chung{i:02d}.txt", t) for i, t in enumerate(shared)])
    write_files(tmp_path / "b", [(f"b{i:03d}.txt", t) for i, t in enumerate(own_b)]
                + [(f"chung{i:02d}.txt", t) for i, t in enumerate(shared)])
    db_path, stop = tmp_path / "news.db", tmp_path / "stop"
    env = {**os.environ, "DIPLOBOT_DB": str(db_path)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    code = BOT_WRITER.format(root=str(ROOT), db=str(db_path), stop=str(stop), least=50)
    run = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env, cwd=ROOT)
    # All three open the new file at once: creating the schema is raced too.
    procs = [subprocess.Popen(diplobot("ingest", str(tmp_path / name)), **run) for name in ("a", "b")]
    bot = subprocess.Popen([sys.executable, "-c", code], **run)
    outs = [p.communicate(timeout=120) for p in procs]
    stop.touch()
    bot_out, bot_err = bot.communicate(timeout=60)

    for proc, (out, err) in zip(procs, outs):
        assert proc.returncode == 0, err
        assert "locked" not in out + err and "busy" not in out + err and "Traceback" not in err
    assert bot.returncode == 0, bot_err
    assert "locked" not in bot_out + bot_err
    reports = [parse_summary(out) for out, _ in outs]
    assert [r["items"] for r in reports] == [80, 80]
    assert sum(r["new"] for r in reports) == 150  # every text stored once…
    assert sum(r["duplicate"] for r in reports) == 10  # …and every shared copy seen as one
    assert all(r["rejected"] == 0 and r["merged"] == 0 for r in reports)

    chats = int(bot_out.split()[-1])
    conn = sqlite3.connect(db_path)
    count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    assert count("select count(*) from articles") == 150
    assert count("select count(*) from articles where duplicate_of is null") == 150
    assert count("select count(*) from summaries") == count("select count(*) from article_search") == 150
    assert count("select count(*) from chats") == chats
    assert count("select count(*) from chats where digest_enabled = 1") == chats
    assert count("select count(*) from subscriptions") == chats
    assert count("select count(*) from deliveries where status = 'sent'") == chats
    assert count("select count(*) from deliveries") == chats


def parse_summary(out: str) -> dict[str, int]:
    """`80 items in 4.1s: 42 new, 0 updated, 8 duplicate, 0 merged, 0 rejected; …` as numbers."""
    line = next(line for line in out.splitlines() if " items in " in line)
    numbers = {word: int(n) for n, word in re.findall(r"(\d+) (items|new|updated|duplicate|merged|rejected)", line)}
    assert not re.search(r"\d+ failed \(", line), line  # items not stored (`; sources: … 0 failed` is about sources)
    return numbers


# --- the write transaction itself -------------------------------------------------------------

def hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another connection takes the write lock (BEGIN IMMEDIATE) and keeps it `seconds`."""
    taken = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("begin immediate")
        conn.execute("insert into chats (chat_id, type) values (-1, 'group')")
        taken.set()
        time.sleep(seconds)
        conn.execute("commit")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(5)
    return thread


def test_a_write_waits_for_the_lock_held_by_another_connection(tmp_path):
    db = open_db(tmp_path / "d.db")
    store.ensure_chat(db, 7)
    db.execute("select count(*) from chats").fetchone()  # a read before: no snapshot is kept open
    holder = hold_write_lock(tmp_path / "d.db", 1.0)
    started = time.monotonic()
    assert store.subscribe(db, 7, "country", "JP", "Nhật Bản")
    waited = time.monotonic() - started
    holder.join()
    assert waited >= 0.8
    assert [r[0] for r in db.execute("select chat_id from chats order by chat_id")] == [-1, 7]
    assert store.list_subscriptions(db, 7)[0]["code"] == "JP"


def test_read_then_write_in_one_transaction_waits_too(tmp_path):
    """The old failure: a transaction that reads first could not take the lock later."""
    db = open_db(tmp_path / "d.db")
    store.ensure_chat(db, 7)
    holder = hold_write_lock(tmp_path / "d.db", 0.5)
    with tx.write(db):
        assert db.execute("select count(*) from chats").fetchone()[0] == 2  # the holder committed first
        db.execute("update chats set title = 'x' where chat_id = 7")
    holder.join()


def test_nested_writes_are_savepoints(tmp_path):
    db = open_db(tmp_path / "d.db")
    with tx.write(db):
        store.ensure_chat(db, 1)
        with pytest.raises(ValueError):
            with tx.write(db):
                store.ensure_chat(db, 2)
                raise ValueError("inner block undone alone")
    assert [r[0] for r in db.execute("select chat_id from chats")] == [1]
    assert not db.conn.in_transaction


def test_past_the_bound_a_clear_error_and_nothing_written(tmp_path, monkeypatch):
    db = open_db(tmp_path / "d.db")  # busy_timeout 10 s: not what bounds a write
    monkeypatch.setattr(tx, "WRITE_WAIT", 0.2)
    holder = hold_write_lock(tmp_path / "d.db", 0.8)
    started = time.monotonic()
    with pytest.raises(tx.DatabaseBusy, match="database is busy"):
        store.ensure_chat(db, 9)
    assert time.monotonic() - started < 0.6
    holder.join()
    assert not db.conn.in_transaction
    assert db.execute("pragma busy_timeout").fetchone()[0] == 10000  # restored
    assert store.get_chat(db, 9) is None


def test_an_item_the_database_could_not_take_is_counted_as_failed(tmp_path, summarizer, monkeypatch):
    folder = tmp_path / "in"
    write_files(folder, [("x.txt", article_texts(1)[0])])
    db = open_db(tmp_path / "d.db")
    monkeypatch.setattr(tx, "WRITE_WAIT", 0.3)
    holder = hold_write_lock(tmp_path / "d.db", 1.5)
    report = ingest(db, [folder], summarizer)
    holder.join()
    assert (report.new, report.total, dict(report.failed)) == (0, 1, {"database_busy": 1})
    assert "1 failed (database_busy 1)" in report.summary_line()
    assert report.problems[0][1].startswith("database_busy: database is busy")
    again = ingest(db, [folder], summarizer)  # the next run stores it
    assert (again.new, again.total) == (1, 1)


def test_a_write_behind_an_unfinished_read_fails_at_once(tmp_path):
    """A cursor not read to the end pins an old snapshot: no wait can help, so no 60 s of retries."""
    db = open_db(tmp_path / "d.db")
    for chat_id in (1, 2, 3):
        store.ensure_chat(db, chat_id)
    cursor = db.execute("select chat_id from chats")
    cursor.fetchone()
    other = sqlite3.connect(tmp_path / "d.db", isolation_level=None)
    other.execute("update chats set title = 'x' where chat_id = 3")  # another process wrote since
    started = time.monotonic()
    with pytest.raises(tx.UnfinishedRead, match="unfinished"):
        store.subscribe(db, 1, "country", "JP", "Nhật Bản")
    assert time.monotonic() - started < 1
    cursor.fetchall()  # the read finished: writing works again
    assert store.subscribe(db, 1, "country", "JP", "Nhật Bản")
