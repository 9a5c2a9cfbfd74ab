"""The calendar a crowded timeline is grouped by (app/domain/timeline.py).

Why group: a claim carried by 2,000 articles drew a mark (an SVG link with its label) for each of
a few hundred of them, picked one per spot of the width, and read each drawn mention whole for its
label; the rest were left off the picture. Grouped, each mark stands for every mention of one
outlet, stance and calendar unit (an hour, six hours, a day, a week, a month, a quarter or a year),
says how many they are and links to the earliest, so nothing is left off, the picture stays within
its budget and it is drawn from the stored plan alone. Calendar units rather than spots of the
width, so a mark reads as "3 Jun 2024: 4 mentions" or "June 2024: 12 mentions". A unit is chosen
only if its marks have room beside each other (unit_room) at a desktop's width; a phone scrolls the
picture sideways at the width it needs (GROUPED_WIDTHS) rather than draw one unit over the next.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

#: Finest first. The hour units only when some article gives a time of day (a date without one
#: sits at midday, which an hour's group would pass off as a time). Past a year, spans of years:
#: a claim that keeps coming back over a decade or more stays within its marks.
BIN_UNITS = ("hour", "6 hours", "day", "week", "month", "quarter", "year", "2 years", "5 years", "decade")
_HOURS = {"hour": 1, "6 hours": 6}
_YEARS = {"year": 1, "2 years": 2, "5 years": 5, "decade": 10}
#: What one group spans, as the page says it ("one mark per outlet, stance and week").
BIN_NOUNS = {"hour": "hour", "6 hours": "six hours", "day": "day", "week": "week", "month": "month",
             "quarter": "quarter", "year": "year", "2 years": "two years", "5 years": "five years",
             "decade": "decade"}
_ABOUT = {"hour": timedelta(hours=1), "6 hours": timedelta(hours=6), "day": timedelta(days=1),
          "week": timedelta(days=7), "month": timedelta(days=30.44), "quarter": timedelta(days=91.3),
          **{unit: timedelta(days=365.25 * n) for unit, n in _YEARS.items()}}
#: % of the axis a unit must span at least: narrower groups would draw their marks (and the
#: counts beside them) on top of each other.
MIN_BIN = 2.0

# The room a unit's marks take on a row, in px (templates/_timeline.html draws them): the marks of
# one outlet and unit fan out GROUP_FAN_PX apart, centred on the unit's middle, each with its count
# to its right (COUNT_DX from the mark's centre, DIGIT_PX a digit at the count's 10 px font, its
# halo included); MARK_PX is a mark's half width, and GAP_PX is kept between two units' marks.
GROUP_FAN_PX = 40
MAX_FAN = 4              # one-a-mention marks beyond this many at one spot are drawn on top of each other
#: A unit of a row holds at most one mark per stance, confirmed or suggested: all side by side.
GROUP_SPOT = 6
COUNT_DX, DIGIT_PX, MARK_PX, GAP_PX = 12, 6.5, 7.5, 4
#: Widths (px) a grouped picture is drawn at least, so that its units' marks have room (a phone
#: scrolls it sideways): the smallest that gives them room, at most the last. A unit is only
#: chosen if its marks have room at GROUPED_WIDTH_PX, a desktop's width of the picture.
GROUPED_WIDTHS = (768, 960, 1152, 1440, 1920)
GROUPED_WIDTH_PX = 1152


def spot_extent(marks: int, digits: int) -> tuple[float, float]:
    """px one unit's marks (side by side around its middle, the widest count `digits` long) reach
    to the left and to the right of the unit's middle."""
    half = (min(marks, GROUP_SPOT) - 1) * GROUP_FAN_PX / 2
    return half + MARK_PX, half + COUNT_DX + digits * DIGIT_PX


def unit_room(marks: int, digits: int) -> float:
    """px between the middles of two neighbouring units of a row that both hold marks like these."""
    return sum(spot_extent(marks, digits)) + GAP_PX


