"""Cross-site request forgery: a write must come from our own pages.

Browsers say where a request comes from (Sec-Fetch-Site, Origin) and a page cannot forge either: a
write that says cross-site, or names another origin, is refused. A request that says neither (an old
browser, a privacy setting, a script) must carry the form token: a random value in an HttpOnly cookie
that every form repeats in a hidden field (htmx sends it as the X-CSRF-Token header). Another site can
make a browser send the cookie but cannot read it to fill the field. Requests authenticated by an API
token carry no cookie to abuse, so they need no form token, but a browser's cross-site ones are still
refused by the header check."""
from __future__ import annotations

import secrets

from fastapi import FastAPI, Request
from markupsafe import Markup, escape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.domain.errors import DomainError
from app.web.inputs import read_form

CSRF_COOKIE = "claimtracker_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_NEW = "csrf_new_token"


class CrossSiteRefused(DomainError):
    status_code = 403


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def check_cross_site(request: Request, *, token_auth: bool) -> None:
    site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    if site is not None and site not in ("same-origin", "none"):
        raise CrossSiteRefused(f"cross-site request refused (Sec-Fetch-Site: {site})")
    if origin is not None and origin != own_origin(request):
        raise CrossSiteRefused("cross-site request refused (Origin is another site)")
    if origin is not None or site is not None or token_auth:
        return
    expected = request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    # Only pages take the token as a form field; the JSON API sends the header (and a route there may
    # read its body as a stream, which parsing a form here would consume).
    if sent is None and _is_form(request) and not request.url.path.startswith("/api/"):
        value = (await read_form(request)).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        raise CrossSiteRefused("the form token is missing or stale: reload the page and try again")


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def csrf_token(request: Request) -> str:
    """The token for this browser: its cookie's, or a new one the response will set as the cookie."""
    state = request.scope.setdefault("state", {})
    token = state.get(_NEW) or request.cookies.get(CSRF_COOKIE)
    if not token:
        token = state[_NEW] = secrets.token_urlsafe(32)
    return token


def renew_csrf_token(request: Request) -> str:
    """A fresh token (at login and logout), so one planted before the login is worthless after it."""
    token = request.scope.setdefault("state", {})[_NEW] = secrets.token_urlsafe(32)
    return token


def csrf_field(request: Request) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(csrf_token(request)))


def cookie_flags(scope: Scope) -> str:
    secure = "; Secure" if scope.get("scheme") == "https" else ""
    return f"Path=/; HttpOnly; SameSite=Lax{secure}"


class CsrfCookieMiddleware:
    """Sets the token cookie on the response when the page rendered a new token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            token = scope.get("state", {}).get(_NEW)
            if message["type"] == "http.response.start" and token:
                cookie = f"{CSRF_COOKIE}={token}; {cookie_flags(scope)}"
                message.setdefault("headers", []).append((b"set-cookie", cookie.encode("latin-1")))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def install_csrf_cookie(app: FastAPI) -> None:
    app.add_middleware(CsrfCookieMiddleware)
