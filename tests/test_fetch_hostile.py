"""The fetcher against a hostile site: bombs, drips, loops and lies end small and on time.

Memory and time are measured on a child process (`fetch_in_child`): a 1 GiB address-space
limit that a bomb inflated in memory would break, the peak RSS it reports (VmHWM), and a
kill after a timeout; the child times its own fetch, so imports do not count.
"""

from __future__ import annotations

import pytest

from ingest.fetch import FetchOptions, Fetcher, fetch
from tests.hostile_site import GiB, fetch_in_child, hostile_site  # noqa: F401 (fixture)

SMALL_MB = 100  # a fetching child stays near 50 MB; a bomb inflated in memory takes gigabytes


@pytest.mark.parametrize("path", ["/stacked-gzip", "/gzip-bomb"])
def test_a_gzip_bomb_is_cut_at_the_cap_while_decoding(hostile_site, path):
    run = fetch_in_child(hostile_site.url(path), address_space=GiB, timeout=30)
    assert run.outcome == "too_large", (run.outcome, run.stderr[-500:])
    assert run.peak_rss_mb < SMALL_MB and run.seconds < 5


def test_headers_sent_a_byte_a_second_end_at_the_deadline(hostile_site):
    """Each byte would reset a read timeout; the deadline covers the headers too."""
    run = fetch_in_child(hostile_site.url("/slow-headers"), deadline=2.0, timeout=20)
    assert run.outcome == "timeout", (run.outcome, run.stderr[-500:])
    assert 1.9 < run.seconds < 3.0


def test_a_dripping_body_ends_at_the_deadline_not_at_the_next_byte(hostile_site):
    """A byte every 1.8 s, each within the 1.9 s read timeout: the fetch ends when its 2 s are up,
    not at the byte after (3.6 s); with the defaults that was up to 40 s instead of 30."""
    run = fetch_in_child(hostile_site.url("/slow-body?every=1.8"), deadline=2.0, read_timeout=1.9, timeout=20)
    assert run.outcome == "timeout", (run.outcome, run.stderr[-500:])
    assert run.seconds < 3.0


def test_a_redirect_loop_stops(hostile_site):
    assert fetch(hostile_site.url("/loop"), allow_private=True).reason == "too_many_redirects"


def test_a_body_shorter_than_its_content_length_is_a_network_error(hostile_site):
    result = fetch(hostile_site.url("/length-more"), allow_private=True, options=FetchOptions(deadline=5.0))
    assert result.reason == "network_error" and "100000" in result.detail


def test_a_body_longer_than_its_content_length_is_cut_and_does_not_poison_the_connection(hostile_site):
    with Fetcher(allow_private=True) as fetcher:
        first = fetcher.fetch(hostile_site.url("/length-less"))
        assert first.ok and first.content == b"<p>" + b"x" * 17
        again = fetcher.fetch(hostile_site.url("/length-less"))  # the 180 stray bytes are not a response
        assert again.ok and again.content == first.content


@pytest.mark.parametrize("path", ["/truncated.xml", "/not-xml.rss"])
def test_a_broken_feed_says_why(hostile_site, path):
    run = fetch_in_child(hostile_site.url(path), timeout=20)
    assert run.outcome == "malformed_feed" and "SAXParseException" in run.detail


def test_a_feed_of_ten_thousand_items_costs_fifty_page_requests(hostile_site):
    before = len(hostile_site.item_requests())
    run = fetch_in_child(hostile_site.url("/feed-10000.xml"), mode="ingest", timeout=60)
    assert run.outcome == "ok", (run.detail, run.stderr[-500:])
    assert "http_404 50" in run.detail
    assert len(hostile_site.item_requests()) - before == 50
    assert run.peak_rss_mb < 2 * SMALL_MB
