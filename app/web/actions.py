"""The analyst's changes on the claim page: each is a plain POST that answers 303 back to the claim
(no JavaScript), or the re-rendered `claim` block (htmx). A refused change re-renders the page with
the message next to its form and the domain's status code (422 invalid, 409 stale version), never 500.
Routes only parse the form, call one domain function and commit; the rules live in app/domain."""
from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.deps import ActorDep, SessionDep
from app.domain import mentions, review
from app.domain.claims import resolve_claim
from app.domain.errors import Conflict, DomainError, InvalidInput
from app.domain.inputs import optional_int, parse_id
from app.storage.models import Claim
from app.web.claim_pages import claim_page_response
from app.web.templating import claim_url, is_htmx

router = APIRouter()

FormText = Annotated[str, Form(max_length=10_000)]


def _version(raw: str) -> int | None:
    """The version the form was rendered with; a missing one skips the check, a garbled one is a 422."""
    return optional_int(raw, "version")


def _apply(request: Request, session: Session, claim_id: int, form: str, values: dict,
           change: Callable[[], Claim | int]) -> Response:
    """Run one domain change, commit, and answer the way the caller can use."""
    try:
        result = change()
        session.commit()
    except DomainError as exc:
        session.rollback()
        return _refused(request, session, claim_id, form, values, exc)
    target = result.id if isinstance(result, Claim) else result
    if is_htmx(request) and target != claim_id and form == "merge":
        return Response(status_code=200, headers={"HX-Redirect": claim_url(request, target)})
    if is_htmx(request):
        return claim_page_response(request, session, resolve_claim(session, target),
                                   message="Saved.")
    return RedirectResponse(claim_url(request, target), status_code=303)


def _refused(request: Request, session: Session, claim_id: int, form: str, values: dict,
             exc: DomainError) -> Response:
    """The current state of the claim, the refusal next to the form that caused it; an unknown
    claim id raises NotFound here and becomes the 404 page."""
    claim = resolve_claim(session, claim_id)
    message = exc.message
    if isinstance(exc, Conflict):
        tried = "; ".join(f"{k}: {v}" for k, v in values.items() if v)
        message = (f"Not saved: {exc.message}. The page now shows the current state."
                   + (f" You tried: {tried}." if tried else ""))
        values = {k: v for k, v in values.items() if k == "reason"}
    return claim_page_response(request, session, claim, status_code=exc.status_code,
                               message=message, error_kind=type(exc).__name__,
                               errors={form: exc.message}, values=values)


@router.post("/claims/{claim_id}/status", name="set_status")
def set_status(request: Request, session: SessionDep, actor: ActorDep, claim_id: int,
               status: FormText = "", reason: FormText = "", version: FormText = ""):
    values = {"status": status, "reason": reason}
    return _apply(request, session, claim_id, "status", values, lambda: review.set_status(
        session, claim_id, status, reason, actor, expected_version=_version(version)))


@router.post("/claims/{claim_id}/text", name="edit_text")
def edit_text(request: Request, session: SessionDep, actor: ActorDep, claim_id: int,
              text: FormText = "", version: FormText = ""):
    return _apply(request, session, claim_id, "text", {"text": text}, lambda: review.edit_text(
        session, claim_id, text, actor, expected_version=_version(version)))


@router.post("/claims/{claim_id}/tags", name="add_tag")
def add_tag(request: Request, session: SessionDep, actor: ActorDep, claim_id: int,
            tag: FormText = ""):
    return _apply(request, session, claim_id, "tag", {"tag": tag},
                  lambda: review.add_tag(session, claim_id, tag, actor))


@router.post("/claims/{claim_id}/tags/remove", name="remove_tag")
def remove_tag(request: Request, session: SessionDep, actor: ActorDep, claim_id: int,
               tag: FormText = ""):
    return _apply(request, session, claim_id, "tag", {},
                  lambda: review.remove_tag(session, claim_id, tag, actor))


@router.post("/claims/{claim_id}/merge", name="merge_claim")
def merge_claim(request: Request, session: SessionDep, actor: ActorDep, claim_id: int,
                target_id: FormText = ""):
    """Merge this claim into `target_id`; afterwards this claim's URL 301s to the survivor."""
    def change():
        if not target_id.strip():
            raise InvalidInput("give the id of the claim to merge into")
        return review.merge_claims(session, claim_id, parse_id(target_id, "the claim to merge into"),
                                   actor)
    return _apply(request, session, claim_id, "merge", {"target_id": target_id}, change)


@router.post("/mentions/{mention_id}/stance", name="set_stance")
def set_stance(request: Request, session: SessionDep, actor: ActorDep, mention_id: int,
               stance: FormText = "", expected_stance: FormText = ""):
    """`expected_stance` is the stance the page showed: 409 if another analyst changed it since."""
    claim_id = mentions.get_mention(session, mention_id).claim_id
    return _apply(request, session, claim_id, "mention", {}, lambda: mentions.set_stance(
        session, mention_id, stance, actor, expected_stance=expected_stance or None).claim_id)


@router.post("/mentions/{mention_id}/unlink", name="unlink_mention")
def unlink_mention(request: Request, session: SessionDep, actor: ActorDep, mention_id: int,
                   expected_stance: FormText = ""):
    claim_id = mentions.get_mention(session, mention_id).claim_id
    return _apply(request, session, claim_id, "mention", {}, lambda: mentions.unlink(
        session, mention_id, actor, expected_stance=expected_stance or None))
