"""Exactly once through a crash (issue 15): `diplobot digest`, and the bot itself (`diplobot run`), real processes over the fake Bot
API, is killed with SIGKILL once the alerts have left and before the digests, then run again.
Read from what the fake API received: every chat has its alert once and its digest once, and
the digest does not repeat the alerted article."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from datetime import datetime, timedelta, timezone

from storage import follow, open_db
from storage import subscriptions as store
from tests.delivery_support import JAPAN, add_article
from tests.fake_bot_api import TOKEN, FakeBotAPI, check_html
from tests.test_cli_operator import DIPLOBOT, ROOT, operator_env

CHATS = list(range(701, 706))
ALERTED = "Nhật Bản và Việt Nam khởi động đối thoại chiến lược"
IN_DIGEST = "Đoàn doanh nghiệp Nhật Bản thăm Bắc Ninh"


def digest_process(api: FakeBotAPI, db_path) -> subprocess.Popen:
    env = operator_env(db_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url)
    return subprocess.Popen([*DIPLOBOT, "digest", "--now", "--no-progress"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_killed_between_the_alerts_and_the_digests_then_run_again(tmp_path):
    db_path = tmp_path / "crash.db"
    db = open_db(db_path)
    now = datetime.now(timezone.utc)
    for chat_id in CHATS:
        store.ensure_chat(db, chat_id)
        store.subscribe(db, chat_id, "country", "JP", "Nhật Bản")
        follow.set_alerts(db, chat_id, True, now - timedelta(hours=1))
    add_article(db, IN_DIGEST, countries=[JAPAN], fetched_at=now - timedelta(hours=2))  # before alerts: digest
    add_article(db, ALERTED, countries=[JAPAN], fetched_at=now - timedelta(minutes=30))  # after: an alert
    db.close()
    with FakeBotAPI() as api:
        alerts, killed = [], threading.Event()

        def kill_after_the_last_alert(call):
            if call.method == "sendMessage" and "Tin mới" in call.text:
                alerts.append(call.chat_id)
                if len(alerts) == len(CHATS):
                    os.kill(child.pid, signal.SIGKILL)  # before its answer: the row stays 'sending'
                    killed.set()

        api.on_call = kill_after_the_last_alert
        child = digest_process(api, db_path)
        child.wait(60)
        assert killed.is_set() and child.returncode == -signal.SIGKILL, child.stderr.read().decode()[-2000:]
        assert not [c for c in api.sent() if "Bản tin" in c.text]  # killed before any digest
        api.on_call = None
        again = digest_process(api, db_path)  # the restart, as cron's next minute
        out, err = (s.decode() for s in again.communicate(timeout=60))
        assert again.returncode == 0 and "Traceback" not in err, err[-2000:]
        assert "sent 5," in out  # the digests; no alert again
        received = {chat_id: [check_html(c.text)[0] for c in api.sent(chat_id)] for chat_id in CHATS}
    for chat_id, texts in received.items():
        alert, digest = texts  # exactly two messages per chat: no duplicate, none lost
        assert alert.startswith("🔔 Tin mới") and ALERTED in alert and IN_DIGEST not in alert
        assert digest.startswith("🗞 Bản tin ngoại giao") and IN_DIGEST in digest and ALERTED not in digest


def bot_process(api: FakeBotAPI, db_path, seeds) -> subprocess.Popen:
    """`diplobot run`, the real PTB Application, over the fake Bot API; it polls nothing."""
    env = operator_env(db_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
                       DIPLOBOT_FEEDS="none", DIPLOBOT_SEEDS=str(seeds))
    return subprocess.Popen([*DIPLOBOT, "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_the_running_bot_killed_between_the_alerts_and_the_digests_then_restarted(tmp_path):
    """The same crash in the bot itself: its minute job sends the alerts (the digests are not due
    yet) and the bot is killed with SIGKILL; the digests fall due and the bot is started again.
    Each chat gets its alert once and its digest once, without the alerted article."""
    db_path, seeds = tmp_path / "bot.db", tmp_path / "no-seeds"
    seeds.mkdir()
    db = open_db(db_path)
    now = datetime.now(timezone.utc)
    for chat_id in CHATS:
        store.ensure_chat(db, chat_id)
        store.subscribe(db, chat_id, "country", "JP", "Nhật Bản")
        follow.set_alerts(db, chat_id, True, now - timedelta(hours=1))
    db.execute("update chats set digest_enabled = 0")  # no digest while the alerts go out
    add_article(db, IN_DIGEST, countries=[JAPAN], fetched_at=now - timedelta(hours=2))
    add_article(db, ALERTED, countries=[JAPAN], fetched_at=now - timedelta(minutes=30))
    db.close()
    with FakeBotAPI() as api:
        alerts, killed = [], threading.Event()

        def kill_after_the_last_alert(call):
            if call.method == "sendMessage" and "Tin mới" in call.text:
                alerts.append(call.chat_id)
                if len(alerts) == len(CHATS):
                    os.kill(bot.pid, signal.SIGKILL)
                    killed.set()

        api.on_call = kill_after_the_last_alert
        bot = bot_process(api, db_path, seeds)
        bot.wait(60)
        assert killed.is_set() and bot.returncode == -signal.SIGKILL, bot.stderr.read().decode()[-2000:]
        assert not [c for c in api.sent() if "Bản tin" in c.text]
        api.on_call = None
        db = open_db(db_path)
        db.execute("update chats set digest_enabled = 1, digest_time = '00:00'")  # the digests fall due
        db.close()
        again = bot_process(api, db_path, seeds)  # the restart
        try:
            api.wait_for("sendMessage", len(CHATS), timeout=60, where=lambda c: "Bản tin" in c.text)
        finally:
            again.send_signal(signal.SIGTERM)
            out, err = (s.decode() for s in again.communicate(timeout=30))
        assert again.returncode == 0 and "Traceback" not in err, err[-2000:]
        received = {chat_id: [check_html(c.text)[0] for c in api.sent(chat_id)] for chat_id in CHATS}
    for chat_id, texts in received.items():
        alert, digest = texts  # exactly two messages per chat: no duplicate, none lost
        assert alert.startswith("🔔 Tin mới") and ALERTED in alert and IN_DIGEST not in alert
        assert digest.startswith("🗞 Bản tin ngoại giao") and IN_DIGEST in digest and ALERTED not in digest
