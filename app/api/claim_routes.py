"""/api/v1/claims reads: the filtered list, one claim, its sources and its audit history.

A merged claim's id answers 301 with `Location` set to the survivor's URL (the same path under the
survivor's id) rather than the survivor's body: the client learns the canonical id once, caches and
links stay correct, and the choice matches the HTML side, where a stale URL redirects to the
canonical one. The history is the exception: it is the audit log of that id, so it is served as is.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import RedirectResponse, Response

from app.api import schemas
from app.api.present import api_url, claim_detail_out, claim_out, claim_page, event_out, source_out
from app.deps import SessionDep
from app.domain.api_views import claim_record
from app.domain.claims import ClaimFilter, list_claims, resolve_claim, tags_for_claims
from app.domain.events import claim_history
from app.domain.mentions import (
    SOURCES_MAX_PER_PAGE,
    SOURCES_PER_PAGE,
    claim_sources,
    count_sources,
    outlets_by_stance,
)
from app.storage.models import Claim
from app.web.templating import absolute_url, paging

router = APIRouter(prefix="/claims", tags=["claims"])

ClaimId = Annotated[int, Path(ge=1, le=schemas.MAX_ID, description="Claim id")]
Slug = Annotated[schemas.Text | None, Query(max_length=200)]
Cursor = Annotated[schemas.Text | None, Query(
    max_length=100, pattern=r"^[A-Za-z0-9_-]{1,100}$",
    description="`next_cursor` of the previous page.")]


def live_or_redirect(request: Request, session, claim_id: int, route: str) -> Claim | RedirectResponse:
    """The live claim for this id, or a permanent redirect to the same route for its survivor."""
    claim = resolve_claim(session, claim_id)
    if claim.id != claim_id:
        return RedirectResponse(api_url(request, route, claim_id=claim.id),
                                status_code=status.HTTP_301_MOVED_PERMANENTLY)
    return claim


@router.get(
    "", name="api_claims", response_model=schemas.ClaimPage, summary="List claims",
    description="Live claims (merged ones excluded), filtered and sorted, in pages. Follow "
    "`next_cursor` until it is null: keyset pagination, so pages never repeat or skip a claim "
    "even at a million rows. `q` matches every word in the claim text.",
    responses=schemas.error_responses(422))
def claims_list(
    request: Request, session: SessionDep,
    q: Annotated[schemas.Text | None, Query(max_length=200, description="Words in the text")] = None,
    status_: Annotated[schemas.Status | None, Query(alias="status")] = None,
    outlet: Slug = None, speaker: Slug = None,
    tag: Annotated[schemas.Text | None, Query(max_length=60)] = None,
    sort: Annotated[schemas.Sort, Query(description="outlets: most outlets first; newest; "
                                                    "changed: most recently changed")] = "outlets",
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
    cursor: Cursor = None,
) -> schemas.ClaimPage:
    f = ClaimFilter(q=q, status=status_, outlet=outlet, speaker=speaker, tag=tag, sort=sort)
    return claim_page(request, list_claims(session, f, limit=limit, cursor=cursor))


@router.get(
    "/{claim_id}", name="api_claim", response_model=schemas.ClaimDetail, summary="One claim",
    description="The claim with its tags and number of mentions. A merged claim's id answers "
    "301 to its survivor.", responses=schemas.error_responses(301, 404, 422))
def claim_detail(claim_id: ClaimId, request: Request, session: SessionDep):
    claim = live_or_redirect(request, session, claim_id, "api_claim")
    if isinstance(claim, RedirectResponse):
        return claim
    return claim_detail_out(request, session, claim)


@router.get(
    "/{claim_id}/sources", name="api_claim_sources", response_model=schemas.ClaimSources,
    summary="Where a claim appears",
    description="Its mentions a page at a time, oldest publication first, with their outlet, article, "
    "excerpt, stance, fidelity and origin; `outlets_by_stance` answers 'who repeats, who contradicts' "
    "over every mention. `paging` (and the Link header) give the next and previous pages.",
    responses=schemas.error_responses(301, 404, 422))
def claim_sources_view(claim_id: ClaimId, request: Request, response: Response, session: SessionDep,
                       page: int = Query(1, ge=1, le=1_000_000, description="page, from 1"),
                       per_page: int = Query(SOURCES_PER_PAGE, ge=1, le=SOURCES_MAX_PER_PAGE)):
    claim = live_or_redirect(request, session, claim_id, "api_claim_sources")
    if isinstance(claim, RedirectResponse):
        return claim
    sources = claim_sources(session, claim.id, limit=per_page, offset=(page - 1) * per_page)
    where, links = paging(absolute_url(request, "api_claim_sources", claim_id=claim.id), page, per_page,
                          count_sources(session, claim.id), SOURCES_PER_PAGE)
    response.headers.update(links)
    tags = tags_for_claims(session, [claim.id])[claim.id]
    return schemas.ClaimSources(claim=claim_out(request, claim, tags),
                                outlets_by_stance=outlets_by_stance(session, claim.id),
                                sources=[source_out(s) for s in sources], paging=where)


@router.get(
    "/{claim_id}/history", name="api_claim_history", response_model=schemas.ClaimHistory,
    summary="A claim's audit log",
    description="Every change recorded against this id, newest first (at most 200). Not redirected "
    "for a merged claim: its own history stays readable; `merged_into` names the survivor.",
    responses=schemas.error_responses(404, 422))
def claim_history_view(claim_id: ClaimId, session: SessionDep) -> schemas.ClaimHistory:
    claim = claim_record(session, claim_id)
    return schemas.ClaimHistory(claim_id=claim.id, merged_into=claim.merged_into_id,
                                events=[event_out(e) for e in claim_history(session, claim.id)])
