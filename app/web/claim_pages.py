"""The claim page and its shareable sources (HTML, JSON, CSV).

URL policy: `/claims/{id}` is the canonical form (it is what `<link rel=canonical>` and every link
in the app use). A slug after the id is decoration for people reading the URL: the current slug
renders, a stale or wrong one answers 301 to `/claims/{id}/{current-slug}`, so a shared readable
link stays readable after the wording is edited. A merged claim's id answers 301 to its survivor.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, replace

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from app.deps import SessionDep
from app.domain.claims import resolve_claim
from app.domain.mentions import (
    SOURCES_MAX_PER_PAGE,
    SOURCES_PER_PAGE,
    MentionPage,
    claim_mentions_light,
    claim_mentions_page,
    claim_sources,
    count_sources,
)
from app.domain.spread import spread_json, stored_spread, suggested_spread, with_details
from app.domain.views import claim_detail, suggestion_batch
from app.storage.models import Claim, ClaimSpread
from app.web.access import sees_suggestions
from app.web.claim_spread import spread_context
from app.web.csv_export import MEDIA_TYPE, safe_writer
from app.web.page_cache import not_kept
from app.web.templating import (
    absolute_url,
    claim_slug,
    is_htmx,
    may,
    path_maker,
    paging,
    render,
    templates,
    url_path,
    url_with,
)

router = APIRouter()

CSV_COLUMNS = ("claim_id", "claim", "status", "outlet", "article_id", "title", "published", "url",
               "stance", "fidelity", "excerpt", "start", "end")


def claim_page_response(request: Request, session: Session, claim: Claim, *, status_code: int = 200,
                        message: str | None = None, error_kind: str | None = None,
                        errors: dict | None = None, values: dict | None = None, page: int = 1) -> Response:
    """The claim page (or its `claim` block for htmx), optionally with a message from an action.
    A mention's stance and unlink forms only for a reader who may use them."""
    if message:     # this answer only (after an action): the page cache must not keep it
        not_kept(request.scope)
    # Held for the whole answer: every later session.get of it (the mention list, the renderings,
    # the spread) is then this one from the identity map, its JSON decoded once, not once each.
    summary = session.get(ClaimSpread, claim.id)
    # A claim without a stored plan (up to READ_WHOLE confirmed mentions): one light read of its
    # mentions for the list's order, the renderings and the spread, not one read each.
    light = None if summary is not None and summary.page is not None else claim_mentions_light(session, claim.id)
    ctx = {**claim_detail(session, claim, sees_suggestions(request), page, light),
           **spread_context(request, session, claim, light, planned=planned_page(request, session, summary)),
           "nav": "claims", "editable": may(request, "set_stance"), "message": message,
           "error_kind": error_kind, "errors": errors or {}, "values": values or {}}
    return render(request, "claim.html", ctx, block="claim", status_code=status_code)


def planned_page(request: Request, session: Session, summary: ClaimSpread | None) -> bool:
    """Whether the claim page draws this claim's spread from its stored plan: it has one (a big
    claim) and the reader sees no suggestion of it (the plan holds confirmed mentions only)."""
    return (summary is not None and summary.page is not None
            and not (sees_suggestions(request) and count_sources(session, summary.claim_id, suggested=True)))


@dataclass(frozen=True, slots=True)
class MentionLinks:
    """Where a mention on the claim page links to, and where its forms post (None: no forms)."""

    article: str
    span: str
    set_stance: str | None
    unlink: str | None


def mention_links(request: Request, mentions: MentionPage, editable: bool) -> dict[int, MentionLinks]:
    """mention id -> its links, each route looked up once a page instead of once a link
    (templates/_mention_page.html)."""
    article = path_maker(request, "article", "article_id")
    stance = path_maker(request, "set_stance", "mention_id") if editable else None
    unlink = path_maker(request, "unlink_mention", "mention_id") if editable else None
    out = {}
    for m in mentions.mentions:
        href = article(m.article_id)
        out[m.id] = MentionLinks(href, f"{href}#m{m.id}", stance(m.id) if stance else None,
                                 unlink(m.id) if unlink else None)
    return out


