"""The claims list as data: `/claims.csv` and `/claims.json` export exactly what the list's filters
find (the same query string), every page of it, with each claim's spread so far.

Read a keyset page at a time (app/domain/claims.iter_claims) with one spread query per page, and
streamed as it is read: an export of a large store neither holds it in memory nor one cursor open."""
from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from app.deps import SessionDep
from app.domain.claims import ClaimFilter, iter_claims, list_claims
from app.domain.spread import Spread, moment_text, spreads_for_claims
from app.web.csv_export import csv_response
from app.web.audit import Since, Until
from app.web.pages import Text, claim_filter, filter_query
from app.web.templating import absolute_url

router = APIRouter()

COLUMNS = ("claim_id", "claim", "speaker", "status", "reason", "outlets", "first_seen",
           "first_outlet", "repeating", "contradicting", "discussing", "tags", "url")


def _records(request: Request, f: ClaimFilter) -> Iterator[dict]:
    """Read with a session of the stream's own: the request's session is closed once the route
    returns, before the body is sent."""
    with request.app.state.sessionmaker() as session:
        for page in iter_claims(session, f):
            spreads = spreads_for_claims(session, [c.id for c in page.claims])
            for c in page.claims:
                yield _record(request, c, spreads[c.id], page.tags.get(c.id, []))


def _record(request: Request, c, sp: Spread, tags: list[str]) -> dict:
    return {"claim_id": c.id, "claim": c.text, "speaker": c.speaker.name if c.speaker else None,
            "status": c.status, "reason": c.status_reason, "outlets": c.outlet_count,
            "first_seen": moment_text(sp.first), "first_outlet": sp.first.outlet if sp.first else None,
            "repeating": len(sp.outlets["repeats"]), "contradicting": len(sp.outlets["contradicts"]),
            "discussing": len(sp.outlets["discusses"]), "tags": tags,
            "url": absolute_url(request, "claim", claim_id=c.id)}


def _checked(session: Session, f: ClaimFilter) -> ClaimFilter:
    """Run the first page now, so a refused filter is a 422 page before the first byte is sent,
    not a broken download."""
    list_claims(session, f, limit=1)
    return f


@router.get("/claims.csv", name="claims_csv")
def claims_csv(request: Request, session: SessionDep, q: Text = None, status: Text = None,
               outlet: Text = None, speaker: Text = None, tag: Text = None, sort: Text = None,
               since: Since = None, until: Until = None):
    f = _checked(session, claim_filter(q, status, outlet, speaker, tag, sort, since, until))
    rows = ([r[k] if k != "tags" else "; ".join(r[k]) for k in COLUMNS]
            for r in _records(request, f))
    return csv_response("claims.csv", COLUMNS, rows)


@router.get("/claims.json", name="claims_json")
def claims_json(request: Request, session: SessionDep, q: Text = None, status: Text = None,
                outlet: Text = None, speaker: Text = None, tag: Text = None, sort: Text = None,
                since: Since = None, until: Until = None):
    f = _checked(session, claim_filter(q, status, outlet, speaker, tag, sort, since, until))
    query = {k: v for k, v in filter_query(f).items() if v}

    def body() -> Iterator[str]:
        yield '{"filter": ' + json.dumps(query) + ', "claims": ['
        for i, record in enumerate(_records(request, f)):
            yield ("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False)
        yield "\n]}\n"

    return StreamingResponse(body(), media_type="application/json")
