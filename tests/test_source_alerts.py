"""A source that keeps failing says so: one message to every admin after 5 failed polls in a row (or
24 h without success), one when it works again, none in between — through the real PTB Bot and the
fake Bot API, after real polling rounds against a local site."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

from telegram import Bot

from bot.feeds import announce_source_health
from bot.polling import PollState, poll_job
from bot.registry import BotContext
from diplobot.settings import Settings
from ingest.models import IngestOptions
from ingest.polling import poll
from storage import open_db
from storage.sources import add_source, claim_health_changes, get_source, record_failure, record_success
from tests.fake_bot_api import TOKEN, FakeBotAPI
from tests.news_site import item, rss

ADMINS = (9001, 9002)
T0 = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)


def settings(api: FakeBotAPI, **env: str) -> Settings:
    return Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                              "DIPLOBOT_ADMINS": ",".join(map(str, ADMINS)), "DIPLOBOT_FEEDS": "none",
                              "DIPLOBOT_ALLOW_PRIVATE_URLS": "1", **env})


def four_failures(local_site, tmp_path, status: int):
    """A polled feed that answers `status`, with four failures on record: the next poll is the fifth."""
    local_site.add("/rss", "lỗi", status=status)
    feed = local_site.url("/rss")
    path = tmp_path / "d.db"
    db = open_db(path)
    add_source(db, feed)
    for k in range(4):
        record_failure(db, feed, f"http_{status}", interval=timedelta(minutes=30), now=T0 + timedelta(hours=k))
    return feed, path, db


def announce(api: FakeBotAPI, db, conf: Settings, now: datetime) -> int:
    async def go() -> int:
        async with Bot(TOKEN, base_url=api.base_url) as bot:
            return await announce_source_health(bot, db, conf, now=now)
    return asyncio.run(go())


def test_one_alert_after_five_failures_and_one_on_recovery(local_site, tmp_path, summarizer):
    local_site.add("/rss", "lỗi máy chủ", status=500)
    feed = local_site.url("/rss")
    db = open_db(tmp_path / "d.db")
    add_source(db, feed, "Báo Địa phương")
    options = IngestOptions(allow_private=True)
    with FakeBotAPI() as api:
        conf = settings(api)
        now, sent_after = T0, []
        for _ in range(7):  # each round when the backoff ends
            poll(db, summarizer, options, now=now)
            announce(api, db, conf, now)
            sent_after.append(len(api.sent()))
            now = datetime.fromisoformat(get_source(db, feed)["backoff_until"])
        assert sent_after == [0, 0, 0, 0, 2, 2, 2]  # the 5th failure: one message to each admin, then none
        for admin in ADMINS:
            [alert] = api.sent(admin)
            assert feed in alert.text and "Báo Địa phương" in alert.text
            assert "lỗi 5 lần liên tiếp" in alert.text and "lỗi HTTP 500" in alert.text

        # The source works again: one message each, then silence.
        page = local_site.add_file("/a.html", "soctrang_toa_dam.html")
        local_site.add("/rss", rss("Báo Địa phương", [item("Tọa đàm", page)]), "application/rss+xml")
        for _ in range(3):
            poll(db, summarizer, options, now=now)
            announce(api, db, conf, now)
            now += timedelta(minutes=30)
        for admin in ADMINS:
            assert [c.text for c in api.sent(admin)][1:] == [f"✅ Nguồn Báo Địa phương ({feed}) đã hoạt động trở lại."]
        assert len(api.sent()) == 4


def test_a_day_without_success_alerts_before_five_failures(tmp_path):
    db = open_db(tmp_path / "d.db")
    url = "https://example.vn/rss"
    record_failure(db, url, "timeout", interval=timedelta(hours=12), now=T0)
    record_failure(db, url, "timeout", interval=timedelta(hours=12), now=T0 + timedelta(hours=12))
    assert claim_health_changes(db, T0 + timedelta(hours=23), configured=[url]) == []
    assert claim_health_changes(db, T0 + timedelta(hours=24)) == []  # read once by hand, not polled: no alert
    [down] = claim_health_changes(db, T0 + timedelta(hours=24), configured=[url])  # DIPLOBOT_FEEDS, the catalogue
    assert (down.state, down.errors, down.reason, down.since) == ("down", 2, "timeout", T0.isoformat())
    record_failure(db, url, "timeout", interval=timedelta(hours=12), now=T0 + timedelta(hours=36))
    assert claim_health_changes(db, T0 + timedelta(hours=48), configured=[url]) == []  # announced once
    record_success(db, url, now=T0 + timedelta(hours=50))
    assert [c.state for c in claim_health_changes(db, T0 + timedelta(hours=50), configured=[url])] == ["up"]
    assert claim_health_changes(db, T0 + timedelta(hours=51), configured=[url]) == []
    assert get_source(db, url)["failing_since"] is None


def test_no_admins_no_claim_and_the_poll_job_announces(local_site, tmp_path, summarizer):
    """Without DIPLOBOT_ADMINS nothing is claimed (admins added later still hear of it); the bot's
    polling job announces after its round."""
    feed, path, db = four_failures(local_site, tmp_path, 404)
    with FakeBotAPI() as api:
        assert announce(api, db, settings(api, DIPLOBOT_ADMINS=""), T0 + timedelta(days=3)) == 0
        assert get_source(db, feed)["alerted_at"] is None

        conf = settings(api)

        async def round_in_bot():
            async with Bot(TOKEN, base_url=api.base_url) as bot:
                state = PollState(db_path=str(path), settings=conf, summarizer=summarizer)
                context = SimpleNamespace(job=SimpleNamespace(data=state), bot=bot,
                                          bot_data=SimpleNamespace(ctx=BotContext(db=db, settings=conf)))
                return await poll_job(context)

        report = asyncio.run(round_in_bot())
        assert report.sources_failed == 1 and get_source(db, feed)["errors"] == 5
        assert sorted(c.chat_id for c in api.sent()) == list(ADMINS)
        assert "lỗi HTTP 404" in api.sent(ADMINS[0])[0].text


def test_diplobot_poll_by_cron_alerts_the_admins_too(local_site, tmp_path):
    """Polled by `diplobot poll` (cron), no bot running: the 5th failure still reaches every admin, once."""
    root = Path(__file__).resolve().parent.parent
    feed, path, db = four_failures(local_site, tmp_path, 502)
    db.close()
    with FakeBotAPI() as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
        env.update(PYTHONPATH=str(root), DIPLOBOT_DB=str(path), DIPLOBOT_FEEDS="none", TELEGRAM_BOT_TOKEN=TOKEN,
                   TELEGRAM_API_BASE_URL=api.base_url, DIPLOBOT_ADMINS=",".join(map(str, ADMINS)),
                   DIPLOBOT_ALLOW_PRIVATE_URLS="1")
        for expected in (1, 0):  # the one source fails; then it is backing off, nothing to read
            done = subprocess.run([sys.executable, "-m", "diplobot.cli", "poll"], capture_output=True, text=True,
                                  env=env, cwd=root, timeout=120)
            assert done.returncode == expected and "Traceback" not in done.stderr, done.stderr
        assert sorted(c.chat_id for c in api.sent()) == list(ADMINS)  # the second poll: backing off, no repeat
        assert "lỗi HTTP 502" in api.sent(ADMINS[1])[0].text and TOKEN not in done.stderr
