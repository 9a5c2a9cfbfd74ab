"""The audit log: one append-only row per change, written in the same transaction as the change.

Rows are only ever inserted here; the database refuses UPDATE and DELETE on them
(app/storage/audit.py). The readers below serve the audit page and its CSV export: filters from the
query string, keyset pages newest first by (at, id), plain rows rather than ORM objects, so a
million events stream through without filling the identity map.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Row, Select, and_, or_, select, text
from sqlalchemy.orm import Session

from app.domain.errors import MAX_ID, InvalidInput
from app.domain.inputs import check_range, is_ascii_int, parse_day
from app.storage.models import Event, Mention, as_utc

MAX_FILTER = 200
EVENT_COLUMNS = tuple(Event.__table__.c)


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


@dataclass(frozen=True)
class EventFilter:
    actor: str | None = None
    action: str | None = None
    since: date | None = None   # first UTC day shown
    until: date | None = None   # last UTC day shown (inclusive)


@dataclass
class EventPage:
    events: list[Row]
    next_cursor: str | None


def event_filter(actor: str | None = None, action: str | None = None, since: str | None = None,
                 until: str | None = None) -> EventFilter:
    """The filter as a person typed it: blanks dropped, dates checked."""
    actor, action = (actor or "").strip()[:MAX_FILTER], (action or "").strip()[:MAX_FILTER]
    f = EventFilter(actor=actor or None, action=action or None,
                    since=parse_day(since, "from"), until=parse_day(until, "to"))
    check_range(f.since, f.until)
    return f


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _filtered(f: EventFilter) -> Select:
    stmt = select(*EVENT_COLUMNS)
    if f.actor:
        stmt = stmt.where(Event.actor == f.actor)
    if f.action:
        stmt = stmt.where(Event.action == f.action)
    if f.since:
        stmt = stmt.where(Event.at >= _day_start(f.since))
    if f.until:
        stmt = stmt.where(Event.at < _day_start(f.until + timedelta(days=1)))
    return stmt


def _encode_cursor(row: Row) -> str:
    raw = f"{as_utc(row.at).isoformat()}~{row.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after_cursor(stmt: Select, cursor: str) -> Select:
    """Rows strictly older than the last one shown, in the same (at, id) descending order."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, _, id_text = raw.rpartition("~")
        if not is_ascii_int(id_text) or not 0 <= int(id_text) <= MAX_ID:
            raise ValueError(id_text)
        at, last_id = as_utc(datetime.fromisoformat(at_text)), int(id_text)
    except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error):
        raise InvalidInput(f"bad cursor {cursor[:40]!r}") from None
    return stmt.where(or_(Event.at < at, and_(Event.at == at, Event.id < last_id)))


def list_events(session: Session, f: EventFilter, limit: int = 50,
                cursor: str | None = None) -> EventPage:
    """One page of the audit log, newest first, with the cursor of the next page (None at the end)."""
    stmt = _filtered(f)
    if cursor:
        stmt = _after_cursor(stmt, cursor)
    rows = list(session.execute(stmt.order_by(Event.at.desc(), Event.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return EventPage(rows, _encode_cursor(rows[-1]) if more and rows else None)


def iter_events(session: Session, f: EventFilter, batch: int = 1000) -> Iterator[Row]:
    """Every matching event, newest first, fetched a page at a time: a long export holds no cursor
    open between pages and never loads the whole log."""
    cursor = None
    while True:
        page = list_events(session, f, limit=batch, cursor=cursor)
        yield from page.events
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def event_actions(session: Session) -> list[str]:
    """The distinct actions in the log, through the index on `action` one value at a time (a loose
    index scan), so the filter's choices cost a few lookups, not a pass over every event."""
    stmt = text(
        "WITH RECURSIVE a(action) AS ("
        " SELECT min(action) FROM events"
        " UNION ALL"
        " SELECT (SELECT min(e.action) FROM events AS e WHERE e.action > a.action)"
        " FROM a WHERE a.action IS NOT NULL)"
        " SELECT action FROM a WHERE action IS NOT NULL")
    return list(session.scalars(stmt))


def mention_articles(session: Session, events: list[Row]) -> dict[int, int]:
    """mention id -> article id for the mention events given, so each can link to its span: read
    from the event's own before/after (a deleted mention keeps its link), else in one query."""
    out: dict[int, int] = {}
    missing = set()
    for e in events:
        if e.entity != "mention" or e.entity_id is None:
            continue
        values = {**(e.before or {}), **(e.after or {})}
        article_id = values.get("article_id")
        if isinstance(article_id, int):
            out[e.entity_id] = article_id
        else:
            missing.add(e.entity_id)
    if missing:
        rows = session.execute(select(Mention.id, Mention.article_id).where(Mention.id.in_(missing)))
        out.update({mid: aid for mid, aid in rows})
    return out
