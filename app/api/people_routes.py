"""/api/v1/outlets and /api/v1/speakers: who publishes and who is quoted, each with their claims.

The claims of an outlet or a speaker are the claims list with that filter, paged the same way, so a
client follows `next_cursor` here exactly as on /claims.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from app.api import schemas
from app.api.claim_routes import Cursor
from app.api.present import article_summary, claim_page
from app.deps import SessionDep
from app.domain.api_views import outlet_counts, speaker_claim_count
from app.domain.articles import list_articles
from app.domain.claims import ClaimFilter, list_claims
from app.domain.people import list_outlets, list_speakers, outlet_by_slug, speaker_by_slug

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


@router.get(
    "/speakers/{slug}", name="api_speaker", response_model=schemas.SpeakerDetail,
    summary="One speaker", description="Their claim count and a page of their claims.",
    responses=schemas.error_responses(404, 422))
def speaker_detail(slug: SlugPath, request: Request, session: SessionDep, sort: SortQuery = "outlets",
                   limit: Limit = 25, cursor: Cursor = None) -> schemas.SpeakerDetail:
    speaker = speaker_by_slug(session, slug)
    page = list_claims(session, ClaimFilter(speaker=speaker.slug, sort=sort), limit=limit, cursor=cursor)
    return schemas.SpeakerDetail(id=speaker.id, name=speaker.name, slug=speaker.slug,
                                 claim_count=speaker_claim_count(session, speaker.id),
                                 claims=claim_page(request, page))
