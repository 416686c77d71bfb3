"""Acceptance: subscribe, then digests over HTTP to the fake Bot API with the real PTB stack
(ExtBot, AIORateLimiter, HTTPX), through floods, blocks, migrations and a killed process."""

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

from bot.delivery import Pacing, PTBSender, make_bot, run_digests
from diplobot.settings import Settings
from storage import open_db
from storage import subscriptions as store
from storage.times import now_iso
from tests.conftest import ROOT
from tests.delivery_support import JAPAN, add_article, ask
from tests import fake_bot_api as fake
from tests.fake_bot_api import TOKEN, check_html

FAST = dict(rate=0, private_gap=0, group_gap=0)


def settings_for(api, db_path: Path, **env: str) -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                              "DIPLOBOT_DB": str(db_path), **env})


def send_digests(db, settings, **kw):
    async def go():
        bot = make_bot(settings)
        async with bot:
            return await run_digests(db, settings, PTBSender(bot), force=True,
                                     pacing=kw.pop("pacing", Pacing(**FAST)), **kw)
    return asyncio.run(go())


def subscribe_all(db, settings, chat_ids, args="nước Nhật Bản"):
    for chat_id in chat_ids:
        reply = ask(db, settings, "subscribe", args, chat_id=chat_id, user_id=chat_id)
        assert "Đã đăng ký" in reply.text


@pytest.fixture
def news(tmp_path):
    """A database with one fresh article about Japan."""
    db = open_db(tmp_path / "d.db")
    add_article(db, "Việt Nam và Nhật Bản ký thỏa thuận <hợp tác> & đầu tư", countries=[JAPAN], fetched_at=None)
    db.execute("update articles set fetched_at = ?", [now_iso()])
    db.conn.commit()
    return db


def test_subscribe_then_exactly_one_digest_each_and_nothing_twice(api, news, tmp_path):
    settings = settings_for(api, tmp_path / "d.db")
    subscribe_all(news, settings, range(101, 106))
    run = send_digests(news, settings)
    assert run.delivery.sent == 5 and run.delivery.failed == 0
    sent = api.sent()
    assert sorted(c.chat_id for c in sent) == list(range(101, 106))
    for call in sent:
        text, problems = check_html(call.text)
        assert problems == [] and "Việt Nam và Nhật Bản ký thỏa thuận <hợp tác> & đầu tư" in text
        assert call.params["parse_mode"] == "HTML"
    again = send_digests(news, settings)
    assert (again.plan.due, again.delivery.sent) == (0, 0) and len(api.sent()) == 5


def test_merged_province_subscription_gets_the_binh_duong_seed(api, seeded_db_path, tmp_path, seed_titles):
    db_path = tmp_path / "seeded.db"
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(db_path)
    src.backup(dst)
    src.close()
    dst.close()
    db = open_db(db_path)
    # The merger is under test here, not the diplomatic score: every seed passes.
    settings = settings_for(api, db_path, DIPLOBOT_DIPLOMATIC_THRESHOLD="0")
    db.execute("update articles set fetched_at = ?", [now_iso()])
    db.conn.commit()
    subscribe_all(db, settings, [201], "tỉnh TP. Hồ Chí Minh")
    send_digests(db, settings)
    (call,) = api.sent(201)
    text, _ = check_html(call.text)
    assert seed_titles["001"] in text  # tagged Bình Dương, now part of TP. Hồ Chí Minh
    assert seed_titles["003"] not in text  # Hà Tĩnh is not


def test_flood_wait_in_the_middle_of_a_fan_out(api, news, tmp_path):
    settings = settings_for(api, tmp_path / "d.db")
    subscribe_all(news, settings, range(301, 311))

    def flood_after_three(call):
        if call.method == "sendMessage" and call.status == 200 and len(api.sent()) == 3:
            api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)

    api.on_call = flood_after_three
    started = time.monotonic()
    run = send_digests(news, settings, concurrency=1)
    assert time.monotonic() - started >= 1.0
    assert run.delivery.retry_after == 1 and run.delivery.sent == 10
    assert sorted(c.chat_id for c in api.sent()) == list(range(301, 311))  # all, once
    refused = api.calls_of("sendMessage", ok_only=False)
    flood = next(c for c in refused if c.status == 429)
    resumed = min(c.at for c in api.sent() if c.at > flood.at)
    assert resumed - flood.at >= 1.0  # retry_after honoured


def test_blocked_user_is_skipped_next_time(api, news, tmp_path):
    settings = settings_for(api, tmp_path / "d.db")
    subscribe_all(news, settings, [401, 402])
    api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")
    run = send_digests(news, settings, concurrency=1)
    assert run.delivery.blocked == 1 and run.delivery.sent == 1
    assert store.get_chat(news, 401)["blocked"] == 1 and [c.chat_id for c in api.sent()] == [402]
    news.execute("update chats set digest_day = '2000-01-01'")  # a new day
    news.conn.commit()
    later = send_digests(news, settings)
    assert 401 not in {c.chat_id for c in api.calls_of("sendMessage", ok_only=False)[1:]}
    assert later.plan.due == 1


def test_supergroup_migration_sends_to_the_new_id(api, news, tmp_path):
    settings = settings_for(api, tmp_path / "d.db")
    reply = ask(news, settings, "subscribe", "nước Nhật Bản", chat_id=-501, user_id=9, chat_type="group",
                is_admin=True)
    assert "Đã đăng ký" in reply.text
    api.fail("sendMessage", 400, "Bad Request: group chat was upgraded to a supergroup chat",
             migrate_to_chat_id=-100501)
    run = send_digests(news, settings)
    assert run.delivery.migrated == 1 and [c.chat_id for c in api.sent()] == [-100501]
    assert store.get_chat(news, -501) is None
    assert [s["code"] for s in store.list_subscriptions(news, -100501)] == ["JP"]


