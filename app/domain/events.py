"""The audit log: one append-only row per change, written in the same transaction as the change."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import Event


def record_event(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    claim_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> Event:
    event = Event(actor=actor, action=action, entity=entity, entity_id=entity_id,
                  claim_id=claim_id, before=before, after=after)
    session.add(event)
    return event


def claim_history(session: Session, claim_id: int, limit: int = 200) -> list[Event]:
    stmt = (select(Event).where(Event.claim_id == claim_id)
            .order_by(Event.at.desc(), Event.id.desc()).limit(limit))
    return list(session.scalars(stmt))
