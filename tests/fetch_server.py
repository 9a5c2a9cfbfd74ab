"""A web server of the tests' own on 127.0.0.1 (ephemeral port), plus fences so a fetch test can
never reach a real network: a fake DNS and a connect hook that refuses every non-loopback address.

Pages: an article (with og:site_name), plain text, Latin-1, a redirect chain, a redirect loop, a
redirect to any target, a huge body (declared and undeclared), a slow body, an image, a 404.
"""
from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpcore
import pytest

from app.domain import fetch

ARTICLE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Ferry timetable to change in spring</title>
<meta property="og:site_name" content="Harbour Ledger">
<meta property="og:title" content="Ferry timetable to change in spring">
<meta name="author" content="Rhea Lund">
<meta property="article:published_time" content="2024-04-02T09:00:00Z">
</head><body><nav><a href="/">Home</a> | <a href="/sport">Sport</a></nav>
<article><h1>Ferry timetable to change in spring</h1>
<p>The island ferry will run every forty minutes from April, the operator said on Monday.</p>
<p>"We will add two late sailings on Fridays and Saturdays for the summer season," operations
director Malin Hove told reporters at the terminal.</p>
<p>Commuters welcomed the change but asked for cheaper season tickets for island residents.</p>
<p>"The fares will be reviewed by the regional council before the end of the year," Hove said.</p>
</article><footer>Copyright the Harbour Ledger</footer></body></html>"""

PLAIN_TEXT = ("Library hours extended\n\n"
              "“The reading room will stay open until nine on weekdays from next month,” librarian "
              "Ossian Falk said.\n")

LATIN1_HTML = ("<html><head><title>Caf\xe9 reopens</title></head><body><article>"
               "<p>The caf\xe9 on the square reopened on Saturday after a long renovation of its kitchen.</p>"
               "<p>\"We kept the old counter and the tiles,\" owner Len\xe9 Varga said to customers.</p>"
               "<p>Neighbours said the queue reached the fountain before the doors even opened.</p>"
               "</article></body></html>")


@dataclass
class Hits:
    paths: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)


@dataclass
class Served:
    """A page a test put on the server (LocalServer.serve): answered 304 to a matching If-None-Match."""

    content_type: str
    body: bytes
    etag: str | None = None


class _Handler(BaseHTTPRequestHandler):
    hits: Hits
    served: dict[str, Served]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        # Only the app's fetcher's requests are counted: another client that finds this port (a
        # benchmark's readiness probe on a reused ephemeral port) is answered but not recorded.
        if self.headers.get("User-Agent") == fetch.USER_AGENT:
            self.hits.paths.append(self.path)
            self.hits.hosts.append(self.headers.get("Host", ""))
        url = urlsplit(self.path)
        if url.path in self.served:
            return self._serve(self.served[url.path])
        route = getattr(self, "page_" + url.path.strip("/").split("/")[0].replace("-", "_"), None)
        if route is None:
            return self._send(404, "text/html", b"<p>no such page</p>")
        route(url)

    def _send(self, status: int, ctype: str, body: bytes, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, target: str) -> None:
        self._send(302, "text/html", b"", {"Location": target})

    def _serve(self, page: Served) -> None:
        if page.etag and self.headers.get("If-None-Match") == page.etag:
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(200, page.content_type, page.body, {"ETag": page.etag} if page.etag else None)

    def page_article(self, url) -> None:
        self._send(200, "text/html; charset=utf-8", ARTICLE_HTML.encode())

    def page_plain(self, url) -> None:
        self._send(200, "text/plain; charset=utf-8", PLAIN_TEXT.encode())

    def page_latin1(self, url) -> None:
        self._send(200, "text/html; charset=iso-8859-1", LATIN1_HTML.encode("latin-1"))

    def page_image(self, url) -> None:
        self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)

    def page_r(self, url) -> None:
        """/r/3 -> /r/2 -> /r/1 -> /article, by relative Location headers."""
        n = int(url.path.rsplit("/", 1)[-1])
        self._redirect(f"/r/{n - 1}" if n > 1 else "/article")

    def page_loop(self, url) -> None:
        self._redirect("/loop")

    def page_to(self, url) -> None:
        self._redirect(parse_qs(url.query)["target"][0])

    def page_huge_declared(self, url) -> None:
        """Declares 50 MB and sends only the start: the client must refuse on the header."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(50 * 1024 * 1024))
        self.end_headers()
        self._write_quietly([b"<p>" + b"x" * 1000])

    def page_huge_chunked(self, url) -> None:
        """No length given: 64 KiB chunks, at most 4 MiB, until the client hangs up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = b"<p>" + b"y" * (64 * 1024 - 3)
        self._write_quietly([b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 64 + [b"0\r\n\r\n"])

    def page_slow(self, url) -> None:
        """A byte every 0.1 s (at most 60): each read is quick, the whole body is not."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", "60")
        self.end_headers()
        for _ in range(60):
            if not self._write_quietly([b"z"]):
                return
            time.sleep(0.1)

    def _write_quietly(self, parts: list[bytes]) -> bool:
        try:
            for part in parts:
                self.wfile.write(part)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return False
        return True


class _QuietServer(ThreadingHTTPServer):
    """The server, minus socketserver's traceback when a client hangs up mid-answer: the fetcher
    closes the socket on purpose at its size and time limits (huge and slow bodies)."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class LocalServer:
    def __init__(self) -> None:
        self.hits = Hits()
        self.served: dict[str, Served] = {}
        handler = type("Handler", (_Handler,), {"hits": self.hits, "served": self.served})
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def serve(self, path: str, content_type: str, body: str | bytes, etag: str | None = None) -> str:
        """Put a page at `path` (replacing what was there); its full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.served[path] = Served(content_type, data, etag)
        return self.url(path)


@pytest.fixture
def server():
    srv = LocalServer()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


@dataclass
class Fence:
    """What the fetcher asked of DNS and where it tried to connect."""

    dns: dict[str, list[list[str]]] = field(default_factory=dict)
    lookups: list[str] = field(default_factory=list)
    connects: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def answer(self, name: str, *answers: list[str]) -> None:
        """`name` resolves to answers[0], then answers[1] on the next lookup, and so on."""
        self.dns[name] = list(answers)


@pytest.fixture(autouse=True)
def fence(monkeypatch) -> Fence:
    """No real DNS (names come from fence.dns) and no connection off loopback, whatever the code does."""
    f = Fence()

    def fake_resolve(host: str, port: int) -> list[str]:
        f.lookups.append(host)
        if host in f.dns:
            answers = f.dns[host]
            return answers.pop(0) if len(answers) > 1 else answers[0]
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        return [info[4][0] for info in infos]

    original = httpcore.SyncBackend.connect_tcp

    def fenced_connect(self, host, port, *args, **kwargs):
        f.connects.append(host)
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:  # a name reached connect: the address was not pinned
            loopback = False
        if not loopback:
            f.refused.append(host)
            raise httpcore.ConnectError(f"test fence: no connection to {host}")
        return original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(fetch, "resolve", fake_resolve)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", fenced_connect)
    return f
