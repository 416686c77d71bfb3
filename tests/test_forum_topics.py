"""Forum topics: a subscription made in a topic of a forum supergroup brings what it matches
into that topic (one digest per topic, alerts in the topic of the subscription that matched);
/broadcast goes to the topic of the latest /subscribe. Once a topic is deleted, the same
message goes to the General topic, once, and that topic's news stays there. The real
`Application` over the fake Bot API, which refuses a topic the forum does not have, as
Telegram does."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.delivery import Pacing, run_digests
from diplobot.settings import Settings
from storage import open_db
from storage.times import now_iso
from tests.conftest import rows
from tests.delivery_support import HA_TINH, JAPAN, add_article
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
            running.db = open_db(db_path)
            on_bot(running, _remove_jobs(running.app.job_queue))  # each test says when delivery runs
            yield running
            running.db.close()


async def _remove_jobs(jobs) -> None:
    for job in jobs.jobs():
        job.schedule_removal()


def on_bot(bot, coroutine, timeout: float = 30):
    return asyncio.run_coroutine_threadsafe(coroutine, bot._loop).result(timeout)


def ask(bot, update: dict, chat_id: int):
    """Inject `update`; the bot's reply (a sendMessage call) to `chat_id`."""
    before = len(bot.api.sent(chat_id))
    bot.api.inject(update)
    return bot.api.wait_for("sendMessage", before + 1, where=lambda c: c.chat_id == chat_id)[before]


def thread(call) -> int | None:
    value = call.params.get("message_thread_id")
    return None if value is None else int(value)


def tick(bot) -> None:
    on_bot(bot, bot.app.bot_data.ctx.delivery.tick())


def deliver(bot, now: datetime, force: bool = False):
    """What the minute tick does at `now` (alerts, due digests, sending), without pacing waits."""
    ctx = bot.app.bot_data.ctx
    return on_bot(bot, run_digests(ctx.db, ctx.settings, ctx.delivery.sender, now=now, force=force,
                                   pacing=Pacing(rate=0, private_gap=0, group_gap=0)))


def subscribe_in_topics(bot) -> None:
    """Japan followed in topic 5, Hà Tĩnh in topic 9 (the latest /subscribe)."""
    for text, topic in (("/subscribe nước Nhật Bản", TOPIC), ("/subscribe tinh Ha Tinh", 9)):
        assert "✅ Đã đăng ký" in ask(bot, topic_message_update(text, FORUM, topic, ADMIN), FORUM).text
    assert rows(bot.db_path, "select code, thread_id from subscriptions where chat_id = ? order by rowid",
                [FORUM]) == [("JP", TOPIC), ("42", 9)]
    listing = check_html(ask(bot, topic_message_update("/subscriptions", FORUM, TOPIC, ADMIN), FORUM).text)[0]
    assert f"Nhật Bản · 📌 chủ đề #{TOPIC}" in listing and "Hà Tĩnh · 📌 chủ đề #9" in listing  # where each goes


def settled(path: Path, sql: str, args, expected, timeout: float = 5.0) -> list[tuple]:
    """The rows once they equal `expected` (a send's result is committed just after it), or as last read."""
    deadline = time.monotonic() + timeout
    while (found := rows(path, sql, args)) != expected and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def test_a_topic_subscription_brings_the_digest_into_that_topic(bot):
    reply = ask(bot, topic_message_update("/subscribe nước Nhật Bản", FORUM, TOPIC, ADMIN), FORUM)
    assert check_html(reply.text)[0].startswith("✅ Đã đăng ký") and thread(reply) == TOPIC  # answered in the topic
    assert "📌 Tin theo đăng ký này sẽ được gửi vào chủ đề này." in reply.text
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


def test_two_topics_get_a_digest_each_with_their_own_subscriptions(bot):
    subscribe_in_topics(bot)
    now = datetime.now(timezone.utc)
    japan = add_article(bot.db, "Nhật Bản viện trợ thiết bị y tế", countries=[JAPAN], fetched_at=now)
    ha_tinh = add_article(bot.db, "Hà Tĩnh đón đoàn doanh nghiệp Lào", provinces=[HA_TINH], fetched_at=now)
    both = add_article(bot.db, "Nhật Bản đầu tư cảng Vũng Áng, Hà Tĩnh", provinces=[HA_TINH], countries=[JAPAN],
                       fetched_at=now)
    before = len(bot.api.sent(FORUM))
    deliver(bot, now + timedelta(minutes=1), force=True)
    digests = bot.api.sent(FORUM)[before:]
    by_topic = {thread(c): check_html(c.text)[0] for c in digests}
    assert len(digests) == 2 and set(by_topic) == {TOPIC, 9}  # one digest per topic
    assert all(text.startswith("🗞 Bản tin ngoại giao") for text in by_topic.values())
    # The article matching both goes once, to the topic of the first subscription it matches.
    assert "viện trợ thiết bị y tế" in by_topic[TOPIC] and "cảng Vũng Áng" in by_topic[TOPIC]
    assert "Hà Tĩnh đón đoàn" not in by_topic[TOPIC]
    assert "Hà Tĩnh đón đoàn" in by_topic[9] and "cảng Vũng Áng" not in by_topic[9]
    assert "Nhật Bản viện trợ" not in by_topic[9]
    day = rows(bot.db_path, "select digest_day from chats where chat_id = ?", [FORUM])[0][0]  # one day, marked once
    assert sorted(rows(bot.db_path, "select item, status, thread_id from deliveries where chat_id = ?", [FORUM])) == [
        (f"{day}#t{TOPIC}#1", "sent", TOPIC), (f"{day}#t9#1", "sent", 9)]
    taken = rows(bot.db_path, "select article_id, item from chat_articles where chat_id = ? and article_id in "
                 "(?, ?, ?) order by article_id", [FORUM, japan, ha_tinh, both])
    assert taken == [(japan, f"{day}#t{TOPIC}#1"), (ha_tinh, f"{day}#t9#1"), (both, f"{day}#t{TOPIC}#1")]
    deliver(bot, now + timedelta(minutes=2), force=True)  # the day is done: nothing more
    assert len(bot.api.sent(FORUM)) == before + 2


