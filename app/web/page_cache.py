"""A response cache for reads of the claims list, search and claim pages (issue 13).

`CLAIMTRACKER_PAGE_CACHE_MB` (32 by default; 0 is off) keeps up to that many megabytes of rendered
answers in each process: `/claims` (full page and htmx fragment), a claim's page with its further
pages of mentions (`?page=N` and the "More mentions" route `/claims/{id}/mentions`), its sources
page and `sources.json`, and serves one again as long as the store has not changed since it was
rendered. Whether it changed is asked of SQLite itself on every
request: `PRAGMA data_version` on a connection of the cache's own, which never writes, changes
whenever any other connection commits a change to the file (this process's pooled connections, an
ingest, the bulk loader, another server process, the sqlite3 shell). So no write path has to
remember to invalidate, and a write committed before a request starts is always seen by it. The
version is read before the page is computed, so a write committed while it is computed leaves the
stored answer with the older version: at worst one more computation, never a stale answer. Readers
asking for a page while it is being computed for the same version wait for that answer instead of
computing it again (a shared permalink right after a write is computed once, not once per reader).

What is kept is what the app would answer this reader at this version: GET (HEAD comes as GET) of
the listed paths, no Authorization header, no cookie but the CSRF and session ones, answers 200 that
set no cookie of their own and are not marked as this request's own (`not_kept`: a message after an
action). The key is the path, query string, the HX-Request header (full page or fragment), host and
scheme (absolute links are built from them), and the reader: nobody for an anonymous one, else the
user's id, name and role (the navigation, the forms the role may use, the suggestions it sees). Who a
session cookie logs in is asked of the store once per version (a role change, a logout or a disabled
account is a write, so it is asked again after one) and the session's end is checked on every
request; an answer is kept only when the route's own look-up found the same reader. Without public
reading an anonymous reader gets the login redirect, which is not kept. Every page carries the
reader's CSRF token (base.html's hx-headers, each form's hidden field); it is kept with a marker in
its place and each answer gets the browser's own token, a new one (set as the cookie, as the page
would) when the browser has none. Nothing else on these pages is per request (messages come only
with a POST's answer, which is never kept).

PostgreSQL has no data_version; its equivalent is the transaction snapshot, `pg_current_snapshot()`
(xmin:xmax:ids in progress), read the same way on a connection of the cache's own. Every commit (or
rollback) of a transaction that wrote anything changes it: the transaction's id was either among
those in progress (and leaves the list) or at or past xmax (and xmax moves past it). Read-only
transactions have no id and change nothing. So it tells, as data_version does, whether anything
has been written since, by any process; it is cluster-wide, so a write to another database on the
same server also counts (one more computation, never a stale answer). When the server cannot be
asked, the request is computed and nothing is kept.
"""
from __future__ import annotations

import asyncio
import re
import secrets
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass

import psycopg
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.users import Principal, digest, session_login
from app.storage.backup import BackupError, sqlite_path
from app.storage.engine import is_sqlite, normalize_url
from app.storage.models import utcnow
from app.web.access import SESSION_COOKIE
from app.web.csrf import _NEW, CSRF_COOKIE

#: The pages kept: the claims list and search; a claim's page, its further pages of mentions (the
#: "More mentions" htmx route; without htmx it answers a redirect, never kept), its further batches of
#: suggestions ("More suggestions", the same way; only for a reader who sees them), sources page and
#: sources.json (what a permalink shared beyond the team opens). Not the CSV, feeds, work queues or account pages.
CACHED_PATHS = re.compile(r"/claims(?:/\d+(?:/sources(?:\.json)?|/mentions|/suggested)?)?")
_MARKER = b"\x00csrf-token\x00"
_NOT_KEPT = "page_cache_not_kept"
_ANONYMOUS = None
#: Login sessions remembered per store version (cookie digest -> reader); more are forgotten at once.
_MAX_LOGINS = 10_000


def not_kept(scope: Scope) -> None:
    """Mark this answer as one for this request only (a message after an action): never kept."""
    scope.setdefault("state", {})[_NOT_KEPT] = True


def _reader(principal: Principal | None) -> tuple | None:
    """What a page depends on of who reads it: nothing for an anonymous reader; otherwise the user
    (id, name, role: the navigation, the forms a role may use, the suggestions it may see)."""
    return None if principal is None else (principal.user_id, principal.name, principal.role)


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


class PostgresVersion:
    """`pg_current_snapshot()` of a PostgreSQL server, on an autocommit connection of its own (one
    per process; it reconnects after the server went away). None when the server cannot be asked."""

    def __init__(self, conninfo: str, connect_timeout: int = 2) -> None:
        self._conninfo, self._timeout, self._conn = conninfo, connect_timeout, None
        self._lock = threading.Lock()

    def current(self) -> str | None:
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg.connect(self._conninfo, autocommit=True,
                                                 connect_timeout=self._timeout)
                return self._conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0]
            except psycopg.Error:
                if self._conn is not None:
                    self._conn.close()
                self._conn = None
                return None


