"""How news arrives (issue 15, point 3): /alerts, /quiet, /digest_weekly through the real PTB
`Application` over the fake Bot API, read back as the texts the bot sent; and the rules
underneath (quiet windows, the race between an alert and a digest) on a real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.alerts import QuietWindow, parse_window, plan_alerts
from bot.delivery import Pacing, run_digests
from bot.outbox import plan_digests, queue_articles
from ingest.pipeline import RunReport
from storage import deliveries as dlog
from storage import follow, open_db
from storage import subscriptions as store
from storage.deliveries import AlertMessage, ChatAlerts
from storage.times import now_iso
from tests.delivery_support import JAPAN, KOREA, add_article, ask, make_settings
from tests.fake_bot_api import BotThread, FakeBotAPI, check_html
from tests.test_delivery_api import say, settings_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ME = 42


@pytest.fixture
def bot(tmp_path):
    """The bot over the fake API, its own jobs removed: each test says when delivery runs."""
    db_path = tmp_path / "bot.db"
    open_db(db_path).close()
    with FakeBotAPI() as api:
        with BotThread(settings_for(api, db_path), db_path) as running:
            running.api, running.db = api, open_db(db_path)
            jobs = running.app.job_queue
            running.poll_hook = jobs.get_jobs_by_name("poll_feeds")[0].data.on_report
            in_bot(running, _remove_jobs(jobs))
            yield running
        assert [c.params for c in api.calls if c.status == 400] == []  # every text was valid Telegram HTML


async def _remove_jobs(jobs) -> None:
    for job in jobs.jobs():
        job.schedule_removal()


def in_bot(bot, coroutine, timeout: float = 30):
    return asyncio.run_coroutine_threadsafe(coroutine, bot._loop).result(timeout)


def deliver(bot, now: datetime, force: bool = False):
    """What the minute tick does at `now` (alerts, due digests, sending), without pacing waits."""
    ctx = bot.app.bot_data.ctx
    return in_bot(bot, run_digests(ctx.db, ctx.settings, ctx.delivery.sender, now=now, force=force,
                                   pacing=Pacing(rate=0, private_gap=0, group_gap=0)))


def turned_on(db, when: datetime) -> None:
    db.execute("update chats set alert_until = ? where chat_id = ?", [now_iso(when), ME])
    db.conn.commit()


def utc(moment: datetime) -> datetime:
    """As articles are stored (`storage.times`): UTC."""
    return moment.astimezone(timezone.utc)


def texts(bot, chat_id: int = ME, since: int = 0) -> list[str]:
    return [check_html(c.text)[0] for c in bot.api.sent(chat_id)[since:]]


def local(day: datetime, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day.date(), time(hour, minute), VN)


def test_alerts_on_each_article_once_as_soon_as_stored_off_then_only_the_digest(bot):
    assert "Đã đăng ký" in say(bot.api, "/subscribe nước Nhật Bản", ME, ME)
    assert say(bot.api, "/alerts bật", ME, ME).startswith("🔔 Đã bật báo tin ngay")
    assert say(bot.api, "/alerts on", ME, ME) == "Báo tin ngay đã bật rồi."
    listing = say(bot.api, "/subscriptions", ME, ME)
    assert "🔔 Báo tin ngay: bật" in listing and "⏰ Bản tin hằng ngày lúc 07:00 (giờ Việt Nam)" in listing
    now = datetime.now(timezone.utc)
    turned_on(bot.db, now - timedelta(minutes=1))  # not within the second the articles are stored
    first = add_article(bot.db, "Nhật Bản và Việt Nam nâng cấp quan hệ", countries=[JAPAN], fetched_at=now)
    add_article(bot.db, "Hàn Quốc mở văn phòng mới", countries=[KOREA], fetched_at=now)  # not followed
    second = add_article(bot.db, "Đại sứ Nhật Bản thăm Đà Nẵng", countries=[JAPAN], fetched_at=now)
    before = len(bot.api.sent(ME))
    in_bot(bot, bot.poll_hook(None, RunReport(new=3, new_ids=[first, second])))  # the bot's poll stored them
    alerts = texts(bot, since=before)
    assert len(alerts) == 2 and all(a.startswith("🔔 Tin mới · 🇯🇵 Nhật Bản") for a in alerts)
    assert "Nhật Bản và Việt Nam nâng cấp quan hệ" in alerts[0] and "Đại sứ Nhật Bản thăm Đà Nẵng" in alerts[1]
    deliver(bot, now + timedelta(minutes=1))  # the next ticks: nothing twice
    deliver(bot, now + timedelta(minutes=2))
    assert len(texts(bot)) == before + 2

    assert say(bot.api, "/alerts tắt", ME, ME).startswith("🔕 Đã tắt báo tin ngay.")
    later = now + timedelta(minutes=3)
    add_article(bot.db, "Nhật Bản tài trợ dự án nước sạch", countries=[JAPAN], fetched_at=later)
    deliver(bot, later + timedelta(minutes=1))
    assert len(texts(bot)) == before + 3  # the reply to /alerts tắt, no alert
    # Today's digest went out empty (everything was alerted): nothing sent. Tomorrow's
    # (`diplobot digest --now`, whatever the hour) has the article stored after /alerts tắt only.
    deliver(bot, later + timedelta(days=1), force=True)
    (digest,) = texts(bot, since=before + 3)
    assert digest.startswith("🗞 Bản tin ngoại giao") and "1 tin mới" in digest
    assert "Nhật Bản tài trợ dự án nước sạch" in digest
    assert "nâng cấp quan hệ" not in digest and "Đại sứ Nhật Bản thăm" not in digest


def test_quiet_window_holds_alerts_then_sends_them_as_one_message(bot):
    say(bot.api, "/subscribe nước Nhật Bản", ME, ME)
    say(bot.api, "/alerts on", ME, ME)
    for bad in ("25:00-99:00", "22:00", "22:00-22:00", "tối nay"):
        assert say(bot.api, f"/quiet {bad}", ME, ME).startswith("Giờ yên lặng không hợp lệ")
    assert store.get_chat(bot.db, ME)["quiet_start"] is None  # nothing stored
    assert say(bot.api, "/quiet 22h-7h", ME, ME).startswith("🌙 Giờ yên lặng: 22:00–07:00 (giờ Việt Nam).")
    night = local(datetime.now(VN) + timedelta(days=1), 23)
    add_article(bot.db, "Nhật Bản cử phái đoàn tới Hà Nội", countries=[JAPAN], fetched_at=utc(night))
    add_article(bot.db, "Thủ tướng Nhật Bản gửi điện mừng", countries=[JAPAN], fetched_at=utc(night + timedelta(hours=3)))
    before = len(bot.api.sent(ME))
    assert deliver(bot, night + timedelta(hours=4)).alerts.held == 1  # 03:00: held
    assert len(texts(bot)) == before
    deliver(bot, night + timedelta(hours=8, minutes=1))  # 07:01: the window is over
    (held,) = texts(bot, since=before)  # one message, and no digest: both were alerted
    assert held.startswith("🌙 2 tin mới trong giờ yên lặng (22:00–07:00)")
    assert "Nhật Bản cử phái đoàn tới Hà Nội" in held and "Thủ tướng Nhật Bản gửi điện mừng" in held
    add_article(bot.db, "Nhật Bản mở lãnh sự quán", countries=[JAPAN], fetched_at=utc(night + timedelta(hours=9)))
    deliver(bot, night + timedelta(hours=9, minutes=1))  # by day: one alert per article again
    assert texts(bot, since=before + 1)[0].startswith("🔔 Tin mới")
    assert "22:00–07:00" in say(bot.api, "/subscriptions", ME, ME)
    assert say(bot.api, "/quiet tắt", ME, ME).startswith("Đã bỏ giờ yên lặng")
    assert store.get_chat(bot.db, ME)["quiet_start"] is None


def test_weekly_digest_on_monday_at_the_chats_time_in_its_zone(bot):
    say(bot.api, "/subscribe nước Nhật Bản", ME, ME)
    assert say(bot.api, "/digest_weekly", ME, ME).startswith(
        "🗓 Bản tin sẽ gửi hằng tuần, vào thứ Hai lúc 07:00 (giờ Việt Nam)")
    bot.db.execute("update chats set timezone = 'Asia/Tokyo' where chat_id = ?", [ME])
    bot.db.conn.commit()
    tokyo = ZoneInfo("Asia/Tokyo")
    today = datetime.now(tokyo)
    monday = datetime.combine((today + timedelta(days=7 - today.weekday())).date(), time(7, 30), tokyo)
    add_article(bot.db, "Nhật Bản và Việt Nam ký hiệp định", countries=[JAPAN], fetched_at=utc(monday - timedelta(hours=12)))
    before = len(bot.api.sent(ME))
    assert deliver(bot, monday - timedelta(days=1)).plan.due == 0  # Sunday: not due
    assert deliver(bot, monday - timedelta(hours=1)).plan.due == 0  # Monday 06:30 in Tokyo: not yet
    deliver(bot, monday)  # Monday 07:30 in Tokyo (05:30 in Hà Nội)
    (weekly,) = texts(bot, since=before)
    assert weekly.startswith(f"🗞 Bản tin ngoại giao hằng tuần ({monday:%d/%m/%Y})")
    assert "tin mới trong tuần" in weekly and "Nhật Bản và Việt Nam ký hiệp định" in weekly
    assert deliver(bot, monday + timedelta(hours=2)).plan.due == 0  # once
    assert "hằng tuần vào thứ Hai" in say(bot.api, "/subscriptions", ME, ME)
    daily = say(bot.api, "/digest_daily", ME, ME)
    assert daily.startswith("🗓 Bản tin sẽ gửi hằng ngày lúc 07:00 (") and "Tokyo" in daily
    assert store.get_chat(bot.db, ME)["digest_frequency"] == "daily"


def test_group_changes_need_an_admin_and_bad_words_are_refused(bot):
    group = -100900
    bot.api.admins[group] = {7}
    for text in ("/alerts on", "/quiet 22:00-06:00", "/digest_weekly"):
        assert say(bot.api, text, group, 8, "supergroup").startswith("Chỉ quản trị viên của nhóm")
    chat = store.get_chat(bot.db, group) or {}
    assert not chat.get("alerts") and chat.get("quiet_start") is None and chat.get("digest_frequency") in (None, "daily")
    assert say(bot.api, "/alerts on", group, 7, "supergroup").startswith("🔔 Đã bật")
    assert say(bot.api, "/alerts có lẽ", ME, ME).startswith("Không hiểu «có lẽ». Cách dùng: /alerts on")
    assert say(bot.api, "/alerts", ME, ME).startswith("Báo tin ngay đang tắt.")
    assert not (store.get_chat(bot.db, ME) or {}).get("alerts")


# --- the rules underneath, on a real file ------------------------------------------------------

@pytest.mark.parametrize("typed, window", [
    ("22:00-07:00", ("22:00", "07:00")), ("22h - 7h", ("22:00", "07:00")), ("22:30 đến 06:15", ("22:30", "06:15")),
    ("13:00–14:00", ("13:00", "14:00")), ("25:00-99:00", None), ("22:00", None), ("7:00-7h", None), ("", None),
    ("٢٢:00-07:00", None),
])
def test_parse_window(typed, window):
    found = parse_window(typed)
    assert (found and (f"{found.start:%H:%M}", f"{found.end:%H:%M}")) == (window or None)


def test_a_window_past_midnight_holds_until_its_end():
    window = QuietWindow(time(22), time(7))
    at = lambda h, m=0: datetime(2026, 1, 5, h, m, tzinfo=VN)  # noqa: E731
    assert [window.holds(at(h)) for h in (21, 22, 23, 0, 6)] == [False, True, True, True, True]
    assert not window.holds(at(7)) and window.last_end(at(6, 59)) == at(7) - timedelta(days=1)


def test_an_alert_that_raced_the_digest_leaves_the_chat_to_the_next_run(tmp_path):
    """Another process alerted an article between this run's planning and its recording:
    the digest is not recorded with it; the next run plans the digest without it."""
    db, settings = open_db(tmp_path / "d.db"), make_settings(DIPLOBOT_DIGEST_TIME="00:00")
    ask(db, settings, "subscribe", "nước Nhật Bản")
    now = datetime.now(timezone.utc) + timedelta(minutes=1)
    racing = add_article(db, "Nhật Bản hỗ trợ miền Trung", countries=[JAPAN], fetched_at=now)
    other = add_article(db, "Nhật Bản và ASEAN", countries=[JAPAN], fetched_at=now)
    (digest,) = plan_digests(db, settings, now + timedelta(minutes=1), dry_run=True).digests
    assert sorted(digest.article_ids) == [racing, other]
    follow.set_alerts(db, ME, True, now)  # the other process: /alerts on, then an alert for `racing`
    assert dlog.record_alerts(db, [ChatAlerts(ME, now_iso(now), now_iso(now), [
        AlertMessage(f"a{racing}", [racing], ["🔔 Nhật Bản hỗ trợ miền Trung"])])]) == [ME]
    day = digest.day.isoformat()
    assert dlog.record_digests(db, [(ME, day, now_iso(now), digest.topics)]) == []
    assert store.get_chat(db, ME)["digest_day"] is None and not dlog.pending(db)[ME][1:]  # the alert only
    again = plan_digests(db, settings, now + timedelta(minutes=2))
    assert again.recorded == [ME] and again.digests[0].article_ids == [other]
    assert plan_alerts(db, settings, now + timedelta(minutes=3)).messages == 0  # `other` was in the digest


def test_a_weekly_digest_reaches_back_to_the_previous_one_run_later_in_the_day(tmp_path):
    db, settings = open_db(tmp_path / "d.db"), make_settings()
    ask(db, settings, "subscribe", "nước Nhật Bản")
    ask(db, settings, "digest_weekly")
    today = datetime.now(VN)
    monday = datetime.combine((today + timedelta(days=7 - today.weekday())).date(), time(7, 1), VN)
    assert plan_digests(db, settings, monday).recorded == [ME]  # nothing yet: nothing sent
    stored = add_article(db, "Nhật Bản tặng trang thiết bị y tế", countries=[JAPAN],
                         fetched_at=utc(monday + timedelta(minutes=2)))
    assert plan_digests(db, settings, monday + timedelta(days=6)).due == 0  # Sunday
    week = plan_digests(db, settings, monday + timedelta(days=7, minutes=4))  # a week and 4 minutes later
    assert week.digests[0].article_ids == [stored]


def test_a_weekly_chat_subscribing_is_told_monday(tmp_path):
    db, settings = open_db(tmp_path / "d.db"), make_settings()
    ask(db, settings, "digest_weekly")
    assert "Bản tin hằng tuần gửi vào thứ Hai lúc 07:00" in ask(db, settings, "subscribe", "nước Nhật Bản").text


def test_an_operator_channel_with_alerts_gets_each_article_once(tmp_path):
    """A DIPLOBOT_CHANNELS channel (DIPLOBOT_BROADCAST=each) that also follows with /alerts on:
    the broadcast and the alert would carry the same article; chat_articles keeps it to one."""
    db = open_db(tmp_path / "d.db")
    settings = make_settings(DIPLOBOT_CHANNELS="-1001", DIPLOBOT_BROADCAST="each")
    channel = -1001
    store.ensure_chat(db, channel, "channel")
    store.subscribe(db, channel, "country", "JP", "Nhật Bản")
    now = datetime.now(timezone.utc)
    follow.set_alerts(db, channel, True, now - timedelta(minutes=1))
    first = add_article(db, "Nhật Bản hỗ trợ miền Trung", countries=[JAPAN], fetched_at=now)
    second = add_article(db, "Nhật Bản và ASEAN", countries=[JAPAN], fetched_at=now)
    assert plan_alerts(db, settings, now + timedelta(seconds=1)).messages == 2  # alerted first
    assert queue_articles(db, settings, [channel], [first, second]) == 0  # then broadcast: nothing new
    third = add_article(db, "Nhật Bản và Mê Kông", countries=[JAPAN], fetched_at=now + timedelta(seconds=2))
    assert queue_articles(db, settings, [channel], [third]) == 1  # broadcast first
    assert plan_alerts(db, settings, now + timedelta(seconds=3)).messages == 0  # then no alert for it
    items = [r[0] for r in db.execute("select item from deliveries where chat_id = ? order by rowid", [channel])]
    assert len(items) == 3
    assert {r[0] for r in db.execute("select article_id from chat_articles where chat_id = ?", [channel])} == {
        first, second, third}


def test_the_terminal_chat_is_told_alerts_need_telegram_and_nothing_is_stored(tmp_path):
    db, settings = open_db(tmp_path / "d.db"), make_settings()
    reply = ask(db, settings, "alerts", "bật", chat_id=0, user_id=0)
    assert reply.html.startswith("Báo tin ngay chỉ gửi được qua Telegram.")
    assert db.execute("select count(*) from chats where alerts != 0").fetchone() == (0,)
    assert ask(db, settings, "alerts", "bật").html.startswith("🔔 Đã bật báo tin ngay")  # a Telegram chat
