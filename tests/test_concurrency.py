"""Two writers at once: ingests beside each other and beside the running bot lose nothing.

The end-to-end test runs two `diplobot ingest` and `diplobot run` (the real PTB bot over the
fake Bot API, answering chats) as processes on one database file, as an operator would.

Writes begin with BEGIN IMMEDIATE and wait for the lock (storage/tx.py); a deferred
transaction used to fail at once with `database is locked` and drop the item.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
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
from tests.fake_bot_api import TOKEN, FakeBotAPI, check_html, message_update

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


# What the chats send the bot while the ingests run: (command, a regex its answer starts with).
COUNTRIES = {"Nhật Bản": "JP", "Lào": "LA", "Pháp": "FR", "Trung Quốc": "CN", "Hàn Quốc": "KR"}
QUERIES = ["đối ngoại", "hợp tác", "Việt Nam", "Tin đối ngoại"]


def chat_commands(n: int) -> list[tuple[str, str]]:
    country = list(COUNTRIES)[n % len(COUNTRIES)]
    query = QUERIES[n % len(QUERIES)]
    hhmm = f"23:{50 + n % 10}"  # no digest falls due unless the test runs at 23:5x Vietnam time (told apart below)
    return [(f"/subscribe nước {country}", rf"✅ Đã đăng ký \S+ {country}\."),  # a flag before the name
            (f"/digest_time {hhmm}", f"⏰ Bản tin hằng ngày sẽ được gửi lúc {hhmm} "),
            ("/latest", r"🆕 Tin mới nhất\nBài 1–5/\d+\n"),  # 6 articles or more by the first wave
            (f"/search {query}", f"🔎 Kết quả cho «{query}»\n(Bài 1–|Không tìm thấy)")]


def stored_by_folder(db_path: Path, tmp_path: Path, names: tuple[str, ...]) -> dict[str, int]:
    """Articles each ingest has stored so far (their keys name their folder), read as a third party."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return {name: conn.execute("select count(*) from articles where source_key like ?",
                                       [f"file:{tmp_path / name}/%"]).fetchone()[0] for name in names}
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc) or "unable to open" in str(exc):  # not created yet
            return dict.fromkeys(names, 0)
        raise


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


OWN, SHARED = 55, 10  # article files each ingest has alone, and files both have
ROUNDS = 2  # pairs of ingests at most (the second only when the first ended before the bot was up)
CHATS = list(range(7001, 7041))  # private chats, 4 commands each; sent WAVE at a time while the ingests run
WAVE = 4


