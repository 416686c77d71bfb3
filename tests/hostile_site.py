"""A local site that misbehaves on purpose, and a way to fetch from it under hard limits.

`HostileSite` is a `LocalSite` (127.0.0.1, a random port, a thread per connection) whose
routes attack the fetcher's limits:

| path | misbehaviour |
|---|---|
| `/stacked-gzip` | `Content-Encoding: gzip, gzip`: about 4 KB that inflate to 2 GiB |
| `/gzip-bomb` | one gzip layer: about 1 MB that inflates to 1 GiB |
| `/slow-headers` | the status line and headers one byte per `drip` seconds (`?every=S` for another pace) |
| `/slow-body` | headers at once, then the body one byte per `drip` seconds (`?every=S` too) |
| `/feed-10000.xml` | an RSS feed of 10,000 items, oldest first, linking to `/item/N.html` (404) |
| `/loop` | a redirect to itself |
| `/length-more` | `Content-Length: 100000`, 30 bytes sent, connection closed |
| `/length-less` | `Content-Length: 20`, 200 bytes sent on a keep-alive connection |
| `/truncated.xml` | an RSS feed cut off before its first item |
| `/not-xml.rss` | a PHP error inside an `<rss>` envelope, labelled RSS |

`fetch_in_child` runs one fetch (or one feed ingest) in a subprocess that sets its own
address-space limit (`RLIMIT_AS`) first and is killed after a timeout, so memory and time
are bounded and measured on that process, never by timing a unit test. The peak RSS is
the child's `VmHWM` (/proc/self/status), which counts only what it used after exec:
`getrusage`/`wait4` would count the parent's pages too when the parent (pytest) is big. Run
`python -m tests.hostile_site fetch URL` for the child side.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

import pytest

from diplobot.tags import Tags
from tests.local_site import LocalSite, Response, _Handler

ROOT = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
GiB = 1024 * MiB
FEED_ITEMS = 10_000


# --- payloads ---------------------------------------------------------------------------


@functools.cache
def gzip_of_spaces(size: int) -> bytes:
    """A valid gzip member of `size` spaces, built without compressing them all.

    After a full flush, deflate's output for the same input is the same bytes, so one
    compressed MiB is repeated (a few ms for a GiB); only the CRC reads every byte.
    """
    assert size % MiB == 0
    block = b" " * MiB
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = squeezer.compress(block) + squeezer.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // MiB):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    final_block = b"\x03\x00"  # an empty last block
    return header + segment * (size // MiB) + final_block + struct.pack("<II", crc, size & 0xFFFFFFFF)


@functools.cache
def stacked_gzip(size: int = 2 * GiB) -> bytes:
    """gzip(gzip(`size` spaces)): what `Content-Encoding: gzip, gzip` says."""
    return gzip.compress(gzip_of_spaces(size), 9)


def rss(items: str, title: str = "Tin đối ngoại") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>/</link>{items}</channel></rss>")


@functools.cache
def big_feed(base: str, count: int = FEED_ITEMS) -> bytes:
    """`count` items, oldest first (item N is N minutes newer than item 0)."""
    items = "".join(
        f"<item><title>Bài {n}</title><link>{base}/item/{n}.html</link><guid>bai-{n}</guid>"
        f"<pubDate>{_rfc822(n)}</pubDate></item>" for n in range(count))
    return rss(items).encode("utf-8")


def _rfc822(minutes: int) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(1_700_000_000 + 60 * minutes))


# Cut off in the channel's head, as a dropped connection or a full disk leaves it.
TRUNCATED_FEED = rss('<item><title>Bộ Ngoại giao họp báo</title><link>/a.html</link></item>').split("<item>")[0][:-4]
NOT_XML_FEED = ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Tin</title>\n<br />\n'
                "<b>Fatal error</b>:  Uncaught PDOException: SQLSTATE[HY000] [1040] Too many connections "
                "in /var/www/rss.php:12\n")


# --- the server ---------------------------------------------------------------------------


@dataclass
class Raw:
    """A response written by hand, for what http.server will not say (a dripped status line)."""

    write: Callable[[BinaryIO], None]

    def __call__(self, request) -> "Raw":
        return self


class _HostileHandler(_Handler):
    def _send(self, response) -> None:
        if isinstance(response, Raw):
            self.close_connection = True
            response.write(self.wfile)
            return
        super()._send(response)


def drip(data: bytes, seconds: float, head: bytes = b"") -> Raw:
    """`head` at once, then `data` one byte every `seconds`."""
    def write(out: BinaryIO) -> None:
        out.write(head)
        out.flush()
        for byte in data:
            out.write(bytes([byte]))
            out.flush()
            time.sleep(seconds)
    return Raw(write)


def dripping(data: bytes, seconds: float, head: bytes = b"") -> Callable:
    """A route that drips like `drip`, every `?every=S` seconds when the URL says so."""
    def route(request) -> Raw:
        every = parse_qs(urlsplit(request.path).query).get("every", [seconds])[0]
        return drip(data, float(every), head)
    return route


def _sent_as_is(data: bytes) -> Raw:
    def write(out: BinaryIO) -> None:
        out.write(data)
        out.flush()
    return Raw(write)


class HostileSite(LocalSite):
    """`LocalSite` with the routes in the module docstring; `drip` is the slow routes' pace."""

    def __init__(self, drip_seconds: float = 1.0) -> None:
        super().__init__()
        self._server.RequestHandlerClass = _HostileHandler
        html = "text/html; charset=utf-8"
        page = "<html><body><p>Chậm mà chắc.</p></body></html>".encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: {html}\r\nContent-Length: {len(page)}\r\n\r\n".encode()
        self.routes.update({
            "/stacked-gzip": Response(200, {"Content-Type": html, "Content-Encoding": "gzip, gzip"}, stacked_gzip()),
            "/gzip-bomb": Response(200, {"Content-Type": html, "Content-Encoding": "gzip"}, gzip_of_spaces(GiB)),
            "/slow-headers": dripping(head + page, drip_seconds),
            "/slow-body": dripping(page, drip_seconds, head=head),
            "/feed-10000.xml": Response(200, {"Content-Type": "application/rss+xml"}, big_feed(self.base_url)),
            "/length-more": _sent_as_is(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n"
                                        b"Connection: close\r\n\r\n<html><body><p>Thi\xe1\xba\xbfu</p>"),
            "/length-less": Response(200, {"Content-Type": html, "Content-Length": "20"}, b"<p>" + b"x" * 197),
            "/truncated.xml": Response(200, {"Content-Type": "application/rss+xml"}, TRUNCATED_FEED),
            "/not-xml.rss": Response(200, {"Content-Type": "application/rss+xml"}, NOT_XML_FEED),
        })
        self.redirect("/loop", "/loop")

    def item_requests(self) -> list[str]:
        return [p for p in self.paths_requested() if p.startswith("/item/")]


