"""Security headers on every response and a cap on request bodies, as two small ASGI middlewares.

Why here and not per route: an article, an outlet name or a tag is hostile input that any page may
show, so every response carries a Content-Security-Policy that runs no inline script (the templates
escape; the policy is the second fence), and no request may make the app buffer an unbounded body
before a route gets to say "too large".

The headers wrap the whole middleware stack, outside Starlette's ServerErrorMiddleware, so a 500 has
them too. The body limit sits inside, where the app's error pages can render: it refuses a declared
Content-Length over the limit before reading anything, and counts a chunked body as it streams in,
raising a 413 HTTPException the moment the count passes the limit.
"""
from __future__ import annotations

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import NoMatchFound
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.inputs import is_ascii_int
from app.settings import Settings

# Every page: scripts and styles only from our own /static, nothing inline, no plugins, no framing.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))

# /docs and /redoc set a policy of their own (app/web/api_docs.py), which the headers keep.

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

# Routes whose body is a claims file sent raw (JSON, CSV, JSON lines), not as multipart: they take
# uploads up to the upload limit and check the file's own limit themselves.
UPLOAD_ROUTES = ("api_import_claims",)

# Room for a whole article in a browser form or JSON: percent-encoding or \\u escapes turn one UTF-8
# byte into up to three, plus the other fields.
ESCAPING_FACTOR = 3
FIELDS_OVERHEAD = 64 * 1024


def body_limits(settings: Settings) -> tuple[int, int]:
    """(any body, multipart or claims-file upload) in bytes, from the settings."""
    body = settings.max_body_bytes or ESCAPING_FACTOR * settings.max_article_bytes + FIELDS_OVERHEAD
    return body, settings.max_upload_bytes


def too_large_message(limit: int) -> str:
    size = f" ({limit / 1048576:.1f} MB)" if limit >= 1048576 else ""
    return f"request body is over the limit of {limit:,} bytes{size}"


class SecurityHeaders:
    """Adds the policy and the usual headers to every HTTP response; a header a route set stays."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = CONTENT_SECURITY_POLICY
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """An HTTPException so FastAPI's body parsing re-raises it and the app's 413 page answers."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit))
        self.limit = limit


class BodyLimit:
    """413 for a body over the limit: at once for a declared Content-Length, else while it streams."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload
        self._upload_paths: frozenset[str] | None = None

    def limit_for(self, scope: Scope, headers: Headers) -> int:
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data" or scope["path"] in self.upload_paths(scope):
            return self.max_upload
        return self.max_body

    def upload_paths(self, scope: Scope) -> frozenset[str]:
        """Looked up by route name on the first request, when every router is included."""
        if self._upload_paths is None:
            paths = set()
            for name in UPLOAD_ROUTES:
                try:
                    paths.add(str(scope["app"].url_path_for(name)))
                except NoMatchFound:
                    pass
            self._upload_paths = frozenset(paths)
        return self._upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limit_for(scope, headers)
        declared = headers.get("content-length", "")
        if is_ascii_int(declared) and int(declared) > limit:
            await refuse(scope, receive, send, BodyTooLarge(limit))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge as exc:
            # Normally the app's exception handlers answered already; this covers a body read by
            # code outside them (another middleware, say).
            if started:
                raise
            await refuse(scope, receive, send, exc)


async def refuse(scope: Scope, receive: Receive, send: Send, exc: BodyTooLarge) -> None:
    """The app's own error answer (JSON under /api, the HTML error page elsewhere); the connection
    closes, since the rest of the body is never read."""
    from app.api.errors import _error_response

    response = _error_response(Request(scope, receive), exc.status_code, exc.detail)
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


class HeadAsGet:
    """HEAD is answered as GET without the body (RFC 9110 9.3.2): FastAPI routes declare GET only,
    so a HEAD on a page (link checkers, monitors, `curl -I`) was a 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def install_security(app: FastAPI, settings: Settings) -> None:
    """Body limit as ordinary middleware; the headers around the whole stack built at first call."""
    max_body, max_upload = body_limits(settings)
    app.add_middleware(BodyLimit, max_body=max_body, max_upload=max_upload)
    app.add_middleware(HeadAsGet)
    build_stack = app.build_middleware_stack

    def build_with_headers() -> ASGIApp:
        return SecurityHeaders(build_stack())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
