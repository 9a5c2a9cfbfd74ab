"""Typed dependencies shared by the HTML and JSON routes: one session per request, the settings, the
actor (the logged-in user)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from app.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(request: Request) -> Iterator[Session]:
    """Routes commit explicitly after a domain write; anything uncommitted is rolled back here."""
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        session.close()


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
