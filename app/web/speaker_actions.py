"""The analyst's merge on the speaker page: a plain POST that answers 303 to the surviving speaker
(no JavaScript) or HX-Redirect there (htmx). A refused merge re-renders the speaker page with the
message beside the form and the domain's status code (422 itself, 409 already merged, 404 unknown).
The rules live in app/domain/speakers.py."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.deps import ActorDep, SessionDep, SettingsDep
from app.domain.errors import DomainError, InvalidInput
from app.domain.speakers import merge_speakers
from app.web.pages import speaker_page
from app.web.templating import is_htmx, url_with

router = APIRouter()


@router.post("/speakers/{slug}/merge", name="merge_speaker")
def merge_speaker(request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep,
                  slug: str, target: Annotated[str, Form(max_length=200)] = ""):
    """Merge this speaker into the one whose slug is `target`; this page's URL then redirects."""
    try:
        if not target.strip():
            raise InvalidInput("give the slug of the speaker to merge into")
        survivor = merge_speakers(session, slug, target.strip(), actor)
        session.commit()
    except DomainError as exc:
        session.rollback()  # an unknown source slug raises NotFound again here: the 404 page
        return speaker_page(request, session, settings, slug, status_code=exc.status_code,
                            errors={"merge": exc.message}, values={"target": target})
    url = url_with(request, "speaker", slug=survivor.slug)
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
