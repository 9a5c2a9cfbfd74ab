"""Password guessing is slowed per account and per client address; the public-read setting opens the read
pages to anyone while every change still needs an analyst."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.domain import throttle
from app.main import create_app
from app.settings import Settings
from app.storage.engine import make_engine, make_sessionmaker
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


def _in_parallel(count: int, work) -> list:
    """Run work(i) in `count` threads released at once; returns results (or the exceptions raised)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - returned for the assertion
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_parallel_attempts_lose_no_count(database_url):
    """40 attempts at once on a key with 30 free failures: each is counted exactly once (the count
    is one atomic UPDATE, not read-add-write), and exactly 31 may check a password."""
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    config = throttle.ThrottleConfig(free_failures=30, base_delay=60)
    keys = throttle.throttle_keys("maria", "192.0.2.7")

    def work(_i: int) -> float:
        with factory() as session:
            attempt = throttle.begin_attempt(session, keys, config)
            session.commit()
            return attempt.wait

    waits = _in_parallel(40, work)
    assert [w for w in waits if isinstance(w, BaseException)] == []
    assert waits.count(0.0) == 31 and all(w > 0 for w in waits if w)
    with factory() as session:
        assert {r.key: r.failures for r in session.scalars(select(LoginThrottle))} == {
            "name:maria": 31, "addr:192.0.2.7": 31}
    engine.dispose()


def test_parallel_guesses_check_no_more_passwords_than_one_after_another(strict):
    """40 simultaneous wrong passwords with 2 free failures: 3 are checked (as in a row of
    attempts: two free, the third locks), the other 37 are refused unchecked, none is a 500."""
    app, client = strict
    statuses = _in_parallel(40, lambda _i: attempt(client, "maria", "wrong guess").status_code)
    assert sorted(statuses) == [401] * 3 + [429] * 37
    with app.state.sessionmaker() as session:
        assert session.get(LoginThrottle, "name:maria").failures == 3


def test_a_correct_password_gives_its_attempt_back_to_the_address(strict):
    """The address counts only failures: a login that succeeds leaves its count and lock as they were."""
    app, client = strict
    assert attempt(client, "ann", "wrong guess").status_code == 401
    assert attempt(client, "bob", "wrong guess").status_code == 401
    assert attempt(client, "maria", PASSWORD).status_code == 303
    with app.state.sessionmaker() as session:
        row = session.get(LoginThrottle, "addr:testclient")
        assert (row.failures, row.locked_until) == (2, None)
        assert session.get(LoginThrottle, "name:maria") is None
