"""The suggestions queue: what the matcher proposed, one analyst's click (or key) away from a decision.

Filters (`kind`, `claim`) and the keyset `cursor` live in the query string, and every decision form
posts to a URL that carries them, so the plain-form path can answer 303 back to the very queue the
analyst was working through. With htmx a decision answers only the `decision` block: nothing for
the item (it is swapped out) plus out-of-band updates of the pending counts and the message line.
The rules (what accept and reject do, the event, the 409) all live in app/domain/suggestions.py.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from app.deps import ActorDep, SessionDep, SettingsDep
from app.domain import suggestions
from app.domain.errors import Conflict, DomainError, InvalidInput
from app.domain.inputs import is_ascii_int, optional_int, parse_id
from app.domain.spread import spreads_for_claims
from app.pipeline.context import segments
from app.web.templating import is_htmx, render, url_with

router = APIRouter()

Param = Annotated[str | None, Query(max_length=100)]
FormText = Annotated[str, Form(max_length=100)]
NextId = Annotated[str, Form(alias="next", max_length=12, description="The item to show next")]
# Tabs of the queue: label -> the stance the matcher proposed ("" is every kind).
KINDS = (("", "All"), ("repeats", "Possible repeats"), ("contradicts", "Possible contradictions"),
         ("discusses", "Reports that discuss it"))


def _claim_filter(raw: str | None) -> int | None:
    """The optional claim id filter; anything but a plain id is a 422 with a message."""
    return optional_int(raw, "claim", low=1)


def _filters(kind: str | None, claim: str | None, cursor: str | None) -> dict:
    """The query string of the queue as the templates and redirects pass it on."""
    return {"kind": kind or "", "claim": (claim or "").strip(), "cursor": cursor or ""}


def _item(view: suggestions.SuggestionView, next_id: int | None) -> dict:
    """What one row of the queue shows, with the excerpt cut into plain and <mark> pieces here so
    the template never marks up article text itself (everything stays escaped)."""
    return {"v": view, "pieces": segments(view.excerpt, list(view.marks)), "next_id": next_id,
            "other_stance": "repeats" if view.stance == "contradicts" else "contradicts"}


def queue_context(request: Request, session: Session, limit: int, filters: dict, **extra) -> dict:
    """Everything the page shows for these filters: one page of claims, each with its suggestions
    and its spread so far, the counts, the next link."""
    stance = filters["kind"] or None
    groups = suggestions.list_claim_groups(
        session, stance=stance, claim_id=_claim_filter(filters["claim"]),
        after=suggestions.parse_cursor(filters["cursor"]), limit=limit + 1)
    more, groups = len(groups) > limit, groups[:limit]
    views = [v for g in groups for v in g.items]
    following = {v.mention_id: views[i + 1].mention_id if i + 1 < len(views) else None
                 for i, v in enumerate(views)}
    spreads = spreads_for_claims(session, [g.claim_id for g in groups])
    shown = [{"g": g, "spread": spreads[g.claim_id],
              "items": [_item(v, following[v.mention_id]) for v in g.items]} for g in groups]
    next_url = None
    if more and groups:
        next_url = url_with(request, "suggestions",
                            {**filters, "cursor": suggestions.group_cursor_after(groups[-1])})
    return {"nav": "suggestions", "groups": shown, "items": views, "f": filters, "kinds": KINDS,
            "next_url": next_url,
            "oob_nav": is_htmx(request), "pending_total": suggestions.pending_count(session),
            "pending_here": suggestions.pending_count(session, stance) if stance else None,
            "message": None, "error": False, **extra}


@router.get("/suggestions", name="suggestions")
def suggestions_page(request: Request, session: SessionDep, settings: SettingsDep,
                     kind: Param = None, claim: Param = None, cursor: Param = None,
                     accepted: Param = None, rejected: Param = None, skipped: Param = None):
    """The queue, best score first; htmx (the kind tabs, the claim filter) gets the `queue` block.
    `accepted`/`rejected`/`skipped` are what a bulk form's 303 reports; they are not carried further."""
    extra = {}
    for verb, raw in (("Accepted", accepted), ("Rejected", rejected)):
        done = optional_int(raw, verb.lower())
        if done is not None:
            count = optional_int(skipped, "skipped") or 0
            extra = {"message": bulk_message(done, count, verb), "error": bool(count)}
    ctx = queue_context(request, session, settings.page_size, _filters(kind, claim, cursor), **extra)
    return render(request, "suggestions.html", ctx, block="queue")


def _back(request: Request, filters: dict, next_id: str = "", **query) -> str:
    """The queue the analyst came from, at the item after the one just decided."""
    url = url_with(request, "suggestions", {**filters, **query})
    return url + (f"#s{next_id}" if is_ascii_int(next_id) else "")


