"""Telegram state transitions as a user lives them: the real `Application` (built as
`diplobot run` builds it) over HTTP against the fake Bot API, read back as the texts of
the bot's sendMessage calls. Subscribing, listing, choosing the digest time, getting the
digest, an admin's /broadcast, and a SIGTERM in the middle of that broadcast."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diplobot.settings import Settings
from tests.fake_bot_api import BOT_USER, TOKEN, BotThread, FakeBotAPI, check_html, message_update

ROOT = Path(__file__).resolve().parent.parent
BOT = BOT_USER["username"]
ADMIN = 42


@pytest.fixture
def db_copy(seeded_db_path, tmp_path) -> Path:
    target = tmp_path / "flows.db"
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture
def bot(db_copy):
    with FakeBotAPI() as api:
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                                      "DIPLOBOT_DB": str(db_copy), "DIPLOBOT_ADMINS": str(ADMIN)})
        with BotThread(settings, db_copy) as running:
            running.api = api
            yield running
        assert [c.params for c in api.calls if c.status == 400] == []  # every text was valid Telegram HTML


def says(bot, text: str, chat_id: int = ADMIN, user_id: int | None = None, **kw) -> str:
    """Send `text` as a user; return what the user reads: the visible text of the reply."""
    before = len(bot.api.sent(chat_id))
    bot.api.inject(message_update(text, chat_id=chat_id, user_id=user_id or chat_id, **kw))
    calls = bot.api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat_id)
    visible, problems = check_html(calls[before].text)
    assert problems == []
    return visible


def run_in_bot(bot, coroutine, timeout: float = 30):
    return asyncio.run_coroutine_threadsafe(coroutine, bot._loop).result(timeout)


def test_subscribe_list_digest_time_digest_and_broadcast(bot, seed_titles):
    assert says(bot, "/subscriptions").startswith("Bạn chưa đăng ký nhận tin nào.")
    # The adapter recorded this chat with its first message; the digest is on all the same.
    reply = says(bot, "/subscribe")
    assert reply.startswith("✅ Đã đăng ký tất cả tin ngoại giao.")
    assert "Bản tin hằng ngày gửi lúc 07:00 (giờ Việt Nam)" in reply and "tắt" not in reply
    assert says(bot, "/subscribe").startswith("Bạn đã đăng ký tất cả tin ngoại giao rồi.")
    assert "Nhật Bản" in says(bot, "/subscribe nước Nhật Bản")

    assert says(bot, "/digest_time 25:00").startswith("Cách dùng: /digest_time HH:MM")
    assert says(bot, "/digest_time 6h30") == "⏰ Bản tin hằng ngày sẽ được gửi lúc 06:30 (giờ Việt Nam)."
    listing = says(bot, "/subscriptions")
    assert "• tất cả tin ngoại giao" in listing and "Nhật Bản" in listing
    assert "⏰ Bản tin hằng ngày lúc 06:30 (giờ Việt Nam)" in listing and "Chưa gửi bản tin nào." in listing

    assert says(bot, "/digest_off").startswith("⏸ Đã tắt bản tin hằng ngày.")
    assert "Bản tin hằng ngày đang tắt" in says(bot, "/subscriptions")
    assert says(bot, "/digest_on").startswith("▶️ Đã bật bản tin hằng ngày, gửi lúc 06:30")

    # The digest, as the bot's minute job sends it once the chat's time has passed.
    assert says(bot, "/digest_time 00:00").startswith("⏰")
    before = len(bot.api.sent(ADMIN))
    run_in_bot(bot, bot.app.bot_data.ctx.delivery.tick())
    digest = [check_html(c.text)[0] for c in bot.api.sent(ADMIN)[before:]]
    assert digest and any(seed_titles["001"] in part for part in digest)
    assert "Bản tin gần nhất: " in says(bot, "/subscriptions")
    run_in_bot(bot, bot.app.bot_data.ctx.delivery.tick())  # the next minute: nothing new
    assert len(bot.api.sent(ADMIN)) == before + len(digest) + 1

    # A group: only its admins subscribe it; anyone reads its subscriptions.
    group = -100777
    bot.api.admins[group] = {7}
    assert says(bot, f"/subscribe@{BOT} nước Lào", chat_id=group, user_id=8, chat_type="supergroup") == (
        "Chỉ quản trị viên của nhóm mới được thay đổi đăng ký và bản tin của nhóm.")
    assert says(bot, f"/subscribe@{BOT} nước Lào", chat_id=group, user_id=7, chat_type="supergroup").startswith(
        "✅ Đã đăng ký")
    assert "Lào" in says(bot, "/subscriptions", chat_id=group, user_id=8, chat_type="supergroup")

    # /broadcast: refused to others; from the bot's admin, to every subscriber, at once.
    assert says(bot, "/broadcast Xin chào", chat_id=43) == "Chỉ quản trị viên của bot mới được dùng lệnh /broadcast."
    notice = "Họp báo định kỳ của Bộ Ngoại giao chuyển sang 15:00 thứ Năm."
    assert says(bot, f"/broadcast {notice}") == "📢 Thông báo tới 2 người, nhóm đăng ký đang được gửi."
    for chat in (ADMIN, group):
        bot.api.wait_for("sendMessage", 1, where=lambda c, chat=chat: c.chat_id == chat and notice in c.text)
    assert says(bot, "/help", chat_id=43)  # a barrier: nothing else was queued for the non-admin
    assert [c for c in bot.api.sent(43) if notice in c.text] == []


# --- SIGTERM while /broadcast is sending ------------------------------------------------------

SUBSCRIBERS = list(range(9001, 9061))  # 60 private chats


def prepare_subscribers(db: Path) -> None:
    from storage import open_db
    from storage.subscriptions import ALL, ALL_CODE, ensure_chat, subscribe

    conn = open_db(db)
    for chat in SUBSCRIBERS:
        ensure_chat(conn, chat, "private")
        subscribe(conn, chat, ALL, ALL_CODE, "")
    conn.execute("update chats set digest_day = '9999-12-31'")  # no digest due: only the broadcast is sent
    conn.close()


def env_for(db: Path, api: FakeBotAPI) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
               DIPLOBOT_DB=str(db), DIPLOBOT_ADMINS=str(ADMIN), DIPLOBOT_FEEDS="none")  # no outside sites
    return env


def statuses(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("select status, count(*) from deliveries where kind = 'announce' group by status"))
    finally:
        conn.close()


def test_sigterm_during_broadcast_stops_promptly_and_records_what_was_sent(db_copy):
    prepare_subscribers(db_copy)
    notice = "Thông báo khẩn: lịch họp báo thay đổi."
    with FakeBotAPI() as api:
        # Each announcement takes 0.4 s to answer: the broadcast is still going when SIGTERM comes.
        api.on_call = lambda c: time.sleep(0.4) if c.method == "sendMessage" and c.chat_id in SUBSCRIBERS else None
        proc = subprocess.Popen([sys.executable, "-m", "diplobot.cli", "run"], cwd=ROOT, env=env_for(db_copy, api),
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            api.wait_for("getUpdates", timeout=60)
            api.inject(message_update(f"/broadcast {notice}", chat_id=ADMIN, user_id=ADMIN))
            api.wait_for("sendMessage", 1, where=lambda c: c.chat_id in SUBSCRIBERS, timeout=30)
            proc.send_signal(signal.SIGTERM)
            stopped = time.monotonic()
            output, _ = proc.communicate(timeout=20)  # before the fix: never returned
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
        took = time.monotonic() - stopped
        assert proc.returncode == 0, output[-3000:]
        assert took < 10, f"shutdown took {took:.1f}s"
        delivered = [c.chat_id for c in api.sent() if notice in c.text]
        assert len(delivered) == len(set(delivered)) < len(SUBSCRIBERS)  # stopped half way, no duplicate
        after_stop = statuses(db_copy)
        assert "sending" not in after_stop, after_stop  # every claim got its result
        assert after_stop.get("sent", 0) + after_stop.get("uncertain", 0) >= len(delivered) >= after_stop.get("sent", 0)
        assert after_stop.get("pending", 0) == len(SUBSCRIBERS) - after_stop.get("sent", 0) - after_stop.get("uncertain", 0)

        # The next run (here cron's `diplobot digest`) sends what was left, and nothing twice.
        api.on_call = None
        done = subprocess.run([sys.executable, "-m", "diplobot.cli", "digest", "--no-progress"], cwd=ROOT,
                              env=env_for(db_copy, api), capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr[-2000:]
        final = statuses(db_copy)
        delivered = [c.chat_id for c in api.sent() if notice in c.text]
    assert final.get("pending", 0) == 0 and final["sent"] + final.get("uncertain", 0) == len(SUBSCRIBERS)
    assert len(delivered) == len(set(delivered)) and set(delivered) <= set(SUBSCRIBERS)
    assert len(delivered) >= final["sent"]
