"""The article page (text with quotes and mentions highlighted) and linking a selection to a claim.

Offsets are character offsets into the stored text: the page marks every piece of text with
data-start/data-end so static/app.js can turn a browser selection into exact offsets; without
JavaScript the same form takes the numbers typed in."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse

from app.deps import ActorDep, SessionDep
from app.domain.articles import delete_article, get_article
from app.domain.errors import MAX_ID, DomainError, InvalidInput
from app.domain.inputs import optional_int
from app.domain.mentions import link_selection
from app.domain.views import article_detail, claim_choices
from app.storage.models import Mention
from app.web.access import sees_suggestions
from app.web.templating import is_htmx, render, url_with

router = APIRouter()

Num = Annotated[int | None, Query(ge=0, le=MAX_ID)]


def article_response(request: Request, session, article_id: int, form: dict, *,
                      status_code: int = 200, message: str | None = None,
                      error_kind: str | None = None, linked=None):
    selection = (form["start"], form["end"]) if form.get("start") is not None and \
        form.get("end") is not None else None
    ctx = {**article_detail(session, article_id, selection, sees_suggestions(request)), "form": form,
           "choices": claim_choices(session, form.get("q") or ""), "message": message,
           "error_kind": error_kind, "linked": linked}
    return render(request, "article.html", ctx, block="article", status_code=status_code)


@router.get("/articles/{article_id}", name="article")
def article(request: Request, session: SessionDep, article_id: int, start: Num = None,
            end: Num = None, q: Annotated[str | None, Query(max_length=200)] = None,
            linked: Num = None):
    """`?start=&end=` highlights (and pre-fills) a span; `?q=` lists claims to link it to."""
    form = {"start": start, "end": end, "q": q, "stance": "repeats"}
    message = None
    mention = None
    if linked is not None:
        mention = _linked_mention(session, article_id, linked, sees_suggestions(request))
        message = "Linked:" if mention else None
    return article_response(request, session, article_id, form, message=message, linked=mention)


def _linked_mention(session, article_id: int, mention_id: int, suggested: bool) -> Mention | None:
    """The mention a `?linked=` redirect names, if it belongs to this article (it is only a notice)."""
    mention = session.get(Mention, mention_id) if 0 < mention_id <= MAX_ID else None
    if mention is None or (not suggested and mention.origin == "suggested"):
        return None
    return mention if mention.article_id == article_id else None


@router.get("/articles/{article_id}/claim-choices", name="claim_choices")
def choices(request: Request, session: SessionDep, article_id: int,
            q: Annotated[str, Query(max_length=200)] = ""):
    """The claims to pick from while linking: a fragment for htmx, else the article page with ?q=."""
    if not is_htmx(request):
        url = url_with(request, "article", {"q": q}, article_id=article_id)
        return RedirectResponse(url + "#link", status_code=303)
    ctx = {"choices": claim_choices(session, q), "form": {"q": q}}
    return render(request, "_choices.html", ctx)


@router.post("/articles/{article_id}/mentions", name="link_selection")
def link(request: Request, session: SessionDep, actor: ActorDep, article_id: int,
         start: Annotated[str, Form(max_length=20)] = "", end: Annotated[str, Form(max_length=20)] = "",
         stance: Annotated[str, Form(max_length=20)] = "repeats",
         claim_id: Annotated[str, Form(max_length=20)] = "",
         new_claim_text: Annotated[str, Form(max_length=10_000)] = "",
         q: Annotated[str, Form(max_length=200)] = ""):
    """Link the selected span to a chosen claim, or to a new claim made from it."""
    form = {"start": None, "end": None, "stance": stance, "q": q, "new_claim_text": new_claim_text}
    try:
        form["start"], form["end"] = optional_int(start, "start"), optional_int(end, "end")
        if form["start"] is None or form["end"] is None:
            raise InvalidInput("select some text, or give start and end offsets")
        mention = link_selection(session, article_id, form["start"], form["end"], stance, actor,
                                 claim_id=optional_int(claim_id, "claim id", low=1),
                                 new_claim_text=new_claim_text.strip() or None)
        session.commit()
    except DomainError as exc:
        session.rollback()
        return article_response(request, session, article_id, form, status_code=exc.status_code,
                                 message=exc.message, error_kind=type(exc).__name__)
    if is_htmx(request):
        return article_response(request, session, article_id, {"stance": stance},
                                 message="Linked:", linked=mention)
    url = url_with(request, "article", {"linked": mention.id}, article_id=article_id)
    return RedirectResponse(f"{url}#m{mention.id}", status_code=303)


@router.post("/articles/{article_id}/delete", name="delete_article")
def delete(request: Request, session: SessionDep, actor: ActorDep, article_id: int):
    """An admin removes the article; the browser lands on the outlet's page it was on."""
    slug = get_article(session, article_id).outlet.slug
    delete_article(session, article_id, actor)
    session.commit()
    return RedirectResponse(url_with(request, "outlet", slug=slug), status_code=303)
