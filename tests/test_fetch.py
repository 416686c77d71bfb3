"""ingest.fetch against a local site: limits, content types, encodings, redirects, SSRF refusals, 304."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
import time
import zlib

import pytest

import ingest.fetch as fetch_mod
from ingest.fetch import USER_AGENT, FetchError, FetchOptions, FetchResult, Fetcher, afetch, fetch, is_anti_bot
from tests.local_site import SITE_DIR, Request, Response, local_site  # noqa: F401 (fixture)

FAST = FetchOptions(connect_timeout=1.0, read_timeout=0.3, deadline=3.0)
LOOPBACK_ONLY = ("127.0.0.1/32",)
HTML = "<html><body><h1>Tin đối ngoại</h1><p>Bộ Ngoại giao tổ chức họp báo thường kỳ.</p></body></html>"


@pytest.fixture
def connections(monkeypatch):
    """Every address a socket was opened to (the real connect still happens)."""
    opened: list[str] = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        opened.append(address[0])
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return opened


def test_page_is_fetched_with_our_user_agent(local_site):
    url = local_site.add("/tin/1.html", HTML)
    result = fetch(url, allow_private=True)
    assert isinstance(result, FetchResult) and result.ok
    assert result.status == 200 and result.final_url == url and result.redirects == ()
    assert result.content_type == "text/html" and result.encoding == "utf-8"
    assert "Bộ Ngoại giao" in result.text
    assert local_site.requests[0].headers["user-agent"] == USER_AGENT


@pytest.mark.parametrize("ctype", ["application/rss+xml", "application/atom+xml; charset=utf-8",
                                   "text/xml", "application/xml", "text/plain; charset=utf-8"])
def test_feed_and_text_types_are_accepted(local_site, ctype):
    url = local_site.add("/feed", "<rss version='2.0'><channel><title>Tin</title></channel></rss>", ctype)
    result = fetch(url, allow_private=True)
    assert result.ok and result.content.startswith(b"<rss")


@pytest.mark.parametrize("ctype, body", [
    ("image/jpeg", b"\xff\xd8\xff\xe0" + b"0" * 100),
    ("application/pdf", b"%PDF-1.7 ..."),
    ("application/octet-stream", b"\x00\x01\x02"),
    ("", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # unlabelled: sniffed
    ("text/html", b"%PDF-1.4 mislabelled"),  # labelled as HTML, is a PDF
])
def test_binary_content_is_refused(local_site, ctype, body):
    local_site.routes["/file"] = Response(200, {"Content-Type": ctype} if ctype else {}, body)
    result = fetch(local_site.url("/file"), allow_private=True)
    assert isinstance(result, FetchError) and result.reason == "bad_content_type"


@pytest.mark.parametrize("status", [404, 500, 403, 429])
def test_http_errors_are_values(local_site, status):
    url = local_site.add("/x", "<h1>Lỗi</h1>", status=status)
    result = fetch(url, allow_private=True)
    assert not result.ok and result.reason == f"http_{status}" and result.status == status


@pytest.mark.parametrize("status", [403, 503])
def test_challenge_page_behind_an_error_status_is_anti_bot(local_site, status):
    body = (SITE_DIR / "cloudflare_challenge.html").read_text(encoding="utf-8")
    url = local_site.add("/tin", body, status=status)
    result = fetch(url, allow_private=True)
    assert result.reason == "anti_bot" and result.status == status


def test_plain_forbidden_stays_http_403(local_site):
    url = local_site.add("/tin", "<html><head><title>403 Forbidden</title></head><body><h1>Forbidden</h1>"
                         + "<p>Bạn không có quyền truy cập trang này.</p>" * 30 + "</body></html>", status=403)
    assert fetch(url, allow_private=True).reason == "http_403"


@pytest.mark.parametrize("html, expected", [
    ("<html><head><title>Just a moment...</title></head><body></body></html>", True),
    ("<html><body><script>window._cf_chl_opt={}</script></body></html>", True),
    ("<html><body><p>Please enable JavaScript to continue.</p></body></html>", True),
    ("<html><head><title>Tin tức</title></head><body>" + "<p>Bộ Ngoại giao tổ chức họp báo thường kỳ.</p>" * 30
     + "<noscript>Please enable JavaScript for comments</noscript></body></html>", False),
])
def test_is_anti_bot_without_a_parsed_page(html, expected):
    assert is_anti_bot(html) is expected


def test_unknown_path_is_http_404(local_site):
    result = fetch(local_site.url("/khong-co"), allow_private=True)
    assert result.reason == "http_404"


def test_slow_server_times_out_on_read(local_site):
    local_site.routes["/slow"] = Response(200, {"Content-Type": "text/html"}, HTML, delay=1.0)
    began = time.monotonic()
    result = fetch(local_site.url("/slow"), allow_private=True, options=FAST)
    assert result.reason == "timeout"
    assert time.monotonic() - began < 0.9


def test_dripping_body_hits_the_overall_deadline(local_site):
    """Each chunk arrives within the read timeout; the whole body does not within the deadline."""
    local_site.routes["/drip"] = Response(200, {"Content-Type": "text/html"},
                                          lambda: (b"<p>tin</p>" for _ in range(40)), chunk_delay=0.1)
    options = FetchOptions(read_timeout=0.5, deadline=0.6)
    began = time.monotonic()
    result = fetch(local_site.url("/drip"), allow_private=True, options=options)
    assert result.reason == "timeout"
    assert time.monotonic() - began < 1.5


def test_huge_streamed_page_is_cut_at_the_cap(local_site):
    sent = [0]

    def twenty_megabytes():
        chunk = b"<p>" + "Tin tức đối ngoại ".encode() * 3000 + b"</p>\n"
        while sent[0] < 20 * 1024 * 1024:
            sent[0] += len(chunk)
            yield chunk

    local_site.routes["/huge"] = Response(200, {"Content-Type": "text/html"}, twenty_megabytes)
    result = fetch(local_site.url("/huge"), allow_private=True)
    assert result.reason == "too_large"
    assert sent[0] < 12 * 1024 * 1024  # the client hung up long before 20 MB


def test_declared_length_over_the_cap_is_refused_before_reading(local_site):
    local_site.routes["/big"] = Response(200, {"Content-Type": "text/html", "Content-Length": str(20 * 1024 * 1024)},
                                         lambda: iter([b"<p>x</p>"]))
    result = fetch(local_site.url("/big"), allow_private=True)
    assert result.reason == "too_large" and "Content-Length" in result.detail


def test_body_at_the_cap_passes(local_site):
    options = FetchOptions(max_bytes=100_000)
    local_site.add("/exact", b"a" * 100_000, "text/plain")
    local_site.add("/over", b"a" * 100_001, "text/plain")
    assert fetch(local_site.url("/exact"), allow_private=True, options=options).ok
    assert fetch(local_site.url("/over"), allow_private=True, options=options).reason == "too_large"


def test_empty_page_is_fetched_as_empty(local_site):
    url = local_site.add("/empty", "")
    result = fetch(url, allow_private=True)
    assert result.ok and result.content == b""


def test_charset_from_the_header_decodes_text(local_site):
    body = "<p>Hội nghị ngoại giao</p>".encode("utf-16")
    url = local_site.add("/u16", body, "text/html; charset=utf-16")
    result = fetch(url, allow_private=True)
    assert result.encoding == "utf-16" and "Hội nghị" in result.text


def test_redirect_chain_is_followed_with_relative_locations(local_site):
    local_site.redirect("/a", "/b", 301)
    local_site.redirect("/b", local_site.url("/c"), 302)
    local_site.redirect("/c", "d", 307)
    final = local_site.add("/d", HTML)
    result = fetch(local_site.url("/a"), allow_private=True)
    assert result.ok and result.final_url == final
    assert result.redirects == (local_site.url("/a"), local_site.url("/b"), local_site.url("/c"))


def test_five_redirects_pass_six_do_not(local_site):
    for i in range(6):
        local_site.redirect(f"/r{i}", f"/r{i + 1}")
    local_site.add("/r6", HTML)
    assert fetch(local_site.url("/r1"), allow_private=True).ok  # r1..r5 -> r6: five hops
    result = fetch(local_site.url("/r0"), allow_private=True)
    assert result.reason == "too_many_redirects"


def test_redirect_loop_stops(local_site):
    local_site.redirect("/loop", "/loop")
    assert fetch(local_site.url("/loop"), allow_private=True).reason == "too_many_redirects"


@pytest.mark.parametrize("url", ["ftp://example.com/feed.xml", "file:///etc/passwd", "javascript:alert(1)",
                                 "gopher://example.com/"])
def test_non_http_urls_are_refused(url, connections):
    assert fetch(url).reason == "unsupported_scheme"
    assert connections == []


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://example.com/x"])
def test_redirect_to_another_scheme_is_refused(local_site, location):
    local_site.redirect("/go", location)
    assert fetch(local_site.url("/go"), allow_private=True).reason == "unsupported_scheme"


@pytest.mark.parametrize("target", [
    "http://10.0.0.1/rss",
    "http://192.168.1.1/admin",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:127.0.0.1]/",  # IPv4 loopback hidden in IPv6
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://224.0.0.1/",  # multicast (ipaddress calls it "global")
    "http://0.0.0.0/",
])
def test_redirect_to_a_private_address_is_refused_without_connecting(local_site, connections, target):
    local_site.redirect("/feed", target)
    result = fetch(local_site.url("/feed"), allow_networks=LOOPBACK_ONLY)
    assert result.reason == "blocked_private_address"
    assert connections == ["127.0.0.1"]  # only the local site itself was ever connected to


@pytest.mark.parametrize("host", ["10.0.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "[::1]",
                                  "127.1", "2130706433", "0x7f000001"])  # odd spellings of 127.0.0.1
def test_literal_private_addresses_are_refused(host, connections):
    assert fetch(f"http://{host}/").reason == "blocked_private_address"
    assert connections == []


def test_loopback_server_is_refused_unless_allowed(local_site, connections):
    url = local_site.add("/tin", HTML)
    port = url.split(":")[2].split("/")[0]
    assert fetch(url).reason == "blocked_private_address"
    assert fetch(f"http://localhost:{port}/tin").reason == "blocked_private_address"  # via DNS
    assert local_site.requests == [] and connections == []
    assert fetch(url, allow_private=True).ok


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch, connections):
    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo",
                        lambda host, port, *a, **kw: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))])
    result = fetch("http://intranet.example.vn/rss")
    assert result.reason == "blocked_private_address" and "10.1.2.3" in result.detail
    assert connections == []


def test_every_resolved_address_is_checked(monkeypatch, connections):
    """A public first answer does not launder a private second one (DNS rebinding)."""
    answers = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.7", 80)),
               (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.0.10", 80))]
    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", lambda host, port, *a, **kw: answers)
    assert fetch("http://mixed.example.vn/").reason == "blocked_private_address"
    assert connections == []


def test_connection_is_pinned_to_the_checked_address(local_site, monkeypatch, connections):
    """The name is resolved once by us; the socket goes to that address and Host keeps the name."""
    url = local_site.add("/tin", HTML)
    port = int(url.split(":")[2].split("/")[0])
    calls: list[str] = []

    def fake_dns(host, p, *args, **kw):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", p))]

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", fake_dns)
    result = fetch(f"http://news.example.vn:{port}/tin", allow_networks=LOOPBACK_ONLY)
    assert result.ok
    assert calls.count("news.example.vn") == 1 and connections == ["127.0.0.1"]
    assert local_site.requests[0].headers["host"] == f"news.example.vn:{port}"


def test_unresolvable_host_is_a_dns_error(monkeypatch):
    def no_dns(host, port, *a, **kw):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", no_dns)
    assert fetch("http://khong-ton-tai.example/").reason == "dns_error"


def test_closed_port_is_a_connect_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert fetch(f"http://127.0.0.1:{port}/", allow_private=True, options=FAST).reason == "connect_error"


def test_conditional_get_returns_not_modified(local_site):
    def feed(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"' or request.headers.get("if-modified-since") == "Wed, 24 Jan 2024 01:18:59 GMT":
            return Response(304, {"ETag": '"v1"'})
        return Response(200, {"Content-Type": "application/rss+xml", "ETag": '"v1"',
                              "Last-Modified": "Wed, 24 Jan 2024 01:18:59 GMT"}, "<rss version='2.0'/>")

    local_site.routes["/rss"] = feed
    url = local_site.url("/rss")
    first = fetch(url, allow_private=True)
    assert first.ok and not first.not_modified and first.etag == '"v1"'
    again = fetch(url, allow_private=True, etag=first.etag)
    assert again.ok and again.not_modified and again.status == 304 and again.content == b""
    assert again.etag == '"v1"'
    by_date = fetch(url, allow_private=True, last_modified=first.last_modified)
    assert by_date.not_modified and by_date.last_modified == first.last_modified
    assert local_site.requests[1].headers["if-none-match"] == '"v1"'


def test_one_request_at_a_time_per_host(local_site):
    local_site.routes["/slow"] = Response(200, {"Content-Type": "text/html"}, HTML, delay=0.15)
    results = []
    with Fetcher(allow_private=True) as fetcher:
        threads = [threading.Thread(target=lambda: results.append(fetcher.fetch(local_site.url("/slow"))))
                   for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [r.ok for r in results] == [True, True, True]
    assert len(local_site.requests) == 3 and local_site.max_in_flight == 1


def test_afetch_runs_from_an_event_loop(local_site):
    url = local_site.add("/a", HTML)

    async def main():
        return await asyncio.gather(afetch(url, allow_private=True), afetch(local_site.url("/none"), allow_private=True))

    ok, missing = asyncio.run(main())
    assert ok.ok and missing.reason == "http_404"


# --- Content-Encoding: undone layer by layer, capped as decoded ---------------------------

TEXT = ("<p>" + "Bộ Ngoại giao tổ chức họp báo thường kỳ. " * 200 + "</p>").encode()


def _raw_deflate(data: bytes) -> bytes:
    squeezer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return squeezer.compress(data) + squeezer.flush()


@pytest.mark.parametrize("encoding, body", [
    ("gzip", gzip.compress(TEXT)),
    ("gzip, gzip", gzip.compress(gzip.compress(TEXT))),
    ("deflate, gzip", gzip.compress(zlib.compress(TEXT))),  # applied in that order: undone gzip first
    ("deflate", _raw_deflate(TEXT)),  # deflate without its zlib header, as old IIS sends it
    ("identity", TEXT),
    ("utf-8", TEXT),  # a misconfigured server's non-coding is ignored, as httpx does
])
def test_content_encodings_are_undone(local_site, encoding, body):
    local_site.routes["/z"] = Response(200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": encoding},
                                       body)
    result = fetch(local_site.url("/z"), allow_private=True)
    assert result.ok and result.content == TEXT
    assert local_site.requests[0].headers["accept-encoding"] == "gzip, deflate"


@pytest.mark.parametrize("encoding, body, reason", [
    ("br", b"\x8b\x02\x80hello\x03", "decoding_error"),  # never asked for, cannot be read
    ("gzip", b"\x1f\x8b\x08\x00 not gzip at all", "decoding_error"),
])
def test_unreadable_encodings_are_decoding_errors(local_site, encoding, body, reason):
    local_site.routes["/z"] = Response(200, {"Content-Type": "text/html", "Content-Encoding": encoding}, body)
    assert fetch(local_site.url("/z"), allow_private=True).reason == reason


@pytest.mark.parametrize("encoding", ["gzip", "gzip, gzip"])
def test_the_cap_counts_decoded_bytes(local_site, encoding):
    options = FetchOptions(max_bytes=100_000)
    for size in (100_000, 100_001):
        body = gzip.compress(b"a" * size)
        if encoding == "gzip, gzip":
            body = gzip.compress(body)
        local_site.routes[f"/{size}"] = Response(200, {"Content-Type": "text/plain", "Content-Encoding": encoding}, body)
    assert fetch(local_site.url("/100000"), allow_private=True, options=options).ok
    assert fetch(local_site.url("/100001"), allow_private=True, options=options).reason == "too_large"


def test_inflating_stops_at_the_cap_not_at_the_end_of_the_layer():
    """Two layers that inflate to 256 MiB: reading the first 3 MiB takes 64 KB pieces, and stops."""
    from ingest.fetch import DECODE_PIECE, _Abort, _decoded
    from tests.hostile_site import MiB, stacked_gzip

    pieces = []
    with pytest.raises(_Abort) as aborted:
        for piece in _decoded(iter([stacked_gzip(256 * MiB)]), ["gzip", "gzip"], cap=3 * MiB):
            pieces.append(len(piece))
    assert aborted.value.reason == "too_large"
    assert max(pieces) <= DECODE_PIECE and sum(pieces) <= 3 * MiB


def test_a_slow_resolver_ends_at_the_deadline(monkeypatch):
    """getaddrinfo has no timeout of its own; the fetch deadline bounds it too."""
    def slow_dns(host, port, *a, **kw):
        time.sleep(2.0)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.7", port))]

    monkeypatch.setattr(fetch_mod.socket, "getaddrinfo", slow_dns)
    result = fetch("http://cham.example.vn/rss", options=FetchOptions(deadline=0.3))
    assert result.reason == "timeout" and "DNS" in result.detail
