"""Logging in and out, and the account page where a user makes and revokes API tokens.

The session cookie is HttpOnly (scripts cannot read it), SameSite=Lax (other sites' forms do not carry
it on a POST) and Secure when the app is served over https. Failed logins are throttled per account
name and per client address (app/domain/throttle.py)."""
from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import SessionDep, SettingsDep
from app.domain import throttle, users
from app.domain.errors import DomainError
from app.settings import Settings
from app.storage.models import User
from app.web.access import SESSION_COOKIE, current_principal
from app.web.csrf import renew_csrf_token
from app.web.templating import render

router = APIRouter()

Field = Annotated[str, Form(max_length=1024)]


def safe_next(request: Request, target: str | None) -> str:
    """Only a path on this site: `//evil.example` or a full URL would make the login an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return request.app.url_path_for("dashboard")


def _login_page(request: Request, session, *, next_url: str, name: str = "", message: str | None = None,
                status_code: int = 200, headers: dict | None = None) -> Response:
    context = {"next": next_url, "name": name, "message": message, "nav": "login",
               "no_users": not users.any_user_exists(session)}
    return render(request, "login.html", context, status_code=status_code, headers=headers)


@router.get("/login", name="login")
def login(request: Request, session: SessionDep, next: str | None = None):  # noqa: A002
    return _login_page(request, session, next_url=safe_next(request, next))


def throttle_config(settings: Settings) -> throttle.ThrottleConfig:
    return throttle.ThrottleConfig(free_failures=settings.login_free_failures,
                                   base_delay=settings.login_delay_seconds,
                                   max_delay=settings.login_max_delay_seconds,
                                   window=settings.login_failure_window_seconds)


@router.post("/login", name="login_submit")
def login_submit(request: Request, session: SessionDep, settings: SettingsDep, name: Field = "",
                 password: Field = "", next: Field = ""):  # noqa: A002
    target = safe_next(request, next)
    keys = throttle.throttle_keys(name, request.client.host if request.client else None)
    attempt = throttle.begin_attempt(session, keys, throttle_config(settings))
    session.commit()  # counted before the (slow) password check, so parallel guesses see it
    if attempt.wait > 0:
        seconds = int(attempt.wait) + 1
        return _login_page(request, session, next_url=target, name=name, status_code=429,
                           message=f"Too many failed logins: try again in {seconds} seconds.",
                           headers={"Retry-After": str(seconds)})
    user = users.check_password(session, name.strip(), password)
    if user is None:  # counted as a failure already
        return _login_page(request, session, next_url=target, name=name, status_code=401,
                           message="Wrong name or password, or the account is disabled.")
    throttle.succeeded(session, attempt)
    token = users.start_session(session, user, timedelta(hours=settings.session_hours))
    session.commit()
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, token, settings)
    renew_csrf_token(request)
    return response


def set_session_cookie(request: Request, response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(settings.session_hours * 3600), path="/",
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")


@router.post("/logout", name="logout")
def logout(request: Request, session: SessionDep):
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        users.end_session(session, cookie)
        session.commit()
    response = RedirectResponse(request.app.url_path_for("login"), status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    renew_csrf_token(request)
    return response


def _account_page(request: Request, session, *, new_token: str | None = None, message: str | None = None,
                  status_code: int = 200) -> Response:
    principal = current_principal(request)
    context = {"tokens": users.list_tokens(session, principal.user_id), "new_token": new_token,
               "message": message, "nav": "account"}
    return render(request, "account.html", context, status_code=status_code)


@router.get("/account", name="account")
def account(request: Request, session: SessionDep):
    return _account_page(request, session)


@router.post("/account/tokens", name="token_create")
def token_create(request: Request, session: SessionDep, name: Field = ""):
    """Answers with the page itself (not a redirect): the secret is shown this once and never again."""
    principal = current_principal(request)
    user = session.get(User, principal.user_id)
    try:
        _, secret = users.create_token(session, user, name)
        session.commit()
    except DomainError as exc:
        session.rollback()
        return _account_page(request, session, message=exc.message, status_code=exc.status_code)
    return _account_page(request, session, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke", name="token_revoke")
def token_revoke(request: Request, session: SessionDep, token_id: int):
    principal = current_principal(request)
    users.revoke_token(session, principal.name, principal.user_id, token_id)
    session.commit()
    return RedirectResponse(request.app.url_path_for("account"), status_code=303)
