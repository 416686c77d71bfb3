"""Polling: due feeds read once a round, failing feeds backed off (doubling up to 24 h), stalled servers
and huge feeds bounded, the PTB job."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from diplobot.settings import Settings, SettingsError
from ingest.models import IngestOptions
from ingest.polling import poll as poll_sources
from storage import open_db
from storage.sources import add_source, backoff_delay, get_source
from tests.hostile_site import hostile_site  # noqa: F401 (fixture)
from tests.news_site import item, rss

T0 = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)


def settings_for(*feeds: str, **env: str) -> Settings:
    return Settings.from_env({"DIPLOBOT_FEEDS": ",".join(feeds), "DIPLOBOT_ALLOW_PRIVATE_URLS": "1",
                              "DIPLOBOT_POLL_MINUTES": "30", **env})


def poll_round(db, settings: Settings, summarizer, **kw):
    """One round as the CLI and the bot run it: the settings as ingest options."""
    return poll_sources(db, summarizer, IngestOptions.from_settings(settings), **kw)


def test_backoff_doubles_from_the_interval_up_to_a_day():
    interval = timedelta(minutes=30)
    assert [backoff_delay(n, interval) for n in (1, 2, 3, 4)] == [interval, 2 * interval, 4 * interval, 8 * interval]
    assert backoff_delay(20, interval) == timedelta(hours=24)


def test_a_failing_feed_is_backed_off_then_recovers(local_site, tmp_path, summarizer):
    local_site.add("/rss", "lỗi máy chủ", status=500)
    feed = local_site.url("/rss")
    db = open_db(tmp_path / "d.db")
    settings = settings_for(feed)
    fetches = lambda: local_site.paths_requested().count("/rss")  # noqa: E731

    report = poll_round(db, settings, summarizer, now=T0)
    assert report.rejected == {"http_500": 1} and (report.sources_ok, report.sources_failed) == (0, 1)
    row = get_source(db, feed)
    assert (row["errors"], row["last_error"]) == (1, "http_500")
    assert datetime.fromisoformat(row["backoff_until"]) == T0 + timedelta(minutes=30)

    # Ten minutes later: still backing off, not even a request.
    report = poll_round(db, settings, summarizer, now=T0 + timedelta(minutes=10))
    assert report.waiting == [feed] and report.total == 0 and fetches() == 1

    # The next round (one interval later) tries again, fails again: now twice the interval.
    t1 = T0 + timedelta(minutes=30)
    poll_round(db, settings, summarizer, now=t1)
    row = get_source(db, feed)
    assert fetches() == 2 and row["errors"] == 2
    assert datetime.fromisoformat(row["backoff_until"]) == t1 + timedelta(hours=1)
    assert poll_round(db, settings, summarizer, now=t1 + timedelta(minutes=30)).waiting == [feed]
    assert fetches() == 2

    # The feed comes back: stored, errors and backoff reset, last error kept on record.
    page = local_site.add_file("/a.html", "soctrang_toa_dam.html")
    local_site.add("/rss", rss("Tin Sóc Trăng", [item("Tọa đàm", page)]), "application/rss+xml")
    t2 = t1 + timedelta(hours=1)
    report = poll_round(db, settings, summarizer, now=t2)
    assert report.new == 1 and report.sources_ok == 1
    row = get_source(db, feed)
    assert (row["errors"], row["backoff_until"], row["items"]) == (0, None, 1)
    assert row["last_ok"] == t2.isoformat(timespec="seconds") and row["last_error"] == "http_500"


def test_sources_are_the_configured_feeds_and_the_added_ones(local_site, tmp_path, summarizer):
    page = local_site.add_file("/a.html", "soctrang_toa_dam.html")
    local_site.add("/env.rss", rss("A", [item("Tọa đàm", page)]), "application/rss+xml")
    local_site.add("/added.rss", rss("B", [item("Tọa đàm", page)]), "application/rss+xml")
    local_site.add("/removed.rss", rss("C", []), "application/rss+xml")
    db = open_db(tmp_path / "d.db")
    add_source(db, local_site.url("/added.rss"), "B", added_by=42)
    add_source(db, local_site.url("/removed.rss"))
    from storage.sources import remove_source

    assert remove_source(db, local_site.url("/removed.rss"))
    report = poll_round(db, settings_for(local_site.url("/env.rss")), summarizer, now=T0)
    assert (report.new, report.duplicate, report.sources_ok) == (1, 1, 2)
    assert "/removed.rss" not in local_site.paths_requested()
    assert local_site.paths_requested().count("/a.html") == 1  # the second feed's item was known: no fetch


def test_poll_job_runs_a_round_off_the_event_loop(local_site, tmp_path, summarizer):
    from bot.polling import PollState, poll_job
    from bot.registry import BotContext

    page = local_site.add_file("/a.html", "soctrang_toa_dam.html")
    local_site.add("/rss", rss("Tin", [item("Tọa đàm", page)]), "application/rss+xml")
    path = tmp_path / "d.db"
    open_db(path).close()
    seen = []

    async def on_report(context, report):
        seen.append(report.new_ids)

    state = PollState(db_path=str(path), settings=settings_for(local_site.url("/rss")), summarizer=summarizer,
                      on_report=on_report)
    bot_data = SimpleNamespace(ctx=BotContext(db=open_db(path), settings=state.settings))  # no admins: no alerts
    context = SimpleNamespace(job=SimpleNamespace(data=state), bot=None, bot_data=bot_data)
    report = asyncio.run(poll_job(context))
    assert report.new == 1 and seen == [[1]]
    report = asyncio.run(poll_job(context))
    assert report.duplicate == 1 and len(seen) == 1  # nothing new: no hook


def test_schedule_polling_registers_one_repeating_job(tmp_path):
    from telegram.ext import ApplicationBuilder

    from bot.polling import JOB_NAME, PollState, schedule_polling

    app = ApplicationBuilder().token("123456:TEST-token").build()
    if app.job_queue is None:
        pytest.skip("python-telegram-bot installed without [job-queue]")
    db = open_db(tmp_path / "d.db")
    settings = settings_for(DIPLOBOT_POLL_MINUTES="15")

    async def schedule_twice():
        app.job_queue.set_application(app)
        await app.job_queue.start()
        try:
            schedule_polling(app, db, settings)
            job = schedule_polling(app, db, settings)  # a second call replaces the first job
            await asyncio.sleep(0)
            jobs = [j for j in app.job_queue.get_jobs_by_name(JOB_NAME) if not j.removed]
            return job, jobs
        finally:
            await app.job_queue.stop(wait=False)

    job, jobs = asyncio.run(schedule_twice())
    assert jobs == [job]
    assert job.job.trigger.interval == timedelta(minutes=15)
    assert isinstance(job.data, PollState) and job.data.db_path == str(tmp_path / "d.db")


def test_items_on_a_stalled_server_do_not_stall_polling(local_site, hostile_site, tmp_path, summarizer):
    """Five items on a server that drips its headers: one deadline spent, not five (nor forever)."""
    import threading

    from ingest.fetch import FetchOptions, Fetcher

    local_site.add("/rss", rss("Tin", [item(f"Bài {n}", hostile_site.url(f"/slow-headers?n={n}")) for n in range(5)]),
                   "application/rss+xml")
    db_path, before = tmp_path / "d.db", len(hostile_site.requests)
    open_db(db_path).close()
    reports = []

    def poll() -> None:
        with Fetcher(allow_private=True, options=FetchOptions(deadline=1.0)) as fetcher:
            reports.append(poll_round(open_db(db_path), settings_for(local_site.url("/rss")), summarizer, now=T0,
                                      fetcher=fetcher))

    worker = threading.Thread(target=poll, daemon=True)
    worker.start()
    worker.join(15)
    assert not worker.is_alive(), "polling stalled on a server that drips its headers"
    assert len(hostile_site.requests) - before == 1  # its other items were not asked for in this run
    # Not one page could be read: the source is failing (backed off, its health says why), not `ok`.
    assert reports[0].rejected == {"timeout": 5} and (reports[0].sources_ok, reports[0].sources_failed) == (0, 1)
    row = get_source(open_db(db_path), local_site.url("/rss"))
    assert (row["last_error"], row["errors"], row["last_ok"]) == ("items_unreachable", 1, None)
    assert row["last_error_detail"] == "no item's page could be fetched: timeout 5"
    assert datetime.fromisoformat(row["backoff_until"]) == T0 + timedelta(minutes=30)


def test_feed_max_items_comes_from_the_setting(local_site, tmp_path, summarizer):
    local_site.add("/rss", rss("Tin", [item(f"Bài {n}", local_site.url(f"/item/{n}.html")) for n in range(5)]),
                   "application/rss+xml")
    settings = settings_for(local_site.url("/rss"), DIPLOBOT_FEED_MAX_ITEMS="2")
    assert settings.feed_max_items == 2 and settings_for().feed_max_items == 50
    report = poll_round(open_db(tmp_path / "d.db"), settings, summarizer, now=T0)
    assert report.rejected == {"http_404": 2}
    assert [p for p in local_site.paths_requested() if p.startswith("/item/")] == ["/item/0.html", "/item/1.html"]
    with pytest.raises(SettingsError, match="DIPLOBOT_FEED_MAX_ITEMS"):
        settings_for(DIPLOBOT_FEED_MAX_ITEMS="0")
