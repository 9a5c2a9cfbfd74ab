"""Accept or reject a suggestion where it is shown: on its article's page and on its claim's page.

The decision is the queue's (app/domain/suggestions.py: accept, reject, the event, the 409 when
another analyst decided first); only the answer differs. htmx gets the page's own block again
(`#article` or `#claim`) with a message; a plain form gets a 303 back to the same page, at the
decided span. A suggestion that is not on the page's article or claim is a 404: the URL names both,
so a form can never decide something its page did not show."""
from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.deps import ActorDep, SessionDep
from app.domain import suggestions
from app.domain.claims import resolve_claim
from app.domain.errors import MAX_ID, DomainError, NotFound
from app.storage.models import Mention
from app.web.articles import article_response
from app.web.claim_pages import claim_page_response
from app.web.templating import claim_url, is_htmx, url_with

router = APIRouter()


def _check_on_page(session: Session, mention_id: int, *, article_id: int | None = None,
                   claim_id: int | None = None) -> None:
    """A mention still stored must belong to the page; a gone one is left to the domain, which
    says who rejected it (409) or that it never existed (404)."""
    mention = session.get(Mention, mention_id) if 0 < mention_id <= MAX_ID else None
    if mention is None:
        return
    if article_id is not None and mention.article_id != article_id:
        raise NotFound(f"suggestion {mention_id} is not on article {article_id}")
    if claim_id is not None and mention.claim_id != claim_id:
        raise NotFound(f"suggestion {mention_id} is not a suggestion of claim {claim_id}")


def _article_decision(request: Request, session: Session, article_id: int, mention_id: int,
                      decide: Callable[[], object], done: str, accepted: bool) -> Response:
    try:
        _check_on_page(session, mention_id, article_id=article_id)
        result = decide()
        session.commit()
    except DomainError as exc:
        session.rollback()
        return article_response(request, session, article_id, {"stance": "repeats"},
                                status_code=exc.status_code, message=exc.message,
                                error_kind=type(exc).__name__)
    linked = result if accepted else None
    if is_htmx(request):
        return article_response(request, session, article_id, {"stance": "repeats"},
                                message=done, linked=linked)
    url = url_with(request, "article", {"linked": mention_id} if accepted else None,
                   article_id=article_id)
    return RedirectResponse(url + (f"#m{mention_id}" if accepted else "#suggested"), status_code=303)


@router.post("/articles/{article_id}/suggestions/{mention_id}/accept",
             name="article_suggestion_accept")
def article_accept(request: Request, session: SessionDep, actor: ActorDep, article_id: int,
                   mention_id: int):
    return _article_decision(request, session, article_id, mention_id,
                             lambda: suggestions.accept(session, mention_id, actor),
                             "Accepted; now linked:", accepted=True)


@router.post("/articles/{article_id}/suggestions/{mention_id}/reject",
             name="article_suggestion_reject")
def article_reject(request: Request, session: SessionDep, actor: ActorDep, article_id: int,
                   mention_id: int):
    return _article_decision(request, session, article_id, mention_id,
                             lambda: suggestions.reject(session, mention_id, actor),
                             f"Rejected suggestion {mention_id}; it will not be proposed again.",
                             accepted=False)


def _claim_decision(request: Request, session: Session, claim_id: int, mention_id: int,
                    decide: Callable[[], object], done: str) -> Response:
    claim = resolve_claim(session, claim_id)   # an unknown claim is the 404 page
    try:
        _check_on_page(session, mention_id, claim_id=claim.id)
        decide()
        session.commit()
    except DomainError as exc:
        session.rollback()
        return claim_page_response(request, session, resolve_claim(session, claim_id),
                                   status_code=exc.status_code, message=exc.message,
                                   error_kind=type(exc).__name__)
    if is_htmx(request):
        return claim_page_response(request, session, resolve_claim(session, claim_id), message=done)
    return RedirectResponse(claim_url(request, claim.id) + "#suggested", status_code=303)


@router.post("/claims/{claim_id}/suggestions/{mention_id}/accept", name="claim_suggestion_accept")
def claim_accept(request: Request, session: SessionDep, actor: ActorDep, claim_id: int,
                 mention_id: int):
    return _claim_decision(request, session, claim_id, mention_id,
                           lambda: suggestions.accept(session, mention_id, actor),
                           f"Accepted suggestion {mention_id}: it now counts among the outlets.")


@router.post("/claims/{claim_id}/suggestions/{mention_id}/reject", name="claim_suggestion_reject")
def claim_reject(request: Request, session: SessionDep, actor: ActorDep, claim_id: int,
                 mention_id: int):
    return _claim_decision(request, session, claim_id, mention_id,
                           lambda: suggestions.reject(session, mention_id, actor),
                           f"Rejected suggestion {mention_id}; it will not be proposed again.")
