"""Outlets side by side: the matrix page (`/outlet-matrix`) and the claims behind one of its cells
(`/outlet-matrix/cell`). The JSON is /api/v1/outlet-matrix (app/api/people_routes.py).

Why not `/outlets/matrix`: `/outlets/{slug}` is every outlet's permalink, and an outlet called
"Matrix" would have lost its page to this one.

The heatmap is an HTML table, shaded by classes (five levels of each kind's colour, as the timeline's
stance colours: gold for repeats, red for contradicts), so it works without JavaScript and under the
CSP (no inline style). Each number is a link to its claims, and says what it counts to a screen reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from fastapi import APIRouter, Request

from app.deps import SessionDep
from app.domain.errors import InvalidInput
from app.domain.outlets import (
    MAX_TOP,
    MIN_TOP,
    PAIR_KINDS,
    MatrixFilter,
    MatrixOutlet,
    OutletMatrix,
    matrix_cell,
    matrix_filter,
    outlet_matrix,
    parse_top,
)
from app.domain.views import tag_names
from app.web.pages import Text
from app.web.pickers import picker_field
from app.web.templating import render, url_with

router = APIRouter()

LEVELS = 5
KIND_TITLES = {"both_repeat": "Both repeat", "split": "One repeats, the other contradicts"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def cell_label(kind: str, a: MatrixOutlet, b: MatrixOutlet, n: int) -> str:
    """What a cell says to a screen reader and in its tooltip."""
    if a.id == b.id:
        return (f"{a.name} repeats {_plural(n, 'claim')}" if kind == "both_repeat" else
                f"{a.name} both repeats and contradicts {_plural(n, 'claim')}")
    if kind == "both_repeat":
        return f"{a.name} and {b.name} both repeat {_plural(n, 'claim')}"
    return f"{a.name} and {b.name}: {_plural(n, 'claim')} one repeats and the other contradicts"


def heat_level(n: int, top: int) -> int:
    """0 for none, else 1..LEVELS by the share of the largest off-diagonal count."""
    return 0 if n <= 0 else max(1, min(LEVELS, ceil(LEVELS * n / max(top, 1))))


@dataclass(frozen=True, slots=True)
class HeatCell:
    count: int
    level: int
    diagonal: bool
    href: str | None
    label: str
    b: str          # the column outlet's slug


@dataclass(frozen=True, slots=True)
class HeatRow:
    outlet: MatrixOutlet
    cells: tuple[HeatCell, ...]


@dataclass(frozen=True, slots=True)
class Heatmap:
    kind: str
    title: str
    rows: tuple[HeatRow, ...]
    top: int        # the largest count between two different outlets: the darkest shade

    @property
    def empty(self) -> bool:
        return not any(c.count for row in self.rows for c in row.cells)


def heatmap(matrix: OutletMatrix, kind: str, href) -> Heatmap:
    """The table for one kind: `href(a, b, kind)` links a cell to its claims. The diagonal (an
    outlet with itself) is not shaded: its counts are of another order and would pale the rest."""
    outlets = matrix.outlets
    off = [matrix.count(kind, a.id, b.id) for i, a in enumerate(outlets) for b in outlets[i + 1:]]
    top = max(off, default=0)
    rows = tuple(HeatRow(a, tuple(
        HeatCell(n, 0 if a.id == b.id else heat_level(n, top), a.id == b.id, href(a, b, kind) if n else None,
                 cell_label(kind, a, b, n), b.slug)
        for b in outlets for n in (matrix.count(kind, a.id, b.id),)))
        for a in outlets)
    return Heatmap(kind, KIND_TITLES[kind], rows, top)


def _cell_href(request: Request, f: MatrixFilter):
    def href(a: MatrixOutlet, b: MatrixOutlet, kind: str) -> str:
        return url_with(request, "outlet_matrix_cell", {"a": a.slug, "b": b.slug, "kind": kind, **f.query()})
    return href


@router.get("/outlet-matrix", name="outlet_matrix")
def outlet_matrix_page(request: Request, session: SessionDep, tag: Text = None, speaker: Text = None,
                       since: Text = None, until: Text = None, top: Text = None):
    """A bad filter shows the form again with its message, as a 422."""
    values = {"tag": tag, "speaker": speaker, "since": since, "until": until, "top": top}
    # The speaker is picked by name (app/web/pickers.py), not from a list of every speaker.
    field = picker_field(request, session, "speaker", speaker, "outlet_matrix", values)
    speaker = field["slug"] or speaker
    ctx = {"nav": "outlets", "values": values, "tags": tag_names(session), "speaker_field": field,
           "min_top": MIN_TOP, "max_top": MAX_TOP, "matrix": None, "heatmaps": (), "error": None}
    try:
        f = matrix_filter(tag, speaker, since, until)
        matrix = outlet_matrix(session, f, parse_top(top))
    except InvalidInput as exc:
        return render(request, "outlet_matrix.html", {**ctx, "error": exc.message}, status_code=422)
    href = _cell_href(request, f)
    ctx.update(matrix=matrix, heatmaps=tuple(heatmap(matrix, k, href) for k in PAIR_KINDS),
               json_url=url_with(request, "api_outlet_matrix", {**f.query(), "top": top}))
    return render(request, "outlet_matrix.html", ctx)


@router.get("/outlet-matrix/cell", name="outlet_matrix_cell")
def outlet_matrix_cell_page(request: Request, session: SessionDep, a: Text = None, b: Text = None,
                            kind: Text = None, tag: Text = None, speaker: Text = None,
                            since: Text = None, until: Text = None):
    if not a or not b:
        raise InvalidInput("a and b (two outlet slugs) are required")
    f = matrix_filter(tag, speaker, since, until)
    cell = matrix_cell(session, f, a, b, kind)
    ctx = {"nav": "outlets", "cell": cell, "title": KIND_TITLES[cell.kind],
           "matrix_url": url_with(request, "outlet_matrix", f.query()),
           "json_url": url_with(request, "api_outlet_matrix_cell",
                                {"a": a, "b": b, "kind": cell.kind, **f.query()})}
    return render(request, "outlet_matrix_cell.html", ctx)