CHILD = """
import asyncio, sys
sys.path.insert(0, {root!r})
from bot.delivery import Pacing, PTBSender, make_bot, run_digests
from diplobot.settings import Settings
from storage import open_db

async def main():
    settings = Settings.from_env({{"TELEGRAM_BOT_TOKEN": {token!r}, "TELEGRAM_API_BASE_URL": {base!r}}})
    bot = make_bot(settings)
    async with bot:
        await run_digests(open_db({db!r}), settings, PTBSender(bot), force=True,
                          pacing=Pacing(rate=200, private_gap=0, group_gap=0), concurrency=4)
asyncio.run(main())
"""


def test_killed_mid_fan_out_then_restarted_no_duplicates_none_lost(api, news, tmp_path):
    settings = settings_for(api, tmp_path / "d.db")
    chats = list(range(1001, 1061))
    for chat_id in chats:
        store.ensure_chat(news, chat_id)
        store.subscribe(news, chat_id, "country", "JP", "Nhật Bản")
    child_code = CHILD.format(root=str(ROOT), token=TOKEN, base=api.base_url, db=str(tmp_path / "d.db"))
    child = subprocess.Popen([sys.executable, "-c", child_code])
    api.wait_for("sendMessage", 25, timeout=60)
    os.kill(child.pid, signal.SIGKILL)  # about half way
    child.wait()
    received = len(api.sent())
    assert 25 <= received < len(chats)
    from datetime import timedelta

    run = send_digests(news, settings, stale_after=timedelta(0))  # the restart
    per_chat = {c: 0 for c in chats}
    for call in api.sent():
        per_chat[call.chat_id] += 1
    uncertain = {r[0] for r in news.execute("select chat_id from deliveries where status = 'uncertain'")}
    assert max(per_chat.values()) == 1  # no duplicates
    assert all(n == 1 or c in uncertain for c, n in per_chat.items())  # none lost (unflagged)
    assert run.recovered == len(uncertain) <= 4  # at most the sends in flight at the kill


# --- through the real Application (bot/telegram.py) --------------------------------------------

def seeded_copy(seeded_db_path, target: Path) -> Path:
    src, dst = sqlite3.connect(seeded_db_path), sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    db = sqlite3.connect(target)
    db.execute("update articles set fetched_at = ?", [now_iso()])  # ingested just now
    db.commit()
    db.close()
    return target


def say(api, text: str, chat_id: int, user_id: int, chat_type: str = "private") -> str:
    """A user's message through the bot; the visible text of its reply."""
    before = len(api.sent(chat_id))
    api.inject(fake.message_update(text, chat_id=chat_id, user_id=user_id, chat_type=chat_type))
    call = api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat_id)[before]
    return check_html(call.text)[0]


def test_group_admin_check_through_the_bot(api, seeded_db_path, tmp_path):
    db_path = seeded_copy(seeded_db_path, tmp_path / "bot.db")
    api.admins[-100600] = {7}
    with fake.BotThread(settings_for(api, db_path), db_path):
        refused = say(api, "/subscribe nước Nhật Bản", -100600, 8, "supergroup")
        assert "Chỉ quản trị viên" in refused
        assert "Đã đăng ký" in say(api, "/subscribe nước Nhật Bản", -100600, 7, "supergroup")
        assert "Nhật Bản" in say(api, "/subscriptions", -100600, 8, "supergroup")  # anyone may look
    rows = sqlite3.connect(db_path).execute("select chat_id, kind, code from subscriptions").fetchall()
    assert rows == [(-100600, "country", "JP")]


def test_the_bots_job_sends_the_digest_once(api, seeded_db_path, tmp_path, seed_titles):
    from bot.delivery import schedule_jobs

    db_path = seeded_copy(seeded_db_path, tmp_path / "bot.db")
    settings = settings_for(api, db_path, DIPLOBOT_DIGEST_TIME="00:00", DIPLOBOT_DIPLOMATIC_THRESHOLD="0")

    def wire(app):  # what bot/telegram.py's post_init does
        ctx = app.bot_data.ctx
        ctx.delivery = schedule_jobs(app, ctx.db, settings, interval=0.3, first=0.1)

    with fake.BotThread(settings, db_path, configure=wire):
        assert "Đã đăng ký" in say(api, "/subscribe tỉnh TP. Hồ Chí Minh", 42, 42)
        digest = api.wait_for("sendMessage", 2, timeout=10, where=lambda c: c.chat_id == 42)[1]
        time.sleep(1.0)  # three more ticks
        assert len(api.sent(42)) == 2  # the confirmation and one digest
    text = check_html(digest.text)[0]
    assert "Bản tin ngoại giao" in text and seed_titles["001"] in text


def test_cli_digest_sends_once_then_nothing(api, news, tmp_path):
    from click.testing import CliRunner

    from diplobot.cli import cli

    settings = settings_for(api, tmp_path / "d.db")
    subscribe_all(news, settings, [601, 602])
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url, "DIPLOBOT_DB": str(tmp_path / "d.db")}
    first = CliRunner().invoke(cli, ["digest", "--now", "--no-progress"], env=env)
    assert first.exit_code == 0, first.output
    assert "2 chats due: 2 digests" in first.output and "sent 2," in first.output
    second = CliRunner().invoke(cli, ["digest", "--now", "--no-progress"], env=env)
    assert "0 chats due" in second.output and "sent 0," in second.output
    assert sorted(c.chat_id for c in api.sent()) == [601, 602]
    assert TOKEN not in first.output + second.output