@pytest.fixture(scope="session")
def hostile_site():
    """One `HostileSite` for the session (its payloads take a second to build), dripping a byte a second."""
    with HostileSite() as site:
        yield site


# --- a fetch in a child process, under limits -----------------------------------------------


@dataclass
class ChildRun:
    outcome: str  # "ok", a fetch or feed reason, or "killed" / "crashed"
    detail: str
    wall: float  # seconds, start to exit of the child
    seconds: float  # what the child timed itself: the fetch alone (or the ingest), imports left out
    peak_rss_mb: float  # the child's own peak resident set (VmHWM; wait4's when it was killed)
    returncode: int
    stderr: str


def fetch_in_child(url: str, *, mode: str = "fetch", deadline: float | None = None, read_timeout: float | None = None,
                   max_bytes: int | None = None, address_space: int = GiB, timeout: float = 60.0) -> ChildRun:
    """Run `python -m tests.hostile_site MODE URL` and measure it; never raises for the child's failure."""
    args = [sys.executable, "-m", "tests.hostile_site", mode, url, "--address-space", str(address_space)]
    for flag, value in (("--deadline", deadline), ("--read-timeout", read_timeout), ("--max-bytes", max_bytes)):
        if value is not None:
            args += [flag, str(value)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.monotonic()
        child = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=err, env=_child_env())
        killer = threading.Timer(timeout, child.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            killer.cancel()
        wall = time.monotonic() - began
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return _child_run(stdout, stderr, child.returncode, wall, usage.ru_maxrss / 1024)


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DIPLOBOT_", "TELEGRAM_"))}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _child_run(stdout: str, stderr: str, returncode: int, wall: float, peak_mb: float) -> ChildRun:
    lines = stdout.strip().splitlines()
    if returncode == 0 and lines:
        report = json.loads(lines[-1])
        return ChildRun(report["outcome"], report["detail"], wall, report["seconds"], report["peak_kb"] / 1024, 0,
                        stderr)
    outcome = "killed" if returncode < 0 else "crashed"
    last = stderr.strip().splitlines()[-1:] or [""]
    return ChildRun(outcome, last[0][:200], wall, wall, peak_mb, returncode, stderr)


# --- the child side ---------------------------------------------------------------------------


def _child(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.hostile_site")
    parser.add_argument("mode", choices=["fetch", "ingest"])
    parser.add_argument("url")
    parser.add_argument("--address-space", type=int, default=GiB)
    parser.add_argument("--deadline", type=float)
    parser.add_argument("--read-timeout", type=float)
    parser.add_argument("--max-bytes", type=int)
    args = parser.parse_args(argv)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (args.address_space, args.address_space))  # before any big import
    from ingest.fetch import DEFAULT_OPTIONS, FetchOptions

    limits = {k: v for k, v in (("deadline", args.deadline), ("read_timeout", args.read_timeout),
                                ("max_bytes", args.max_bytes)) if v is not None}
    options = FetchOptions(**limits) if limits else DEFAULT_OPTIONS
    began = time.monotonic()
    try:
        outcome, detail = (_fetch_once if args.mode == "fetch" else _ingest_once)(args.url, options)
    except MemoryError:  # the address-space limit: say so, with the peak it reached
        outcome, detail = "crashed", "MemoryError"
    print(json.dumps({"outcome": outcome, "detail": detail, "seconds": round(time.monotonic() - began, 3),
                      "peak_kb": _peak_kb()}))


def _peak_kb() -> int:
    """This process's peak resident set since exec (VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _fetch_once(url: str, options) -> tuple[str, str]:
    """One fetch; a feed is parsed too, so that a broken one says why."""
    from ingest.feeds import looks_like_feed, parse_feed
    from ingest.fetch import fetch

    result = fetch(url, allow_private=True, options=options)
    if not result.ok:
        return result.reason, result.detail
    if looks_like_feed(result.content, result.content_type):
        feed = parse_feed(result.content, result.final_url, result.content_type)
        return ("ok", f"feed of {len(feed.items)} items") if feed.ok else (feed.reason, feed.detail)
    return "ok", f"{len(result.content)} bytes"


def _ingest_once(url: str, options) -> tuple[str, str]:
    """A feed read as `diplobot ingest` reads it (default DIPLOBOT_FEED_MAX_ITEMS), into a scratch database."""
    from ingest.fetch import Fetcher
    from ingest.run import ingest
    from storage import open_db

    with tempfile.TemporaryDirectory() as tmp, Fetcher(allow_private=True, options=options) as fetcher:
        # Item pages that fail leave nothing to summarize or tag: no model is loaded.
        report = ingest(open_db(Path(tmp) / "d.db"), [url], None, tagger=_no_tags, fetcher=fetcher)
    return ("ok" if report.sources_ok else "failed"), report.summary_line()


def _no_tags(*args, **kwargs) -> Tags:
    return Tags()


if __name__ == "__main__":
    _child()
