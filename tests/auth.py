"""Test helpers for accounts: users made straight in the database (one argon2 hash per run, not per
test) and clients that carry a logged-in session and the CSRF token like a browser's."""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from fastapi.testclient import TestClient

from app.domain import users
from app.storage.models import User
from app.web.access import SESSION_COOKIE
from app.web.csrf import CSRF_COOKIE, CSRF_HEADER

PASSWORD = "correct horse battery"
CSRF = "test-csrf-token"


@lru_cache(maxsize=1)
def password_hash() -> str:
    return users.hash_password(PASSWORD)


def ensure_user(app, name: str, role: str) -> User:
    with app.state.sessionmaker() as session:
        user = users.user_by_name(session, name)
        if user is None:
            user = User(name=name, role=role, password_hash=password_hash(), disabled=False)
            session.add(user)
            session.commit()
        session.expunge(user)
        return user


def session_cookie(app, name: str, role: str) -> str:
    """A fresh login session for the user (made if missing), as the cookie value."""
    ensure_user(app, name, role)
    with app.state.sessionmaker() as session:
        token = users.start_session(session, users.user_by_name(session, name), timedelta(hours=1))
        session.commit()
    return token


def with_csrf(client: TestClient) -> TestClient:
    """The token cookie and the header htmx would send, so form posts pass the CSRF check. A token
    the server set before (at login, for its host) is dropped first: with two cookies of one name
    the client may send the server's, which no longer matches the header."""
    for cookie in [c for c in client.cookies.jar if c.name == CSRF_COOKIE]:
        client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
    client.cookies.set(CSRF_COOKIE, CSRF)
    client.headers[CSRF_HEADER] = CSRF
    return client


def log_in(client: TestClient, app, name: str = "tester", role: str = "admin") -> TestClient:
    client.cookies.set(SESSION_COOKIE, session_cookie(app, name, role))
    return with_csrf(client)
