"""/api/v1/claims/similar: the stored claims closest to a text, as `claimtracker similar` gives them.

Registered before the claim routes so `/claims/similar` is never read as a claim id."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from app.api import schemas
from app.api.present import api_url
from app.deps import SessionDep, SettingsDep
from app.domain.errors import InvalidInput
from app.domain.matching import MatchConfig
from app.domain.similar import similar_out

router = APIRouter(prefix="/claims", tags=["claims"])


class SimilarClaimOut(BaseModel):
    id: int
    text: str
    status: schemas.Status
    speaker: str | None
    score: float
    coverage: float
    similarity: float
    shared: list[str]
    polarity_differs: bool
    reason: str
    url: str


@router.get(
    "/similar", name="api_claims_similar", response_model=list[SimilarClaimOut],
    summary="Claims similar to a text",
    description="Stored live claims ranked by the matcher's score: the learned odds (0..1) that the "
    "text is about the claim, from shared content words, wording similarity and (when embeddings "
    "are on) meaning similarity, over candidates from the full-text index. `polarity_differs` "
    "marks a claim the text may contradict. An empty list when nothing shares enough words.",
    responses=schemas.error_responses(422))
def claims_similar(
    request: Request, session: SessionDep, settings: SettingsDep,
    text: Annotated[schemas.Text, Query(min_length=1, max_length=5000, description="The text to match")],
    top: Annotated[int, Query(ge=1, le=100)] = 5,
) -> list[SimilarClaimOut]:
    if not text.strip():
        raise InvalidInput("text is empty: give the words to look for")
    return [SimilarClaimOut(**hit, url=api_url(request, "api_claim", claim_id=hit["id"]))
            for hit in similar_out(session, text, top, MatchConfig.from_settings(settings))]
