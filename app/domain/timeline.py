"""The timeline picture of a claim's spread, laid out as plain numbers for templates/_timeline.html.

Why percentages: the SVG is inline and as wide as the page, from a 390 px phone to a desktop.
Horizontal positions are percentages of that width and everything else (text, marks, rows) is in
pixels, so text keeps its size at every width instead of shrinking with a viewBox. No script: the
marks are SVG links, so it works without JavaScript and under the app's CSP (a mark's colours
come from static/app.css by its shape and class, not from inline styles).

Readable at 3 and at 300 outlets: one row per outlet in order of first appearance, at most
`max_rows` rows; the outlets past them share one last row, "+N more outlets", whose label links
to the full list of sources, so the picture still shows when the later outlets took it up. Marks
at the same spot in one row are fanned out a few pixels apart. Readable at 2,000 mentions too: past
MAX_MARKS a mark stands for an outlet's mentions of one stance in one hour, day, week, month,
quarter or year (the finest that keeps the picture within MAX_MARKS), with their number.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from app.domain.spread import SpreadMention
from app.domain.timeline_bins import (
    BIN_NOUNS,
    BIN_UNITS,
    GAP_PX,
    GROUP_FAN_PX,
    GROUPED_WIDTHS,
    MAX_FAN,
    bin_end,
    bin_key,
    bin_label,
    bin_unit,
    key_start,
    spot_extent,
)

MAX_ROWS = 25
ROW_HEIGHT = 38          # px: outlet name above, marks on a line below it
LABEL_Y = 13             # px from the row's top to the name's baseline
MARK_Y = 28              # px from the row's top to the marks' centre line
AXIS_HEIGHT = 30         # px below the rows for the axis and its labels
X_START, X_END = 2.5, 97.5   # % of the width the axis spans (room for a mark's radius at the ends)
FAN_PX = 14              # px between marks at the same spot (grouped ones: timeline_bins.GROUP_FAN_PX)
MAX_LABEL = 48           # characters of an outlet name
# A claim with more dated mentions than MAX_MARKS is drawn grouped (app/domain/timeline_bins.py):
# one mark per outlet, stance and calendar unit, with the number of mentions it stands for, in at
# most MAX_MARKS marks; when even the coarsest unit cannot, fewer outlets get a row of their own and
# the rest share the last one ("+N more outlets"), and the picture says so. Every mention is counted on
# the picture, the first appearance is always drawn, and a grouped picture needs no mention read
# for its labels, so a big claim's page draws it from the stored plan alone.
MAX_MARKS = 250

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
    count: int = 1       # the mentions it stands for (a grouped picture)


@dataclass(frozen=True, slots=True)
class Row:
    outlet: str
    top: int
    marks: tuple[Mark, ...]
    only_suggested: bool = field(init=False)     # read by the template: worked out once
    has_first: bool = field(init=False)

    count: int = field(init=False)               # the mentions its marks stand for

    def __post_init__(self) -> None:
        object.__setattr__(self, "only_suggested", all(m.suggested for m in self.marks))
        object.__setattr__(self, "has_first", any(m.first for m in self.marks))
        object.__setattr__(self, "count", sum(m.count for m in self.marks))

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
    bins: str | None = None      # grouped by this unit's BIN_NOUNS name, else one mark per mention
    width: int = 0               # px a grouped picture is drawn at least (GROUPED_WIDTHS), else 0


class MentionRef(NamedTuple):
    """What a mark's link needs of the mention it opens (a grouped mark's earliest)."""

    id: int
    article_id: int


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
                    href: Callable[[SpreadMention | MentionRef], str], max_rows: int = MAX_ROWS,
                    details: Callable[[list[SpreadMention]], dict] | None = None) -> Timeline | None:
    """Rows, marks and ticks for the dated mentions (already in time order); None when none is dated.
    `details(drawn)`: id -> the mention whole, for mentions read without their excerpts (only the
    marks drawn one per mention need one, for their label; a grouped picture none)."""
    plan = timeline_plan(mentions, first_id, max_rows)
    if plan is None:
        return None
    by_id = {m.id: m for m in mentions}
    drawn = [by_id[i] for i in plan_mark_ids(plan)]
    full = details(drawn) if details and drawn else {}
    return timeline_from_plan(plan, first_id, href, {m.id: full.get(m.id, m) for m in drawn})


def timeline_plan(mentions: Sequence[SpreadMention], first_id: int | None, max_rows: int = MAX_ROWS,
                  outlet: Callable[[SpreadMention], object] | None = None) -> dict | None:
    """What the picture draws, as plain data (JSON): each row's outlet (`outlet(m)`, its name by
    default) and marks, the "+N more" row, the ticks and the counts the title says. A mark is
    [mention id, x %, fan px], or past MAX_MARKS dated mentions (`bins`: the unit) a group's
    [earliest id, x %, fan px, mentions, its article id, stance, suggested, the unit's name].
    Worked out from every dated mention; domain/spread_summary.py stores it for a big claim's
    confirmed mentions, so the claim page draws it without reading them (timeline_from_plan).
    None when no mention is dated."""
    dated = [m for m in mentions if m.moment is not None]
    if not dated:
        return None
    key = outlet or (lambda m: m.outlet)
    by_outlet: dict[object, list[SpreadMention]] = {}
    for m in dated:
        by_outlet.setdefault(key(m), []).append(m)
    t0, t1 = dated[0].moment, max(m.moment for m in dated)
    has_time = any(m.has_time for m in dated)
    ticks, unit = _tick_times(t0, t1, days_only=not has_time)
    lo, hi = ticks[0], ticks[-1]
    outlets = list(by_outlet.items())
    bins, cut = None, None

    def split(n: int) -> tuple[list, list[SpreadMention]]:
        return outlets[:n], sorted((m for _, ms in outlets[n:] for m in ms), key=lambda m: (m.moment, m.article_id, m.id))

    def unit_for(n: int, units=BIN_UNITS) -> str | None:
        shown, rest = split(n)
        return bin_unit([[(m.moment, m.stance, m.suggested) for m in ms] for ms in [*(ms for _, ms in shown), rest]],
                        hi - lo, X_END - X_START, has_time, MAX_MARKS, units)

    if len(dated) > MAX_MARKS:
        bins = unit_for(max_rows)
        if bins is None:
            # Not even the coarsest unit keeps the picture within MAX_MARKS (or gives its marks room):
            # fewer outlets get a row of their own, the others share the last row, as few as it takes.
            cut = next((n for n in range(min(max_rows, len(outlets)) - 1, 0, -1)
                        if unit_for(n, BIN_UNITS[-1:])), 0)
            bins = unit_for(cut) or BIN_UNITS[-1]
    shown, rest = split(cut if cut is not None else max_rows)
    hidden = outlets[len(shown):]

    def marks(ms: list[SpreadMention]) -> list[list]:
        return _grouped(ms, bins, lo, hi) if bins else _each(ms, lo, hi)

    n = len(ticks) - 1
    return {"rows": [[outlet_key, marks(ms)] for outlet_key, ms in shown],
            "more": [len(hidden), len(rest), marks(rest)] if hidden else None,
            "ticks": [[_x(t, lo, hi), _tick_label(t, unit, i == 0),
                       "start" if i == 0 else "end" if i == n else "middle"] for i, t in enumerate(ticks)],
            "dated": len(dated), "outlets": len(by_outlet), "bins": bins, "cut": cut,
            "span": [when_text(dated[0]), when_text(max(dated, key=lambda m: m.moment))]}


def plan_mark_ids(plan: dict) -> list[int]:
    """The mentions a plan draws one mark each, whose labels need them whole (none when grouped)."""
    if plan["bins"]:
        return []
    return [i for _, marks in plan["rows"] for i, _, _ in marks] + [i for i, _, _ in (plan["more"] or (0, 0, ()))[2]]


def timeline_from_plan(plan: dict, first_id: int | None, href: Callable[[SpreadMention | MentionRef], str],
                       whole: dict[int, SpreadMention], name: Callable[[object], str] | None = None) -> Timeline:
    """The Timeline of a plan: `whole` id -> each mention drawn one mark each (its label quotes
    the excerpt; a grouped plan needs none), `name(outlet)` each row's outlet name (the plan's own
    key by default)."""
    name = name or str
    bins = plan["bins"]
    rows = tuple(_row(_short(name(outlet)), marks, i * ROW_HEIGHT, first_id, href, whole, bins)
                 for i, (outlet, marks) in enumerate(plan["rows"]))
    more = None
    if plan["more"]:
        hidden, rest, marks = plan["more"]
        more = _row(f"+{hidden} more outlet{'s' * (hidden != 1)} ({rest} "
                    f"mention{'s' * (rest != 1)}): all sources", marks, len(rows) * ROW_HEIGHT, first_id, href,
                    whole, bins, outlet="other outlets")
    hidden, rest = (plan["more"][0], plan["more"][1]) if plan["more"] else (0, 0)
    axis_y = (len(rows) + bool(more)) * ROW_HEIGHT + 8
    tick_marks = tuple(Tick(x, label, anchor) for x, label, anchor in plan["ticks"])
    dated, outlets = plan["dated"], plan["outlets"]
    first_when, last_when = plan["span"]
    title = f"Timeline: {dated} mention{'s' * (dated != 1)} in {outlets} outlet{'s' * (outlets != 1)}"
    drawn = sum(len(r.marks) for r in rows + ((more,) if more else ()))
    cut = plan.get("cut")
    shared = (f"the outlets past the first {cut} share the last row, to keep the picture within {MAX_MARKS} "
              f"marks; " if cut is not None and more else "")
    desc = (f"One row per outlet in order of first appearance, "
            + (f"one mark per mention from {first_when} to {last_when}; " if not bins else
               f"from {first_when} to {last_when}, one mark per outlet, stance and {BIN_NOUNS[bins]} "
               f"({drawn} marks for {dated} mentions; the number beside a mark counts its mentions and "
               f"it links to the earliest, the list of sources has each one); " + shared)
            + "colour and shape give the stance, hollow marks are suggestions not yet confirmed. "
              "Times in UTC; a date without a time sits at midday.")
    return Timeline(rows=rows, ticks=tick_marks, height=axis_y + AXIS_HEIGHT, axis_y=axis_y,
                    more=more, more_outlets=hidden, more_marks=rest, title=title, desc=desc,
                    bins=BIN_NOUNS[bins] if bins else None,
                    width=grouped_width(rows + ((more,) if more else ())) if bins else 0)


def grouped_width(rows: tuple[Row, ...]) -> int:
    """The narrowest of GROUPED_WIDTHS (the widest, failing that) at which no two neighbouring
    units' marks of a row overlap: each unit's marks sit around its middle (`x`, % of the width)
    reach timeline_bins.spot_extent px to either side, and GAP_PX is kept between two units'."""
    need = 0.0
    for row in rows:
        spots: dict[float, list[int]] = {}
        for m in row.marks:
            spots.setdefault(m.x, []).append(m.count)
        xs = sorted(spots)
        for a, b in zip(xs, xs[1:]):
            room = (spot_extent(len(spots[a]), len(str(max(spots[a]))))[1] + spot_extent(len(spots[b]), 0)[0]
                    + GAP_PX)
            need = max(need, room * 100 / (b - a))
    return next((w for w in GROUPED_WIDTHS if w >= need), GROUPED_WIDTHS[-1])


