"""ingest.feeds: RSS 2.0, Atom, broken XML, HTML that is not a feed, dates in Vietnam time, newest items."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ingest.dates import VN_TZ, parse_timestamp
from ingest.feeds import Feed, html_to_text, looks_like_feed, newest, parse_feed
from ingest.models import Rejected
from ingest.fetch import fetch
from tests.hostile_site import NOT_XML_FEED, TRUNCATED_FEED
from tests.local_site import SITE_DIR, local_site  # noqa: F401 (fixture)
from tests.news_site import item, rss

BASE = "https://doingoai.example.vn"


def site_bytes(name: str, base: str = BASE) -> bytes:
    return (SITE_DIR / name).read_text(encoding="utf-8").replace("@BASE@", base).encode("utf-8")


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


def test_rss_items_have_absolute_links_text_summaries_and_local_dates():
    feed = parse_feed(site_bytes("rss_doi_ngoai.xml"), url=BASE + "/rss/doi-ngoai.rss")
    assert isinstance(feed, Feed) and feed.version == "rss20" and feed.title == "Đối ngoại - Tin tức"
    assert len(feed.items) == 4
    first, relative, gmt, dmy = feed.items
    assert first.url == BASE + "/tin-tuc/toa-dam-dai-su.html?utm_source=rss&utm_medium=feed"
    assert first.guid == "soctrang-2023-10-18-toa-dam"
    assert first.summary_text.startswith("Chiều ngày 18/10, đoàn các Đại sứ") and "<" not in first.summary_text
    assert first.published_at == vn(2023, 10, 18, 16, 30)
    assert relative.url == BASE + "/chinhtri/bo-ngoai-giao-tro-giup.vnp"
    assert relative.published_at == vn(2019, 8, 13, 15, 20)  # no zone in the feed: Vietnam time
    assert relative.summary_text.startswith("Thứ trưởng Ngoại giao Bùi Thanh Sơn") and "<p>" not in relative.summary_text
    assert gmt.published_at == vn(2022, 1, 22, 8, 58, 32)  # 01:58:32 GMT
    assert gmt.published_at.utcoffset() == timedelta(hours=7)
    assert dmy.url == BASE + "/chinh-tri/dai-su-ho-tro-binh-duong.html"  # permalink guid, no <link>
    assert dmy.published_at == vn(2024, 1, 24, 8, 18)


def test_atom_entries():
    feed = parse_feed(site_bytes("atom_ngoai_giao.xml"), url=BASE + "/atom.xml")
    assert feed.version == "atom10" and len(feed.items) == 2
    ha_tinh, binh_duong = feed.items
    assert ha_tinh.published_at == vn(2023, 11, 13, 10, 5)  # published wins over updated
    assert ha_tinh.guid == "tag:baohatinh.vn,2023-11-13:doi-ngoai-123"
    assert ha_tinh.summary_text.startswith("(Baohatinh.vn) - Thứ trưởng Bộ Ngoại giao Lê Hoài Trung")
    assert binh_duong.title.endswith("“cất cánh”")
    assert binh_duong.url == BASE + "/binh-duong-cat-canh.html"
    assert binh_duong.published_at == vn(2024, 1, 24, 8, 18, 59)  # 01:18:59Z
    assert binh_duong.summary_text.splitlines() == [
        "Hôm qua (23-1), gần 20 đại sứ, tổng lãnh sự Việt Nam ở nước ngoài đã có buổi họp mặt, tọa đàm tại Bình Dương.",
        "Ảnh: QUỐC CHIẾN"]


def test_broken_xml_that_still_has_entries_is_a_feed():
    feed = parse_feed(site_bytes("rss_broken.xml"), url=BASE + "/rss")
    assert isinstance(feed, Feed) and feed.bozo
    assert [i.title for i in feed.items] == ["Việt Nam - Lào: Hợp tác & phát triển bền vững",
                                              "Đoàn đại biểu tỉnh Quảng Ninh thăm Quảng Tây"]
    assert feed.items[1].published_at == vn(2024, 2, 11, 17, 30)


@pytest.mark.parametrize("content", [
    site_bytes("soctrang_toa_dam.html"),
    b"",
    "Bộ Ngoại giao tổ chức họp báo thường kỳ.".encode(),
    b'{"items": []}',
])
def test_what_is_not_a_feed(content):
    result = parse_feed(content, url=BASE + "/")
    assert isinstance(result, Rejected) and result.reason == "not_a_feed"


def test_a_valid_feed_with_no_items_is_an_empty_feed():
    result = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title></channel></rss>')
    assert isinstance(result, Feed) and result.items == [] and not result.bozo


def test_a_url_string_is_never_fetched_by_feedparser(local_site):
    url = local_site.add_file("/rss", "rss_doi_ngoai.xml", "application/rss+xml")
    assert parse_feed(url).reason == "not_a_feed"
    assert local_site.requests == []


@pytest.mark.parametrize("name, ctype, version, second_url", [
    ("rss_doi_ngoai.xml", "application/rss+xml; charset=utf-8", "rss20", "/chinhtri/bo-ngoai-giao-tro-giup.vnp"),
    ("atom_ngoai_giao.xml", "application/atom+xml", "atom10", "/feeds/binh-duong-cat-canh.html"),  # relative to the feed
    ("rss_doi_ngoai.xml", "text/html", "rss20", "/chinhtri/bo-ngoai-giao-tro-giup.vnp"),  # mislabelled
])
def test_fetched_feeds_parse_end_to_end(local_site, name, ctype, version, second_url):
    url = local_site.add_file("/feeds/home", name, ctype)
    fetched = fetch(url, allow_private=True)
    assert looks_like_feed(fetched.content, fetched.content_type)
    feed = parse_feed(fetched.content, url=fetched.final_url, content_type=fetched.content_type)
    assert feed.version == version and feed.items[1].url == local_site.url(second_url)


@pytest.mark.parametrize("name, ctype, expected", [
    ("rss_doi_ngoai.xml", "application/rss+xml", True),
    ("rss_doi_ngoai.xml", "text/html; charset=utf-8", True),  # mislabelled feed: sniffed
    ("atom_ngoai_giao.xml", "application/xml", True),
    ("soctrang_toa_dam.html", "text/html", False),
])
def test_looks_like_feed(name, ctype, expected):
    assert looks_like_feed(site_bytes(name), ctype) is expected


def test_a_sitemap_is_not_taken_for_a_feed():
    sitemap = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</loc></url></urlset>'
    assert not looks_like_feed(sitemap, "application/xml")


@pytest.mark.parametrize("raw, expected", [
    ("Wed, 18 Oct 2023 16:30:00 +0700", vn(2023, 10, 18, 16, 30)),
    ("Wed, 18 Oct 2023 09:30:00 GMT", vn(2023, 10, 18, 16, 30)),
    ("Wed, 18 Oct 2023 16:30:00", vn(2023, 10, 18, 16, 30)),  # no zone: local
    ("2023-10-18T16:30:00+07:00", vn(2023, 10, 18, 16, 30)),
    ("2023-10-18T09:30:00Z", vn(2023, 10, 18, 16, 30)),
    ("2023-10-18 16:30:00", vn(2023, 10, 18, 16, 30)),
    ("18/10/2023 16:30", vn(2023, 10, 18, 16, 30)),
    ("Thứ 7, 22.01.2022 | 08:58:32", vn(2022, 1, 22, 8, 58, 32)),
    # Running text beside a listing's link (ingest.sections): the time before or after the date.
    ("08:30 | 02/12/2026 · Thời sự", vn(2026, 12, 2, 8, 30)),
    ("Thời sự · 02/12/2026 - 08h30", vn(2026, 12, 2, 8, 30)),
    ("không rõ ngày", None),
    ("", None),
])
def test_parse_timestamp(raw, expected):
    assert parse_timestamp(raw) == expected


def test_html_to_text_keeps_blocks_on_lines():
    fragment = '<a href="/x"><img src="a.jpg"></a></br>Chiều 21/1, tại Hà Nội &amp; trực tuyến.<p>Đoạn hai.</p>'
    assert html_to_text(fragment) == "Chiều 21/1, tại Hà Nội & trực tuyến.\nĐoạn hai."


@pytest.mark.parametrize("content, message", [
    (TRUNCATED_FEED.encode(), "unclosed token"),  # cut off in the channel's head
    (NOT_XML_FEED.encode(), "no element found"),  # a PHP error inside an <rss> envelope
])
def test_broken_xml_without_any_item_is_malformed_with_the_parsers_message(content, message):
    result = parse_feed(content, url=BASE + "/rss")
    assert isinstance(result, Rejected) and result.reason == "malformed_feed"
    assert result.detail.startswith("SAXParseException: ") and message in result.detail


def _items(*dates) -> list:
    return parse_feed(rss("Tin", [item(f"Bài {i}", f"{BASE}/{i}.html", d) for i, d in enumerate(dates)])).items


def test_newest_items_come_first_and_undated_ones_last():
    items = _items("Mon, 01 Jan 2024 08:00:00 +0700", "", "Wed, 03 Jan 2024 08:00:00 +0700",
                   "Tue, 02 Jan 2024 08:00:00 +0700", "")
    assert [i.title for i in newest(items, 4)] == ["Bài 2", "Bài 3", "Bài 0", "Bài 1"]
    assert [i.title for i in newest(items, 10)][-1] == "Bài 4"
    assert newest(items, 1)[0].title == "Bài 2"


def test_the_entry_hash_changes_with_the_entry_only():
    def entry(title: str, description: str = "Tóm tắt", link: str = "/a.html") -> str:
        return item(title, BASE + link, "Mon, 01 Jan 2024 08:00:00 +0700", description)

    def hashed(*entries: str) -> list[str]:
        return [i.entry_hash for i in parse_feed(rss("Tin", list(entries))).items]

    same, moved = hashed(entry("Bài"), entry("Bài", link="/b.html"))
    assert same == moved and len(same) == 40  # the link is the item's key, not part of its hash
    assert len({same, *hashed(entry("Bài (cập nhật)"), entry("Bài", "Tóm tắt mới"))}) == 3
