"""The audit log page and its CSV export: every recorded change, newest first.

Filters (actor, action, from/to day in UTC) live in the query string, so a filtered view is a
permalink and the CSV link carries the same filters; pages are keyset cursors over (at, id).
Who may see these is decided by the access rules, by route name (`audit`, `audit_csv`).
"""
from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.engine import Row

from app.deps import SessionDep, SettingsDep
from app.domain.events import (
    EventFilter,
    event_actions,
    event_filter,
    iter_events,
    list_events,
    mention_articles,
)
from app.domain.event_text import event_sentence
from app.storage.models import as_utc
from app.web.csv_export import csv_response
from app.web.templating import mention_url, render, url_with

router = APIRouter()

Text = Annotated[str | None, Query(max_length=200)]
Since = Annotated[str | None, Query(alias="from", max_length=20)]
Until = Annotated[str | None, Query(alias="to", max_length=20)]
Cursor = Annotated[str | None, Query(max_length=200)]

CSV_COLUMNS = ("id", "at", "actor", "action", "entity", "entity_id", "claim_id", "before", "after")
MAX_VALUE = 120


def _query(f: EventFilter) -> dict:
    return {"actor": f.actor, "action": f.action, "from": f.since and f.since.isoformat(),
            "to": f.until and f.until.isoformat()}


def _compact(value: Any) -> str:
    """One value of a before/after dict, short enough for a table cell."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE - 1] + "…"


def _entity_href(request: Request, e: Row, articles: dict[int, int]) -> str | None:
    """The page of the thing the event is about, where it has one."""
    if e.entity_id is None:
        return None
    if e.entity == "claim":
        return url_with(request, "claim", claim_id=e.entity_id)
    if e.entity == "article":
        return url_with(request, "article", article_id=e.entity_id)
    if e.entity == "mention" and e.entity_id in articles:
        return mention_url(request, articles[e.entity_id], e.entity_id)
    slug = (e.before or {}).get("slug")
    if e.entity == "speaker" and isinstance(slug, str):
        return url_with(request, "speaker", slug=slug)  # a merged speaker's page redirects to the survivor
    return None


def _claim_href(request: Request, e: Row) -> str | None:
    """The claim a mention (or a merge) event belongs to, when it is not the entity itself."""
    if e.claim_id is None or (e.entity == "claim" and e.entity_id == e.claim_id):
        return None
    return url_with(request, "claim", claim_id=e.claim_id)


def _view(request: Request, e: Row, articles: dict[int, int]) -> dict:
    return {"id": e.id, "at": as_utc(e.at), "actor": e.actor, "action": e.action,
            "entity": e.entity, "entity_id": e.entity_id, "claim_id": e.claim_id,
            "href": _entity_href(request, e, articles), "claim_href": _claim_href(request, e),
            "sentence": event_sentence(e.action, e.actor, e.before, e.after),
            "before": _changed(e.before, e.after), "after": _changed(e.after, e.before)}


def _changed(values: dict | None, other: dict | None) -> list[tuple[str, str]]:
    """The pairs worth reading: where an event has both sides, the keys whose value changed (a
    stance change shows the stance, not the whole mention); the CSV keeps everything."""
    values = values or {}
    if other:
        values = {k: v for k, v in values.items() if other.get(k, object()) != v} or values
    return [(k, _compact(v)) for k, v in values.items()]


@router.get("/audit", name="audit")
def audit(request: Request, session: SessionDep, settings: SettingsDep, actor: Text = None,
          action: Text = None, since: Since = None, until: Until = None, cursor: Cursor = None):
    """The whole page, or only the `results` block when htmx asks (filters changed, next page)."""
    f = event_filter(actor, action, since, until)
    page = list_events(session, f, limit=settings.page_size, cursor=cursor or None)
    articles = mention_articles(session, page.events)
    query = _query(f)
    ctx = {"nav": "audit", "f": f, "query": query, "actions": event_actions(session),
           "events": [_view(request, e, articles) for e in page.events],
           "next_url": (url_with(request, "audit", {**query, "cursor": page.next_cursor})
                        if page.next_cursor else None),
           "csv_url": url_with(request, "audit_csv", query)}
    return render(request, "audit.html", ctx, block="results")


def _json_cell(value: dict | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@router.get("/audit.csv", name="audit_csv")
def audit_csv(request: Request, actor: Text = None, action: Text = None, since: Since = None,
              until: Until = None):
    """Every event the filters match, streamed newest first. The filters are checked before the
    first byte, so a bad date is a 422, not a broken download. The rows are read with a session of
    their own: the download outlives the request's."""
    f = event_filter(actor, action, since, until)
    factory = request.app.state.sessionmaker

    def rows():
        with factory() as session:
            for e in iter_events(session, f):
                yield (e.id, as_utc(e.at).isoformat(), e.actor, e.action, e.entity,
                       "" if e.entity_id is None else e.entity_id,
                       "" if e.claim_id is None else e.claim_id,
                       _json_cell(e.before), _json_cell(e.after))

    return csv_response("audit.csv", CSV_COLUMNS, rows())