def _refused(request: Request, session: Session, settings, filters: dict, mention_id: int | None,
             exc: DomainError) -> Response:
    """A decision the domain refused: in place of the item for htmx, above the queue otherwise."""
    session.rollback()
    message = exc.message
    if isinstance(exc, Conflict):
        message = f"Not saved: another analyst decided it first ({exc.message})."
    if is_htmx(request) and mention_id is not None:
        ctx = {"message": message, "mention_id": mention_id, "error": True, "oob": True,
               "pending_total": suggestions.pending_count(session)}
        return render(request, "suggestions.html", ctx, block="decision",
                      status_code=exc.status_code)
    if not is_htmx(request) and isinstance(exc, InvalidInput) and filters.get("cursor"):
        filters = {**filters, "cursor": ""}  # never let a bad cursor hide the message itself
    ctx = queue_context(request, session, settings.page_size, filters, message=message, error=True)
    return render(request, "suggestions.html", ctx, block="queue", status_code=exc.status_code)


def _decide(request: Request, session: Session, settings, mention_id: int, filters: dict,
            next_id: str, change, done: str) -> Response:
    """Run one decision, commit, and answer 303 back to the queue or the htmx `decision` block."""
    try:
        change()
        session.commit()
    except DomainError as exc:
        return _refused(request, session, settings, filters, mention_id, exc)
    if is_htmx(request):
        ctx = {"message": done, "mention_id": mention_id, "error": False, "oob": True,
               "pending_total": suggestions.pending_count(session)}
        return render(request, "suggestions.html", ctx, block="decision")
    return RedirectResponse(_back(request, filters, next_id), status_code=303)


@router.post("/suggestions/{mention_id}/accept", name="suggestion_accept")
def suggestion_accept(request: Request, session: SessionDep, settings: SettingsDep,
                      actor: ActorDep, mention_id: int, stance: FormText = "",
                      next_id: NextId = "", kind: Param = None, claim: Param = None,
                      cursor: Param = None):
    """Accept as proposed, or with the stance the button names (Accept as contradicts)."""
    filters = _filters(kind, claim, cursor)
    done = f"Accepted suggestion {mention_id}" + (f" as {stance}." if stance else ".")
    return _decide(request, session, settings, mention_id, filters, next_id, lambda: suggestions.accept(
        session, mention_id, actor, stance=stance.strip() or None), done)


@router.post("/suggestions/{mention_id}/reject", name="suggestion_reject")
def suggestion_reject(request: Request, session: SessionDep, settings: SettingsDep,
                      actor: ActorDep, mention_id: int, next_id: NextId = "",
                      kind: Param = None, claim: Param = None, cursor: Param = None):
    filters = _filters(kind, claim, cursor)
    done = f"Rejected suggestion {mention_id}; it will not be proposed again."
    return _decide(request, session, settings, mention_id, filters, next_id,
                   lambda: suggestions.reject(session, mention_id, actor), done)


def _ids(raw: list[str], verb: str) -> list[int]:
    if not raw:
        raise InvalidInput(f"select at least one suggestion to {verb}")
    return [parse_id(r, "suggestion id") for r in raw]


def _bulk(request: Request, session: Session, settings, actor: str, ids: list[str],
          filters: dict, verb: str) -> Response:
    """Decide every checked suggestion; the ones another analyst took meanwhile are listed, not fatal."""
    decide = suggestions.bulk_accept if verb == "accept" else suggestions.bulk_reject
    past = "Accepted" if verb == "accept" else "Rejected"
    try:
        done, skipped = decide(session, _ids(ids, verb), actor)
        session.commit()
    except DomainError as exc:
        return _refused(request, session, settings, filters, None, exc)
    if not is_htmx(request):
        return RedirectResponse(_back(request, filters, **{past.lower(): len(done)},
                                      skipped=len(skipped)), status_code=303)
    ctx = queue_context(request, session, settings.page_size, filters,
                        message=bulk_message(len(done), skipped, past), error=bool(skipped))
    return render(request, "suggestions.html", ctx, block="queue")


Ids = Annotated[list[str], Form()]


@router.post("/suggestions/accept", name="suggestions_bulk_accept")
def suggestions_bulk_accept(request: Request, session: SessionDep, settings: SettingsDep,
                            actor: ActorDep, ids: Ids = [],  # noqa: B006
                            kind: Param = None, claim: Param = None, cursor: Param = None):
    return _bulk(request, session, settings, actor, ids, _filters(kind, claim, cursor), "accept")


@router.post("/suggestions/reject", name="suggestions_bulk_reject")
def suggestions_bulk_reject(request: Request, session: SessionDep, settings: SettingsDep,
                            actor: ActorDep, ids: Ids = [],  # noqa: B006
                            kind: Param = None, claim: Param = None, cursor: Param = None):
    """Reject every checked suggestion: each is remembered, never proposed again, one event each."""
    return _bulk(request, session, settings, actor, ids, _filters(kind, claim, cursor), "reject")


def bulk_message(count_done: int, skipped: list[str] | int, verb: str = "Accepted") -> str:
    """One line on what a bulk decision did; the reasons when the caller still has them."""
    count = skipped if isinstance(skipped, int) else len(skipped)
    text = f"{verb} {count_done} suggestion{'' if count_done == 1 else 's'}."
    if count:
        text += f" {count} could not be {verb.lower()}"
        text += (": " + "; ".join(skipped) + ".") if isinstance(skipped, list) else \
            " (another analyst decided them first, or they are gone)."
    return text
