"""The terminal chat, driven the way scripts drive it: commands on stdin."""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import sqlite3
import subprocess
import sys

from bot.commands import LISTING_EXPIRED, LISTING_TTL
from bot.registry import BotContext
from bot.terminal import TerminalChat
from storage import open_db


def run_chat_process(stdin: str, db_path, extra_env=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIPLOBOT_DB": str(db_path), **(extra_env or {})}
    exe = shutil.which("diplobot", path=os.path.dirname(sys.executable))
    cmd = [exe, "chat"] if exe else [sys.executable, "-m", "diplobot.cli", "chat"]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, timeout=120)


def test_chat_over_stdin_on_a_fresh_database(tmp_path):
    # An empty database gets the seeds first, so the script works right after install.
    proc = run_chat_process("/province Bình Dương\n/country Nhật Bản\n", tmp_path / "fresh.db")
    assert proc.returncode == 0, proc.stderr
    assert "Tích cực hỗ trợ Bình Dương “cất cánh”" in proc.stdout
    assert "Traceback" not in proc.stderr
    # The reply carries the summary: a sentence of the article body, in that article's card.
    card = proc.stdout.split("cất cánh”", 1)[1].split("\n\n", 1)[0]
    assert "tọa đàm tại Bình Dương" in card


def test_chat_survives_garbage(seeded_db_path, tmp_path):
    db = tmp_path / "copy.db"
    shutil.copy(seeded_db_path, db)
    garbage = "\n".join(["hello", "/", "/province", "/article -1", "/search \x00\x01", "/latest 0", "/more", "¯\\_(ツ)_/¯", "/country " + "x" * 5000]) + "\n"
    proc = run_chat_process(garbage, db)
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert proc.stdout.count("\n\n") >= 8  # one reply per line


def test_more_follows_the_last_listing(seeded_db, settings):
    out = io.StringIO()
    chat = TerminalChat(BotContext(db=seeded_db, settings=settings), stdin=io.StringIO("/latest 3\n/more\n/more\n"), stdout=out)
    chat.run()
    replies = out.getvalue().split("\n\n")
    text = out.getvalue()
    assert "Bài 1–3/5" in text and "Bài 4–5/5" in text
    assert "Không còn gì để xem thêm." in text
    assert len(replies) >= 3


def test_more_after_the_listing_expired_is_answered_politely(seeded_db_path, tmp_path, settings):
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(tmp_path / "copy.db")
    src.backup(dst)
    src.close()
    dst.close()
    db = open_db(tmp_path / "copy.db")
    chat = TerminalChat(BotContext(db=db, settings=settings), stdin=io.StringIO(), stdout=io.StringIO())
    assert "[Xem thêm ›] gõ /more" in asyncio.run(chat.answer("/latest 2"))
    db.execute("update listing_state set used_at = used_at - ?", [LISTING_TTL + 1])
    assert asyncio.run(chat.answer("/more")) == LISTING_EXPIRED


def test_chat_answers_bad_numbers_and_long_arguments_in_vietnamese(seeded_db, settings):
    out = io.StringIO()
    lines = ["/article ²", "/article_-1", "/latest 99999999999999999999999", "/search " + "đại sứ " * 1500]
    TerminalChat(BotContext(db=seeded_db, settings=settings), stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out).run()
    replies = out.getvalue().strip().split("\n\n")
    assert len(replies) == 4 and all("Cách dùng" in r for r in replies)
    assert len(out.getvalue()) < 2000 and "Xin lỗi" not in out.getvalue()
