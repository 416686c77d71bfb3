"""Forum topics: a subscription made in a topic of a forum supergroup brings the group's
messages into that topic; once the topic is deleted, the same message goes to the General
topic, once, and the chat's messages stay there. The real `Application` over the fake Bot
API, which refuses a topic the forum does not have, as Telegram does."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from diplobot.settings import Settings
from tests.conftest import rows
from tests.fake_bot_api import TOKEN, BotThread, FakeBotAPI, check_html, message_update, topic_message_update

FORUM, TOPIC, ADMIN, MEMBER = -1004440001, 5, 7, 8
OPERATOR = 42  # DIPLOBOT_ADMINS: may /broadcast


@pytest.fixture
def bot(seeded_copy):
    db_path = seeded_copy
    with FakeBotAPI() as api:
        api.add_chat(FORUM, "supergroup", "Diễn đàn ngoại vụ", topics={TOPIC, 9})
        api.admins[FORUM] = {ADMIN}
        settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                                      "DIPLOBOT_DB": str(db_path), "DIPLOBOT_ADMINS": str(OPERATOR)})
        with BotThread(settings, db_path) as running:
            running.api, running.db_path = api, db_path
            yield running


def ask(bot, update: dict, chat_id: int):
    """Inject `update`; the bot's reply (a sendMessage call) to `chat_id`."""
    before = len(bot.api.sent(chat_id))
    bot.api.inject(update)
    return bot.api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat_id)[before]


def thread(call) -> int | None:
    value = call.params.get("message_thread_id")
    return None if value is None else int(value)


def tick(bot) -> None:
    asyncio.run_coroutine_threadsafe(bot.app.bot_data.ctx.delivery.tick(), bot._loop).result(30)


def settled(path: Path, sql: str, args, expected, timeout: float = 5.0) -> list[tuple]:
    """The rows once they equal `expected` (a send's result is committed just after it), or as last read."""
    deadline = time.monotonic() + timeout
    while (found := rows(path, sql, args)) != expected and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def test_a_topic_subscription_brings_the_digest_into_that_topic(bot):
    reply = ask(bot, topic_message_update("/subscribe nước Nhật Bản", FORUM, TOPIC, ADMIN), FORUM)
    assert check_html(reply.text)[0].startswith("✅ Đã đăng ký") and thread(reply) == TOPIC  # answered in the topic
    assert "📌 Tin của nhóm sẽ được gửi vào chủ đề này." in reply.text
    refused = ask(bot, topic_message_update("/subscribe nước Lào", FORUM, 9, MEMBER), FORUM)
    assert thread(refused) == 9 and "Chỉ quản trị viên" in refused.text  # another topic, a member: refused there
    assert rows(bot.db_path, "select chat_id, code, thread_id from subscriptions") == [(FORUM, "JP", TOPIC)]
    assert rows(bot.db_path, "select thread_id from chats where chat_id = ?", [FORUM]) == [(TOPIC,)]
    # Its admin adds one from a private chat: the forum's news stays in the topic.
    from_private = ask(bot, message_update(f"/subscribe {FORUM} nước Lào", chat_id=ADMIN, user_id=ADMIN), ADMIN)
    assert "✅ Đã đăng ký" in from_private.text
    assert rows(bot.db_path, "select code, thread_id from subscriptions where chat_id = ? order by rowid", [FORUM]) == [
        ("JP", TOPIC), ("LA", TOPIC)]

    assert thread(ask(bot, topic_message_update("/digest_time 00:00", FORUM, TOPIC, ADMIN), FORUM)) == TOPIC
    before = len(bot.api.sent(FORUM))
    tick(bot)
    digest = bot.api.sent(FORUM)[before:]
    assert digest and "Bản tin ngoại giao" in digest[0].text
    assert {thread(c) for c in digest} == {TOPIC}
    assert set(rows(bot.db_path, "select kind, status, thread_id from deliveries where chat_id = ?", [FORUM])) == {
        ("digest", "sent", TOPIC)}


def test_a_deleted_topic_falls_back_to_general_once(bot, caplog):
    ask(bot, topic_message_update("/subscribe", FORUM, TOPIC, ADMIN), FORUM)
    bot.api.delete_topic(FORUM, TOPIC)
    bot.app.bot_data.ctx.delivery.pacing.group_gap = 0  # two notices in a row to one group: no 3 s wait
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        for n, notice in enumerate(("Họp báo chuyển sang 15:00.", "Họp báo hoãn sang tuần sau."), 1):
            ask(bot, message_update(f"/broadcast {notice}", chat_id=OPERATOR), OPERATOR)
            bot.api.wait_for("sendMessage", 1, where=lambda c, notice=notice: c.chat_id == FORUM and notice in c.text)
            assert len([c for c in bot.api.sent(FORUM) if notice in c.text]) == 1  # no duplicate
    tries = [c for c in bot.api.calls_of("sendMessage", ok_only=False) if c.chat_id == FORUM and "Họp báo" in c.text]
    # The first notice: refused in the deleted topic, then sent to General; the second straight to General.
    assert [(c.status, thread(c)) for c in tries] == [(400, TOPIC), (200, None), (200, None)]
    assert rows(bot.db_path, "select thread_id from chats where chat_id = ?", [FORUM]) == [(None,)]
    sent = [("sent", None, None), ("sent", None, None)]
    assert settled(bot.db_path, "select status, thread_id, error from deliveries where chat_id = ? order by rowid",
                   [FORUM], sent) == sent
    logged = [r.getMessage() for r in caplog.records if "forum topic" in r.getMessage()]
    assert logged == [f"chat {FORUM}: forum topic {TOPIC} not found (deleted?); sending to the General topic from now on"]
    assert TOKEN not in caplog.text
