"""A real HTTP server on 127.0.0.1 with the pages and misbehaviours the pipeline must handle.

Each request is recorded (path, query, headers, time), so a test can assert that a page
was fetched twice, or that a refused address was never contacted. Routes that change with
each request (/flaky, /ratelimited, /slow-once) count per `key` query value, so every test
brings its own key and tests do not interfere.
"""

import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from tests.support import pages

Route = Callable[["Handler", dict[str, str]], None]


@dataclass(frozen=True)
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


class Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query))
        site = self.server.site
        site.record(Request(parts.path, query, dict(self.headers.items()), time.monotonic()))
        route = site.routes.get(parts.path)
        try:
            if route is None:
                self.send(404, pages.NOT_FOUND_HTML)
            else:
                route(self, query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a cap, a timeout): that is the point of the route

    def send(
        self,
        status: int,
        body: str | bytes = b"",
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args) -> None:
        pass  # keep pytest's output for failures


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: "TestSite"


class TestSite:
    """The server and its routes; `url(path)` gives a link to it."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self) -> None:
        self.routes: dict[str, Route] = dict(DEFAULT_ROUTES)
        self.requests: list[Request] = []
        self.counters: Counter[str] = Counter()
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.site = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> "TestSite":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes the /slow handlers
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def count(self, key: str) -> int:
        """How many requests with this key came before this one (0 for the first)."""
        with self._lock:
            seen = self.counters[key]
            self.counters[key] += 1
        return seen

    def hits(self, path: str, **query: str) -> list[Request]:
        with self._lock:
            return [
                request
                for request in self.requests
                if request.path == path
                and all(request.query.get(name) == value for name, value in query.items())
            ]


@contextmanager
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 where nothing listens: bound (so no one else takes it while the
    test runs) but not listening, so every connection to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@contextmanager
def serving() -> Iterator[TestSite]:
    site = TestSite().start()
    try:
        yield site
    finally:
        site.stop()


# --- Routes ---------------------------------------------------------------------------


def ok(handler: Handler, query: dict[str, str]) -> None:
    handler.send(200, pages.article_html())


def not_found(handler: Handler, query: dict[str, str]) -> None:
    handler.send(404, pages.NOT_FOUND_HTML)


def error(handler: Handler, query: dict[str, str]) -> None:
    handler.send(500, "<h1>Internal Server Error</h1>")


def flaky(handler: Handler, query: dict[str, str]) -> None:
    """A 500 the first time for each key, then the article."""
    if handler.server.site.count(f"flaky:{query.get('key', '')}") == 0:
        handler.send(500, "<h1>Internal Server Error</h1>")
    else:
        ok(handler, query)


def ratelimited(handler: Handler, query: dict[str, str]) -> None:
    """A 429 asking to come back in a second, the first time for each key; then the article."""
    if handler.server.site.count(f"ratelimited:{query.get('key', '')}") == 0:
        handler.send(429, "<h1>Too Many Requests</h1>", headers={"Retry-After": "1"})
    else:
        ok(handler, query)


def slow(handler: Handler, query: dict[str, str]) -> None:
    """Answers after `seconds` (cut short when the server stops)."""
    handler.server.site.stopping.wait(float(query.get("seconds", "5")))
    ok(handler, query)


def slow_once(handler: Handler, query: dict[str, str]) -> None:
    """Slow the first time for each key, then at once."""
    if handler.server.site.count(f"slow-once:{query.get('key', '')}") == 0:
        handler.server.site.stopping.wait(float(query.get("seconds", "30")))
    ok(handler, query)


def drip(handler: Handler, query: dict[str, str]) -> None:
    """Headers a byte every `every` seconds for up to `seconds`: each read is quick enough,
    the whole answer is not (a slowloris-like server)."""
    every, total = float(query.get("every", "0.3")), float(query.get("seconds", "20"))
    line = b"X-Drip: " + b"." * 1000
    handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
    handler.wfile.flush()
    stopping = handler.server.site.stopping
    for index in range(int(total / every)):
        if stopping.wait(every):
            return
        try:
            handler.wfile.write(line[index % len(line) : index % len(line) + 1])
            handler.wfile.flush()
        except OSError:  # the client gave up: that is the point
            return


def big(handler: Handler, query: dict[str, str]) -> None:
    """`size` bytes of HTML; without Content-Length unless `declared=1` (then it says so)."""
    size = int(query.get("size", str(20 * 1024 * 1024)))
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    if query.get("declared") == "1":
        handler.send_header("Content-Length", str(size))
    handler.end_headers()  # HTTP/1.0 without a length: the body ends when the socket closes
    chunk = b"<p>" + b"tide " * 13106 + b"</p>\n"
    sent = 0
    while sent < size and not handler.server.site.stopping.is_set():
        piece = chunk[: size - sent]
        handler.wfile.write(piece)
        sent += len(piece)


def loop(handler: Handler, query: dict[str, str]) -> None:
    handler.send(302, headers={"Location": "/loop"})


def loop_a(handler: Handler, query: dict[str, str]) -> None:
    handler.send(302, headers={"Location": "/loop-b"})


def loop_b(handler: Handler, query: dict[str, str]) -> None:
    handler.send(302, headers={"Location": "/loop-a"})


def chain(handler: Handler, query: dict[str, str]) -> None:
    """`n` redirects, then the article."""
    left = int(query.get("n", "1"))
    handler.send(302, headers={"Location": f"/chain?n={left - 1}" if left > 1 else "/ok"})


def to_private(handler: Handler, query: dict[str, str]) -> None:
    handler.send(302, headers={"Location": f"http://127.0.0.1:{query['port']}/ok"})


def image(handler: Handler, query: dict[str, str]) -> None:
    handler.send(200, pages.PNG_1X1, content_type="image/png")


def latin1_meta(handler: Handler, query: dict[str, str]) -> None:
    """The charset only in a meta tag; the header says nothing."""
    handler.send(200, pages.latin1_html(with_meta=True), content_type="text/html")


def latin1_header(handler: Handler, query: dict[str, str]) -> None:
    """The charset only in the Content-Type header."""
    body = pages.latin1_html(with_meta=False)
    handler.send(200, body, content_type="text/html; charset=iso-8859-1")


def challenge(handler: Handler, query: dict[str, str]) -> None:
    """?status=503 serves it as bot walls do, with an error status."""
    handler.send(int(query.get("status", 200)), pages.CHALLENGE_HTML)


def empty(handler: Handler, query: dict[str, str]) -> None:
    handler.send(200, pages.EMPTY_HTML)


def pdf(handler: Handler, query: dict[str, str]) -> None:
    handler.send(200, pages.pdf_document(), content_type="application/pdf")


DEFAULT_ROUTES: dict[str, Route] = {
    "/ok": ok,
    "/404": not_found,
    "/error": error,
    "/flaky": flaky,
    "/ratelimited": ratelimited,
    "/slow": slow,
    "/slow-once": slow_once,
    "/big": big,
    "/drip": drip,
    "/loop": loop,
    "/loop-a": loop_a,
    "/loop-b": loop_b,
    "/chain": chain,
    "/to-private": to_private,
    "/image": image,
    "/latin1-meta": latin1_meta,
    "/latin1-header": latin1_header,
    "/challenge": challenge,
    "/empty": empty,
    "/pdf": pdf,
}
