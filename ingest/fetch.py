"""Fetch one feed or page over HTTP(S), safely, returning a value instead of raising.

Feeds and pages come from URLs that admins type in and from links inside feeds, so a
fetch must not be a way into the machine's own network (SSRF) nor a way to fill memory:
every hop of a redirect chain is re-checked, every address a host resolves to is checked
and the socket is connected to exactly the address that was checked (no second DNS
lookup an attacker could answer differently), bodies are streamed and cut at a cap, and
only text-like content types are read. Errors come back as `FetchError(reason)` with a
short machine reason that the `sources` table and `/feeds` can show.

Two limits hold whatever the server does:
- one wall-clock deadline for the whole fetch (DNS, connect, TLS, headers, body, every
  redirect hop): each socket operation gets at most the time left, so a server that
  sends its headers one byte a second cannot reset a read timeout forever;
- the size cap counts bytes as they are decoded, layer by layer (`Content-Encoding:
  gzip, gzip`), in pieces of at most 64 KB: a 2 KB gzip bomb never inflates in memory.

The core is synchronous (httpx.Client): the CLI calls `fetch`, the bot calls `afetch`,
which runs the same code in a worker thread so that PTB's event loop never blocks.
"""

from __future__ import annotations

import asyncio
import contextvars
import ipaddress
import logging
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Union

import httpcore
import httpx

logger = logging.getLogger(__name__)

USER_AGENT = "Diplobot/0.1 (+https://github.com/diplobot/diplobot)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/*;q=0.8"
)
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Content types we never read: the check runs on headers, before the body is downloaded.
_XML_TYPES = {"application/xml", "application/xhtml+xml", "application/rss+xml", "application/atom+xml",
              "application/rdf+xml", "application/x-rss+xml", "application/x-atom+xml"}
# Magic numbers of binaries that servers mislabel (or do not label) as text.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"RIFF", b"\x00\x00\x01\x00")
_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
# We decode bodies ourselves (capped, see `_decoded`), so we only ask for what zlib reads.
ACCEPT_ENCODING = "gzip, deflate"
_ZLIB_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
_UNREADABLE_ENCODINGS = {"br", "zstd", "compress", "x-compress"}  # real codings we never asked for
DECODE_PIECE = 64 * 1024  # most bytes one decompress call may return


@dataclass(frozen=True)
class FetchOptions:
    """Limits of one fetch; tests shrink the timeouts, nothing else needs to."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 30.0  # whole fetch, all redirect hops and the body included
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = USER_AGENT


DEFAULT_OPTIONS = FetchOptions()


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch (2xx), or a 304 when the caller's validators still hold."""

    url: str
    final_url: str
    status: int
    content: bytes
    content_type: str  # the MIME type only, lowercased: "application/rss+xml"
    encoding: str | None  # charset from the Content-Type header, if any
    etag: str | None
    last_modified: str | None
    not_modified: bool = False
    redirects: tuple[str, ...] = ()  # the URLs visited before final_url

    ok = True

    @property
    def text(self) -> str:
        """The body decoded with the declared charset, else UTF-8 (bad bytes replaced)."""
        for enc in (self.encoding, "utf-8"):
            if not enc:
                continue
            try:
                return self.content.decode(enc)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class FetchError:
    """A fetch that gave nothing usable; `reason` is short and stable (stored, shown in /feeds)."""

    url: str
    reason: str  # timeout, too_large, bad_content_type, http_404, blocked_private_address, …
    status: int | None = None
    detail: str = ""

    ok = False


FetchOutcome = Union[FetchResult, FetchError]


# --- address policy -------------------------------------------------------------------


class BlockedAddress(Exception):
    """A host resolved to an address the policy refuses (loopback, private, …)."""


class ResolveFailed(Exception):
    """DNS gave no address for a host."""


