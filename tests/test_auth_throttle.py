"""Password guessing is slowed per account and per client address; the public-read setting opens the read
pages to anyone while every change still needs an analyst."""
from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.main import create_app
from app.settings import Settings
from app.storage.models import LoginThrottle
from tests.auth import PASSWORD, ensure_user, with_csrf
from tests.test_api_support import API


@pytest.fixture
def strict(database_url):
    """Two free failures, then 60 s doubling: small numbers so the test needs few requests."""
    app = create_app(Settings(database_url=database_url, login_free_failures=2, login_delay_seconds=60))
    ensure_user(app, "maria", "analyst")
    with TestClient(app, follow_redirects=False) as client:
        yield app, with_csrf(client)
    app.state.engine.dispose()


def attempt(client: TestClient, name: str, password: str):
    return client.post("/login", data={"name": name, "password": password})


def test_an_account_is_locked_after_repeated_failures_even_for_the_right_password(strict):
    app, client = strict
    assert [attempt(client, "maria", "wrong guess").status_code for _ in range(3)] == [401, 401, 401]
    locked = attempt(client, "maria", PASSWORD)
    assert locked.status_code == 429 and 0 < int(locked.headers["Retry-After"]) <= 60
    alert = BeautifulSoup(locked.text, "html.parser").select_one("#login .error")
    assert "try again" in alert.get_text()
    with app.state.sessionmaker() as session:
        row = session.get(LoginThrottle, "name:maria")
        assert row.failures == 3 and row.locked_until is not None
        # The lock runs out: the right password then logs in and clears the account's count.
        session.execute(update(LoginThrottle).values(locked_until=row.last_failure_at - timedelta(seconds=1)))
        session.commit()
    assert attempt(client, "maria", PASSWORD).status_code == 303
    with app.state.sessionmaker() as session:
        assert session.get(LoginThrottle, "name:maria") is None
        assert session.get(LoginThrottle, "addr:testclient").failures == 3


def test_the_delay_doubles(strict):
    app, client = strict
    for _ in range(3):
        attempt(client, "maria", "wrong guess")
    with app.state.sessionmaker() as session:
        first = session.get(LoginThrottle, "name:maria")
        one = first.locked_until - first.last_failure_at
        session.execute(update(LoginThrottle).values(locked_until=None))
        session.commit()
    attempt(client, "maria", "wrong guess")
    with app.state.sessionmaker() as session:
        second = session.get(LoginThrottle, "name:maria")
        two = second.locked_until - second.last_failure_at
    assert one == timedelta(seconds=60) and two == timedelta(seconds=120)


def test_one_address_guessing_many_names_is_locked(strict):
    app, client = strict
    for name in ("ann", "bob", "cy"):
        assert attempt(client, name, "wrong guess").status_code == 401
    assert attempt(client, "maria", PASSWORD).status_code == 429
    with app.state.sessionmaker() as session:
        keys = set(session.scalars(select(LoginThrottle.key)))
    assert {"name:ann", "name:bob", "name:cy", "addr:testclient"} <= keys


def test_public_read_opens_reading_but_not_changing(database_url):
    app = create_app(Settings(database_url=database_url, public_read=True))
    with TestClient(app, follow_redirects=False) as anon:
        with_csrf(anon)
        page = anon.get("/claims")
        assert page.status_code == 200
        nav = BeautifulSoup(page.text, "html.parser").select_one(".account-nav")
        assert nav.select_one("a").get_text(strip=True) == "Log in"
        assert anon.get(f"{API}/claims").status_code == 200
        assert anon.get("/suggestions").status_code == 303  # a work queue, not a permalink
        assert anon.post(f"{API}/articles", json={}).status_code == 401
        assert anon.post("/claims/1/status", data={"status": "verified"}).status_code == 303
    app.state.engine.dispose()
