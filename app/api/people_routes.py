"""/api/v1/outlets and /api/v1/speakers: who publishes and who is quoted, each with their claims,
and the analyst's merge of two speakers that are one person.

The claims of an outlet or a speaker are the claims list with that filter, paged the same way, so a
client follows `next_cursor` here exactly as on /claims.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import RedirectResponse

from app.api import schemas
from app.api.claim_routes import Cursor
from app.api.present import api_url, article_summary, claim_page
from app.deps import ActorDep, SessionDep
from app.domain.api_views import outlet_counts, speaker_claim_count
from app.domain.articles import list_articles
from app.domain.claims import ClaimFilter, list_claims
from app.domain.people import list_outlets, list_speakers, outlet_by_slug
from app.domain.speakers import merge_speakers, resolve_speaker

router = APIRouter(tags=["outlets and speakers"])

SlugPath = Annotated[schemas.Text, Path(min_length=1, max_length=200)]
Limit = Annotated[int, Query(ge=1, le=200, description="Claims per page")]
SortQuery = Annotated[schemas.Sort, Query(description="Order of the claims, as on /claims")]
RECENT_ARTICLES = 20


@router.get("/outlets", name="api_outlets", response_model=list[schemas.OutletOut],
            summary="All outlets", description="By name, with article and claim counts.")
def outlets(session: SessionDep) -> list[schemas.OutletOut]:
    return [schemas.OutletOut(id=o["id"], name=o["name"], slug=o["slug"], article_count=o["articles"],
                              claim_count=o["claims"]) for o in list_outlets(session)]


@router.get(
    "/outlets/{slug}", name="api_outlet", response_model=schemas.OutletDetail, summary="One outlet",
    description=f"Its counts, its {RECENT_ARTICLES} most recent articles and a page of the claims "
    "it mentions.", responses=schemas.error_responses(404, 422))
def outlet_detail(slug: SlugPath, request: Request, session: SessionDep, sort: SortQuery = "outlets",
                  limit: Limit = 25, cursor: Cursor = None) -> schemas.OutletDetail:
    outlet = outlet_by_slug(session, slug)
    articles, claims = outlet_counts(session, outlet.id)
    page = list_claims(session, ClaimFilter(outlet=outlet.slug, sort=sort), limit=limit, cursor=cursor)
    return schemas.OutletDetail(
        id=outlet.id, name=outlet.name, slug=outlet.slug, article_count=articles, claim_count=claims,
        recent_articles=[article_summary(a) for a in
                         list_articles(session, limit=RECENT_ARTICLES, outlet_id=outlet.id)],
        claims=claim_page(request, page))


@router.get("/speakers", name="api_speakers", response_model=list[schemas.SpeakerOut],
            summary="All speakers", description="By name, with the number of live claims of each.")
def speakers(session: SessionDep) -> list[schemas.SpeakerOut]:
    return [schemas.SpeakerOut(id=s["id"], name=s["name"], slug=s["slug"], claim_count=s["claims"])
            for s in list_speakers(session)]


_MOVED = {301: {"description": "Merged speaker: `Location` is the surviving speaker's URL."}}


@router.get(
    "/speakers/{slug}", name="api_speaker", response_model=schemas.SpeakerDetail,
    summary="One speaker", description="Their claim count and a page of their claims. A merged "
    "speaker's slug answers 301 to the speaker it was merged into.",
    responses={**_MOVED, **schemas.error_responses(404, 422)})
def speaker_detail(slug: SlugPath, request: Request, session: SessionDep, sort: SortQuery = "outlets",
                   limit: Limit = 25, cursor: Cursor = None):
    speaker = resolve_speaker(session, slug)
    if speaker.slug != slug:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(api_url(request, "api_speaker", slug=speaker.slug) + query,
                                status_code=status.HTTP_301_MOVED_PERMANENTLY)
    page = list_claims(session, ClaimFilter(speaker=speaker.slug, sort=sort), limit=limit, cursor=cursor)
    return schemas.SpeakerDetail(id=speaker.id, name=speaker.name, slug=speaker.slug,
                                 claim_count=speaker_claim_count(session, speaker.id),
                                 claims=claim_page(request, page))


@router.post(
    "/speakers/{slug}/merge", name="api_speaker_merge", response_model=schemas.SpeakerOut,
    summary="Merge a speaker into another",
    description="For two rows that are one person: this speaker's quotes, claims and names move to "
    "`into` (a slug), and the answer is the survivor. This slug keeps working: GET on it redirects "
    "(301) to the survivor. 422 for merging a speaker into itself, 409 when either speaker was "
    "already merged (use the survivor), 404 when either slug is unknown.",
    responses={**schemas.error_responses(404, 422),
               409: {"description": "One of the two speakers was already merged.",
                     "model": schemas.Error}})
def speaker_merge(slug: SlugPath, body: schemas.SpeakerMergeIn, session: SessionDep,
                  actor: ActorDep) -> schemas.SpeakerOut:
    survivor = merge_speakers(session, slug, body.into, actor)
    session.commit()
    return schemas.SpeakerOut(id=survivor.id, name=survivor.name, slug=survivor.slug,
                              claim_count=speaker_claim_count(session, survivor.id))
