"""/api/v1/mentions: an analyst links a span of an article to a claim, changes its stance, or unlinks it."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from sqlalchemy.exc import IntegrityError

from app.api import schemas
from app.api.present import api_url, mention_out
from app.deps import ActorDep, SessionDep
from app.domain.errors import Conflict, NotFound
from app.domain.mentions import get_mention, link_selection, set_stance, unlink
from app.web.access import sees_suggestions

router = APIRouter(prefix="/mentions", tags=["mentions"])

MentionId = Annotated[int, Path(ge=1, le=schemas.MAX_ID, description="Mention id")]
ExpectedStance = Annotated[schemas.Stance | None, Query(description="The stance you read.")]


@router.post(
    "", name="api_mention_create", response_model=schemas.MentionOut,
    status_code=status.HTTP_201_CREATED, summary="Link a span to a claim",
    description="`start`/`end` are character offsets into the article text. Give `claim_id` to link "
    "an existing claim (a merged id links its survivor), `new_claim_text` to make a new claim, or "
    "neither to make a claim of the selected text. `Location` is the mention's API URL.",
    responses=schemas.error_responses(404, 409, 422))
def mention_create(body: schemas.MentionIn, request: Request, response: Response,
                   session: SessionDep, actor: ActorDep) -> schemas.MentionOut:
    try:
        mention = link_selection(session, body.article_id, body.start, body.end, body.stance, actor,
                                 claim_id=body.claim_id, new_claim_text=body.new_claim_text)
        session.commit()
    except IntegrityError:
        # Only a concurrent request linking the very same span gets past the domain's check.
        session.rollback()
        raise Conflict("that span was linked to this claim by another request") from None
    response.headers["Location"] = api_url(request, "api_mention", mention_id=mention.id)
    return mention_out(mention)


@router.get(
    "/{mention_id}", name="api_mention", response_model=schemas.MentionOut, summary="One mention",
    responses=schemas.error_responses(404, 422))
def mention_detail(mention_id: MentionId, request: Request, session: SessionDep) -> schemas.MentionOut:
    """A suggestion is a 404 to a reader who may not see the suggestions queue, like a missing id."""
    mention = get_mention(session, mention_id)
    if mention.origin == "suggested" and not sees_suggestions(request):
        raise NotFound(f"no mention {mention_id}")
    return mention_out(mention)


@router.patch(
    "/{mention_id}", name="api_mention_stance", response_model=schemas.MentionOut,
    summary="Change a mention's stance",
    description="Records the analyst as the one who confirmed it; the same stance again is a no-op. "
    "Send the stance you read as `expected_stance` so another analyst's change is never undone (409).",
    responses=schemas.error_responses(404, 409, 422))
def mention_stance(mention_id: MentionId, body: schemas.StanceIn, session: SessionDep,
                   actor: ActorDep) -> schemas.MentionOut:
    mention = set_stance(session, mention_id, body.stance, actor, expected_stance=body.expected_stance)
    session.commit()
    return mention_out(mention)


@router.delete(
    "/{mention_id}", name="api_mention_delete", status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response, summary="Unlink a mention",
    description="The claim stays; its outlet count is recomputed and the unlink is in its history. "
    "With `expected_stance`, a mention whose stance changed since you read it is kept (409).",
    responses=schemas.error_responses(404, 409, 422))
def mention_delete(mention_id: MentionId, session: SessionDep, actor: ActorDep,
                   expected_stance: ExpectedStance = None) -> Response:
    unlink(session, mention_id, actor, expected_stance=expected_stance)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