def test_two_ingests_and_the_bot_at_once_lose_nothing(tmp_path):
    """Two `diplobot ingest` and the real bot (`diplobot run` over the fake Bot API) start on one new
    database file at once; while both ingests store articles, chats (four at a time) send /subscribe,
    /digest_time, /latest and /search. Nothing is lost, every command is answered, SIGTERM stops
    the bot cleanly. Should the first two ingests end before the bot is up (a slow machine), a
    second pair runs over new files, so that the chats always meet two ingests at work."""
    texts = article_texts(ROUNDS * (2 * OWN + SHARED))
    folders: list[tuple[str, str]] = []
    for r in range(ROUNDS):
        mine = texts[r * (2 * OWN + SHARED):(r + 1) * (2 * OWN + SHARED)]
        own_a, own_b, shared = mine[:OWN], mine[OWN:2 * OWN], mine[2 * OWN:]
        # Both runs also get the same SHARED texts under the same names: whichever stores one
        # first makes it new, the other finds a duplicate (same outlet: the file name).
        pair = (f"a{r}", f"b{r}")
        for name, own in zip(pair, (own_a, own_b)):
            write_files(tmp_path / name, [(f"{name}_{i:03d}.txt", t) for i, t in enumerate(own)]
                        + [(f"chung{i:02d}.txt", t) for i, t in enumerate(shared)])
        folders.append(pair)
    (tmp_path / "no-seeds").mkdir()  # the bot's empty-database seeding would add articles of its own
    db_path = tmp_path / "news.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(db_path))
    run = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, cwd=ROOT)
    ingests: list[subprocess.Popen] = []
    outs: list[tuple[str, str]] = []

    def start_pair(r: int) -> list[subprocess.Popen]:
        pair = [subprocess.Popen(diplobot("ingest", str(tmp_path / name)), env=env, **run) for name in folders[r]]
        ingests.extend(pair)
        return pair

    with FakeBotAPI() as api:
        bot_env = env | {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                         "DIPLOBOT_FEEDS": "none",  # no site is polled: nothing leaves 127.0.0.1
                         "DIPLOBOT_SEEDS": str(tmp_path / "no-seeds"), "DIPLOBOT_DIGEST_TIME": "23:59"}
        # All three open the new file at once: creating the schema is raced too.
        procs = start_pair(0)
        bot = subprocess.Popen(diplobot("run"), env=bot_env, **run)
        try:
            api.wait_for("getUpdates", timeout=60)
            rounds = 1
            if any(p.poll() is not None for p in procs):  # done before the bot was up: a second pair
                outs += [p.communicate(timeout=120) for p in procs]
                procs, rounds = start_pair(1), 2
            pair = folders[rounds - 1]
            wait_until(lambda: min(stored_by_folder(db_path, tmp_path, pair).values()) >= 3, 60,
                       "the ingests stored too little before the bot was up")
            # Waves of chats, each answered in full, for as long as both ingests are writing.
            chats, waves = [], []
            while len(chats) < len(CHATS) and all(p.poll() is None for p in procs):
                wave = CHATS[len(chats):len(chats) + WAVE]
                before = stored_by_folder(db_path, tmp_path, pair)
                for chat in wave:
                    for command, _ in chat_commands(chat):
                        api.inject(message_update(command, chat_id=chat, user_id=chat))
                chats += wave
                api.wait_for("sendMessage", len(chats) * len(chat_commands(0)), timeout=60,
                             where=lambda c: c.chat_id in CHATS)
                waves.append((before, stored_by_folder(db_path, tmp_path, pair)))
            outs += [p.communicate(timeout=120) for p in procs]
            bot.send_signal(signal.SIGTERM)
            bot_out, bot_err = bot.communicate(timeout=30)
        finally:
            for proc in (*ingests, bot):
                if proc.poll() is None:
                    proc.kill()
                    proc.communicate()
        answers = {chat: [check_html(c.text)[0] for c in api.sent(chat)] for chat in CHATS}
        buttons = [button["callback_data"] for c in api.sent() for row in c.params.get("reply_markup", {}).get(
            "inline_keyboard", []) for button in row]
        rejected_html = [c.params for c in api.calls if c.status == 400]
    texts = texts[:rounds * (2 * OWN + SHARED)]  # the files the ingests were given

    for proc, (out, err) in zip(ingests, outs):
        assert proc.returncode == 0, err
        assert "locked" not in out + err and "busy" not in out + err and "Traceback" not in err
    assert bot.returncode == 0, bot_err[-3000:]  # SIGTERM: a clean stop
    assert not re.search(r"locked|busy|Traceback|ERROR", bot_out + bot_err), bot_err[-3000:]
    # They really contended: in some wave both ingests stored articles while the bot recorded
    # chats, subscriptions and listings and answered (between the wave's first command and its last answer).
    assert any(all(before[f] < after[f] for f in pair) for before, after in waves), waves

    reports = [parse_summary(out) for out, _ in outs]
    assert [r["items"] for r in reports] == [OWN + SHARED] * 2 * rounds
    assert sum(r["new"] for r in reports) == len(texts)  # every text stored once…
    assert sum(r["duplicate"] for r in reports) == SHARED * rounds  # …and every shared copy seen as one
    assert all(r["rejected"] == 0 and r["merged"] == 0 for r in reports)

    # Every command got its one answer, as its user reads it; no error reply, no HTML refused.
    assert rejected_html == []
    for chat in chats:
        got = [a for a in answers[chat] if not a.startswith("🗞")]  # a digest, should one fall due
        for _, answer in chat_commands(chat):
            assert len([a for a in got if re.match(answer, a)]) == 1, (chat, answer, got)
        assert len(got) == len(chat_commands(chat)), got
        assert not any("Xin lỗi" in a for a in got), got

    conn = sqlite3.connect(db_path)
    count = lambda sql, *args: conn.execute(sql, args).fetchone()[0]  # noqa: E731
    assert count("select count(*) from articles") == len(texts)
    assert count("select count(*) from articles where duplicate_of is null") == len(texts)
    assert count("select count(*) from summaries") == count("select count(*) from article_search") == len(texts)
    for chat in chats:
        country = chat_commands(chat)[0][0].removeprefix("/subscribe nước ")
        assert conn.execute("select type, digest_enabled, digest_time from chats where chat_id = ?", [chat]).fetchall() == [
            ("private", 1, chat_commands(chat)[1][0].split()[1])]
        assert conn.execute("select kind, code from subscriptions where chat_id = ?", [chat]).fetchall() == [
            ("country", COUNTRIES[country])]
    assert count("select count(*) from chats") == len(chats)
    # Every `Xem thêm ›` button sent leads to its listing's state, kept for page 2.
    states = dict(conn.execute("select id, listing from listing_state"))
    more = [data.split("|") for data in buttons if data.startswith("more|")]
    assert {listing for _, listing, _, _ in more} == {"latest", "search"}
    assert all(states.get(state) == listing for _, listing, _, state in more), (more, states)


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