def _fan(seen: dict[float, int], x: float, step: int = FAN_PX) -> int:
    """Px to move a mark by so marks at one spot of a row fan out (`seen`: marks so far at each x)."""
    k = seen.get(x, 0)
    seen[x] = k + 1
    return min(k, MAX_FAN) * step * (-1 if x > 50 else 1)


def _each(mentions: list[SpreadMention], lo: datetime, hi: datetime) -> list[list]:
    """One row's marks, one per mention: [id, x %, fan px]."""
    seen: dict[float, int] = {}
    return [[m.id, x, _fan(seen, x)] for m in mentions for x in (_x(m.moment, lo, hi),)]


def _grouped(mentions: list[SpreadMention], unit: str, lo: datetime, hi: datetime) -> list[list]:
    """One row's marks, one per stance (and suggested or not) and `unit` of time, in time order (in
    a unit: confirmed first, then by stance): [earliest id, x % (the unit's middle), fan px,
    mentions, earliest's article id, stance, suggested, the unit's name]. A unit's marks are fanned
    out GROUP_FAN_PX apart around its middle, so each unit's stay on its side of its neighbours'."""
    groups: dict[tuple, list] = {}
    for m in mentions:
        key = (bin_key(m.moment, unit), m.suggested, _STANCE_RANK[m.stance])
        group = groups.get(key)
        if group is None:
            groups[key] = [m, 1]
        else:
            group[1] += 1
    spots: dict[int, int] = {}
    for at, _, _ in groups:
        spots[at] = spots.get(at, 0) + 1
    out, placed = [], 0
    for (at, suggested, _), (m, n) in sorted(groups.items(), key=lambda g: g[0]):
        start = key_start(at, unit)
        x = min(max(_x(start + (bin_end(start, unit) - start) / 2, lo, hi), X_START), X_END)
        fan = (2 * placed - (spots[at] - 1)) * GROUP_FAN_PX // 2
        placed = placed + 1 if placed + 1 < spots[at] else 0
        out.append([m.id, x, fan, n, m.article_id, m.stance, suggested, bin_label(start, unit)])
    return out


