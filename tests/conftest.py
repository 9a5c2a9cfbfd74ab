"""Fixtures: every storage, domain and web test runs on a fresh database of its own, on SQLite always and
on PostgreSQL too when CLAIMTRACKER_TEST_POSTGRES_URL is set (then a missing server fails the run)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.main import create_app
from app.settings import Settings
from app.storage.audit import install_append_only_events
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Base
from app.storage.search import install_search_index

PG_URL = os.environ.get("CLAIMTRACKER_TEST_POSTGRES_URL", "").strip()
ENGINES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def private_pg_schema() -> Iterator[str]:
    """A URL to a new schema of its own in the PostgreSQL test database, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=ENGINES)
def empty_database_url(request, tmp_path) -> Iterator[str]:
    """A URL to an empty database: a temp SQLite file, or a private schema in the PostgreSQL test db."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with private_pg_schema() as url:
        yield url


def prepare_database(url: str) -> str:
    """The app's tables, search index and append-only audit log in the empty database at `url`."""
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    install_search_index(engine)
    install_append_only_events(engine)
    engine.dispose()
    return url


@pytest.fixture
def database_url(empty_database_url) -> str:
    return prepare_database(empty_database_url)


@pytest.fixture
def session(database_url) -> Iterator[Session]:
    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as s:
        yield s
    engine.dispose()


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, actor="tester")


@pytest.fixture
def app(settings):
    app = create_app(settings)
    yield app
    app.state.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    """Logged in as the admin "tester" (the name the events record), with the CSRF token set."""
    from tests.auth import log_in

    with TestClient(app, follow_redirects=False) as c:
        yield log_in(c, app)


@pytest.fixture
def anon_client(app) -> Iterator[TestClient]:
    """No login and no CSRF token: what a stranger's browser or script sends."""
    with TestClient(app, follow_redirects=False) as c:
        yield c


@pytest.fixture
def app_session(app) -> Iterator[Session]:
    """A session on the app's own database, to arrange data before requests."""
    with app.state.sessionmaker() as s:
        yield s


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def pytest_terminal_summary(terminalreporter):
    """Say loudly what did not run: skipped browser tests and the PostgreSQL engine when it is not set."""
    skipped = terminalreporter.stats.get("skipped", [])
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = _skip_reason(report)
        reasons[reason] = reasons.get(reason, 0) + 1
    lines = [f"{count} skipped: {reason}" for reason, count in sorted(reasons.items(), key=lambda r: -r[1])]
    if not PG_URL:
        lines.append("PostgreSQL not tested: set CLAIMTRACKER_TEST_POSTGRES_URL "
                     "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run every database test on it too")
    browser = [r for r in skipped if "Chromium" in _skip_reason(r) or "playwright" in _skip_reason(r)]
    if browser:
        # A key of its own puts "N browser tests NOT RUN" in pytest's final summary line too.
        terminalreporter.stats["browser tests NOT RUN (no Chromium)"] = list(browser)
    if lines:
        terminalreporter.section("NOT TESTED in this run", sep="!", yellow=True, bold=True)
        for line in lines:
            terminalreporter.write_line(line, yellow=True, bold=True)