templates.env.globals["mention_links"] = mention_links


def _moved(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=301)


def _slug_url(request: Request, claim: Claim) -> str:
    slug = claim_slug(claim.text)
    if not slug:
        return url_with(request, "claim", claim_id=claim.id)
    return url_with(request, "claim_slug", claim_id=claim.id, slug=slug)


Page = Query(1, ge=1, le=1_000_000, description="page of the mentions, from 1")


@router.get("/claims/{claim_id}", name="claim")
def claim_page(request: Request, session: SessionDep, claim_id: int, page: int = Page):
    """Canonical claim URL; a merged id redirects to its survivor's canonical URL."""
    claim = resolve_claim(session, claim_id)
    if claim.id != claim_id:
        return _moved(url_with(request, "claim", {"page": page if page > 1 else None}, claim_id=claim.id))
    return claim_page_response(request, session, claim, page=page)


@router.get("/claims/{claim_id}/mentions", name="claim_mentions")
def claim_mentions(request: Request, session: SessionDep, claim_id: int, page: int = Page):
    """One more page of the mentions, for the claim page's "More mentions" (htmx puts it in place
    of the link). Opened without htmx, it is the claim page at that page."""
    claim = resolve_claim(session, claim_id)
    if claim.id != claim_id or not is_htmx(request):
        return RedirectResponse(url_with(request, "claim", {"page": page if page > 1 else None},
                                         claim_id=claim.id) + "#mentions", status_code=303)
    ctx = {"claim": claim, "mentions": claim_mentions_page(session, claim.id, page),
           "editable": may(request, "set_stance")}
    return templates.TemplateResponse(request, "_mention_page.html", ctx, headers={"Vary": "HX-Request"})


@router.get("/claims/{claim_id}/suggested", name="claim_suggested")
def claim_suggested(request: Request, session: SessionDep, claim_id: int, page: int = Page):
    """The next batch of the claim's suggestions, for the claim page's "More suggestions" (htmx puts
    it in place of the link). Opened without htmx, it is the suggestions queue for the claim. Who
    may see the queue may ask (access.RULES); an anonymous reader is sent to log in."""
    claim = resolve_claim(session, claim_id)
    if claim.id != claim_id or not is_htmx(request):
        return RedirectResponse(url_with(request, "suggestions", {"claim": claim.id}), status_code=303)
    ctx = {"claim": claim, **suggestion_batch(session, claim.id, page)}
    return templates.TemplateResponse(request, "_suggestion_batch.html", ctx, headers={"Vary": "HX-Request"})


def _sources_claim(request: Request, session: Session, claim_id: int, route: str):
    """The live claim for a sources URL, or a 301 to the survivor's same sources URL."""
    claim = resolve_claim(session, claim_id)
    if claim.id != claim_id:
        return None, _moved(url_with(request, route, claim_id=claim.id))
    return claim, None


