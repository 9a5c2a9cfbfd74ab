"""/api/v1/suggestions: the matcher's proposals awaiting an analyst, and the decisions on them.

The same queue as the HTML page (best score first, keyset-paged by score and id, filtered by kind
and claim) and the same domain calls: accepting makes the suggestion an analyst's mention, rejecting
deletes it and keeps it from ever being proposed again, and each decision is one event. A decision
another analyst already made is a 409, an unknown id a 404.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from app.api import schemas
from app.api.present import api_url, claim_page_url, mention_out
from app.deps import ActorDep, SessionDep
from app.domain import suggestions
from app.domain.suggestions import MAX_BULK, SuggestionView

router = APIRouter(prefix="/suggestions", tags=["suggestions"])

SuggestionId = Annotated[int, Path(ge=1, le=schemas.MAX_ID, description="Suggestion (mention) id")]


class SuggestionOut(BaseModel):
    """One pending suggestion: the claim, the passage that may carry it, and why it was proposed."""

    id: int = Field(description="The suggestion's mention id; accept or reject it by this id.")
    claim_id: int
    claim_text: str
    claim_status: schemas.Status
    claim_url: str | None = Field(None, description="The claim's HTML page.")
    article_id: int
    article_title: str
    article_url: str = Field(description="The article in the API.")
    outlet: schemas.OutletRef
    published: date | None
    start: int
    end: int
    excerpt: str
    before: str = Field(description="The rest of the sentence before the excerpt.")
    after: str = Field(description="The rest of the sentence after the excerpt.")
    stance: schemas.Stance = Field(description="What the matcher proposes: repeats or contradicts.")
    score: float | None
    shared: list[str] = Field(description="The claim's words found in the excerpt.")
    marks: list[tuple[int, int]] = Field(description="Offsets into `excerpt` of the shared words.")
    polarity_differs: bool
    reason: str = Field(description="The score explained in one line, as the queue page shows it.")
    also_claim_id: int | None = Field(
        None, description="The claim this passage started itself (a quotation whose statement became "
        "a claim of its own, proposed here as a paraphrase of this earlier claim): merge it into "
        "`claim_id` (POST /api/v1/claims/{also_claim_id}/merge with `into`, an admin's) to gather the "
        "two; accepting the suggestion links this passage to `claim_id` and leaves both claims.")


class SuggestionPage(BaseModel):
    items: list[SuggestionOut]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")
    pending: int = Field(description="Suggestions awaiting a decision, of the requested kind.")


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stance: schemas.Stance | None = Field(
        None, description="Accept with another stance than proposed, e.g. `contradicts`.")


class RejectOut(BaseModel):
    id: int
    claim_id: int
    rejected: bool = True


class BulkAcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ids: list[schemas.Id] = Field(min_length=1, max_length=MAX_BULK)


class BulkAcceptOut(BaseModel):
    accepted: list[int]
    skipped: list[str] = Field(description="One line per id not accepted and why (decided already, gone).")


def _responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    out = schemas.error_responses(*(c for c in codes if c != 409))
    if 409 in codes:
        out[409] = {"description": "Another analyst decided this suggestion already.",
                    "model": schemas.Error}
    return out


def suggestion_out(request: Request, v: SuggestionView) -> SuggestionOut:
    return SuggestionOut(
        id=v.mention_id, claim_id=v.claim_id, claim_text=v.claim_text, claim_status=v.claim_status,
        claim_url=claim_page_url(request, v.claim_id), article_id=v.article_id,
        article_title=v.article_title,
        article_url=api_url(request, "api_article", article_id=v.article_id),
        outlet=schemas.OutletRef(name=v.outlet, slug=v.outlet_slug), published=v.published,
        start=v.start, end=v.end, excerpt=v.excerpt, before=v.before, after=v.after,
        stance=v.stance, score=v.score, shared=list(v.match.shared), marks=list(v.marks),
        polarity_differs=v.match.polarity_differs, reason=v.match.reason, also_claim_id=v.also_claim_id)


@router.get(
    "", name="api_suggestions", response_model=SuggestionPage, summary="List pending suggestions",
    description="Best score first. Follow `next_cursor` until it is null (keyset pagination on "
    "score and id: deciding items meanwhile never makes a page skip one). `kind` keeps possible "
    "repeats or possible contradictions only; `claim` keeps one claim's.",
    responses=_responses(422))
def suggestions_list(
    request: Request, session: SessionDep,
    kind: Annotated[schemas.Stance | None, Query(description="The proposed stance")] = None,
    claim: Annotated[schemas.Id | None, Query(description="Only this claim's suggestions")] = None,
    cursor: Annotated[str | None, Query(max_length=60, pattern=r"^[0-9.e+-]{1,30}_[0-9]{1,10}$",
                                        description="`next_cursor` of the previous page.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> SuggestionPage:
    views = suggestions.list_suggestions(session, stance=kind, claim_id=claim,
                                         after=suggestions.parse_cursor(cursor), limit=limit + 1)
    more, views = len(views) > limit, views[:limit]
    return SuggestionPage(
        items=[suggestion_out(request, v) for v in views],
        next_cursor=suggestions.cursor_after(views[-1]) if more and views else None,
        pending=suggestions.pending_count(session, kind))


@router.post(
    "/accept", name="api_suggestions_accept", response_model=BulkAcceptOut,
    summary="Accept many suggestions",
    description="Each id is accepted with its proposed stance, one event each. Ids another "
    "analyst decided meanwhile, or that do not exist, are listed in `skipped`; the rest go through.",
    responses=_responses(422))
def suggestions_bulk_accept(body: BulkAcceptIn, session: SessionDep, actor: ActorDep) -> BulkAcceptOut:
    accepted, skipped = suggestions.bulk_accept(session, body.ids, actor)
    session.commit()
    return BulkAcceptOut(accepted=accepted, skipped=skipped)


@router.post(
    "/{mention_id}/accept", name="api_suggestion_accept", response_model=schemas.MentionOut,
    summary="Accept a suggestion",
    description="The suggestion becomes the analyst's mention (origin `analyst`) and counts among "
    "the claim's outlets. Give `stance` to accept it with another stance than proposed.",
    responses=_responses(404, 409, 422))
def suggestion_accept(mention_id: SuggestionId, session: SessionDep, actor: ActorDep,
                      body: Annotated[AcceptIn | None, Body()] = None) -> schemas.MentionOut:
    mention = suggestions.accept(session, mention_id, actor, stance=body.stance if body else None)
    session.commit()
    return mention_out(mention)


@router.post(
    "/{mention_id}/reject", name="api_suggestion_reject", response_model=RejectOut,
    summary="Reject a suggestion",
    description="The suggestion is deleted and remembered: matching never proposes this claim at "
    "this span of the article again.",
    responses=_responses(404, 409, 422))
def suggestion_reject(mention_id: SuggestionId, session: SessionDep, actor: ActorDep) -> RejectOut:
    claim_id = suggestions.reject(session, mention_id, actor)
    session.commit()
    return RejectOut(id=mention_id, claim_id=claim_id)
