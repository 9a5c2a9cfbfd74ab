"""The timeline picture of a claim's spread, laid out as plain numbers for templates/_timeline.html.

Why percentages: the SVG is inline and as wide as the page, from a 390 px phone to a desktop.
Horizontal positions are percentages of that width and everything else (text, marks, rows) is in
pixels, so text keeps its size at every width instead of shrinking with a viewBox. No script: the
marks are SVG links, so it works without JavaScript and under the app's CSP (colours are
presentation attributes, not inline styles).

Readable at 3 and at 300 outlets: one row per outlet in order of first appearance, at most
`max_rows` rows; the outlets past them share one last row, "+N more outlets", whose label links
to the full list of sources, so the picture still shows when the later outlets took it up. Marks at the same spot in one row are fanned out a few pixels apart.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.domain.spread import SpreadMention

MAX_ROWS = 25
ROW_HEIGHT = 38          # px: outlet name above, marks on a line below it
LABEL_Y = 13             # px from the row's top to the name's baseline
MARK_Y = 28              # px from the row's top to the marks' centre line
AXIS_HEIGHT = 30         # px below the rows for the axis and its labels
X_START, X_END = 2.5, 97.5   # % of the width the axis spans (room for a mark's radius at the ends)
FAN_PX = 14              # px between marks at the same spot
MAX_FAN = 4              # marks beyond this many at one spot are drawn on top of each other
MAX_LABEL = 48           # characters of an outlet name
# A claim with more dated mentions than MAX_MARKS is drawn thinned, so the picture stays about the
# same size at 500 and at 5,000 mentions: in an outlet's row one mark of each stance per spot of the
# width, in the "+N more outlets" row one mark per spot whatever its stance; the spot is the first of
# SPOTS (% of the width; 0.5 is about 5 px on a laptop, where marks overlap anyway) that keeps the
# picture within MAX_MARKS. The first appearance is always drawn; every mention is still in the
# list of sources.
MAX_MARKS = 300
SPOTS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)

#: Stance -> (colour, shape id in the template's <defs>). Shape as well as colour, so the picture
#: reads without colour vision too.
STANCE_MARKS = {"repeats": ("#9a7400", "tl-repeats"), "contradicts": ("#c0392b", "tl-contradicts"),
                "discusses": ("#2f6fd6", "tl-discusses")}
_DAY = timedelta(days=1)
_STEPS = [timedelta(hours=h) for h in (1, 2, 3, 6, 12)] + [timedelta(days=d) for d in (1, 2, 7, 14)]
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
MAX_TICKS = 5


@dataclass(frozen=True, slots=True)
class Mark:
    mention_id: int
    x: float             # % of the width
    y: int               # px
    dx: int              # px, fanning out marks at one spot
    colour: str
    shape: str
    suggested: bool
    first: bool
    href: str
    label: str           # the link's accessible name and tooltip


@dataclass(frozen=True, slots=True)
class Row:
    outlet: str
    top: int
    marks: tuple[Mark, ...]
    only_suggested: bool = field(init=False)     # read by the template: worked out once
    has_first: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "only_suggested", all(m.suggested for m in self.marks))
        object.__setattr__(self, "has_first", any(m.first for m in self.marks))

    @property
    def label_y(self) -> int:
        return self.top + LABEL_Y

    @property
    def line_y(self) -> int:
        return self.top + MARK_Y


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    anchor: str          # text-anchor: start, middle or end


@dataclass(frozen=True, slots=True)
class Timeline:
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    height: int
    axis_y: int
    more: Row | None     # the outlets past max_rows, all in one row
    more_outlets: int    # how many outlets that row holds
    more_marks: int      # and their mentions
    title: str
    desc: str


def _floor(t: datetime, step: timedelta) -> datetime:
    day = t.replace(hour=0, minute=0, second=0, microsecond=0)
    if step < _DAY:
        hours = int(step.total_seconds() // 3600)
        return day.replace(hour=t.hour - t.hour % hours)
    return day


def _months(t: datetime, n: int) -> datetime:
    months = t.year * 12 + t.month - 1 + n
    return t.replace(year=months // 12, month=months % 12 + 1, day=1, hour=0, minute=0, second=0,
                     microsecond=0)


def _tick_times(t0: datetime, t1: datetime, days_only: bool) -> tuple[list[datetime], str]:
    """Round ticks (hours, days, weeks or months) covering [t0, t1], at most MAX_TICKS of them,
    and the unit they step in. The axis runs from the first tick to the last. Hours only for a
    spread within a day whose times are known: a day-only date sits mid-way between two days."""
    for step in _STEPS:
        if step < _DAY and (days_only or t1 - t0 > _DAY):
            continue
        lo = _floor(t0, step)
        ticks = [lo]
        while ticks[-1] < t1:
            ticks.append(ticks[-1] + step)
        if len(ticks) <= MAX_TICKS:
            if len(ticks) == 1:
                ticks.append(lo + step)
            return ticks, "hour" if step < _DAY else "day"
    for n in _MONTH_STEPS:
        start = _months(t0, 0)
        start = _months(start, -((start.year * 12 + start.month - 1) % n))
        ticks = [start]
        while ticks[-1] < t1:
            ticks.append(_months(ticks[-1], n))
        if len(ticks) <= MAX_TICKS:
            return ticks, "month"
    years = max(1, (t1.year - t0.year) // (MAX_TICKS - 1) + 1)
    ticks = [t0.replace(year=t0.year - t0.year % years, month=1, day=1, hour=0, minute=0, second=0,
                        microsecond=0)]
    while ticks[-1] < t1:
        ticks.append(ticks[-1].replace(year=ticks[-1].year + years))
    return ticks, "month"


def _tick_label(t: datetime, unit: str, first: bool) -> str:
    if unit == "hour":
        return t.strftime("%d %b %H:%M") if first else t.strftime("%d %b") if t.hour == 0 else t.strftime("%H:%M")
    if unit == "day":
        return t.strftime("%d %b %Y") if first or (t.month == 1 and t.day == 1) else t.strftime("%d %b")
    return t.strftime("%b %Y") if first or t.month == 1 else t.strftime("%b")


def _x(t: datetime, lo: datetime, hi: datetime) -> float:
    return round(X_START + (X_END - X_START) * ((t - lo) / (hi - lo)), 3)


def when_text(m: SpreadMention) -> str:
    if m.published_at is not None:
        return m.published_at.strftime("%Y-%m-%d %H:%M UTC")
    return m.published.isoformat() if m.published else "undated"


def mark_label(m: SpreadMention, first: bool) -> str:
    """What a mark says to a screen reader and in its tooltip."""
    excerpt = m.excerpt if len(m.excerpt) <= 120 else m.excerpt[:117].rstrip() + "…"
    parts = [f"{m.outlet}, {when_text(m)}", m.stance, m.fidelity]
    if m.suggested:
        parts.append("suggested, not confirmed")
    if first:
        parts.append("first appearance")
    return ", ".join(parts) + f": “{excerpt}”"


def _short(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[:MAX_LABEL - 1].rstrip() + "…"


def timeline_layout(mentions: Sequence[SpreadMention], first_id: int | None,
                    href: Callable[[SpreadMention], str], max_rows: int = MAX_ROWS,
                    details: Callable[[list[SpreadMention]], dict] | None = None) -> Timeline | None:
    """Rows, marks and ticks for the dated mentions (already in time order); None when none is dated.
    `details(drawn)`: id -> the mention whole, for mentions read without their excerpts (only the
    marks drawn need one, for their label)."""
    plan = timeline_plan(mentions, first_id, max_rows)
    if plan is None:
        return None
    by_id = {m.id: m for m in mentions}
    drawn = [by_id[i] for i in plan_mark_ids(plan)]
    full = details(drawn) if details else {}
    return timeline_from_plan(plan, first_id, href, {m.id: full.get(m.id, m) for m in drawn})


def timeline_plan(mentions: Sequence[SpreadMention], first_id: int | None, max_rows: int = MAX_ROWS,
                  outlet: Callable[[SpreadMention], object] | None = None) -> dict | None:
    """What the picture draws, as plain data (JSON): each row's outlet (`outlet(m)`, its name by
    default) and marks as [mention id, x %, fan px], the "+N more" row, the ticks and the counts the
    title says. Worked out from every dated mention; domain/spread_summary.py stores it for a big
    claim's confirmed mentions, so the claim page draws it without reading them
    (timeline_from_plan). None when no mention is dated."""
    dated = [m for m in mentions if m.moment is not None]
    if not dated:
        return None
    key = outlet or (lambda m: m.outlet)
    by_outlet: dict[object, list[SpreadMention]] = {}
    for m in dated:
        by_outlet.setdefault(key(m), []).append(m)
    t0, t1 = dated[0].moment, max(m.moment for m in dated)
    ticks, unit = _tick_times(t0, t1, days_only=not any(m.has_time for m in dated))
    lo, hi = ticks[0], ticks[-1]
    shown = list(by_outlet.items())[:max_rows]
    hidden = list(by_outlet.items())[max_rows:]
    rest = sorted((m for _, ms in hidden for m in ms), key=lambda m: (m.moment, m.article_id, m.id))
    thin = len(dated) > MAX_MARKS
    xs = {m.id: _x(m.moment, lo, hi) for m in dated}      # each mention's place, worked out once
    spot = _spot([ms for _, ms in shown], rest, xs) if thin else None
    picked = [_pick(ms, xs, first_id, spot) for _, ms in shown]
    n = len(ticks) - 1
    return {"rows": [[outlet_key, [[m.id, x, fan] for m, x, fan in ps]] for (outlet_key, _), ps in zip(shown, picked)],
            "more": ([len(hidden), len(rest), [[m.id, x, fan] for m, x, fan in
                                               _pick(rest, xs, first_id, spot, by_stance=False)]]
                     if hidden else None),
            "ticks": [[_x(t, lo, hi), _tick_label(t, unit, i == 0),
                       "start" if i == 0 else "end" if i == n else "middle"] for i, t in enumerate(ticks)],
            "dated": len(dated), "outlets": len(by_outlet), "thin": thin,
            "span": [when_text(dated[0]), when_text(max(dated, key=lambda m: m.moment))]}


def plan_mark_ids(plan: dict) -> list[int]:
    """The mentions a plan draws."""
    return [i for _, marks in plan["rows"] for i, _, _ in marks] + [i for i, _, _ in (plan["more"] or (0, 0, ()))[2]]


def timeline_from_plan(plan: dict, first_id: int | None, href: Callable[[SpreadMention], str],
                       whole: dict[int, SpreadMention], name: Callable[[object], str] | None = None) -> Timeline:
    """The Timeline of a plan: `whole` id -> each drawn mention whole (its label quotes the
    excerpt), `name(outlet)` each row's outlet name (the plan's own key by default)."""
    name = name or str
    rows = tuple(_row(_short(name(outlet)), [(whole[i], x, fan) for i, x, fan in marks], i * ROW_HEIGHT,
                      first_id, href)
                 for i, (outlet, marks) in enumerate(plan["rows"]))
    more = None
    if plan["more"]:
        hidden, rest, marks = plan["more"]
        more = _row(f"+{hidden} more outlet{'s' * (hidden != 1)} ({rest} "
                    f"mention{'s' * (rest != 1)}): all sources", [(whole[i], x, fan) for i, x, fan in marks],
                    len(rows) * ROW_HEIGHT, first_id, href)
    hidden, rest = (plan["more"][0], plan["more"][1]) if plan["more"] else (0, 0)
    axis_y = (len(rows) + bool(more)) * ROW_HEIGHT + 8
    tick_marks = tuple(Tick(x, label, anchor) for x, label, anchor in plan["ticks"])
    dated, outlets = plan["dated"], plan["outlets"]
    first_when, last_when = plan["span"]
    title = f"Timeline: {dated} mention{'s' * (dated != 1)} in {outlets} outlet{'s' * (outlets != 1)}"
    desc = (f"One row per outlet in order of first appearance, one mark per mention from "
            f"{first_when} to {last_when}; "
            f"colour and shape give the stance, hollow marks are suggestions not yet confirmed. "
            f"Times in UTC; a date without a time sits at midday."
            + (f" Crowded spots show a few marks each ({sum(len(r.marks) for r in rows + ((more,) if more else ()))} "
               f"of {dated} drawn); the list of sources has every mention." if plan["thin"] else ""))
    return Timeline(rows=rows, ticks=tick_marks, height=axis_y + AXIS_HEIGHT, axis_y=axis_y,
                    more=more, more_outlets=hidden, more_marks=rest, title=title, desc=desc)


def _spot(rows: list[list[SpreadMention]], rest: list[SpreadMention], xs: dict[int, float]) -> float:
    """The narrowest of SPOTS at which a thinned picture draws at most MAX_MARKS marks (`xs`: each
    mention's x)."""
    row_keys = [[(xs[m.id], m.stance, m.suggested) for m in ms] for ms in rows]
    rest_keys = [(xs[m.id], m.suggested) for m in rest]
    for spot in SPOTS:
        drawn = sum(len({(int(x // spot), stance, sugg) for x, stance, sugg in keys}) for keys in row_keys)
        drawn += len({(int(x // spot), sugg) for x, sugg in rest_keys})
        if drawn <= MAX_MARKS:
            return spot
    return SPOTS[-1]


def _pick(mentions: list[SpreadMention], xs: dict[int, float], first_id: int | None,
          spot: float | None = None, by_stance: bool = True) -> list[tuple[SpreadMention, float, int]]:
    """The marks of one row as (mention, x %, fan px). `spot`: one mark per `spot` % of the width
    (of each stance when `by_stance`); None: every mention."""
    picks, seen, taken = [], {}, set()
    for m in mentions:
        x = xs[m.id]
        if spot is not None and m.id != first_id:
            key = (int(x // spot), m.stance if by_stance else None, m.suggested)
            if key in taken:
                continue
            taken.add(key)
        k = seen.get(x, 0)
        seen[x] = k + 1
        picks.append((m, x, min(k, MAX_FAN) * FAN_PX * (-1 if x > 50 else 1)))
    return picks


def _row(label: str, picks: list[tuple[SpreadMention, float, int]], top: int, first_id: int | None,
         href: Callable[[SpreadMention], str]) -> Row:
    marks = []
    for m, x, fan in picks:
        colour, shape = STANCE_MARKS[m.stance]
        first = m.id == first_id
        marks.append(Mark(m.id, x, top + MARK_Y, fan, colour, shape, m.suggested, first, href(m),
                          mark_label(m, first)))
    return Row(label, top, tuple(marks))