def bin_key(t: datetime, unit: str) -> int:
    """Which unit `t` falls in, as a number (cheap to count with: a plan tries several units over
    every mention); bin_start turns it back into the unit's start."""
    if unit in _HOURS:
        return int(t.timestamp()) // (3600 * _HOURS[unit])
    if unit == "day":
        return t.toordinal()
    if unit == "week":
        return (t.toordinal() - 1) // 7          # day 1 of the proleptic calendar is a Monday
    if unit == "month":
        return t.year * 12 + t.month - 1
    if unit == "quarter":
        return t.year * 4 + (t.month - 1) // 3
    return t.year // _YEARS[unit]


def key_start(key: int, unit: str) -> datetime:
    """The start (UTC) of the unit bin_key numbered `key`."""
    if unit in _HOURS:
        return datetime.fromtimestamp(key * 3600 * _HOURS[unit], tz=timezone.utc)
    if unit in ("day", "week"):
        return datetime.combine(date.fromordinal(key if unit == "day" else key * 7 + 1), time(0), tzinfo=timezone.utc)
    if unit == "month":
        return datetime(key // 12, key % 12 + 1, 1, tzinfo=timezone.utc)
    if unit == "quarter":
        return datetime(key // 4, key % 4 * 3 + 1, 1, tzinfo=timezone.utc)
    return datetime(key * _YEARS[unit], 1, 1, tzinfo=timezone.utc)


def bin_start(t: datetime, unit: str) -> datetime:
    """The start of the unit `t` falls in (UTC, weeks from Monday)."""
    return key_start(bin_key(t, unit), unit)


def bin_end(start: datetime, unit: str) -> datetime:
    if unit in _HOURS or unit in ("day", "week"):
        return start + _ABOUT[unit]
    if unit in _YEARS:
        return start.replace(year=start.year + _YEARS[unit])
    months = start.year * 12 + start.month - 1 + (3 if unit == "quarter" else 1)
    return start.replace(year=months // 12, month=months % 12 + 1)


def bin_label(start: datetime, unit: str) -> str:
    """How a mark names its group: "3 Jun 2024 12:00–18:00 UTC", "week of 3 Jun 2024", "Q2 2024"."""
    day = f"{start.day} {start.strftime('%b %Y')}"
    if unit in _HOURS:
        return f"{day} {start.strftime('%H:%M')}–{bin_end(start, unit).strftime('%H:%M')} UTC"
    if unit == "day":
        return day
    if unit == "week":
        return f"week of {day}"
    if unit == "month":
        return start.strftime("%B %Y")
    if unit == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if unit == "decade":
        return f"{start.year}s"
    return str(start.year) if unit == "year" else f"{start.year}–{start.year + _YEARS[unit] - 1}"


def bin_unit(rows: list[list[tuple[datetime, str, bool]]], span: timedelta, width: float, has_time: bool,
             budget: int, units: tuple[str, ...] = BIN_UNITS) -> str | None:
    """The finest unit that spans at least MIN_BIN % of the axis (`width` % for `span` of time),
    gives each unit's marks their room (unit_room) at GROUPED_WIDTH_PX and groups the marks into
    at most `budget`; None when none does. `rows`: each row's mentions as (moment, stance,
    suggested); `units`: the units to try, finest first."""
    for unit in units:
        share = _ABOUT[unit] / span * width if span else width        # % of the picture's width
        if (unit in _HOURS and not has_time) or share < MIN_BIN:
            continue
        groups, room = 0, 0.0
        for row in rows:
            counts: dict[tuple, int] = {}
            for t, stance, suggested in row:
                key = (bin_key(t, unit), stance, suggested)
                counts[key] = counts.get(key, 0) + 1
            groups += len(counts)
            if groups > budget:
                break
            spots: dict[int, list[int]] = {}
            for (at, _, _), n in counts.items():
                spots.setdefault(at, []).append(n)
            room = max([room, *(unit_room(len(ns), len(str(max(ns)))) for ns in spots.values())])
        if groups <= budget and room <= share / 100 * GROUPED_WIDTH_PX:
            return unit
    return None
