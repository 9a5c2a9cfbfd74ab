"""Merging by search, preview and confirmation, for claims and for speakers alike.

`GET /claims/{id}/merge` and `GET /speakers/{slug}/merge` find the survivor by a search (`q`, active
search with htmx), show what would move once one is picked (`into`), and offer the one button that
POSTs the merge (app/web/actions.merge_claim, app/web/speaker_actions.merge_speaker), which records
it in the history. A pick the merge would refuse (itself, an unknown id, one merged away) is shown
with its reason and the refusal's 4xx."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from app.deps import SessionDep
from app.domain.claims import resolve_claim
from app.domain.errors import DomainError
from app.domain.inputs import parse_id
from app.domain.merge_preview import claim_merge_preview
from app.domain.speakers import merge_candidates, resolve_speaker, speaker_merge_preview
from app.domain.views import claim_choices
from app.web.templating import render, url_with

router = APIRouter()

Search = Annotated[str, Query(max_length=200)]
Pick = Annotated[str, Query(max_length=200, description="the survivor: a claim id or a speaker slug")]


def _merge_page(request: Request, ctx: dict, into: str, preview) -> object:
    """Run the preview of the picked survivor; a refusal is shown with its status code."""
    status, error, shown = 200, None, None
    if into.strip():
        try:
            shown = preview(into.strip())
        except DomainError as exc:
            status, error = exc.status_code, exc.message
    return render(request, "merge.html", {**ctx, "preview": shown, "error": error, "into": into},
                  block="choices", status_code=status)


@router.get("/claims/{claim_id}/merge", name="merge_claim_preview")
def merge_claim_page(request: Request, session: SessionDep, claim_id: int, q: Search = "",
                     into: Pick = ""):
    source = resolve_claim(session, claim_id)
    if source.id != claim_id:
        return RedirectResponse(url_with(request, "merge_claim_preview", {"q": q, "into": into},
                                         claim_id=source.id), status_code=301)
    ctx = {"nav": "claims", "kind": "claim", "source": source, "q": q,
           "route": "merge_claim_preview", "path": {"claim_id": source.id},
           "here": url_with(request, "merge_claim_preview", claim_id=source.id),
           "candidates": [c for c in claim_choices(session, q) if c.id != source.id]}
    return _merge_page(request, ctx, into, lambda raw: claim_merge_preview(
        session, source.id, parse_id(raw, "the claim to merge into")))


@router.get("/speakers/{slug}/merge", name="merge_speaker_preview")
def merge_speaker_page(request: Request, session: SessionDep, slug: str, q: Search = "",
                       into: Pick = ""):
    source = resolve_speaker(session, slug)
    if source.slug != slug:
        return RedirectResponse(url_with(request, "merge_speaker_preview", {"q": q, "into": into},
                                         slug=source.slug), status_code=301)
    ctx = {"nav": "speakers", "kind": "speaker", "source": source, "q": q,
           "route": "merge_speaker_preview", "path": {"slug": source.slug},
           "here": url_with(request, "merge_speaker_preview", slug=source.slug),
           "candidates": merge_candidates(session, source, q)}
    return _merge_page(request, ctx, into, lambda raw: speaker_merge_preview(session, source.slug, raw))
