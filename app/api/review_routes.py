"""/api/v1/claims writes: an analyst's verdict, wording, tags and merges.

Each route is one domain call and one commit; the domain bumps the version and writes the event.
Every answer is the claim as it now stands, so a client holds the new `version` for its next edit.
A merged claim's id acts on its survivor (the domain resolves it), as the HTML forms do.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from app.api import schemas
from app.api.claim_routes import ClaimId
from app.api.present import claim_detail_out
from app.deps import ActorDep, SessionDep
from app.domain.review import add_tag, edit_text, merge_claims, remove_tag, set_status
from app.storage.models import Claim

router = APIRouter(prefix="/claims", tags=["review"])

TagName = Annotated[schemas.Text, Path(min_length=1, max_length=100, description="Tag name")]


def committed(request: Request, session, claim: Claim) -> schemas.ClaimDetail:
    """Commit the change, then answer with the claim as stored."""
    session.commit()
    session.refresh(claim)
    return claim_detail_out(request, session, claim)


@router.post(
    "/{claim_id}/status", name="api_claim_status", response_model=schemas.ClaimDetail,
    summary="Set a claim's review status",
    description="A reason is required. Send the `version` you read as `expected_version`: if "
    "someone changed the claim since, the answer is 409 and nothing changes.",
    responses=schemas.error_responses(404, 409, 422))
def claim_status(claim_id: ClaimId, body: schemas.StatusIn, request: Request, session: SessionDep,
                 actor: ActorDep) -> schemas.ClaimDetail:
    claim = set_status(session, claim_id, body.status, body.reason, actor, body.expected_version)
    return committed(request, session, claim)


@router.patch(
    "/{claim_id}", name="api_claim_edit", response_model=schemas.ClaimDetail,
    summary="Edit a claim's canonical text",
    description="Whitespace is normalised; the old wording still links articles that repeat it. "
    "`expected_version` guards against overwriting another analyst's change (409).",
    responses=schemas.error_responses(404, 409, 422))
def claim_edit(claim_id: ClaimId, body: schemas.ClaimEditIn, request: Request, session: SessionDep,
               actor: ActorDep) -> schemas.ClaimDetail:
    claim = edit_text(session, claim_id, body.text, actor, body.expected_version)
    return committed(request, session, claim)


@router.post(
    "/{claim_id}/tags", name="api_claim_tag_add", response_model=schemas.ClaimDetail,
    summary="Tag a claim", description="Tags are lower-cased; adding one the claim has is a no-op.",
    responses=schemas.error_responses(404, 422))
def claim_tag_add(claim_id: ClaimId, body: schemas.TagIn, request: Request, session: SessionDep,
                  actor: ActorDep) -> schemas.ClaimDetail:
    return committed(request, session, add_tag(session, claim_id, body.tag, actor))


@router.delete(
    "/{claim_id}/tags/{tag:path}", name="api_claim_tag_remove", response_model=schemas.ClaimDetail,
    summary="Untag a claim", description="404 when the claim does not carry the tag. Percent-encode "
    "the tag (`/` as `%2F`, `.` as `%2E`): every tag that can be added can be removed.",
    responses=schemas.error_responses(404, 422))
def claim_tag_remove(claim_id: ClaimId, tag: TagName, request: Request, session: SessionDep,
                     actor: ActorDep) -> schemas.ClaimDetail:
    return committed(request, session, remove_tag(session, claim_id, tag, actor))


@router.post(
    "/{claim_id}/merge", name="api_claim_merge", response_model=schemas.ClaimDetail,
    summary="Merge a claim into another",
    description="Moves this claim's mentions and tags to `into` and answers with the survivor. "
    "This claim's id keeps working: GET on it redirects (301) to the survivor.",
    responses=schemas.error_responses(404, 422))
def claim_merge(claim_id: ClaimId, body: schemas.MergeIn, request: Request, session: SessionDep,
                actor: ActorDep) -> schemas.ClaimDetail:
    return committed(request, session, merge_claims(session, claim_id, body.into, actor))
