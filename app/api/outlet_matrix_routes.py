"""/api/v1/outlet-matrix: outlets side by side as JSON, the data of the `/outlet-matrix` page, and
the claims behind one of its cells.

The filter fields are plain strings parsed by the domain (app/domain/outlets.py), so a bad day or an
unknown tag is the same 422 message here as on the page.
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request

from app.api import schemas
from app.api.present import claim_page_url
from app.deps import SessionDep
from app.domain.outlets import (
    DEFAULT_TOP,
    MAX_CELL_CLAIMS,
    MAX_TOP,
    MIN_TOP,
    CellMention,
    MatrixFilter,
    matrix_cell,
    matrix_filter,
    outlet_matrix,
)
from app.vocab import PAIR_KINDS
from app.web.templating import absolute_url

router = APIRouter(tags=["outlets and speakers"])

Field = Annotated[schemas.Text | None, Query(max_length=200)]
Day = Annotated[schemas.Text | None, Query(max_length=40, description="YYYY-MM-DD, the article's publication day")]
SlugQuery = Annotated[schemas.Text, Query(min_length=1, max_length=200, description="Outlet slug")]
_FILTER = ("Counts confirmed mentions only (extracted or linked by an analyst): suggestions awaiting an "
           "analyst never count, and a mention that only discusses a claim takes no side. Filter by "
           "`tag`, `speaker` (slug) and the articles' publication days `since`/`until` (inclusive); "
           "an unknown tag or speaker, or a bad day, is a 422.")


def _filter_out(f: MatrixFilter) -> schemas.MatrixFilterOut:
    return schemas.MatrixFilterOut(tag=f.tag, speaker=f.speaker, since=f.since, until=f.until)


def _cell_url(request: Request, f: MatrixFilter, a: str, b: str, kind: str) -> str:
    query = {k: v for k, v in {"a": a, "b": b, "kind": kind, **f.query()}.items() if v}
    return absolute_url(request, "api_outlet_matrix_cell") + "?" + urlencode(query)


@router.get("/outlet-matrix", name="api_outlet_matrix", response_model=schemas.OutletMatrixOut,
            summary="Outlets side by side",
            description="For each pair of outlets, how many claims both repeat and how many one repeats "
            f"while the other contradicts. {_FILTER} Only the `top` outlets with the most claims are "
            "paired; `outlets_left_out` says how many more there are.",
            responses=schemas.error_responses(422))
def api_outlet_matrix(request: Request, session: SessionDep, tag: Field = None, speaker: Field = None,
                      since: Day = None, until: Day = None,
                      top: Annotated[int, Query(ge=MIN_TOP, le=MAX_TOP)] = DEFAULT_TOP) -> schemas.OutletMatrixOut:
    f = matrix_filter(tag, speaker, since, until)
    m = outlet_matrix(session, f, top)
    pairs = []
    for i, a in enumerate(m.outlets):
        for b in m.outlets[i:]:
            counts = {k: m.count(k, a.id, b.id) for k in PAIR_KINDS}
            if any(counts.values()):
                urls = {f"{k}_url": _cell_url(request, f, a.slug, b.slug, k) if n else None
                        for k, n in counts.items()}
                pairs.append(schemas.MatrixPairOut(a=a.slug, b=b.slug, **counts, **urls))
    outlets = [schemas.MatrixOutletOut(name=o.name, slug=o.slug, claims=o.claims, repeats=o.repeats,
                                       contradicts=o.contradicts, url=absolute_url(request, "outlet", slug=o.slug))
               for o in m.outlets]
    return schemas.OutletMatrixOut(filter=_filter_out(f), claim_count=m.claim_total, outlet_count=m.outlet_total,
                                   top=m.top, outlets_left_out=m.left_out, outlets=outlets, pairs=pairs)


def _mention_out(request: Request, m: CellMention) -> schemas.CellMentionOut:
    return schemas.CellMentionOut(mention_id=m.id, article_id=m.article_id, title=m.title, published=m.published,
                                  stance=m.stance, excerpt=m.excerpt,
                                  url=absolute_url(request, "article", article_id=m.article_id) + f"#m{m.id}")


@router.get("/outlet-matrix/cell", name="api_outlet_matrix_cell", response_model=schemas.MatrixCellOut,
            summary="The claims of one pair of outlets",
            description=f"The claims outlets `a` and `b` both repeat (`kind=both_repeat`) or that one "
            f"repeats and the other contradicts (`kind=split`), newest first, at most {MAX_CELL_CLAIMS}; "
            f"`total` counts them all. {_FILTER}",
            responses=schemas.error_responses(404, 422))
def api_outlet_matrix_cell(request: Request, session: SessionDep, a: SlugQuery, b: SlugQuery,
                           kind: schemas.PairKind, tag: Field = None, speaker: Field = None,
                           since: Day = None, until: Day = None) -> schemas.MatrixCellOut:
    f = matrix_filter(tag, speaker, since, until)
    cell = matrix_cell(session, f, a, b, kind)
    items = [schemas.CellClaimOut(
        id=c.id, text=c.text, status=c.status, url=claim_page_url(request, c.id),
        speaker=schemas.SpeakerRef(name=c.speaker, slug=c.speaker_slug) if c.speaker else None,
        a=[_mention_out(request, m) for m in c.a], b=[_mention_out(request, m) for m in c.b])
        for c in cell.claims]
    return schemas.MatrixCellOut(a=schemas.OutletRef(name=cell.a.name, slug=cell.a.slug),
                                 b=schemas.OutletRef(name=cell.b.name, slug=cell.b.slug), kind=cell.kind,
                                 filter=_filter_out(f), total=cell.total, items=items)
