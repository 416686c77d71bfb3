"""A local HTTP site for tests: canned responses on 127.0.0.1, never the network.

`LocalSite` serves a dict of path -> response from a `ThreadingHTTPServer` on port 0 in a
thread. A response is a `Response`, a `(status, headers, body)` tuple, or a callable that
gets the request (for conditional GET and the like). A body may be bytes, str, or a
callable returning an iterable of byte chunks: those are streamed without a
Content-Length, so a 20 MB page is generated lazily and never held in memory.
Every request is recorded (path, headers) and the peak number of requests in flight is
kept, so tests can check what a client sent and that it sent one request at a time.

Use the `local_site` fixture (`from tests.local_site import local_site`) or
`with LocalSite(routes) as site:`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Union

import pytest

SITE_DIR = Path(__file__).resolve().parent / "site"
BASE_TOKEN = "@BASE@"  # replaced by the server's base URL in files served with add_file

Body = Union[bytes, str, Callable[[], Iterable[bytes]]]


@dataclass
class Response:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Body = b""
    delay: float = 0.0  # seconds before the status line is sent (read-timeout tests)
    chunk_delay: float = 0.0  # seconds between streamed chunks (deadline tests)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


Route = Union[Response, tuple, Callable[[Request], Response]]


def _as_response(route: Route, request: Request) -> Response:
    if isinstance(route, Response):
        return route
    if isinstance(route, tuple):
        return Response(*route)
    return route(request)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        site = self.server.site
        request = Request("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        site._enter(request)
        try:
            route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
            response = _as_response(route, request) if route is not None else Response(
                404, {"Content-Type": "text/html; charset=utf-8"}, "<h1>404 - Không tìm thấy trang</h1>")
            self._send(response)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (size cap, timeout): expected in these tests
        finally:
            site._leave()

    def _send(self, response: Response) -> None:
        if response.delay:
            time.sleep(response.delay)
        body = response.body
        self.send_response(response.status)
        headers = dict(response.headers)
        if callable(body):  # streamed: no length, the connection closes at the end
            headers.setdefault("Connection", "close")
            self.close_connection = True
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            for chunk in body():
                self.wfile.write(chunk)
                if response.chunk_delay:
                    self.wfile.flush()
                    time.sleep(response.chunk_delay)
            return
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers.setdefault("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a sleeping handler must not hold up shutdown
    request_queue_size = 128  # the default 5 overflows under load: connections reset after the request
    site: "LocalSite"

    def handle_error(self, request, client_address) -> None:
        pass  # aborted connections are part of the tests


class LocalSite:
    """A local HTTP server with editable routes; see the module docstring."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.site = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, body: Body, content_type: str = "text/html; charset=utf-8", status: int = 200,
            **headers: str) -> str:
        """Serve `body` at `path`; returns the full URL."""
        extra = {k.replace("_", "-"): v for k, v in headers.items()}
        self.routes[path] = Response(status, {"Content-Type": content_type, **extra}, body)
        return self.url(path)

    def add_file(self, path: str, name: str, content_type: str = "text/html; charset=utf-8") -> str:
        """Serve tests/site/NAME at `path`, with @BASE@ replaced by this server's base URL."""
        text = (SITE_DIR / name).read_text(encoding="utf-8").replace(BASE_TOKEN, self.base_url)
        return self.add(path, text, content_type)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = Response(status, {"Location": location, "Content-Length": "0"}, b"")
        return self.url(path)

    def paths_requested(self) -> list[str]:
        return [r.path for r in self.requests]

    def _enter(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def start(self) -> "LocalSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "LocalSite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@pytest.fixture
def local_site():
    """A started `LocalSite` with no routes; add them in the test."""
    with LocalSite() as site:
        yield site
