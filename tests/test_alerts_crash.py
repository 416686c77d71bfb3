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


def following_japan(db_path, digests: bool = True) -> None:
    """CHATS follow Japan with alerts on since an hour ago; one article stored before that (for
    the digest) and one after (an alert)."""
    db = open_db(db_path)
    now = datetime.now(timezone.utc)
    for chat_id in CHATS:
        store.ensure_chat(db, chat_id)
        store.subscribe(db, chat_id, "country", "JP", "Nhật Bản")
        follow.set_alerts(db, chat_id, True, now - timedelta(hours=1))
    if not digests:
        db.execute("update chats set digest_enabled = 0")
    add_article(db, IN_DIGEST, countries=[JAPAN], fetched_at=now - timedelta(hours=2))
    add_article(db, ALERTED, countries=[JAPAN], fetched_at=now - timedelta(minutes=30))
    db.close()


def alert_then_digest(received: dict[int, list[str]]) -> None:
    """Exactly two messages per chat, the alert then the digest: no duplicate, none lost, and the
    digest without the alerted article."""
    for chat_id, texts in received.items():
        alert, digest = texts
        assert alert.startswith("🔔 Tin mới") and ALERTED in alert and IN_DIGEST not in alert
        assert digest.startswith("🗞 Bản tin ngoại giao") and IN_DIGEST in digest and ALERTED not in digest


def kill_after_the_last_alert(api: FakeBotAPI, process: subprocess.Popen) -> threading.Event:
    """SIGKILL `process` as the fake API receives the last chat's alert, before its answer (that
    row stays 'sending'); the event is set once it is done."""
    alerts, killed = [], threading.Event()

    def on_call(call):
        if call.method == "sendMessage" and "Tin mới" in call.text:
            alerts.append(call.chat_id)
            if len(alerts) == len(CHATS):
                os.kill(process.pid, signal.SIGKILL)
                killed.set()

    api.on_call = on_call
    return killed


def test_killed_between_the_alerts_and_the_digests_then_run_again(tmp_path):
    db_path = tmp_path / "crash.db"
    following_japan(db_path)
    with FakeBotAPI() as api:
        child = digest_process(api, db_path)
        killed = kill_after_the_last_alert(api, child)
        child.wait(60)
        assert killed.is_set() and child.returncode == -signal.SIGKILL, child.stderr.read().decode()[-2000:]
        assert not [c for c in api.sent() if "Bản tin" in c.text]  # killed before any digest
        api.on_call = None
        again = digest_process(api, db_path)  # the restart, as cron's next minute
        out, err = (s.decode() for s in again.communicate(timeout=60))
        assert again.returncode == 0 and "Traceback" not in err, err[-2000:]
        assert "sent 5," in out  # the digests; no alert again
        received = {chat_id: [check_html(c.text)[0] for c in api.sent(chat_id)] for chat_id in CHATS}
    alert_then_digest(received)


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
    following_japan(db_path, digests=False)  # no digest while the alerts go out
    with FakeBotAPI() as api:
        bot = bot_process(api, db_path, seeds)
        killed = kill_after_the_last_alert(api, bot)
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
    alert_then_digest(received)