_STANCE_RANK = {stance: i for i, stance in enumerate(STANCE_MARKS)}


def group_label(outlet: str, when: str, stance: str, n: int, suggested: bool, first: bool) -> str:
    """What a grouped mark says to a screen reader and in its tooltip."""
    parts = [f"{outlet}, {when}", f"{stance}: {n} mention{'s' * (n != 1)}"]
    if suggested:
        parts.append("suggested, not confirmed")
    if first:
        parts.append("the earliest is the first appearance")
    return ", ".join(parts)


def _row(label: str, raw: list[list], top: int, first_id: int | None, href: Callable[[SpreadMention | MentionRef], str],
         whole: dict[int, SpreadMention], bins: str | None, outlet: str | None = None) -> Row:
    """A row of the picture from its plan's marks (`outlet`: what a grouped mark names as its
    outlet, the row's label by default)."""
    marks = []
    for entry in raw:
        first = entry[0] == first_id
        if bins:
            i, x, fan, n, article_id, stance, suggested, when = entry
            ref: SpreadMention | MentionRef = MentionRef(i, article_id)
            text = group_label(outlet or label, when, stance, n, suggested, first)
        else:
            (i, x, fan), n = entry, 1
            ref = whole[i]
            stance, suggested, text = ref.stance, ref.suggested, mark_label(ref, first)
        colour, shape = STANCE_MARKS[stance]
        marks.append(Mark(i, x, top + MARK_Y, fan, colour, shape, suggested, first, href(ref), text, n))
    return Row(label, top, tuple(marks))


