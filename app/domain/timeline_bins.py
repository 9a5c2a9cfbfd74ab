"""The calendar a crowded timeline is grouped by (app/domain/timeline.py).

Why group: a claim carried by 2,000 articles drew a mark (an SVG link with its label) for each of
a few hundred of them, picked one per spot of the width, and read each drawn mention whole for its
label; the rest were left off the picture. Grouped, each mark stands for every mention of one
outlet, stance and calendar unit (an hour, six hours, a day, a week, a month, a quarter or a year),
says how many they are and links to the earliest, so nothing is left off, the picture stays within
its budget and it is drawn from the stored plan alone. Calendar units rather than spots of the
width, so a mark reads as "3 Jun 2024: 4 mentions" or "June 2024: 12 mentions".
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

#: Finest first. The hour units only when some article gives a time of day (a date without one
#: sits at midday, which an hour's group would pass off as a time).
BIN_UNITS = ("hour", "6 hours", "day", "week", "month", "quarter", "year")
_HOURS = {"hour": 1, "6 hours": 6}
#: What one group spans, as the page says it ("one mark per outlet, stance and week").
BIN_NOUNS = {"hour": "hour", "6 hours": "six hours", "day": "day", "week": "week", "month": "month",
             "quarter": "quarter", "year": "year"}
_ABOUT = {"hour": timedelta(hours=1), "6 hours": timedelta(hours=6), "day": timedelta(days=1),
          "week": timedelta(days=7), "month": timedelta(days=30.44), "quarter": timedelta(days=91.3),
          "year": timedelta(days=365.25)}
#: % of the axis a unit must span at least: narrower groups would draw their marks (and the
#: counts beside them) on top of each other.
MIN_BIN = 2.0


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
    return t.year


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
    return datetime(key, 1, 1, tzinfo=timezone.utc)


def bin_start(t: datetime, unit: str) -> datetime:
    """The start of the unit `t` falls in (UTC, weeks from Monday)."""
    return key_start(bin_key(t, unit), unit)


def bin_end(start: datetime, unit: str) -> datetime:
    if unit in _HOURS or unit in ("day", "week"):
        return start + _ABOUT[unit]
    if unit == "year":
        return start.replace(year=start.year + 1)
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
    return str(start.year)


def bin_unit(rows: list[list[tuple[datetime, str, bool]]], span: timedelta, width: float, has_time: bool,
             budget: int) -> str:
    """The finest unit that spans at least MIN_BIN % of the axis (`width` % for `span` of time)
    and groups the marks into at most `budget`; the coarsest when none does. `rows`: each row's
    mentions as (moment, stance, suggested)."""
    for unit in BIN_UNITS:
        if (unit in _HOURS and not has_time) or _ABOUT[unit] / span * width < MIN_BIN:
            continue
        if sum(len({(bin_key(t, unit), stance, sugg) for t, stance, sugg in row}) for row in rows) <= budget:
            return unit
    return BIN_UNITS[-1]
