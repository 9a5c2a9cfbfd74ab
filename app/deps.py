"""Typed dependencies shared by the HTML and JSON routes: one session per request, the settings, the actor."""
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


def get_actor(settings: Annotated[Settings, Depends(get_settings)]) -> str:
    """Until accounts exist, every change is made by the configured actor."""
    return settings.actor


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ActorDep = Annotated[str, Depends(get_actor)]