@router.get("/claims/{claim_id}/sources.json", name="claim_sources_json")
def claim_sources_json(request: Request, session: SessionDep, claim_id: int, page: int = Page,
                       per_page: int = Query(SOURCES_PER_PAGE, ge=1, le=SOURCES_MAX_PER_PAGE)):
    """The claim's sources a page at a time, oldest first. `spread` sums up every mention whatever
    the page (first appearance, outlets by stance, fidelity); its `timeline` and `sources` hold the
    page's mentions. `paging` says where the page sits and links the next and previous ones (also
    in a Link header)."""
    claim, moved = _sources_claim(request, session, claim_id, "claim_sources_json")
    if moved:
        return moved
    offset = (page - 1) * per_page
    rows = claim_sources(session, claim.id, limit=per_page, offset=offset)
    total = count_sources(session, claim.id)
    # A big claim's spread from its stored plan (the page's window only is read whole below).
    sees, summary = sees_suggestions(request), session.get(ClaimSpread, claim.id)
    spread = ((suggested_spread(session, summary, sees) if summary is not None else None)
              or stored_spread(session, claim.id, sees))
    shown = spread.mentions[offset:offset + per_page]       # read light: the page's whole
    whole = with_details(session, shown) if spread.light else {}
    window = replace(spread, mentions=tuple(whole.get(m.id, m) for m in shown))
    where, links = paging(absolute_url(request, "claim_sources_json", claim_id=claim.id), page, per_page,
                          total, SOURCES_PER_PAGE, covers=len(spread.mentions))
    site = str(request.base_url).rstrip("/")     # what request.url_for puts before the path
    body = {
        "claim": {"id": claim.id, "text": claim.text, "status": claim.status,
                  "reason": claim.status_reason,
                  "speaker": claim.speaker.name if claim.speaker else None,
                  "url": absolute_url(request, "claim", claim_id=claim.id)},
        "sources": [{"outlet": r.outlet, "article_id": r.article_id, "title": r.title,
                     "published": r.published.isoformat() if r.published else None,
                     "published_at": r.published_at.isoformat() if r.published_at else None,
                     "url": r.url, "stance": r.stance, "fidelity": r.fidelity,
                     "origin": r.origin, "excerpt": r.excerpt, "start": r.start,
                     "end": r.end, "mention_id": r.id} for r in rows],
        "spread": spread_json(window, lambda m: site + url_path(request, "article", article_id=m.article_id)
                              + f"#m{m.id}"),
        "paging": where,
    }
    return JSONResponse(body, headers=links or None)


@router.get("/claims/{claim_id}/sources.csv", name="claim_sources_csv")
def claim_sources_csv(request: Request, session: SessionDep, claim_id: int):
    """One row per mention, claim columns repeated, so a spreadsheet can filter without joins."""
    claim, moved = _sources_claim(request, session, claim_id, "claim_sources_csv")
    if moved:
        return moved
    buf = io.StringIO()
    writer = safe_writer(buf)   # cells that a spreadsheet would run as formulas become text
    writer.writerow(CSV_COLUMNS)
    for r in claim_sources(session, claim.id):
        writer.writerow([claim.id, claim.text, claim.status, r.outlet, r.article_id, r.title,
                         r.published.isoformat() if r.published else "", r.url or "",
                         r.stance, r.fidelity, r.excerpt, r.start, r.end])
    headers = {"Content-Disposition": f'inline; filename="claim-{claim.id}-sources.csv"'}
    return Response(buf.getvalue(), media_type=MEDIA_TYPE, headers=headers)


@router.get("/claims/{claim_id}/sources", name="claim_sources")
def claim_sources_page(request: Request, session: SessionDep, claim_id: int):
    """The page to share: stable URL, OpenGraph preview, JSON and CSV alternates."""
    claim, moved = _sources_claim(request, session, claim_id, "claim_sources")
    if moved:
        return moved
    light = claim_mentions_light(session, claim.id)
    detail = {**claim_detail(session, claim, sees_suggestions(request), light=light),
              **spread_context(request, session, claim, light)}
    sources = claim_sources(session, claim.id)
    detail.update(sources=sources, outlet_names=sorted({s.outlet for s in sources}))
    share_url = absolute_url(request, "claim_sources", claim_id=claim.id)
    return render(request, "sources.html", {**detail, "nav": "claims", "share_url": share_url})


@router.get("/claims/{claim_id}/{slug}", name="claim_slug")
def claim_page_with_slug(request: Request, session: SessionDep, claim_id: int, slug: str):
    """Decorated URL: renders when the slug is current, else 301 to the current decorated URL."""
    claim = resolve_claim(session, claim_id)
    current = claim_slug(claim.text)
    if claim.id != claim_id or slug != current:
        return _moved(_slug_url(request, claim))
    return claim_page_response(request, session, claim)
