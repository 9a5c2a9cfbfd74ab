"""The audit log cannot be rewritten: the database refuses UPDATE and DELETE on events, whether the
schema came from the models (fixtures) or from the migrations, and no code in app/ tries."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from app.domain.events import record_event
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.migrate import upgrade
from app.storage.models import Article, Claim, Event, Outlet

APP = Path(__file__).resolve().parents[1] / "app"


@pytest.fixture
def event_id(session) -> int:
    event = record_event(session, "ana", "claim.status", "claim", 1, claim_id=1,
                         before={"status": "unreviewed"}, after={"status": "verified"})
    session.commit()
    return event.id


def _refused(session, statement) -> str:
    with pytest.raises(DBAPIError) as info:
        session.execute(statement)
        session.flush()
    session.rollback()
    return str(info.value)


def test_update_of_an_event_is_refused(session, event_id):
    message = _refused(session, update(Event).where(Event.id == event_id).values(actor="mallory"))
    assert "events are append-only" in message
    assert session.scalar(select(Event.actor).where(Event.id == event_id)) == "ana"


def test_orm_change_of_an_event_is_refused(session, event_id):
    event = session.get(Event, event_id)
    event.after = {"status": "false"}
    with pytest.raises(DBAPIError, match="append-only"):
        session.commit()
    session.rollback()
    session.expire_all()
    assert session.get(Event, event_id).after == {"status": "verified"}


def test_delete_of_an_event_is_refused(session, event_id):
    assert "append-only" in _refused(session, delete(Event).where(Event.id == event_id))
    assert "append-only" in _refused(session, text("DELETE FROM events"))
    assert session.scalar(select(func.count()).select_from(Event)) == 1


def test_truncate_is_refused_on_postgresql(session, event_id):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    assert "append-only" in _refused(session, text("TRUNCATE events"))
    assert session.scalar(select(func.count()).select_from(Event)) == 1


def test_events_still_accept_inserts_and_never_block_deleting_what_they_name(session, event_id):
    """Events have no foreign keys: an article or claim they mention can still be deleted."""
    outlet = Outlet(name="Test Wire", slug="test-wire")
    session.add(outlet)
    session.flush()
    article = Article(outlet_id=outlet.id, title="t", text="Some words.", content_hash="h1")
    claim = Claim(text="Some words", norm_hash=1)
    session.add_all([article, claim])
    session.flush()
    record_event(session, "ana", "article.ingest", "article", article.id)
    record_event(session, "ana", "claim.create", "claim", claim.id, claim_id=claim.id)
    session.commit()
    session.delete(article)
    session.delete(claim)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Event)) == 3
    assert not Event.__table__.foreign_keys


def test_migrations_install_the_guard(empty_database_url):
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with make_sessionmaker(engine)() as session:
            record_event(session, "ana", "claim.edit", "claim", 7, after={"text": "x"})
            session.commit()
            assert "append-only" in _refused(session, update(Event).values(actor="mallory"))
            assert "append-only" in _refused(session, delete(Event))
    finally:
        engine.dispose()


# What rewriting events would look like in code: Core or ORM update/delete of Event, an ORM delete
# of an event object, raw SQL naming the table.
_FORBIDDEN = re.compile(
    r"(update|delete)\(\s*Event\b"
    r"|\.delete\(\s*\w*event\w*\s*\)"
    r"|(UPDATE|DELETE\s+FROM|TRUNCATE)\s+(TABLE\s+)?events\b",
    re.IGNORECASE)


def test_no_code_in_app_updates_or_deletes_events():
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        if path.name == "audit.py" and path.parent.name == "storage":
            continue  # the guard itself names the statements it refuses
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _FORBIDDEN.search(line):
                offenders.append(f"{path.relative_to(APP.parent)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_grep_would_catch_a_rewrite():
    for line in ("session.execute(update(Event).values(actor='x'))", "delete(Event).where(Event.id == 1)",
                 "session.delete(event)", "session.delete(old_event)", "text('DELETE FROM events')",
                 "UPDATE events SET actor = 'x'"):
        assert _FORBIDDEN.search(line), line
    assert not _FORBIDDEN.search("session.delete(mention)")