@dataclass(frozen=True)
class AddressPolicy:
    """Which IP addresses a fetch may connect to.

    `allow_private` lifts the check entirely (`DIPLOBOT_ALLOW_PRIVATE_URLS=1`);
    `allow_networks` lets through named networks only (tests serve on 127.0.0.1 while
    still proving that 10.0.0.1 or 169.254.169.254 are refused).
    """

    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()
    _networks: tuple = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        nets = tuple(ipaddress.ip_network(n, strict=False) for n in self.allow_networks)
        object.__setattr__(self, "_networks", nets)

    def allows(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if self.allow_private:
            return True
        if any(ip.version == net.version and ip in net for net in self._networks):
            return True
        return is_public_address(ip)


def is_public_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for globally routable unicast addresses.

    `is_global` alone lets multicast through (224.0.0.1 is "global"), and an IPv6
    address can smuggle an IPv4 one (::ffff:127.0.0.1, 6to4, Teredo): check those too.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(embedded):
            return False
    bad = (ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_multicast
           or ip.is_reserved or ip.is_unspecified)
    return ip.is_global and not bad


def _literal_ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ResolveFailed(f"{host}: {exc}") from None
    seen: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        addr = sockaddr[0].split("%", 1)[0]  # drop an IPv6 zone id
        if addr not in seen:
            seen.append(addr)
    if not seen:
        raise ResolveFailed(f"{host}: no address")
    return seen


# --- the deadline of the fetch running in this thread (or task) -------------------------

# Monotonic time by which the current fetch must be over; connections outlive a fetch
# (keep-alive), so their streams read it at each operation rather than keeping their own.
_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("fetch_deadline", default=None)


def _bounded(timeout: float | None, expired: type[Exception]) -> float | None:
    """`timeout` cut to what is left of the current deadline; `expired` raised when nothing is.

    httpcore gives each socket call its own timeout, which a byte every second resets;
    bounding every call by the time left makes the deadline cover the whole fetch.
    """
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise expired("fetch deadline passed")
    return left if timeout is None else min(timeout, left)


def resolve_in_time(host: str, port: int) -> list[str]:
    """`resolve` within the deadline: getaddrinfo has no timeout, so a slow resolver is
    waited for in a daemon thread that is abandoned when time is up."""
    left = _bounded(None, httpcore.ConnectTimeout)
    if left is None or _literal_ip(host) is not None:
        return resolve(host, port)
    answer: dict[str, object] = {}

    def lookup() -> None:
        try:
            answer["addresses"] = resolve(host, port)
        except ResolveFailed as exc:
            answer["error"] = exc

    worker = threading.Thread(target=lookup, name="diplobot-dns", daemon=True)
    worker.start()
    worker.join(left)
    if worker.is_alive():
        raise httpcore.ConnectTimeout(f"{host}: DNS lookup past the fetch deadline")
    if "error" in answer:
        raise answer["error"]  # type: ignore[misc]
    return answer["addresses"]  # type: ignore[return-value]


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and TLS handshake ends by the fetch deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket opener, resolving once, checking every address, connecting to a checked one."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable | None = None):
        addresses = resolve_in_time(host, port)
        for addr in addresses:
            if not self.policy.allows(ipaddress.ip_address(addr)):
                raise BlockedAddress(f"{host} resolves to {addr}")
        last_error: Exception | None = None
        for addr in addresses:
            try:
                stream = super().connect_tcp(addr, port, _bounded(timeout, httpcore.ConnectTimeout),
                                             local_address, socket_options)
                return _DeadlineStream(stream)
            except httpcore.ConnectError as exc:  # try the next address, like create_connection
                last_error = exc
        assert last_error is not None
        raise last_error


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the connection pool rebuilt around `_GuardedBackend`.

    httpx does not expose httpcore's `network_backend`; replacing `_pool` right after
    construction is the smallest way in (pinned httpx 0.28; tests fail if it breaks).
    """

    def __init__(self, policy: AddressPolicy) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(policy),
        )


_SSL_CONTEXT = None


def _ssl_context():
    """One verified SSL context for the process: loading the CA bundle costs ~20 ms."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        _SSL_CONTEXT = httpx.create_ssl_context(trust_env=False)
    return _SSL_CONTEXT


# --- politeness: one request at a time per host --------------------------------------

_HOST_LOCKS: dict[str, threading.Lock] = {}
_HOST_LOCKS_GUARD = threading.Lock()


def _host_lock(host: str) -> threading.Lock:
    with _HOST_LOCKS_GUARD:
        return _HOST_LOCKS.setdefault(host.lower(), threading.Lock())


# --- anti-bot challenge pages ----------------------------------------------------------

_ANTI_BOT_TITLE_RE = re.compile(
    r"^(?:just a moment|attention required!? \| cloudflare|access denied|ddos-guard|checking your browser"
    r"|please wait|one more step|security check|are you a robot|verify(?:ing)? you are human|bot verification)",
    re.IGNORECASE)
_ANTI_BOT_MARKERS = ("cf-browser-verification", "/cdn-cgi/challenge-platform", "cf_chl_opt", "_cf_chl",
                     "cf-challenge", "ddos-guard", "_incapsula_resource", "sgcaptcha", "/_guard/", "px-captcha")
_ANTI_BOT_WORDS = re.compile(r"captcha|enable javascript|bật javascript|javascript is (?:disabled|required)"
                             r"|access denied|truy cập bị từ chối|not a robot|không phải (?:là )?robot", re.IGNORECASE)
_INVISIBLE_RE = re.compile(r"(?is)<(script|style)\b.*?</\1\s*>|<!--.*?-->")
_TAG_RE = re.compile(r"(?s)<[^>]*>")
SHORT_PAGE_CHARS = 600  # an article page shows far more text than a challenge page
CHALLENGE_STATUSES = {403, 429, 503}  # what Cloudflare & co. answer with their challenge pages


def is_anti_bot(html: str, visible: str | None = None) -> bool:
    """A challenge page (Cloudflare, DDoS-Guard, a captcha, "enable JavaScript") instead of content.

    `visible` is the page's visible text when the caller has parsed it; otherwise tags
    are stripped by regex, which is enough to tell a near-empty page.
    """
    head = html[:200_000]
    if visible is None:
        visible = " ".join(_TAG_RE.sub(" ", _INVISIBLE_RE.sub(" ", head)).split())
    title = re.search(r"<title[^>]*>(.*?)</title>", head, re.IGNORECASE | re.DOTALL)
    if title and _ANTI_BOT_TITLE_RE.match(" ".join(title.group(1).split())):
        return True
    lowered = head.lower()
    if any(marker in lowered for marker in _ANTI_BOT_MARKERS):
        return True
    return len(visible) < SHORT_PAGE_CHARS and bool(_ANTI_BOT_WORDS.search(visible + " " + lowered))


# --- the fetcher ---------------------------------------------------------------------


def _mime_and_charset(header: str | None) -> tuple[str, str | None]:
    if not header:
        return "", None
    mime = header.split(";", 1)[0].strip().lower()
    m = _CHARSET_RE.search(header)
    return mime, (m.group(1).lower() if m else None)


def acceptable_type(mime: str) -> bool:
    """HTML, XML, RSS, Atom and plain text; images, PDFs, octet-streams and the rest are not."""
    return mime.startswith("text/") or mime in _XML_TYPES or mime.endswith("+xml")


def looks_binary(head: bytes) -> bool:
    """A first chunk that starts like a known binary format or holds NUL bytes (and no UTF-16 BOM)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    return head.startswith(_BINARY_MAGIC) or b"\x00" in head[:1024]


class _Abort(Exception):
    def __init__(self, reason: str, detail: str = "", status: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.detail, self.status = reason, detail, status


class Fetcher:
    """A reusable HTTP client for a batch of fetches (keep-alive across a feed's pages).

    Thread-safe; use as a context manager or call `close()`.
    """

    def __init__(self, *, allow_private: bool = False, options: FetchOptions = DEFAULT_OPTIONS,
                 allow_networks: Sequence[str] = ()) -> None:
        self.options = options
        self.policy = AddressPolicy(allow_private=allow_private, allow_networks=tuple(allow_networks))
        self._client = httpx.Client(
            transport=_GuardedTransport(self.policy),
            follow_redirects=False,  # by hand: every hop is re-checked
            trust_env=False,  # a proxy from the environment would bypass the address check
            headers={"User-Agent": options.user_agent, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING,
                     "Accept-Language": "vi,en;q=0.5"},
        )

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    async def afetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchOutcome:
        """`fetch` in a worker thread, for asyncio callers (PTB's JobQueue)."""
        return await asyncio.to_thread(self.fetch, url, etag=etag, last_modified=last_modified)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchOutcome:
        """GET `url` following up to `max_redirects` redirects; never raises for network trouble."""
        start = time.monotonic()
        token = _DEADLINE.set(start + self.options.deadline)
        try:
            return self._follow(url, start, etag, last_modified)
        finally:
            _DEADLINE.reset(token)

    def _follow(self, url: str, start: float, etag: str | None, last_modified: str | None) -> FetchOutcome:
        current = url
        visited: list[str] = []
        try:
            while True:
                target = self._check_url(current)
                if len(visited) > self.options.max_redirects:
                    raise _Abort("too_many_redirects", f"more than {self.options.max_redirects}")
                outcome = self._one_hop(url, target, visited, start, etag, last_modified)
                if isinstance(outcome, str):  # a redirect: the next URL
                    visited.append(current)
                    current = outcome
                    continue
                return outcome
        except _Abort as abort:
            logger.debug("fetch %s failed: %s %s", url, abort.reason, abort.detail)
            return FetchError(url=url, reason=abort.reason, status=abort.status, detail=abort.detail)

    def _check_url(self, raw: str) -> httpx.URL:
        try:
            target = httpx.URL(raw)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise _Abort("bad_url", str(exc)[:200]) from None
        if target.scheme not in ("http", "https"):
            raise _Abort("unsupported_scheme", target.scheme or "no scheme")
        if not target.host:
            raise _Abort("bad_url", "no host")
        ip = _literal_ip(target.host)
        if ip is not None and not self.policy.allows(ip):
            raise _Abort("blocked_private_address", str(ip))  # refused before any socket opens
        return target

    def _remaining(self, start: float) -> float:
        left = self.options.deadline - (time.monotonic() - start)
        if left <= 0:
            raise _Abort("timeout", "deadline")
        return left

    def _one_hop(self, url: str, target: httpx.URL, visited: list[str], start: float,
                 etag: str | None, last_modified: str | None) -> FetchOutcome | str:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        lock = _host_lock(target.host)
        if not lock.acquire(timeout=self._remaining(start)):
            raise _Abort("timeout", "waiting for the host")
        try:
            left = self._remaining(start)
            timeout = httpx.Timeout(connect=min(self.options.connect_timeout, left),
                                    read=min(self.options.read_timeout, left),
                                    write=min(self.options.read_timeout, left), pool=min(5.0, left))
            request = self._client.build_request("GET", target, headers=headers, timeout=timeout)
            with _map_errors():
                resp = self._send(request)
                try:
                    return self._handle(url, target, visited, resp, start, etag, last_modified)
                finally:
                    resp.close()
        finally:
            lock.release()

    def _send(self, request: httpx.Request) -> httpx.Response:
        """The response's headers; a garbled answer is asked for once more, on a new connection.

        A server whose body ran past its Content-Length leaves the extra bytes on a
        keep-alive connection, where httpcore reads them as the next response; the
        failed connection is dropped, so the second try gets a clean one.
        """
        try:
            return self._client.send(request, stream=True)
        except httpx.RemoteProtocolError:
            return self._client.send(request, stream=True)

    def _handle(self, url: str, target: httpx.URL, visited: list[str], resp: httpx.Response, start: float,
                etag: str | None, last_modified: str | None) -> FetchOutcome | str:
        status = resp.status_code
        if status in REDIRECT_STATUSES:
            location = resp.headers.get("location")
            if not location:
                raise _Abort("bad_redirect", "no Location", status)
            return str(target.join(location))
        new_etag = resp.headers.get("etag")
        new_lm = resp.headers.get("last-modified")
        if status == 304:
            return FetchResult(url=url, final_url=str(target), status=304, content=b"", content_type="",
                               encoding=None, etag=new_etag or etag, last_modified=new_lm or last_modified,
                               not_modified=True, redirects=tuple(visited))
        mime, charset = _mime_and_charset(resp.headers.get("content-type"))
        if not 200 <= status < 300:
            if status in CHALLENGE_STATUSES and "html" in mime:  # "403" alone hides a challenge page
                head = self._read_capped(resp, start, limit=256 * 1024)
                if is_anti_bot(head.decode(charset or "utf-8", errors="replace")):
                    raise _Abort("anti_bot", f"HTTP {status} challenge page", status)
            raise _Abort(f"http_{status}", resp.reason_phrase, status)
        if mime and not acceptable_type(mime):
            raise _Abort("bad_content_type", mime, status)
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.options.max_bytes:
            raise _Abort("too_large", f"Content-Length {declared}", status)
        content = self._read_capped(resp, start)
        if looks_binary(content[:1024]):
            raise _Abort("bad_content_type", mime or "binary body", status)
        return FetchResult(url=url, final_url=str(target), status=status, content=content,
                           content_type=mime, encoding=charset, etag=new_etag, last_modified=new_lm,
                           redirects=tuple(visited))

    def _read_capped(self, resp: httpx.Response, start: float, limit: int | None = None) -> bytes:
        """The decoded body, aborted past `max_bytes` or the deadline (or cut at `limit`)."""
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in _decoded(resp.iter_raw(), content_encodings(resp.headers), self.options.max_bytes):
                if limit is not None and size + len(chunk) >= limit:
                    chunks.append(chunk[: limit - size])
                    break
                chunks.append(chunk)
                size += len(chunk)
                self._remaining(start)
        except _Abort as abort:
            raise _Abort(abort.reason, abort.detail, abort.status or resp.status_code) from None
        return b"".join(chunks)


# --- bodies: decoded layer by layer, capped as they are decoded ----------------------


def content_encodings(headers: httpx.Headers) -> list[str]:
    """The compression layers of a body, in the order they were applied.

    Names zlib cannot read but a server might still send (br, zstd) are refused; other
    unknown names (`Content-Encoding: utf-8`, a common misconfiguration) are ignored, as
    httpx does.
    """
    names = [n.strip().lower() for n in headers.get_list("content-encoding", split_commas=True)]
    for name in names:
        if name in _UNREADABLE_ENCODINGS:
            raise _Abort("decoding_error", f"unsupported Content-Encoding {name}")
    return [n for n in names if n in _ZLIB_WBITS]


def _decoded(raw: Iterable[bytes], encodings: Sequence[str], cap: int) -> Iterator[bytes]:
    """The body with every layer undone, innermost last; each stage (the bytes off the wire,
    then each layer's output) is cut at `cap`, so even an intermediate layer made of empty
    deflate blocks cannot keep the CPU busy for long."""
    stream = _capped(raw, cap)
    for name in reversed(encodings):
        stream = _capped(_inflate(stream, name), cap)
    return stream


def _capped(chunks: Iterable[bytes], cap: int) -> Iterator[bytes]:
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > cap:
            raise _Abort("too_large", f"over {cap} bytes")
        yield chunk


def _inflate(chunks: Iterable[bytes], name: str) -> Iterator[bytes]:
    """One gzip/deflate layer undone in pieces of at most DECODE_PIECE bytes.

    zlib's `max_length` leaves the input it did not get to in `unconsumed_tail`, so a
    few kilobytes that inflate to gigabytes are inflated only as far as the reader asks.
    """
    inflater = zlib.decompressobj(_ZLIB_WBITS[name])
    first = True
    for data in chunks:
        while True:
            try:
                out = inflater.decompress(data, DECODE_PIECE)
            except zlib.error as exc:
                if first and name == "deflate":  # raw deflate without a zlib header (old IIS)
                    inflater, first = zlib.decompressobj(-zlib.MAX_WBITS), False
                    continue
                raise _Abort("decoding_error", f"{name}: {exc}") from None
            first = False
            if out:
                yield out
            data = inflater.unconsumed_tail
            if not data and len(out) < DECODE_PIECE:
                break  # this input is used up and nothing is pending


class _map_errors:
    """Turn httpx/httpcore exceptions and our address refusals into `_Abort` reasons."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None or isinstance(exc, _Abort):
            return False
        reason = _reason_for(exc)
        if reason is None:
            return False
        raise _Abort(reason, str(exc)[:200]) from None


def _reason_for(exc: BaseException) -> str | None:
    cause = exc
    while cause is not None:  # httpx wraps what the network backend raised
        if isinstance(cause, BlockedAddress):
            return "blocked_private_address"
        if isinstance(cause, ResolveFailed):
            return "dns_error"
        cause = cause.__cause__ or cause.__context__
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "tls_error" if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper() else "connect_error"
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return "bad_url"
    if isinstance(exc, httpx.DecodingError):
        return "decoding_error"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too_many_redirects"
    if isinstance(exc, (httpx.TransportError, httpx.HTTPError)):
        return "network_error"
    return None


def fetch(url: str, *, allow_private: bool = False, etag: str | None = None, last_modified: str | None = None,
          options: FetchOptions = DEFAULT_OPTIONS, allow_networks: Sequence[str] = ()) -> FetchOutcome:
    """Fetch one URL with a fresh client (use `Fetcher` to reuse connections for a batch)."""
    with Fetcher(allow_private=allow_private, options=options, allow_networks=allow_networks) as fetcher:
        return fetcher.fetch(url, etag=etag, last_modified=last_modified)


async def afetch(url: str, **kwargs) -> FetchOutcome:
    """`fetch` in a worker thread, so an asyncio caller (the bot) never blocks its loop."""
    return await asyncio.to_thread(fetch, url, **kwargs)
