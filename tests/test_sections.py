"""Section sources (ingest.sections): a listing page read as a feed — only its main list, newest first,
through the same pipeline, limits and dedupe as feed items; no list is `no_article_list`."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ingest.models import IngestOptions, Source
from ingest.polling import poll
from ingest.run import ingest
from ingest.sections import parse_section, section_items
from storage import open_db
from storage.sources import add_source, get_source, source_kind
from tests.local_site import SITE_DIR
from tests.news_site import item, rss
from tests.section_site import add_section_site, article_path, article_title, section_html

BASE = "http://127.0.0.1:8000"
SECTION = f"{BASE}/hoat-dong-lanh-dao-bo"


def test_the_main_list_gives_exactly_its_twenty_articles():
    section = parse_section(section_html(20), SECTION)
    assert section.ok and section.title == "Hoạt động lãnh đạo Bộ - Bộ Ngoại giao"
    # Not the menu, header, breadcrumbs, "Đọc nhiều nhất", "Tin liên quan", paging or footer links.
    assert [link.url for link in section.links] == [BASE + article_path(n) for n in range(1, 21)]
    assert [link.title for link in section.links] == [article_title(n) for n in range(1, 21)]
    assert section.links[0].published_at == datetime(2024, 3, 20, 11, 1, tzinfo=section.links[0].published_at.tzinfo)
    # Bytes with no charset anywhere (no HTTP charset, no <meta>): UTF-8, as for article pages.
    bare = section_html(20).replace('<meta charset="utf-8">', "").encode("utf-8")
    assert parse_section(bare, SECTION).links[19].title == article_title(20)


def test_items_are_newest_first_by_their_dates_and_bounded():
    page = section_html(6)
    # The page lists the oldest first: sorted by the dates shown, newest first.
    for n in range(1, 7):
        page = page.replace(f"| {21 - n:02d}/03/2024", f"| {n:02d}/04/2024")
    section = parse_section(page, SECTION, limit=4)
    assert [link.url for link in section.links] == [BASE + article_path(n) for n in (6, 5, 4, 3)]
    undated = parse_section(section_html(6, dates=False), SECTION)
    assert [link.url for link in undated.links] == [BASE + article_path(n) for n in range(1, 7)]
    assert all(item.published_at is None and item.guid == item.url for item in section_items(undated))


def test_a_page_without_an_article_list_is_no_article_list():
    menu_only = ('<html><body><nav><a href="/chinh-sach-doi-ngoai-cua-viet-nam-moi">Chính sách đối ngoại của Việt '
                 'Nam mới</a></nav><div class="content"><p>Trang đang được cập nhật.</p>'
                 '<a href="/tin-tuc/mot-bai-viet-duy-nhat-ve-ngoai-giao.html">Một bài viết duy nhất về ngoại giao</a>'
                 '</div><footer><a href="/lien-he-voi-ban-bien-tap-cong-thong-tin">Liên hệ với ban biên tập cổng'
                 ' thông tin</a></footer></body></html>')
    result = parse_section(menu_only, SECTION)
    assert not result.ok and result.reason == "no_article_list"
    other_site = section_html(20).replace('href="/tin-tuc/', 'href="https://other.example/tin-tuc/')
    assert parse_section(other_site, SECTION).reason == "no_article_list"


def test_a_section_source_goes_through_the_pipeline_once(local_site, tmp_path, summarizer):
    url = add_section_site(local_site, count=20)
    db = open_db(tmp_path / "d.db")
    options = IngestOptions(allow_private=True, max_items=8)
    report = ingest(db, [Source(url, "section", polled=True)], summarizer, options)
    assert report.new == 8 and report.sources_ok == 1, report.summary_line()
    assert sum(p.startswith("/tin-tuc/") for p in local_site.paths_requested()) == 8  # DIPLOBOT_FEED_MAX_ITEMS
    row = get_source(db, url)
    assert (row["kind"], row["errors"], row["items"]) == ("section", 0, 8)
    stored = db.execute("select title, source from articles order by id").fetchall()
    assert stored[0] == (article_title(1), "Bộ Ngoại giao")

    # The next round: the same eight are known, no article page is asked for again.
    before = len(local_site.requests)
    again = ingest(db, [Source(url, "section", polled=True)], summarizer, options)
    assert again.new == 0 and again.duplicate == 8
    assert local_site.paths_requested()[before:] == ["/hoat-dong-lanh-dao-bo"]


def test_polling_reads_a_section_by_its_kind_and_fails_it_without_stopping_the_others(local_site, tmp_path,
                                                                                         summarizer):
    good = add_section_site(local_site, count=4)
    empty = local_site.add("/portal/tin-tuc", "<html><body><nav><a href='/a'>Trang chủ</a></nav>"
                                              "<p>Không có bài.</p></body></html>")
    challenge = local_site.add("/anti-bot", "<html><body><script>document.cookie='D1N=1';"
                                            "window.location.reload(true);</script></body></html>")
    db = open_db(tmp_path / "d.db")
    for url in (empty, challenge, good):
        add_source(db, url, kind="section")
    now = datetime(2024, 3, 1, tzinfo=timezone.utc)
    report = poll(db, summarizer, IngestOptions(allow_private=True), now=now)
    assert report.new == 4 and (report.sources_ok, report.sources_failed) == (1, 2), report.summary_line()
    assert source_kind(db, good) == "section"
    for url in (empty, challenge):
        row = get_source(db, url)
        assert row["errors"] == 1 and row["last_error"] in ("no_article_list", "anti_bot"), row
        assert datetime.fromisoformat(row["backoff_until"]) == now + timedelta(minutes=30)
        assert row["failing_since"] == now.isoformat(timespec="seconds")
    assert get_source(db, empty)["last_error"] == "no_article_list"


def test_bad_catalogue_entries_fail_with_their_reason_and_never_stop_the_others(local_site, tmp_path, summarizer):
    """Down, moved to another host, HTML instead of XML, an anti-bot page: each a failed source
    with its reason and a backoff; the good feed beside them is read."""
    port = local_site.base_url.rsplit(":", 1)[1]
    down = local_site.add("/down.rss", "lỗi", status=503)
    local_site.add("/moi.rss", rss("Tin", [item("Tọa đàm", local_site.url("/a.html"))]), "application/rss+xml")
    moved = local_site.redirect("/cu.rss", f"http://localhost:{port}/moi.rss", status=301)
    html = local_site.add("/html.rss", "<html><body><h1>Trang chủ</h1><p>Chào mừng.</p></body></html>")
    blocked = local_site.add("/blocked.rss", (SITE_DIR / "cloudflare_challenge.html").read_bytes(), status=403)
    local_site.add_file("/a.html", "soctrang_toa_dam.html")
    good = local_site.add("/good.rss", rss("Tin", [item("Tọa đàm", local_site.url("/a.html"))]),
                          "application/rss+xml")
    db = open_db(tmp_path / "d.db")
    now = datetime(2024, 3, 1, tzinfo=timezone.utc)
    feeds = (down, moved, html, blocked, good)
    report = poll(db, summarizer, IngestOptions(allow_private=True, feeds=feeds), now=now)
    assert report.new == 1 and (report.sources_ok, report.sources_failed) == (1, 4), report.summary_line()
    reasons = {url: get_source(db, url)["last_error"] for url in feeds[:4]}
    assert reasons[down] == "http_503" and reasons[moved] == "moved" and reasons[html] == "not_a_feed"
    assert reasons[blocked] == "anti_bot"
    assert f"→ http://localhost:{port}/moi.rss" in get_source(db, moved)["last_error_detail"]
    for url in feeds[:4]:
        assert datetime.fromisoformat(get_source(db, url)["backoff_until"]) == now + timedelta(minutes=30)
    # Backing off: the next round a minute later asks only the good feed (nothing new there).
    before = len(local_site.requests)
    later = poll(db, summarizer, IngestOptions(allow_private=True, feeds=feeds), now=now + timedelta(minutes=1))
    assert sorted(later.waiting) == sorted(feeds[:4])
    assert local_site.paths_requested()[before:] == ["/good.rss"]


def test_moved_means_another_site_not_a_subdomain():
    from ingest.live import _moved

    assert not _moved("https://vnexpress.net/rss/the-gioi.rss", "https://rss.vnexpress.net/the-gioi.rss")
    assert not _moved("http://baohatinh.vn/rss/home.rss", "https://www.baohatinh.vn/rss/home.rss")
    assert not _moved("https://soctrang.gov.vn/tin", "https://sonv.soctrang.gov.vn/tin")
    assert _moved("http://cand.com.vn/rss/home.rss", "https://cand.vn/rss/home.rss")
    assert _moved("https://baoquocte.vn/rss_feed/", "https://parked-domains.example/landing")
