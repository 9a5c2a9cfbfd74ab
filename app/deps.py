"""Typed dependencies shared by the HTML and JSON routes: one session per request, the settings, the
actor (the logged-in user)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """Routes commit explicitly after a domain write; anything uncommitted is rolled back here."""
    session = request.app.state.sessionmaker()
    request.state.db_session = session
    try:
        yield session
    finally:
        session.close()


_WROTE = "claimtracker.wrote"


@event.listens_for(Session, "after_flush")
def _mark_flush(session: Session, _context) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _mark_statement(state) -> None:
    if not state.is_select:  # an UPDATE/DELETE/INSERT statement, or raw SQL we cannot tell about
        state.session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_writes(session: Session, *_args) -> None:
    session.info.pop(_WROTE, None)


def release_connection(request: Request) -> None:
    """Before a page is rendered: end the request session's read-only transaction, so its pooled
    connection goes back to the pool (and SQLite's read snapshot ends) while the template runs and
    the response is sent. Committing a transaction that only read keeps every loaded object
    (expire_on_commit=False); a lazy load in the template opens a new one. A session holding a
    write (flushed or pending, even one the route means to roll back) is left alone."""
    session: Session | None = getattr(request.state, "db_session", None)
    if (session is None or not session.in_transaction() or session.info.get(_WROTE)
            or session.new or session.dirty or session.deleted):
        return
    session.commit()


def get_actor(request: Request) -> str:
    """The logged-in user (or the API token's user) made the change. The access guard has already
    authenticated the request; a route that takes an actor is never public, so no user is a 401.
    (The CLI records `settings.actor` instead: it runs as the machine's operator.)"""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        from app.web.access import LoginRequired

        raise LoginRequired("log in first")
    return principal.name


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ActorDep = Annotated[str, Depends(get_actor)]