@dataclass(slots=True)
class _Entry:
    version: int | str
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

    def __init__(self, app: ASGIApp, version: StoreVersion | PostgresVersion, max_bytes: int) -> None:
        self.app, self.version, self.lru = app, version, _Lru(max_bytes)
        # (key, version) -> done, for the answers being computed: a popular page after a write
        # would otherwise be computed by every reader that asks before the first one is kept.
        self._computing: dict[tuple, asyncio.Event] = {}
        # Who a session cookie logs in, asked of the store once per version: sha256(cookie) ->
        # (version, reader, session end). A role change, a logout or a disabled account is a write,
        # so a remembered answer is never used after one; the end is checked on every use.
        self._logins: dict[str, tuple[int | str, tuple | None, object]] = {}

    def _key(self, scope: Scope) -> tuple[tuple, str | None] | None:
        """(the key without the reader, the session cookie or None), or None when not kept."""
        if (scope["type"] != "http" or scope["method"] != "GET"
                or not CACHED_PATHS.fullmatch(scope["path"])):
            return None
        hx = host = None
        session = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                return None
            if name == b"cookie":
                cookies = _cookies(scope)
                if set(cookies) - {CSRF_COOKIE, SESSION_COOKIE}:
                    return None
                session = cookies.get(SESSION_COOKIE) or None
            elif name == b"hx-request":
                hx = value
            elif name == b"host":
                host = value
        return (scope["path"], scope.get("query_string", b""), hx, host, scope.get("scheme")), session

    async def _who(self, scope: Scope, cookie: str, version: int | str) -> tuple | None:
        """The reader a session cookie stands for at this version (_reader's tuple, or None when the
        session is unknown or ended: the guard then serves it as an anonymous reader). Raises
        SQLAlchemyError when the store cannot be asked."""
        hashed = digest(cookie)
        known = self._logins.get(hashed)
        if known is not None and known[0] == version and (known[2] is None or utcnow() < known[2]):
            return known[1]
        found = await run_in_threadpool(self._login, scope["app"], cookie)
        reader, ends = (_reader(found[0]), found[1]) if found else (_ANONYMOUS, None)
        if len(self._logins) >= _MAX_LOGINS:
            self._logins.clear()
        self._logins[hashed] = (version, reader, ends)
        return reader

    @staticmethod
    def _login(app, cookie: str):
        with app.state.sessionmaker() as session:
            return session_login(session, cookie)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self._key(scope)
        if found is None:
            await self.app(scope, receive, send)
            return
        version = self.version.current()
        if version is None:   # the store cannot say whether it changed: compute, keep nothing
            await self.app(scope, receive, send)
            return
        base, cookie = found
        try:
            reader = _ANONYMOUS if cookie is None else await self._who(scope, cookie, version)
        except SQLAlchemyError:   # the login cannot be looked up: the route answers (and says why)
            await self.app(scope, receive, send)
            return
        key = (*base, reader)
        entry = self._kept(key, version)
        if entry is None and (computing := self._computing.get((key, version))) is not None:
            await computing.wait()            # the same answer, already on its way: wait for it
            entry = self._kept(key, version)  # None when it was not kept (an error, a new cookie)
        if entry is not None:
            await self._replay(scope, entry, send)
            return
        done = asyncio.Event()
        self._computing.setdefault((key, version), done)   # another may own it (its answer was not kept)
        try:
            await self._fill(scope, receive, send, key, version)
        finally:
            if self._computing.get((key, version)) is done:
                del self._computing[(key, version)]
            done.set()

    def _kept(self, key: tuple, version: int | str) -> _Entry | None:
        entry = self.lru.get(key)
        return entry if entry is not None and entry.version == version else None

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

    async def _fill(self, scope: Scope, receive: Receive, send: Send, key: tuple,
                    version: int | str) -> None:
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

    def _store(self, scope: Scope, key: tuple, version: int | str, start: Message, body: bytes) -> None:
        state = scope.get("state", {})
        # Kept only for the reader it was computed for: the guard's own look-up of the session must
        # agree with the key's (they differ only when a write came between, and then this version
        # is already gone), and an answer marked as this request's own is never kept.
        if _reader(state.get("principal")) != key[-1] or state.get(_NOT_KEPT):
            return
        token = state.get(_NEW) or _cookies(scope).get(CSRF_COOKIE)
        has_token = bool(token) and token.encode("latin-1") in body
        if has_token:
            body = body.replace(token.encode("latin-1"), _MARKER)
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"set-cookie"]
        self.lru.put(key, _Entry(version, start["status"], headers, body, has_token))


def store_version(database_url: str) -> StoreVersion | PostgresVersion | None:
    """How the cache asks this store whether it changed; None for an in-memory SQLite database."""
    if not is_sqlite(database_url):
        url = make_url(normalize_url(database_url)).set(drivername="postgresql")
        return PostgresVersion(url.render_as_string(hide_password=False))
    try:
        return StoreVersion(str(sqlite_path(database_url)))
    except BackupError:      # in memory: nothing another connection could share
        return None


def install_page_cache(app, settings) -> None:
    """Add the cache when it is asked for (page_cache_mb > 0); otherwise nothing. Without public
    reading an anonymous reader gets the login redirect (never kept) and logged-in readers their pages."""
    if settings.page_cache_mb <= 0:
        return
    if (version := store_version(settings.database_url)) is not None:
        app.add_middleware(PageCache, version=version, max_bytes=settings.page_cache_mb * 2**20)
