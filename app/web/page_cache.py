"""A response cache for anonymous reads of the claims list, search and claim pages (issue 13), on SQLite.

`CLAIMTRACKER_PAGE_CACHE_MB` (0, the default, is off) keeps up to that many megabytes of rendered
answers in each process: `/claims` (full page and htmx fragment), a claim's page with its further
pages of mentions (`?page=N` and the "More mentions" route `/claims/{id}/mentions`), its sources
page and `sources.json`, and serves one again as long as the store has not changed since it was
rendered. Whether it changed is asked of SQLite itself on every
request: `PRAGMA data_version` on a connection of the cache's own, which never writes, changes
whenever any other connection commits a change to the file (this process's pooled connections, an
ingest, the bulk loader, another server process, the sqlite3 shell). So no write path has to
remember to invalidate, and a write committed before a request starts is always seen by it. The
version is read before the page is computed, so a write committed while it is computed leaves the
stored answer with the older version: at worst one more computation, never a stale answer.

Only what every anonymous reader would get is kept: GET (HEAD comes as GET) of the listed paths, no
Authorization header, no cookie but the CSRF one, `public_read` on (otherwise an anonymous reader
gets the login redirect, which is not kept), answers 200 that set no cookie of their own. The key is
the path, query string, the HX-Request header (full page or fragment), host and scheme (absolute
links are built from them). A full page carries the reader's CSRF token (base.html's hx-headers);
it is kept with a marker in its place and each answer gets the reader's own token, a new one (set
as the cookie, as the page would) when the browser has none.

PostgreSQL: off whatever the setting (no equivalent of data_version there; see README "Scale
benchmark" for the design with a generation counter).
"""
from __future__ import annotations

import re
import secrets
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.storage.backup import BackupError, sqlite_path
from app.web.csrf import _NEW, CSRF_COOKIE

#: The pages kept: the claims list and search; a claim's page, its further pages of mentions (the
#: "More mentions" htmx route; without htmx it answers a redirect, never kept), sources page and
#: sources.json (what a permalink shared beyond the team opens). Not the CSV, feeds or anything per reader.
CACHED_PATHS = re.compile(r"/claims(?:/\d+(?:/sources(?:\.json)?|/mentions)?)?")
_MARKER = b"\x00csrf-token\x00"


class StoreVersion:
    """`PRAGMA data_version` of a SQLite file, on a read-only connection of its own."""

    def __init__(self, path: str) -> None:
        self._path, self._conn = path, None
        self._lock = threading.Lock()

    def current(self) -> int:
        with self._lock:
            if self._conn is None:   # opened at the first request: the app has made the file by then
                self._conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            return self._conn.execute("PRAGMA data_version").fetchone()[0]


@dataclass(slots=True)
class _Entry:
    version: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    has_token: bool


class _Lru:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self.items: OrderedDict[tuple, _Entry] = OrderedDict()

    def get(self, key: tuple) -> _Entry | None:
        entry = self.items.get(key)
        if entry is not None:
            self.items.move_to_end(key)
        return entry

    def put(self, key: tuple, entry: _Entry) -> None:
        old = self.items.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        if len(entry.body) > self.max_bytes:
            return
        self.items[key] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes:
            _, dropped = self.items.popitem(last=False)
            self.size -= len(dropped.body)


def _cookies(scope: Scope) -> dict[str, str]:
    out = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                k, _, v = part.strip().partition("=")
                if k:
                    out[k] = v
    return out


class PageCache:
    """ASGI middleware: inside the CSRF cookie middleware (which sets a new token's cookie), outside
    the load limit and the routes (a kept answer takes no turn and no database session)."""

    def __init__(self, app: ASGIApp, version: StoreVersion, max_bytes: int) -> None:
        self.app, self.version, self.lru = app, version, _Lru(max_bytes)

    def _key(self, scope: Scope) -> tuple | None:
        if (scope["type"] != "http" or scope["method"] != "GET"
                or not CACHED_PATHS.fullmatch(scope["path"])):
            return None
        hx = host = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                return None
            if name == b"cookie" and set(_cookies(scope)) - {CSRF_COOKIE}:
                return None
            if name == b"hx-request":
                hx = value
            elif name == b"host":
                host = value
        return (scope["path"], scope.get("query_string", b""), hx, host, scope.get("scheme"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        version = self.version.current()
        entry = self.lru.get(key)
        if entry is not None and entry.version == version:
            await self._replay(scope, entry, send)
            return
        await self._fill(scope, receive, send, key, version)

    async def _replay(self, scope: Scope, entry: _Entry, send: Send) -> None:
        body = entry.body
        if entry.has_token:
            token = _cookies(scope).get(CSRF_COOKIE)
            if not token:
                token = scope.setdefault("state", {})[_NEW] = secrets.token_urlsafe(32)
            body = body.replace(_MARKER, token.encode("latin-1"))
        headers = [(k, v) for k, v in entry.headers if k != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": entry.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _fill(self, scope: Scope, receive: Receive, send: Send, key: tuple, version: int) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, keep
            if message["type"] == "http.response.start":
                start = message
                if message["status"] != 200 or any(k == b"set-cookie" for k, _ in message.get("headers", [])):
                    keep = False
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and start is not None:
                    self._store(scope, key, version, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, scope: Scope, key: tuple, version: int, start: Message, body: bytes) -> None:
        state = scope.get("state", {})
        # A principal on the request (it should be None here) or a new login: never kept.
        if state.get("principal") is not None:
            return
        token = state.get(_NEW) or _cookies(scope).get(CSRF_COOKIE)
        has_token = bool(token) and token.encode("latin-1") in body
        if has_token:
            body = body.replace(token.encode("latin-1"), _MARKER)
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"set-cookie"]
        self.lru.put(key, _Entry(version, start["status"], headers, body, has_token))


def install_page_cache(app, settings) -> None:
    """Add the cache when it is asked for (page_cache_mb > 0), public reading is on and the store is
    a SQLite file; otherwise nothing."""
    if settings.page_cache_mb <= 0 or not settings.public_read:
        return
    try:
        path = sqlite_path(settings.database_url)
    except BackupError:      # PostgreSQL, or an in-memory database
        return
    app.add_middleware(PageCache, version=StoreVersion(str(path)), max_bytes=settings.page_cache_mb * 2**20)
