"""`/pick/{outlet|speaker}`: the names behind a picker field, as links to the page the picker
filters (the claims list or the outlet matrix) with that outlet or speaker chosen and every other
filter kept. htmx asks for it as a person types and gets the list alone; without JavaScript the
same URL is a small page of the same links. What was typed comes in the field's own name
(`outlet=` or `speaker=`), as htmx sends the input."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.deps import SessionDep
from app.domain.errors import InvalidInput
from app.domain.pickers import MAX_PICK, PICK_COUNT_CAP, PICK_LIMIT, Pick, find_named, pick_names
from app.web.templating import render, url_with

router = APIRouter()

Text = Annotated[str | None, Query(max_length=500)]

#: The pages a picker can lead to, and the filters of each it passes on.
TARGETS = {"claims": ("q", "status", "outlet", "speaker", "tag", "from", "to", "sort"),
           "outlet_matrix": ("tag", "speaker", "since", "until", "top")}


def pick_links(request: Request, kind: str, picks: list[Pick], target: str, query: dict) -> list[dict]:
    """Each pick as the link that chooses it on `target`, the other filters in `query` kept."""
    keep = {k: query[k] for k in TARGETS[target] if k in query and k != kind}
    return [{"pick": p, "href": url_with(request, target, {**keep, kind: p.slug})} for p in picks]


def picker_field(request: Request, session, kind: str, value: str | None, target: str,
                 query: dict) -> dict:
    """What the picker field shows on a full page: the chosen row's name, or, when what was typed
    names no outlet or speaker, that message and the names that hold it."""
    row = find_named(session, kind, value) if value else None
    shown = {"kind": kind, "target": target, "value": row.name if row else (value or ""),
             "slug": row.slug if row else None, "unknown": bool(value) and row is None, "links": []}
    if shown["unknown"]:
        shown["links"] = pick_links(request, kind, pick_names(session, kind, value), target, query)
    return shown


@router.get("/pick/{kind}", name="pick")
def pick(request: Request, session: SessionDep, kind: str, outlet: Text = None, speaker: Text = None,
         target: Text = None, limit: Annotated[int, Query(ge=1, le=MAX_PICK)] = PICK_LIMIT):
    typed = outlet if kind == "outlet" else speaker if kind == "speaker" else None
    target = target or "claims"
    if target not in TARGETS:
        raise InvalidInput(f"target must be one of {', '.join(TARGETS)}")
    picks = pick_names(session, kind, typed, limit)
    ctx = {"nav": "claims" if target == "claims" else "outlets", "kind": kind, "typed": typed or "",
           "cap": PICK_COUNT_CAP, "links": pick_links(request, kind, picks, target, dict(request.query_params)),
           "target": target}
    return render(request, "pick.html", ctx, block="picks")
