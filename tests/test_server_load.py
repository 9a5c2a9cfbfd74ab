"""An overloaded server answers 503 with Retry-After and a message, never a 500: a request that waited
its whole turn (max_concurrent_requests busy), or a pooled connection (every one checked out). And
the request's session gives its connection back before a page is rendered, unless it wrote."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from app.deps import SessionDep, release_connection
from app.main import create_app
from app.settings import Settings
from app.web import access
from app.storage.engine import OVERLOADED_MESSAGE, STATEMENT_TIMEOUT_MESSAGE, pool_args
from app.storage.models import Outlet
from tests.auth import log_in


@pytest.fixture
def small_app(database_url):
    """One request at a time, and the page cache off: a kept page is answered without a turn."""
    app = create_app(Settings(database_url=database_url, actor="tester", max_concurrent_requests=1,
                              request_queue_seconds=0.2, db_pool_timeout=0.2, page_cache_mb=0))
    yield app
    app.state.engine.dispose()


def test_a_kept_page_is_answered_while_every_turn_is_taken(database_url):
    app = create_app(Settings(database_url=database_url, actor="tester", max_concurrent_requests=1,
                              request_queue_seconds=0.2, page_cache_mb=4))
    try:
        with TestClient(app, follow_redirects=False) as client:
            log_in(client, app)
            sem = client.portal.call(lambda: _semaphore(app))
            answers = []
            for _ in range(5):   # PostgreSQL: a commit anywhere on the server empties the cache
                assert client.get("/claims").status_code == 200      # computed, kept
                client.portal.call(sem.acquire)
                try:
                    answers.append(client.get("/claims").status_code)    # kept: no turn needed
                    assert client.get("/claims", params={"q": "x"}).status_code == 503   # computed: waits
                finally:
                    client.portal.call(_release, sem)
                if answers[-1] == 200:
                    break
            assert answers[-1] == 200, answers
    finally:
        app.state.engine.dispose()


def _assert_overloaded(client: TestClient) -> None:
    page = client.get("/claims")
    assert page.status_code == 503, page.text
    assert page.headers["Retry-After"].isdigit()
    assert OVERLOADED_MESSAGE in page.text
    api = client.get("/api/v1/claims")
    assert api.status_code == 503
    assert api.json() == {"message": OVERLOADED_MESSAGE}


def test_a_request_that_waits_its_whole_turn_is_a_503(small_app):
    with TestClient(small_app, follow_redirects=False) as client:
        log_in(client, small_app)
        assert client.get("/claims").status_code == 200
        sem = client.portal.call(lambda: _semaphore(small_app))
        client.portal.call(sem.acquire)  # the one request slot is busy
        try:
            _assert_overloaded(client)
            assert client.get("/healthz").status_code == 200  # busy is not dead: no restart
        finally:
            client.portal.call(_release, sem)
        assert client.get("/claims").status_code == 200


async def _semaphore(app):
    return app.state.request_slots.semaphore()


async def _release(sem) -> None:
    sem.release()


def test_a_request_that_waits_for_a_pooled_connection_is_a_503(small_app):
    engine = small_app.state.engine
    assert engine.pool.size() == 1  # sized from max_concurrent_requests: 1 + 1 overflow
    with TestClient(small_app, follow_redirects=False) as client:
        log_in(client, small_app)
        held = [engine.connect(), engine.connect()]  # every pooled connection is taken
        try:
            _assert_overloaded(client)
        finally:
            for conn in held:
                conn.close()
        assert client.get("/claims").status_code == 200


def test_the_pool_is_sized_from_the_requests_run_at_once():
    args = pool_args("postgresql://u@h/db", 6, 2.5)
    assert args == {"pool_size": 6, "max_overflow": 6, "pool_timeout": 2.5}
    assert pool_args("sqlite:///:memory:", 6, 2.5) == {}


def _request_with(session):
    return SimpleNamespace(state=SimpleNamespace(db_session=session))


def test_a_session_that_only_read_gives_its_connection_back_before_rendering(session):
    session.add(Outlet(name="The Weekly Example", slug="the-weekly-example"))
    session.commit()
    outlet = session.scalars(select(Outlet)).one()
    assert session.in_transaction()
    release_connection(_request_with(session))
    assert not session.in_transaction()
    assert outlet.name == "The Weekly Example"  # still loaded, no new query needed


def test_a_session_holding_a_write_keeps_it_uncommitted(session, database_url):
    session.add(Outlet(name="The Weekly Example", slug="the-weekly-example"))
    session.flush()
    release_connection(_request_with(session))
    assert session.in_transaction()
    session.rollback()
    assert session.scalars(select(Outlet)).all() == []

    session.execute(text("SELECT 1"))  # raw SQL may write: never committed behind the route's back
    release_connection(_request_with(session))
    assert session.in_transaction()


def test_a_pending_object_is_not_committed_before_rendering(session):
    session.add(Outlet(name="The Weekly Example", slug="the-weekly-example"))
    release_connection(_request_with(session))
    session.rollback()
    assert session.scalars(select(Outlet)).all() == []


def test_a_statement_past_the_timeout_is_stopped_with_a_503(database_url, monkeypatch):
    """PostgreSQL stops a web request's statement at db_statement_timeout: the server is freed and
    the reader gets a 503 with a message, never a 500 (SQLite has no such setting: nothing changes)."""
    app = create_app(Settings(database_url=database_url, actor="tester", db_statement_timeout=0.2))
    slow = "SELECT pg_sleep(2)" if database_url.startswith("postgresql") else "SELECT 1"

    monkeypatch.setitem(access.RULES, "slow_test_query", access.READ)

    @app.get("/slow-test-query", name="slow_test_query")
    def slow_query(session: SessionDep):
        session.execute(text(slow))
        return {"done": True}

    try:
        with TestClient(app, follow_redirects=False) as client:
            log_in(client, app)
            answer = client.get("/slow-test-query")
            if not database_url.startswith("postgresql"):
                assert answer.status_code == 200
                return
            assert answer.status_code == 503, answer.text
            assert answer.headers["Retry-After"].isdigit()
            assert STATEMENT_TIMEOUT_MESSAGE in answer.text
            # the setting holds on every pooled connection, after rollbacks too
            with app.state.engine.connect() as conn:
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "200ms"
            assert client.get("/claims").status_code == 200
    finally:
        app.state.engine.dispose()


def test_no_statement_timeout_when_set_to_zero(database_url):
    app = create_app(Settings(database_url=database_url, actor="tester", db_statement_timeout=0))
    try:
        if database_url.startswith("postgresql"):
            with app.state.engine.connect() as conn:
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "0"
    finally:
        app.state.engine.dispose()
