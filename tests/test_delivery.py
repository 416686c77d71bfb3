"""The delivery engine against an in-process sender that fails on cue: exactly once,
through crashes, blocks, floods, migrations and timeouts."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import httpx
import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery import CONCURRENCY, Deliverer, Pacing, broadcast_new_articles, run_digests
from bot.outbox import ChatInfo
from storage import chats
from storage import deliveries as dlog
from storage import open_db
from storage import subscriptions as store
from storage.times import now_iso
from tests.delivery_support import (
    BINH_DUONG, JAPAN, KOREA, NOW, Crash, FakeSender, add_article, make_settings,
)

FAST = dict(rate=0, private_gap=0, group_gap=0)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "d.db")


def subscribers(db, chat_ids, kind="country", code="JP", value="Nhật Bản"):
    for chat_id in chat_ids:
        store.ensure_chat(db, chat_id, "private" if chat_id > 0 else "supergroup")
        store.subscribe(db, chat_id, kind, code, value)
    db.execute("update subscriptions set created_at = ?", [now_iso(NOW - timedelta(days=3))])
    db.execute("update chats set created_at = ?", [now_iso(NOW - timedelta(days=3))])
    db.conn.commit()


def digests(db, sender, settings=None, now=NOW, **kw):
    kw.setdefault("pacing", Pacing(**FAST))
    return asyncio.run(run_digests(db, settings or make_settings(), sender, now=now, force=True, **kw))


def statuses(db):
    return dict(db.execute("select status, count(*) from deliveries group by status").fetchall())


def test_one_digest_per_subscriber_and_a_second_run_sends_nothing(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, range(1, 21))
    sender = FakeSender()
    run = digests(db, sender)
    assert run.delivery.sent == 20 and sorted(c for c, _, _ in sender.sent) == list(range(1, 21))
    again = digests(db, sender)
    assert (again.plan.due, again.delivery.sent) == (0, 0) and len(sender.sent) == 20
    assert statuses(db) == {"sent": 20}
    row = db.execute("select message_id, sent_at from deliveries where chat_id = 3").fetchone()
    assert row[0] and row[1]
    assert store.get_chat(db, 3)["last_digest_at"]


def test_crash_mid_batch_then_restart_sends_exactly_the_rest(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, range(1, 31))
    sender = FakeSender()
    sender.crash_after = 12
    with pytest.raises(Crash):
        digests(db, sender, concurrency=4)
    delivered = {c for c, _, _ in sender.sent}
    assert len(delivered) == 12
    in_flight = statuses(db).get("sending", 0)
    assert in_flight >= 1  # claimed, then the process "died"
    sender.crash_after = None
    rerun = asyncio.run(run_digests(db, make_settings(), sender, now=NOW, force=True, pacing=Pacing(**FAST),
                                    stale_after=timedelta(0)))
    assert rerun.plan.due == 0  # the digests were planned once
    assert rerun.recovered == in_flight  # 'sending' at start: uncertain, not resent
    counts = [c for c, _, _ in sender.sent]
    assert len(counts) == len(set(counts))  # no duplicates
    assert len(set(counts)) + in_flight == 30  # none lost: sent, or reported uncertain
    assert statuses(db) == {"sent": 30 - in_flight, "uncertain": in_flight}


def test_young_sending_rows_are_left_to_their_run(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, [1])
    sender = FakeSender()
    sender.crash_after = 0
    with pytest.raises(Crash):
        digests(db, sender)
    assert digests(db, sender).recovered == 0  # another process may still be sending it
    assert statuses(db) == {"sending": 1} and sender.sent == []


def test_blocked_chat_is_marked_and_skipped_next_time(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, [1, 2, 3])
    sender = FakeSender()
    sender.fail[2] = [Forbidden("Forbidden: bot was blocked by the user")]
    run = digests(db, sender)
    assert (run.delivery.sent, run.delivery.blocked) == (2, 1)
    assert store.get_chat(db, 2)["blocked"] == 1
    add_article(db, "Nhật Bản 2", countries=[JAPAN], fetched_at=NOW + timedelta(hours=1))
    tomorrow = digests(db, sender, now=NOW + timedelta(days=1))
    assert [d.chat_id for d in tomorrow.plan.digests] == [1, 3]
    chats.set_blocked(db, 2, False)  # my_chat_member: the user unblocked the bot
    later = digests(db, sender, now=NOW + timedelta(days=2))
    assert later.plan.due == 3  # due again, with what it missed while blocked
    assert len(sender.to(2)) == 1 and "Nhật Bản 2" in sender.to(2)[0]


def test_forbidden_skips_the_rest_of_that_chats_messages(db):
    dlog.enqueue(db, [{"chat_id": 5, "item": f"x#{i}", "kind": "announce", "payload": f"phần {i}"} for i in (1, 2, 3)])
    store.ensure_chat(db, 5)
    sender = FakeSender()
    sender.fail[5] = [None, Forbidden("Forbidden: bot was kicked")]
    report = asyncio.run(Deliverer(db, sender, Pacing(**FAST)).run())
    assert sender.to(5) == ["phần 1"] and report.skipped == 1
    assert statuses(db) == {"sent": 1, "blocked": 1, "skipped": 1}


def test_retry_after_in_the_middle_of_a_fan_out_drops_nothing(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, range(1, 11))
    sender = FakeSender()
    sender.fail[5] = [RetryAfter(1)]
    started = time.monotonic()
    run = digests(db, sender, concurrency=1)
    elapsed = time.monotonic() - started
    assert run.delivery.retry_after == 1 and run.delivery.sent == 10
    assert sorted(c for c, _, _ in sender.sent) == list(range(1, 11))  # each once
    assert elapsed >= 1.0
    after_flood = [t for c, _, t in sender.sent if c >= 5]
    assert min(after_flood) - max(t for c, _, t in sender.sent if c < 5) >= 0.95  # everything paused


def test_supergroup_migration_moves_the_chat_and_retries_there(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, [-300])
    sender = FakeSender()
    sender.fail[-300] = [ChatMigrated(-100300)]
    run = digests(db, sender)
    assert run.delivery.migrated == 1 and len(sender.to(-100300)) == 1 and sender.to(-300) == []
    assert store.get_chat(db, -300) is None and store.get_chat(db, -100300)["type"] == "supergroup"
    assert {s["code"] for s in store.list_subscriptions(db, -100300)} == {"JP"}
    assert db.execute("select chat_id, status from deliveries").fetchall() == [(-100300, "sent")]


def test_bad_request_fails_one_message_and_the_batch_goes_on(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, [1, 2, 3])
    sender = FakeSender()
    sender.fail[1] = [BadRequest("Bad Request: can't parse entities")]
    run = digests(db, sender)
    assert (run.delivery.failed, run.delivery.sent) == (1, 2)
    error = db.execute("select status, error from deliveries where chat_id = 1").fetchone()
    assert error == ("failed", "Can't parse entities")  # PTB's message, without its "Bad Request: " prefix


def test_timeout_is_uncertain_and_not_resent_unless_asked(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, [1, 2])
    sender = FakeSender()
    sender.fail[1] = [TimedOut()]
    run = digests(db, sender)
    assert (run.delivery.uncertain, run.delivery.sent) == (1, 1)
    assert digests(db, sender).delivery.sent == 0  # not blindly resent
    assert sender.to(1) == []
    asked = digests(db, sender, retry_uncertain=True)  # the operator's call
    assert asked.requeued == 1 and len(sender.to(1)) == 1


def test_a_request_that_never_left_stays_pending(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, [1, 2])
    sender = FakeSender()
    refused = NetworkError("httpx.ConnectError: connection refused")
    refused.__cause__ = httpx.ConnectError("refused")
    sender.fail[1] = [refused]
    run = digests(db, sender, concurrency=1)
    assert run.delivery.aborted and run.delivery.sent == 0
    assert statuses(db) == {"pending": 2}
    assert digests(db, sender).delivery.sent == 2  # the next run delivers them


def test_one_chats_messages_in_order_and_a_second_apart(db):
    parts = [{"chat_id": 9, "item": f"2025-07-02#{i}", "kind": "digest", "payload": f"phần {i}"} for i in (1, 2, 3)]
    others = [{"chat_id": c, "item": "a", "kind": "announce", "payload": "x"} for c in (10, 11)]
    dlog.enqueue(db, parts + others)
    sender = FakeSender()
    asyncio.run(Deliverer(db, sender, Pacing(rate=0, private_gap=0.2, group_gap=0.5)).run())
    assert sender.to(9) == ["phần 1", "phần 2", "phần 3"]
    times = [t for c, _, t in sender.sent if c == 9]
    assert all(b - a >= 0.19 for a, b in zip(times, times[1:]))
    assert sender.sent[1][0] != 9  # other chats went in between


def test_overall_rate_is_respected(db):
    dlog.enqueue(db, [{"chat_id": c, "item": "a", "kind": "announce", "payload": "x"} for c in range(1, 41)])
    sender = FakeSender()
    report = asyncio.run(Deliverer(db, sender, Pacing(rate=100, private_gap=0, group_gap=0)).run())
    times = sorted(t for _, _, t in sender.sent)
    assert report.sent == 40
    assert report.seconds >= 37 / 100  # 100 per second: two slots of catch-up, never a burst
    # At most a window's share plus the sends already given slots when the event loop stalls
    # (a loaded machine): those wake together, but never the whole batch at once.
    assert max(sum(1 for t in times if s <= t < s + 0.2) for s in times) <= 20 + CONCURRENCY < 40


def test_two_runs_at_once_never_send_a_row_twice(db):
    add_article(db, "Nhật Bản", countries=[JAPAN])
    subscribers(db, range(1, 41))
    sender = FakeSender(delay=0.002)
    settings = make_settings()

    async def both():
        return await asyncio.gather(
            run_digests(db, settings, sender, now=NOW, force=True, pacing=Pacing(**FAST), concurrency=3),
            run_digests(open_db(db.conn.execute("pragma database_list").fetchone()[2]), settings, sender,
                        now=NOW, force=True, pacing=Pacing(**FAST), concurrency=3),
        )

    first, second = asyncio.run(both())
    chats = [c for c, _, _ in sender.sent]
    assert sorted(chats) == list(range(1, 41))
    assert first.delivery.sent + second.delivery.sent == 40


def test_each_new_article_goes_to_the_channels_once(db):
    settings = make_settings(DIPLOBOT_CHANNELS="-1001,@tin_ngoai_giao", DIPLOBOT_BROADCAST="each")
    sender = FakeSender()
    sender.chats["@tin_ngoai_giao"] = ChatInfo(-1002, "channel", "Tin ngoại giao", "tin_ngoai_giao")
    diplomatic = add_article(db, "Bình Dương đón đại sứ", provinces=[BINH_DUONG], countries=[KOREA])
    other = add_article(db, "Giá lúa", score=0.1)
    report = asyncio.run(broadcast_new_articles(db, settings, sender, [diplomatic, other], Pacing(**FAST)))
    assert report.sent == 2 and {c for c, _, _ in sender.sent} == {-1001, -1002}
    assert all("Bình Dương đón đại sứ" in text for _, text, _ in sender.sent)
    asyncio.run(broadcast_new_articles(db, settings, sender, [diplomatic], Pacing(**FAST)))
    assert len(sender.sent) == 2 and sender.get_chat_calls == 1  # @username resolved once, stored
    assert store.chat_by_username(db, "@tin_ngoai_giao")["chat_id"] == -1002


def test_daily_broadcast_gives_channels_a_digest_of_everything(db):
    settings = make_settings(DIPLOBOT_CHANNELS="-1001", DIPLOBOT_BROADCAST="daily")
    store.ensure_chat(db, -1001, "channel")
    db.execute("update chats set created_at = ?", [now_iso(NOW - timedelta(days=3))])
    db.conn.commit()
    add_article(db, "Nhật Bản", countries=[JAPAN])
    add_article(db, "Hàn Quốc", countries=[KOREA])
    sender = FakeSender()
    run = digests(db, sender, settings)
    assert run.delivery.sent == 1
    text = sender.to(-1001)[0]
    assert "Nhật Bản" in text and "Hàn Quốc" in text and "/subscriptions" not in text
    assert asyncio.run(broadcast_new_articles(db, settings, sender, [1, 2])).sent == 0  # not 'each'


# --- the `diplobot digest` command -------------------------------------------------------------

def cli_env(db_path, **extra):
    return {"DIPLOBOT_DB": str(db_path), "TELEGRAM_BOT_TOKEN": "", "DIPLOBOT_DIPLOMATIC_THRESHOLD": "0.5", **extra}


def test_cli_digest_needs_a_token_unless_dry_run(tmp_path):
    from click.testing import CliRunner

    from diplobot.cli import cli

    result = CliRunner().invoke(cli, ["digest"], env=cli_env(tmp_path / "d.db"))
    assert result.exit_code == 2
    assert "TELEGRAM_BOT_TOKEN" in result.output and "Traceback" not in result.output


def test_cli_dry_run_prints_and_records_nothing(tmp_path):
    from click.testing import CliRunner

    from diplobot.cli import cli

    db = open_db(tmp_path / "d.db")
    add_article(db, "Nhật Bản và Việt Nam", countries=[JAPAN], fetched_at=None)
    db.execute("update articles set fetched_at = ?", [now_iso()])
    db.conn.commit()
    subscribers(db, [77])
    db.execute("update subscriptions set created_at = ?", [now_iso()])
    db.conn.commit()
    result = CliRunner().invoke(cli, ["digest", "--dry-run", "--now"], env=cli_env(tmp_path / "d.db"))
    assert result.exit_code == 0, result.output
    assert "chat 77" in result.output and "Nhật Bản và Việt Nam" in result.output
    assert "dry run, nothing sent" in result.output
    assert db.execute("select count(*) from deliveries").fetchone()[0] == 0
    assert store.get_chat(db, 77)["digest_day"] is None


def test_the_bots_minute_job_sends_due_digests_and_never_overlaps(db):
    from bot.delivery import DeliveryService

    add_article(db, "Nhật Bản", countries=[JAPAN], fetched_at=None)
    db.execute("update articles set fetched_at = ?", [now_iso()])
    subscribers(db, [1, 2])
    db.execute("update subscriptions set created_at = ?", [now_iso()])
    db.execute("update chats set digest_time = '00:00'")  # due whenever the test runs
    db.conn.commit()
    sender = FakeSender(delay=0.05)
    service = DeliveryService(db, make_settings(), sender, Pacing(**FAST))

    async def two_ticks_at_once():
        await asyncio.gather(service.tick(), service.tick())
        await service.tick()  # a minute later: nothing new

    asyncio.run(two_ticks_at_once())
    assert sorted(c for c, _, _ in sender.sent) == [1, 2]
    assert service.last_run.plan.due == 0


def test_schedule_jobs_registers_one_repeating_job(db):
    from types import SimpleNamespace

    from bot.delivery import DeliveryService, schedule_jobs

    jobs = []
    queue = SimpleNamespace(run_repeating=lambda callback, **kw: jobs.append((callback, kw)))
    app = SimpleNamespace(bot=object(), job_queue=queue)
    service = schedule_jobs(app, db, make_settings())
    assert isinstance(service, DeliveryService) and service.sender.bot is app.bot
    assert len(jobs) == 1 and jobs[0][0] == service.tick and jobs[0][1]["interval"] == 60


def test_each_mode_catches_up_articles_stored_by_another_process(db):
    from datetime import datetime, timezone

    settings = make_settings(DIPLOBOT_CHANNELS="-1001", DIPLOBOT_BROADCAST="each")
    now = datetime.now(timezone.utc)
    store.ensure_chat(db, -1001, "channel")
    db.execute("update chats set created_at = ?", [now_iso(now - timedelta(hours=1))])  # configured then
    before = add_article(db, "Trước khi có kênh", countries=[JAPAN], fetched_at=now - timedelta(hours=2))
    add_article(db, "Sau khi có kênh", countries=[JAPAN], fetched_at=now - timedelta(minutes=30))
    sender = FakeSender()
    run = asyncio.run(run_digests(db, settings, sender, pacing=Pacing(**FAST)))
    assert run.caught_up == 1 and len(sender.to(-1001)) == 1 and "Sau khi có kênh" in sender.to(-1001)[0]
    assert asyncio.run(run_digests(db, settings, sender, pacing=Pacing(**FAST))).caught_up == 0
    assert asyncio.run(broadcast_new_articles(db, settings, sender, [before])).sent == 1  # asked for: sent


def test_wake_sends_a_fresh_announcement_without_waiting_for_the_job(db):
    from bot.delivery import DeliveryService
    from bot.outbox import queue_announcement

    sender = FakeSender()
    service = DeliveryService(db, make_settings(), sender, Pacing(**FAST))

    async def announce():
        queue_announcement(db, "Bảo trì lúc 22:00", [5, 6])
        service.wake()
        while len(sender.sent) < 2:
            await asyncio.sleep(0.01)

    asyncio.run(asyncio.wait_for(announce(), 5))
    assert sorted(c for c, _, _ in sender.sent) == [5, 6] and "Bảo trì lúc 22:00" in sender.sent[0][1]


# --- shutdown while sending --------------------------------------------------------------------

def announcements(db, chat_ids) -> None:
    dlog.enqueue(db, [{"chat_id": c, "item": "n1", "kind": "announce", "payload": "Thông báo"} for c in chat_ids])


def run_bounded(main, path, timeout: float = 10.0):
    """`asyncio.run(main(db))` in a thread on its own connection to `path`; a hang fails the
    test instead of the whole run."""
    import threading

    result: dict = {}

    def target():
        try:
            result["value"] = asyncio.run(main(open_db(path)))
        except BaseException as exc:  # handed to the test
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "asyncio.run never returned: a delivery log waited for its cancelled writer"
    if "error" in result:
        raise result["error"]
    return result.get("value")


def test_exit_while_sending_does_not_hang_and_records_every_claim(db, tmp_path):
    """`asyncio.run` cancels every task at exit, the delivery log's writer with the run that
    must close it: the run still closes its log, and no row stays 'sending'."""
    announcements(db, range(1, 31))
    sender = FakeSender(delay=0.5)

    async def main(own):
        asyncio.ensure_future(Deliverer(own, sender, Pacing(**FAST), concurrency=4).run())
        await asyncio.sleep(0.75)  # one round sent, the next in flight; then the loop exits

    run_bounded(main, tmp_path / "d.db")
    counts = statuses(db)
    assert "sending" not in counts
    assert counts["sent"] == len(sender.sent) == 4 and counts["uncertain"] == 4  # the 4 interrupted mid-send
    assert counts["pending"] == 22
    errors = {r[0] for r in db.execute("select error from deliveries where status = 'uncertain'")}
    assert errors == {"interrupted by shutdown"}


def test_service_shutdown_lets_sends_in_flight_finish(db, tmp_path):
    from bot.delivery import DeliveryService

    announcements(db, range(1, 31))
    sender = FakeSender(delay=0.5)

    async def main(own):
        service = DeliveryService(own, make_settings(), sender, Pacing(**FAST))
        service.wake()
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        await service.shutdown(grace=2.0)
        service.wake()  # ignored once stopping: the rest waits for the next run
        await service.tick()
        return time.perf_counter() - started

    assert run_bounded(main, tmp_path / "d.db") < 1.5  # the in-flight sends' 0.5 s, not the grace
    assert statuses(db) == {"sent": 16, "pending": 14}  # CONCURRENCY sends were in flight; none cut off
    assert len(sender.sent) == 16


def test_service_shutdown_cancels_a_send_that_outlives_the_grace(db, tmp_path):
    from bot.delivery import DeliveryService

    announcements(db, [1, 2])
    sender = FakeSender(delay=30)

    async def main(own):
        service = DeliveryService(own, make_settings(), sender, Pacing(**FAST))
        service.wake()
        await asyncio.sleep(0.1)
        await service.shutdown(grace=0.2)

    run_bounded(main, tmp_path / "d.db")
    assert statuses(db) == {"uncertain": 2}  # it may have reached Telegram: never resent blindly
