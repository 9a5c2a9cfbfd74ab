"""Read-only pages: dashboard, the claims list and the outlet and speaker pages.

Filters live in the query string so every view is a permalink; htmx requests get only the
`results` block of the same template."""
from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from app.deps import SessionDep, SettingsDep
from app.domain.articles import list_articles
from app.domain.claims import ClaimFilter, count_claims, list_claims
from app.domain.inputs import parse_day
from app.domain.outlets import outlet_record
from app.domain.people import list_outlets, list_speakers, outlet_by_slug
from app.domain.pickers import PICK_KINDS
from app.domain.speakers import resolve_speaker, speaker_history
from app.domain.list_spread import list_spreads
from app.domain.views import dashboard as dashboard_data
from app.domain.views import tag_names
from app.web.audit import Since, Until
from app.web.pickers import picker_field
from app.web.templating import is_htmx, render, url_with

router = APIRouter()

Text = Annotated[str | None, Query(max_length=500)]


def _next_url(request: Request, f: ClaimFilter, cursor: str | None, name: str,
              fixed: str | None = None, **path) -> str | None:
    """The keyset link to the following page, keeping every filter of this one except the one the
    path already fixes (an outlet page needs no `outlet=` in its query)."""
    if not cursor:
        return None
    query = {**filter_query(f), "cursor": cursor}
    query.pop(fixed, None)
    return url_with(request, name, query, **path)


@router.get("/", name="dashboard")
def dashboard(request: Request, session: SessionDep):
    ctx = dashboard_data(session)
    return render(request, "dashboard.html", {**ctx, "nav": "dashboard", "meta": {}})


def filter_query(f: ClaimFilter) -> dict:
    """The query string that gives this filter back (the next page, the exports)."""
    return {"q": f.q, "status": f.status, "outlet": f.outlet, "speaker": f.speaker, "tag": f.tag,
            "from": f.since.isoformat() if f.since else None,
            "to": f.until.isoformat() if f.until else None, "sort": f.sort}


def claim_filter(q, status, outlet, speaker, tag, sort, since, until) -> ClaimFilter:
    """The claims filter as a person typed it in the query string; a bad date is a 422."""
    return ClaimFilter(q=q or None, status=status or None, outlet=outlet or None,
                       speaker=speaker or None, tag=tag or None, sort=sort or "outlets",
                       since=parse_day(since, "from"), until=parse_day(until, "to"))


@router.get("/claims", name="claims")
def claims(request: Request, session: SessionDep, settings: SettingsDep, q: Text = None,
           status: Text = None, outlet: Text = None, speaker: Text = None, tag: Text = None,
           sort: Text = None, cursor: Text = None, since: Since = None, until: Until = None):
    """Active search over claim text and speakers: the full page, or only the results block when
    htmx asks as the user types. Each row carries its spread; the total is counted up to a cap."""
    f = claim_filter(q, status, outlet, speaker, tag, sort, since, until)
    # The outlet and speaker are picked by name (app/web/pickers.py), never from a list of all of
    # them; a name typed in full becomes its slug, so the links below carry the permalink.
    fields = {kind: picker_field(request, session, kind, getattr(f, kind), "claims", filter_query(f))
              for kind in PICK_KINDS}
    f = replace(f, **{kind: field["slug"] for kind, field in fields.items() if field["slug"]})
    total, capped = count_claims(session, f)
    page = list_claims(session, f, limit=settings.page_size, cursor=cursor or None, dense=capped)
    ctx = {"nav": "claims", "f": f, "page": page, "total": total, "capped": capped, "fields": fields,
           "spreads": list_spreads(session, [c.id for c in page.claims]),
           "export_query": filter_query(f),
           "next_url": _next_url(request, f, page.next_cursor, "claims")}
    if not is_htmx(request):
        ctx.update(tags=tag_names(session))
    return render(request, "claims.html", ctx, block="results")


@router.get("/outlets", name="outlets")
def outlets(request: Request, session: SessionDep):
    return render(request, "outlets.html", {"nav": "outlets", "outlets": list_outlets(session)})


@router.get("/speakers", name="speakers")
def speakers(request: Request, session: SessionDep):
    return render(request, "speakers.html", {"nav": "speakers", "speakers": list_speakers(session)})


def _owner_page(request: Request, session, settings, kind: str, owner, status, sort, cursor,
                articles=None, *, status_code: int = 200, errors: dict | None = None,
                values: dict | None = None, record=None):
    """An outlet's or a speaker's claims: the claims list with one facet fixed by the URL; a refused
    form (the speaker merge) shows its message beside it with the refusal's status code."""
    f = ClaimFilter(status=status or None, sort=sort or "outlets", **{kind: owner.slug})
    page = list_claims(session, f, limit=settings.page_size, cursor=cursor or None)
    here = url_with(request, kind, slug=owner.slug)
    ctx = {"nav": f"{kind}s", "kind": kind, "owner": owner, "f": f, "page": page, "here": here,
           "spreads": list_spreads(session, [c.id for c in page.claims]),
           "history": speaker_history(session, owner) if kind == "speaker" else [],
           "articles": articles or [], "errors": errors or {}, "values": values or {}, "record": record,
           "next_url": _next_url(request, f, page.next_cursor, kind, kind, slug=owner.slug)}
    return render(request, "owner.html", ctx, block="results", status_code=status_code)


@router.get("/outlets/{slug}", name="outlet")
def outlet(request: Request, session: SessionDep, settings: SettingsDep, slug: str,
           status: Text = None, sort: Text = None, cursor: Text = None):
    owner = outlet_by_slug(session, slug)
    articles = list_articles(session, limit=100, outlet_id=owner.id)
    record = None if is_htmx(request) else outlet_record(session, owner)
    return _owner_page(request, session, settings, "outlet", owner, status, sort, cursor, articles,
                       record=record)


@router.get("/speakers/{slug}", name="speaker")
def speaker(request: Request, session: SessionDep, settings: SettingsDep, slug: str,
            status: Text = None, sort: Text = None, cursor: Text = None):
    """A merged speaker's slug answers 301 to the speaker it was merged into, query kept."""
    owner = resolve_speaker(session, slug)
    if owner.slug != slug:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(url_with(request, "speaker", slug=owner.slug) + query, status_code=301)
    return _owner_page(request, session, settings, "speaker", owner, status, sort, cursor)


def speaker_page(request: Request, session, settings, slug: str, *, status_code: int,
                 errors: dict, values: dict):
    """The speaker page after a refused change (web/speaker_actions.py)."""
    owner = resolve_speaker(session, slug)
    return _owner_page(request, session, settings, "speaker", owner, None, None, None,
                       status_code=status_code, errors=errors, values=values)
