"""`diplobot ingest URL…`: feeds and pages from a local site into the database, end to end.

The acceptance test runs the real CLI in a subprocess against a local HTTP server; the
others call `ingest()` in process, with short fetch timeouts where a test needs one.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from diplobot.cli import cli
from ingest.feeds import VN_TZ
from ingest.fetch import FetchOptions, Fetcher
from ingest.models import IngestOptions
from ingest.run import ingest
from storage import open_db
from storage.sources import get_source
from tests.hostile_site import hostile_site  # noqa: F401 (fixture)
from tests.local_site import Response
from tests.news_site import BOILERPLATE, TEASER, add_news_site, item, rss, seed_lines

ROOT = Path(__file__).resolve().parent.parent
LOCAL = IngestOptions(allow_private=True)  # the local site is on 127.0.0.1
LOCAL_3 = IngestOptions(allow_private=True, max_items=3)


def run_cli(*args: str, db: Path, private: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env.update(PYTHONPATH=str(ROOT), DIPLOBOT_DB=str(db))
    if private:
        env["DIPLOBOT_ALLOW_PRIVATE_URLS"] = "1"
    return subprocess.run([sys.executable, "-m", "diplobot.cli", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def listed(path: Path) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute("select * from articles where duplicate_of is null order by id")]


def test_acceptance_feeds_through_the_cli(local_site, tmp_path):
    news = add_news_site(local_site)
    db = tmp_path / "live.db"
    first = run_cli("ingest", "--no-progress", news.feed, news.broken_feed, news.garbage_feed, news.repost_feed, db=db)
    assert first.returncode == 0, first.stderr
    summary = first.stdout.strip().splitlines()[-1]
    print(summary)
    # soctrang, vietnamplus, baolangson, the Quảng Ninh teaser; the tracking-link copy; the Lạng Sơn repost
    assert "4 new" in summary and "1 duplicate" in summary and "1 merged" in summary, summary
    for reason in ("http_404 1", "http_500 1", "not_a_feed 1", "not_vietnamese 1"):
        assert reason in summary, summary
    assert "sources: 2 ok, 2 failed" in summary
    assert f"rejected {news.broken_feed}: http_500" in first.stderr

    rows = listed(db)
    assert len(rows) == 4
    by_title = {r["title"]: r for r in rows}
    # Whole: every paragraph of the page, the sapo first; clean: nothing else.
    soctrang = by_title[seed_lines("000")[0]]["body"].splitlines()
    assert soctrang == [seed_lines("000")[i] for i in (1, 2, 4, 5)]
    vietnamplus = by_title[seed_lines("002")[0]]["body"].splitlines()
    assert len(vietnamplus) == 9 and vietnamplus[0] == seed_lines("002")[1]
    assert vietnamplus[-1].startswith("Tại tọa đàm, các đại biểu") and vietnamplus[-1].endswith("thương mại.")
    assert all(line.replace(".", "") in " ".join(seed_lines("002")).replace(".", "") for line in vietnamplus)
    for row in rows:
        for marker in BOILERPLATE:
            assert marker not in row["body"], (row["title"], marker)
        assert row["published_at"], row["title"]
        assert "utm_" not in (row["url"] or "") and "fbclid" not in (row["url"] or "")
    dates = {r["title"]: datetime.fromisoformat(r["published_at"]) for r in rows}
    assert dates[seed_lines("000")[0]] == datetime(2023, 10, 18, 16, 30, tzinfo=VN_TZ)
    assert dates[seed_lines("002")[0]] == datetime(2019, 8, 13, 15, 20, tzinfo=VN_TZ)
    quang_ninh = by_title["Đoàn đại biểu tỉnh Quảng Ninh thăm Quảng Tây"]
    assert quang_ninh["body"] == TEASER  # the page was an anti-bot wall: the feed's teaser, which passes the gates
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from summaries").fetchone()[0] == 4  # every listed article summarized
    health = conn.execute("select url, last_ok, items, errors from sources order by url").fetchall()
    assert (news.feed, 4) in [(u, i) for u, _ok, i, _e in health]

    second = run_cli("ingest", "--no-progress", news.feed, news.repost_feed, db=db)
    assert second.returncode == 0
    assert "0 new" in second.stdout and "0 merged" in second.stdout, second.stdout
    assert len(listed(db)) == 4
    assert conn.execute("select count(*) from articles").fetchone()[0] == 5  # four articles, one repost

    chat = run_cli("chat", db=db, stdin="/search Bộ Ngoại giao trợ giúp các địa phương\n")
    assert "Vietnam+ (VietnamPlus) (2 nguồn)" in chat.stdout, chat.stdout


def test_private_addresses_are_refused_without_the_setting(local_site, tmp_path, monkeypatch):
    news = add_news_site(local_site)
    monkeypatch.setenv("DIPLOBOT_DB", str(tmp_path / "d.db"))
    monkeypatch.delenv("DIPLOBOT_ALLOW_PRIVATE_URLS", raising=False)
    result = CliRunner().invoke(cli, ["ingest", "--no-progress", news.feed], prog_name="diplobot")
    assert result.exit_code == 1
    assert "blocked_private_address" in result.output
    assert local_site.requests == []  # refused before any connection


def fast_fetcher(**kw) -> Fetcher:
    kw.setdefault("read_timeout", 0.5)
    kw.setdefault("deadline", 3.0)
    return Fetcher(allow_private=True, options=FetchOptions(**kw))


def test_nothing_stops_a_batch(local_site, tmp_path, summarizer):
    base = local_site.base_url
    local_site.add_file("/ok.html", "soctrang_toa_dam.html")
    local_site.add("/slow.html", "<p>chậm</p>")
    local_site.routes["/slow.html"] = Response(200, {"Content-Type": "text/html"}, "<p>chậm</p>", delay=2.0)
    local_site.routes["/huge.html"] = Response(200, {"Content-Type": "text/html; charset=utf-8"},
                                               lambda: (b"<p>" + "Tin dài. ".encode() * 100_000 + b"</p>" for _ in range(25)))
    local_site.add("/photo.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "text/html")
    local_site.add("/file.bin", b"\x00\x01" * 1000, "application/octet-stream")
    local_site.add("/empty.html", "")
    local_site.add_file("/portal.html", "portal_no_article.html")
    local_site.add_file("/en.html", "english_article.html")
    local_site.add_file("/notice.html", "short_notice.html")
    local_site.add("/error.html", "oops", status=500)
    local_site.add_file("/broken.xml", "rss_broken.xml", "application/rss+xml")  # bozo XML, links are 404
    pages = ["/ok.html", "/slow.html", "/huge.html", "/photo.html", "/file.bin", "/empty.html", "/portal.html",
             "/en.html", "/notice.html", "/error.html", "/ok.html?utm_source=zalo"]
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a.txt").write_text("\n".join(seed_lines("003")), encoding="utf-8")
    db = open_db(tmp_path / "d.db")
    with fast_fetcher() as fetcher:
        report = ingest(db, [base + p for p in pages] + [base + "/broken.xml", folder, tmp_path / "nope"],
                        summarizer, fetcher=fetcher)
    assert (report.new, report.duplicate) == (2, 1), report.summary_line()  # ok.html, a.txt; the utm copy
    assert report.rejected == {
        "timeout": 1, "too_large": 1, "bad_content_type": 2, "empty": 2, "not_vietnamese": 1,
        "too_short": 1, "http_500": 1, "http_404": 2, "not_found": 1,
    }, report.problems
    assert (report.sources_ok, report.sources_failed) == (4, 10)  # ok.html, its copy, the feed, the folder


def test_a_page_url_is_fetched_once(local_site, tmp_path, summarizer):
    url = local_site.add_file("/chinhtri/a.vnp", "vietnamplus_bo_ngoai_giao.html")
    db = open_db(tmp_path / "d.db")
    first = ingest(db, [url], summarizer, LOCAL)
    assert first.new == 1 and get_source(db, url) is None  # a page is no source
    second = ingest(db, [url + "?utm_campaign=x"], summarizer, LOCAL)
    assert second.duplicate == 1 and second.sources_ok == 1
    assert local_site.paths_requested() == ["/chinhtri/a.vnp"]  # known: no second request
    row = db.execute("select source, canonical_url, published_at from articles").fetchone()
    assert row[0] == "Vietnam+ (VietnamPlus)"
    assert row[1].endswith("/bo-ngoai-giao-tro-giup-cac-dia-phuong-quang-ba-thu-hut-dau-tu/586251.vnp")


def conditional_feed(body: str, etag: str = '"v1"'):
    def respond(request):
        if request.headers.get("if-none-match") == etag:
            return Response(304, {"ETag": etag})
        return Response(200, {"Content-Type": "application/rss+xml", "ETag": etag}, body)
    return respond


def test_conditional_get_with_stored_validators(local_site, tmp_path, summarizer):
    page = local_site.add_file("/a.html", "soctrang_toa_dam.html")
    local_site.routes["/rss"] = conditional_feed(rss("Tin", [item("Tọa đàm", page)]))
    db = open_db(tmp_path / "d.db")
    feed = local_site.url("/rss")
    first = ingest(db, [feed], summarizer, LOCAL)
    second = ingest(db, [feed], summarizer, LOCAL)
    assert first.new == 1 and second.total == 0 and second.sources_ok == 1
    assert [r.headers.get("if-none-match") for r in local_site.requests if r.path == "/rss"] == [None, '"v1"']
    row = get_source(db, feed)
    assert (row["etag"], row["items"], row["errors"], row["title"]) == ('"v1"', 1, 0, "Tin")
    assert row["last_ok"] and not row["polled"]


def test_a_page_that_may_come_back_makes_the_feed_read_again(local_site, tmp_path, summarizer):
    page_url = local_site.url("/a.html")
    local_site.add("/a.html", "tạm lỗi", status=503)
    local_site.routes["/rss"] = conditional_feed(rss("Tin", [item("Tọa đàm", page_url)]))
    db = open_db(tmp_path / "d.db")
    first = ingest(db, [local_site.url("/rss")], summarizer, LOCAL)
    assert first.rejected == {"http_503": 1} and get_source(db, local_site.url("/rss"))["etag"] is None
    local_site.add_file("/a.html", "soctrang_toa_dam.html")
    second = ingest(db, [local_site.url("/rss")], summarizer, LOCAL)
    assert second.new == 1  # the feed was read in full again, not answered 304


def test_a_repost_from_another_outlet_is_merged(local_site, tmp_path, summarizer):
    from bot.format import article_card
    from storage import queries

    news = add_news_site(local_site)
    db = open_db(tmp_path / "d.db")
    report = ingest(db, [news.feed, news.repost_feed], summarizer, LOCAL)
    assert report.merged == 1
    repost = db.execute("select duplicate_of, source, title from articles where duplicate_of is not null").fetchone()
    original = db.execute("select title, source from articles where id = ?", [repost[0]]).fetchone()
    assert original == (seed_lines("002")[0], "Vietnam+ (VietnamPlus)")
    assert repost[1] == "Báo Lạng Sơn"
    page = queries.search(db, "trợ giúp các địa phương quảng bá")
    assert page.items[0]["id"] == repost[0] and page.items[0]["sources_count"] == 2
    assert "📰 Vietnam+ (VietnamPlus) (2 nguồn)" in article_card(page.items[0])
    assert queries.count_articles(db) == 4 and queries.latest(db, limit=10).total == 4  # the repost is not listed
    others = [i for i in queries.latest(db, limit=10).items if i["id"] != repost[0]]
    assert all(i["sources_count"] == 1 for i in others)
    assert all("nguồn)" not in article_card(i) for i in others)


def dated_feed(base: str, titles: list[str]) -> str:
    """Items oldest first, an hour apart, each linking to /item/N.html (404 unless added)."""
    return rss("Tin", [item(t, f"{base}/item/{n}.html", f"Mon, 01 Jan 2024 {n:02d}:00:00 +0700")
                       for n, t in enumerate(titles)])


def test_only_the_newest_items_are_read_and_rejected_ones_are_remembered(local_site, tmp_path, summarizer):
    from storage.feed_items import rejected_items

    titles = [f"Bài {n}" for n in range(8)]
    local_site.add("/rss", dated_feed(local_site.base_url, titles), "application/rss+xml")
    feed, db = local_site.url("/rss"), open_db(tmp_path / "d.db")
    items_fetched = lambda: sorted(p for p in local_site.paths_requested() if p.startswith("/item/"))  # noqa: E731

    first = ingest(db, [feed], summarizer, LOCAL_3)
    assert first.rejected == {"http_404": 3} and first.sources_ok == 1
    assert items_fetched() == ["/item/5.html", "/item/6.html", "/item/7.html"]  # the newest three
    assert set(rejected_items(db, feed).values()) == {"http_404"} and len(rejected_items(db, feed)) == 3

    second = ingest(db, [feed], summarizer, LOCAL_3)
    assert second.rejected == {} and second.known_rejected == 3 and second.sources_ok == 1
    assert (second.duplicate, second.unchanged, second.total) == (0, 0, 3)
    assert "0 duplicate, 0 merged, 0 rejected, 3 known rejected; sources: 1 ok" in second.summary_line()
    assert len(items_fetched()) == 3  # remembered: no request

    titles[6] = "Bài 6 (cập nhật)"  # the entry changed: worth another look
    local_site.add("/rss", dated_feed(local_site.base_url, titles), "application/rss+xml")
    third = ingest(db, [feed], summarizer, LOCAL_3)
    assert third.rejected == {"http_404": 1} and third.known_rejected == 2
    assert items_fetched().count("/item/6.html") == 2 and len(items_fetched()) == 4


def test_items_that_failed_for_a_passing_reason_are_not_remembered(local_site, tmp_path, summarizer):
    local_site.add("/rss", dated_feed(local_site.base_url, ["Bài 0"]), "application/rss+xml")
    local_site.add("/item/0.html", "tạm lỗi", status=503)
    db = open_db(tmp_path / "d.db")
    for _ in range(2):
        assert ingest(db, [local_site.url("/rss")], summarizer, LOCAL).rejected == {"http_503": 1}
    assert local_site.paths_requested().count("/item/0.html") == 2


def test_urls_of_other_schemes_are_unsupported(tmp_path, summarizer):
    urls = ["file:///etc/passwd", "ftp://example.com/feed.xml", "gopher://example.com/", "javascript:alert(1)"]
    report = ingest(open_db(tmp_path / "d.db"), urls, summarizer)
    assert report.rejected == {"unsupported_scheme": 4} and (report.sources_ok, report.sources_failed) == (0, 4)
    assert ("javascript:alert(1)", "unsupported_scheme: javascript") in report.problems


def test_a_feed_item_linking_to_another_scheme_is_unsupported(local_site, tmp_path, summarizer):
    local_site.add("/rss", rss("Tin", [item("Bài", "file:///etc/passwd")]), "application/rss+xml")
    report = ingest(open_db(tmp_path / "d.db"), [local_site.url("/rss")], summarizer, LOCAL)
    assert report.rejected == {"unsupported_scheme": 1}


def test_a_broken_feed_is_a_failed_source_with_the_parsers_reason(local_site, tmp_path, summarizer):
    from tests.hostile_site import NOT_XML_FEED, TRUNCATED_FEED

    feeds = [local_site.add("/cut.xml", TRUNCATED_FEED, "application/rss+xml"),
             local_site.add("/php.rss", NOT_XML_FEED, "application/rss+xml")]
    db = open_db(tmp_path / "d.db")
    report = ingest(db, feeds, summarizer, IngestOptions(allow_private=True, feeds=tuple(feeds)))
    assert report.rejected == {"malformed_feed": 2} and (report.sources_ok, report.sources_failed) == (0, 2)
    for url, message in zip(feeds, ("unclosed token", "no element found")):
        row = get_source(db, url)
        assert (row["last_error"], row["errors"], row["last_ok"]) == ("malformed_feed", 1, None)
        assert row["last_error_detail"].startswith("SAXParseException") and message in row["last_error_detail"]


def test_diplobot_ingest_reads_feed_max_items_from_the_environment(local_site, tmp_path, monkeypatch):
    local_site.add("/rss", dated_feed(local_site.base_url, ["Bài 0", "Bài 1", "Bài 2"]), "application/rss+xml")
    for name, value in (("DIPLOBOT_DB", str(tmp_path / "d.db")), ("DIPLOBOT_ALLOW_PRIVATE_URLS", "1"),
                        ("DIPLOBOT_FEED_MAX_ITEMS", "1")):
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli, ["ingest", "--no-progress", local_site.url("/rss")], prog_name="diplobot")
    assert "http_404 1" in result.output, result.output
    assert [p for p in local_site.paths_requested() if p.startswith("/item/")] == ["/item/2.html"]


def test_a_feed_whose_every_item_is_unreachable_is_a_failed_source(local_site, hostile_site, tmp_path, summarizer):
    """`diplobot ingest FEED` with its defaults: the feed answers, but the server of its items drops
    every connection half way (a lying Content-Length). Nothing could be read: the source failed,
    with why, and the exit status says so. Not remembered: the next run tries them again."""
    links = [hostile_site.url(f"/length-more?n={n}") for n in range(4)]
    feed = local_site.add("/rss", rss("Tin", [item(f"Bài {n}", url) for n, url in enumerate(links)]),
                          "application/rss+xml")
    db = tmp_path / "d.db"
    done = run_cli("ingest", feed, db=db)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    summary = done.stdout.strip().splitlines()[-1]
    assert summary.endswith("0 new, 0 updated, 0 duplicate, 0 merged, 4 rejected (network_error 4); "
                            "sources: 0 ok, 1 failed"), summary
    row = get_source(open_db(db), feed)
    assert (row["last_error"], row["errors"], row["last_ok"], row["etag"]) == ("items_unreachable", 1, None, None)
    assert row["last_error_detail"] == "no item's page could be fetched: network_error 4"

    # One item that answers, even with a 404, shows the source works: only those pages are missing.
    local_site.add("/rss2", rss("Tin", [item("Bài 9", local_site.url("/item/9.html"))]
                                + [item(f"Bài {n}", url) for n, url in enumerate(links)]), "application/rss+xml")
    report = ingest(open_db(db), [local_site.url("/rss2")], summarizer, LOCAL)
    assert report.rejected == {"network_error": 4, "http_404": 1}
    assert (report.sources_ok, report.sources_failed) == (1, 0)
