"""ingest.urls: one dedupe key per article URL."""

from __future__ import annotations

import pytest

from ingest.urls import canonical_url, pick_canonical, url_scheme

KEY = "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html"


@pytest.mark.parametrize("url", [
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html",
    "http://baoquocte.vn/viet-nam-lao-hop-tac-264512.html",
    "https://www.baoquocte.vn/viet-nam-lao-hop-tac-264512.html",
    "https://m.baoquocte.vn/viet-nam-lao-hop-tac-264512.html",
    "https://mobile.baoquocte.vn/viet-nam-lao-hop-tac-264512.html",
    "https://amp.baoquocte.vn/viet-nam-lao-hop-tac-264512.html",
    "https://BaoQuocTe.VN/viet-nam-lao-hop-tac-264512.html",
    "https://baoquocte.vn:443/viet-nam-lao-hop-tac-264512.html",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html/",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html/amp",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html/amp/",
    "https://baoquocte.vn/amp/viet-nam-lao-hop-tac-264512.html",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html#binh-luan",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html?utm_source=facebook&utm_medium=social&utm_campaign=x",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html?fbclid=IwAR0abc",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html?gclid=Cj0KCQ",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html?zarsrc=30&gidzl=abcDEF",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html?ref=home&source=rss",
    "https://baoquocte.vn/viet-nam-lao-hop-tac-264512.html?amp=1",
    "  https://m.baoquocte.vn/viet-nam-lao-hop-tac-264512.html/amp?utm_source=zalo&zarsrc=31#top  ",
])
def test_variants_share_one_key(url):
    assert canonical_url(url) == KEY


def test_real_parameters_are_kept_and_sorted():
    a = canonical_url("https://thoidai.com.vn/tin.aspx?page=2&id=145&utm_source=x")
    b = canonical_url("https://thoidai.com.vn/tin.aspx?id=145&page=2")
    assert a == b == "https://thoidai.com.vn/tin.aspx?id=145&page=2"
    assert canonical_url("https://x.vn/a?id=1") != canonical_url("https://x.vn/a?id=2")


@pytest.mark.parametrize("a, b", [
    ("https://baoquocte.vn/a.html", "https://baoquocte.com/a.html"),  # another site
    ("https://baoquocte.vn/a.html", "https://baoquocte.vn/A.html"),  # paths are case-sensitive
    ("https://baoquocte.vn/a.html", "https://baoquocte.vn:8080/a.html"),
    ("https://dangcongsan.vn/a.html", "https://m.dangcongsan.vn/b.html"),
])
def test_different_articles_keep_different_keys(a, b):
    assert canonical_url(a) != canonical_url(b)


@pytest.mark.parametrize("url, expected", [
    ("https://m.vn/a", "https://m.vn/a"),  # "m." is the whole name here, not a mirror prefix
    ("https://www.m.example.vn/a", "https://example.vn/a"),
    ("https://baoquocte.vn/", "https://baoquocte.vn"),
    ("https://baoquocte.vn", "https://baoquocte.vn"),
    ("https://baoquocte.vn/amp", "https://baoquocte.vn/amp"),
    ("https://user:pw@baoquocte.vn/a", "https://baoquocte.vn/a"),
    ("mailto:toasoan@baoquocte.vn", "mailto:toasoan@baoquocte.vn"),
    ("not a url", "not a url"),
    ("https://[::1", "https://[::1"),
    ("http://[2001:db8::1]:8080/a/", "https://[2001:db8::1]:8080/a"),
])
def test_edge_cases(url, expected):
    assert canonical_url(url) == expected


def test_pick_canonical_prefers_the_pages_claim():
    page = "https://m.soctrang.gov.vn/tin-tuc/toa-dam.html?utm_source=rss"
    assert pick_canonical(page, "/tin-tuc/toa-dam-dai-su.html?utm_medium=feed") == \
        "https://soctrang.gov.vn/tin-tuc/toa-dam-dai-su.html"
    assert pick_canonical(page, None, "https://www.soctrang.gov.vn/tin-tuc/x.html") == "https://soctrang.gov.vn/tin-tuc/x.html"
    assert pick_canonical(page) == "https://soctrang.gov.vn/tin-tuc/toa-dam.html"


@pytest.mark.parametrize("bad", ["/", "https://soctrang.gov.vn/", "javascript:void(0)", "  "])
def test_pick_canonical_ignores_home_page_and_junk_claims(bad):
    page = "https://soctrang.gov.vn/tin-tuc/toa-dam.html"
    assert pick_canonical(page, bad) == "https://soctrang.gov.vn/tin-tuc/toa-dam.html"


@pytest.mark.parametrize("text, scheme", [
    ("https://baoquocte.vn/rss", "https"),
    ("file:///etc/passwd", "file"),
    ("FTP://example.com/feed.xml", "ftp"),
    ("gopher://example.com/", "gopher"),
    ("javascript:alert(1)", "javascript"),
    ("seeds/001_tin.txt", ""),
    ("/tmp/tin:1.txt", ""),  # a colon later in a path
    ("C:\\tin\\bai.txt", ""),  # a Windows drive is no scheme
])
def test_url_scheme_tells_urls_from_paths(text, scheme):
    assert url_scheme(text) == scheme