def alerts_on(bot, since: datetime) -> None:
    """Alerts on from `since` (the seeded articles were stored before it)."""
    assert "Đã bật báo tin ngay" in ask(bot, topic_message_update("/alerts on", FORUM, TOPIC, ADMIN), FORUM).text
    bot.db.execute("update chats set alert_until = ?, digest_enabled = 0 where chat_id = ?", [now_iso(since), FORUM])
    bot.db.conn.commit()  # alerts only: no digest in these counts


def alerts(bot, since: int) -> list[tuple[int | None, str]]:
    return [(thread(c), check_html(c.text)[0]) for c in bot.api.sent(FORUM)[since:]]


def test_an_alert_goes_to_the_topic_of_the_subscription_it_matches(bot):
    subscribe_in_topics(bot)
    now = datetime.now(timezone.utc)
    alerts_on(bot, now)
    now += timedelta(seconds=1)  # stored after alerts were turned on
    add_article(bot.db, "Hà Tĩnh ký kết hợp tác với tỉnh Bolikhamxay", provinces=[HA_TINH], fetched_at=now)
    add_article(bot.db, "Nhật Bản mở lãnh sự quán", countries=[JAPAN], fetched_at=now)
    before = len(bot.api.sent(FORUM))
    deliver(bot, now + timedelta(minutes=1))
    sent = alerts(bot, before)
    assert [topic for topic, _ in sent] == [9, TOPIC]
    assert sent[0][1].startswith("🔔 Tin mới · 📍 Hà Tĩnh") and "Bolikhamxay" in sent[0][1]
    assert sent[1][1].startswith("🔔 Tin mới · 🇯🇵 Nhật Bản") and "lãnh sự quán" in sent[1][1]
    assert set(rows(bot.db_path, "select kind, thread_id from deliveries where chat_id = ?", [FORUM])) == {
        ("alert", 9), ("alert", TOPIC)}


def test_a_deleted_topic_sends_its_news_to_general_once_then_straight_there(bot, caplog):
    subscribe_in_topics(bot)
    now = datetime.now(timezone.utc)
    alerts_on(bot, now)
    now += timedelta(seconds=1)  # stored after alerts were turned on
    bot.api.delete_topic(FORUM, 9)
    add_article(bot.db, "Hà Tĩnh ký kết hợp tác với tỉnh Bolikhamxay", provinces=[HA_TINH], fetched_at=now)
    add_article(bot.db, "Hà Tĩnh đón đoàn doanh nghiệp Lào", provinces=[HA_TINH], fetched_at=now)
    before = len(bot.api.calls_of("sendMessage", ok_only=False))
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        deliver(bot, now + timedelta(minutes=1))
        later = now + timedelta(minutes=2)
        add_article(bot.db, "Hà Tĩnh tiếp Đại sứ Hàn Quốc", provinces=[HA_TINH], fetched_at=later)
        add_article(bot.db, "Nhật Bản tặng học bổng", countries=[JAPAN], fetched_at=later)
        deliver(bot, later + timedelta(minutes=1))
    tries = [(c.status, thread(c), check_html(c.text)[0].split("\n")[2])
             for c in bot.api.calls_of("sendMessage", ok_only=False)[before:] if c.chat_id == FORUM]
    # The first alert: refused in the deleted topic, then sent to General; the others of
    # that topic straight to General, this run and the next; topic 5 keeps its own.
    assert [(status, topic) for status, topic, _ in tries] == [(400, 9), (200, None), (200, None), (200, None),
                                                                 (200, TOPIC)]
    assert [title for status, _, title in tries if status == 200] == [
        "Hà Tĩnh ký kết hợp tác với tỉnh Bolikhamxay", "Hà Tĩnh đón đoàn doanh nghiệp Lào",
        "Hà Tĩnh tiếp Đại sứ Hàn Quốc", "Nhật Bản tặng học bổng"]
    assert rows(bot.db_path, "select code, thread_id from subscriptions where chat_id = ? order by rowid",
                [FORUM]) == [("JP", TOPIC), ("42", None)]
    assert rows(bot.db_path, "select thread_id from chats where chat_id = ?", [FORUM]) == [(None,)]  # it was 9
    assert rows(bot.db_path, "select thread_id, status from deliveries where chat_id = ? order by rowid", [FORUM]) == [
        (None, "sent"), (None, "sent"), (None, "sent"), (TOPIC, "sent")]
    logged = [r.getMessage() for r in caplog.records if "forum topic" in r.getMessage()]
    assert logged == [f"chat {FORUM}: forum topic 9 not found (deleted?); sending to the General topic from now on"]
    assert TOKEN not in caplog.text