def plan_with_group_added(plan: dict | None, t0: datetime, t1: datetime, has_time: bool, outlet: object,
                          new_outlet: bool, m_id: int, article_id: int, moment: datetime, stance: str) -> dict | None:
    """timeline_plan's grouped plan (past MAX_MARKS dated mentions) with one confirmed mention more,
    worked out from the plan alone: what timeline_plan gives over the mentions and it, or None where
    that is not sure here (the caller lays the picture out again). Only for a mention at the
    latest moment already drawn (`t1`; `t0` the first's; `has_time`: some mention has a time of
    day, this one's included), so the axis and its ticks stay; of an outlet with a row of its
    own; and where the unit chosen still keeps the picture within its marks and
    its marks their room (a finer unit could only have grown past them)."""
    from app.domain.timeline_bins import _ABOUT, GROUPED_WIDTH_PX, unit_room

    if plan is None or not plan["bins"] or plan.get("cut") is not None or moment != t1:
        return None
    unit = plan["bins"]
    ticks, _ = _tick_times(t0, t1, days_only=not has_time)
    lo, hi = ticks[0], ticks[-1]
    rows = [[key, [list(mark) for mark in marks]] for key, marks in plan["rows"]]
    marks = next((ms for key, ms in rows if key == outlet), None)
    if marks is None or new_outlet:           # a new row, or the "+N more" row: laid out again
        return None
    start = key_start(bin_key(moment, unit), unit)
    x = min(max(_x(start + (bin_end(start, unit) - start) / 2, lo, hi), X_START), X_END)
    label = bin_label(start, unit)
    found = next((mark for mark in marks if mark[7] == label and mark[5] == stance and not mark[6]), None)
    if found is not None:
        found[3] += 1
    else:
        rank = _STANCE_RANK[stance]
        at = next((n for n, mark in enumerate(marks)
                   if mark[1] > x or (mark[7] == label and (mark[6] or _STANCE_RANK[mark[5]] > rank))), len(marks))
        marks.insert(at, [m_id, x, 0, 1, article_id, stance, False, label])
    spot = [mark for mark in marks if mark[7] == label]
    for n, mark in enumerate(spot):
        mark[2] = (2 * n - (len(spot) - 1)) * GROUP_FAN_PX // 2
    span = hi - lo
    share = _ABOUT[unit] / span * (X_END - X_START) if span else X_END - X_START
    drawn = sum(len(ms) for _, ms in rows) + (len(plan["more"][2]) if plan["more"] else 0)
    if drawn > MAX_MARKS or unit_room(len(spot), len(str(max(mark[3] for mark in spot)))) > share / 100 * GROUPED_WIDTH_PX:
        return None
    return {**plan, "rows": rows, "dated": plan["dated"] + 1}
