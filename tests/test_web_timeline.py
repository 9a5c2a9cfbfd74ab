"""The timeline layout as a pure function: mentions in, rows, marks and ticks out."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.domain.spread import SpreadMention, summarize
from app.domain.timeline import FAN_PX, MAX_TICKS, X_END, X_START, timeline_layout

UTC = timezone.utc


def mention(i: int, outlet: str, day: date | None, at: datetime | None = None, stance="repeats",
            origin="extracted") -> SpreadMention:
    return SpreadMention(id=i, article_id=100 + i, title=f"Article {i}", url=None, outlet=outlet,
                         outlet_slug=outlet.lower(), published=day, published_at=at, stance=stance,
                         fidelity="verbatim", origin=origin, excerpt="words of the claim")


def layout(ms: list[SpreadMention], **kw):
    spread = summarize(sorted(ms, key=lambda m: (m.moment is None, m.moment or datetime.min.replace(tzinfo=UTC))))
    return spread, timeline_layout(spread.mentions, spread.first.id if spread.first else None,
                                   lambda m: f"/articles/{m.article_id}#m{m.id}", **kw)


def test_hours_within_one_day_when_times_are_known():
    ms = [mention(1, "A", date(2024, 3, 1), datetime(2024, 3, 1, 6, 5, tzinfo=UTC)),
          mention(2, "B", date(2024, 3, 1), datetime(2024, 3, 1, 17, 40, tzinfo=UTC))]
    _, t = layout(ms)
    labels = [tick.label for tick in t.ticks]
    assert labels[0] == "01 Mar 06:00" and all(":" in label or label == "02 Mar" for label in labels)
    assert len(labels) <= MAX_TICKS and len(set(labels)) == len(labels)
    xs = [m.x for row in t.rows for m in row.marks]
    assert X_START <= xs[0] < xs[1] <= X_END


def test_a_single_day_without_times_puts_the_marks_mid_axis():
    ms = [mention(1, "A", date(2024, 3, 1)), mention(2, "B", date(2024, 3, 1))]
    spread, t = layout(ms)
    assert [tick.label for tick in t.ticks] == ["01 Mar 2024", "02 Mar"]
    assert {m.x for row in t.rows for m in row.marks} == {50.0}
    assert [m.outlet for m in spread.first_ties] == ["B"]


def test_years_of_spread_step_in_months_or_years():
    ms = [mention(i, f"O{i}", date(2019 + i, 6, 1)) for i in range(5)]
    _, t = layout(ms)
    assert 2 <= len(t.ticks) <= MAX_TICKS
    assert all(X_START <= m.x <= X_END for row in t.rows for m in row.marks)


def test_marks_at_one_spot_fan_out_and_the_first_is_marked_once():
    ms = [mention(i, "A", date(2024, 3, 1)) for i in range(3)] + [mention(9, "B", date(2024, 3, 5))]
    _, t = layout(ms)
    row = t.rows[0]
    assert [m.dx for m in row.marks] == [0, FAN_PX, 2 * FAN_PX]
    assert [m.first for r in t.rows for m in r.marks] == [True, False, False, False]


def test_suggestions_are_drawn_but_never_first_nor_counted():
    ms = [mention(1, "A", date(2024, 3, 1), origin="suggested"),
          mention(2, "B", date(2024, 3, 2), stance="contradicts")]
    spread, t = layout(ms)
    assert spread.first.outlet == "B" and spread.outlet_count == 1
    assert spread.outlets == {"repeats": (), "contradicts": ("B",), "discusses": ()}
    assert spread.suggested_count == 1
    assert t.rows[0].only_suggested and "suggested" in t.rows[0].marks[0].label


@pytest.mark.parametrize("n, rows, more", [(3, 3, 0), (300, 25, 275)])
def test_rows_are_capped_and_the_rest_summed_up(n, rows, more):
    ms = [mention(i, f"Outlet {i}", date(2024, 1, 1 + i % 28)) for i in range(n)]
    _, t = layout(ms)
    assert (len(t.rows), t.more_outlets, t.more_marks) == (rows, more, more)


def test_no_dated_mention_no_picture():
    assert layout([mention(1, "A", None)])[1] is None


def _marks(t):
    return [(row, mark) for row in t.rows + ((t.more,) if t.more else ()) for mark in row.marks]


def test_a_claim_with_thousands_of_mentions_is_drawn_grouped_within_the_mark_budget():
    """Past MAX_MARKS dated mentions a mark stands for one outlet's mentions of one stance in one
    calendar unit: every mention counted once, in the group of its own outlet, stance and unit."""
    from collections import Counter
    from datetime import timedelta

    from app.domain.timeline import MAX_MARKS
    from app.domain.timeline_bins import bin_label, bin_start

    stances = ("repeats", "contradicts", "discusses")
    many = sorted((mention(i, f"Outlet {i % 60}", date(2024, 1, 1) + timedelta(days=i % 300), stance=stances[i % 3])
                   for i in range(3000)), key=lambda m: (m.moment, m.id))
    ordered = summarize(many).mentions
    first = ordered[0]
    t = timeline_layout(ordered, first.id, lambda m: f"#m{m.id}")
    drawn = _marks(t)
    assert t.bins and len(drawn) <= MAX_MARKS
    assert sum(mark.count for _, mark in drawn) == 3000
    assert [mark.mention_id for _, mark in drawn if mark.first] == [first.id]
    unit = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}[t.bins]
    by_id = {m.id: m for m in ordered}
    shown = {row.outlet for row in t.rows}
    want = Counter((m.outlet if m.outlet in shown else None, bin_start(m.moment, unit), m.stance) for m in ordered)
    got = Counter()
    for row, mark in drawn:
        earliest = by_id[mark.mention_id]
        key = (row.outlet if row is not t.more else None, bin_start(earliest.moment, unit), earliest.stance)
        got[key] += mark.count
        assert bin_label(key[1], unit) in mark.label and f"{mark.count} mention" in mark.label
    assert got == want
    assert sum(row.count for row in t.rows) + t.more_marks == 3000 if t.more else True
    assert f"({len(drawn)} marks for 3000 mentions" in t.desc
    # Under the budget every mention keeps a mark of its own.
    few = summarize(many[:MAX_MARKS]).mentions
    small = timeline_layout(few, few[0].id, lambda m: f"#m{m.id}")
    assert len(_marks(small)) == MAX_MARKS and small.bins is None
    assert all(mark.count == 1 for _, mark in _marks(small)) and "marks for" not in small.desc


def test_a_burst_is_grouped_by_day_and_by_hours_when_times_are_known(monkeypatch):
    monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 12)
    days = [mention(i, f"O{i % 3}", date(2024, 5, 1 + i % 6)) for i in range(40)]
    _, t = layout(days)
    assert t.bins == "day"
    assert all(m.count >= 1 and "May 2024" in m.label for _, m in _marks(t))
    hours = [mention(i, f"O{i % 3}", date(2024, 5, 1), datetime(2024, 5, 1, i % 24, 10, tzinfo=UTC))
             for i in range(40)]
    _, t = layout(hours)    # 3 outlets x 24 hours: 72 groups of an hour, 12 of six hours
    assert t.bins == "six hours" and all("UTC" in m.label for _, m in _marks(t))
    monkeypatch.setattr("app.domain.timeline.MAX_MARKS", 39)     # still grouped: room for 24 hours
    assert layout(hours)[1].bins == "hour"
    # Without times, no group of hours: a date-only article sits at midday, not at a known hour.
    _, t = layout([mention(i, f"O{i % 3}", date(2024, 5, 1)) for i in range(40)])
    assert t.bins == "day"


def test_the_calendar_units_start_end_and_say_their_names():
    from app.domain.timeline_bins import bin_end, bin_label, bin_start

    t = datetime(2024, 5, 15, 14, 35, tzinfo=UTC)      # a Wednesday
    assert bin_start(t, "6 hours") == datetime(2024, 5, 15, 12, tzinfo=UTC)
    assert bin_label(bin_start(t, "6 hours"), "6 hours") == "15 May 2024 12:00–18:00 UTC"
    assert bin_start(t, "week") == datetime(2024, 5, 13, tzinfo=UTC)
    assert bin_label(bin_start(t, "week"), "week") == "week of 13 May 2024"
    assert bin_end(bin_start(t, "month"), "month") == datetime(2024, 6, 1, tzinfo=UTC)
    assert bin_label(bin_start(t, "month"), "month") == "May 2024"
    q = bin_start(datetime(2024, 12, 31, tzinfo=UTC), "quarter")
    assert (q, bin_end(q, "quarter"), bin_label(q, "quarter")) == (
        datetime(2024, 10, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC), "Q4 2024")
    assert bin_end(bin_start(t, "year"), "year") == datetime(2025, 1, 1, tzinfo=UTC)


def test_every_moment_falls_in_its_unit_and_units_start_on_their_boundaries():
    from datetime import timedelta

    from app.domain.timeline_bins import BIN_UNITS, bin_end, bin_start

    t0 = datetime(2019, 12, 25, 3, 7, tzinfo=UTC)
    for k in range(3000):
        t = t0 + timedelta(hours=7.3 * k)          # across years, leap day, every hour of the day
        for unit in BIN_UNITS:
            start = bin_start(t, unit)
            assert start <= t < bin_end(start, unit) and bin_start(start, unit) == start
            assert start.minute == start.second == 0 and start.utcoffset() == timedelta(0)
            if unit not in ("hour", "6 hours"):
                assert start.hour == 0
            assert start.hour % 6 == 0 or unit == "hour"
            assert start.weekday() == 0 or unit != "week"
            assert start.day == 1 or unit not in ("month", "quarter", "year")
            assert start.month % 3 == 1 or unit != "quarter"
            assert start.month == 1 or unit != "year"


def _boxes(t, width: int) -> list[tuple[int, float, float, float]]:
    """Each grouped mark as (row top, its unit's middle in px, left, right px it covers at `width`
    px: the mark's half width to its left, its count's digits to its right)."""
    from app.domain.timeline_bins import COUNT_DX, DIGIT_PX, MARK_PX

    out = []
    for row, m in _marks(t):
        centre = m.x * width / 100 + m.dx
        right = centre + (COUNT_DX + len(str(m.count)) * DIGIT_PX if m.count > 1 else MARK_PX)
        out.append((row.top, m.x, centre - MARK_PX, right))
    return out


def _overlaps(t, width: int) -> list[tuple]:
    """Pairs of marks of one row, of two neighbouring units, whose boxes meet at `width` px."""
    boxes = _boxes(t, width)
    return [(a, b) for a in boxes for b in boxes
            if a[0] == b[0] and a[1] < b[1] and a[3] > b[2]]


def test_a_unit_holding_every_stance_keeps_clear_of_its_neighbours_at_the_width_it_is_drawn():
    """Two years of three outlets that each repeat, contradict and discuss the claim every week:
    a unit's marks sit around its middle, and the picture is drawn at least as wide as its units
    need (t.width, the width a phone scrolls sideways) so no unit's marks reach the next one's."""
    from datetime import timedelta

    stances = ("repeats", "contradicts", "discusses")
    ms = [mention(i, f"Outlet {i % 3}", date(2023, 1, 2) + timedelta(days=7 * (i // 9)), stance=stances[i // 3 % 3])
          for i in range(9 * 104)]
    _, t = layout(ms)
    assert t.bins and t.width >= 768
    spots = {}
    for row, m in _marks(t):
        spots.setdefault((row.top, m.x), []).append(m.dx)
    assert max(len(dxs) for dxs in spots.values()) == 3
    assert all(sum(dxs) == 0 for dxs in spots.values() if len(dxs) == 3)     # centred on the unit
    assert _overlaps(t, t.width) == []
    assert _overlaps(t, 390) != []          # what a phone would draw without the scrolling width


def test_a_claim_over_decades_keeps_within_the_mark_budget_and_says_how():
    """Thirty years of 30 outlets taking all three sides every year passed 250 marks grouped by
    year: it is grouped by spans of years; past what a decade allows, fewer outlets get a row of
    their own and the desc says so. Every mention is still counted once."""
    from app.domain.timeline import MAX_MARKS

    stances = ("repeats", "contradicts", "discusses")
    ms = [mention(i, f"Outlet {i % 30:02d}", date(1990 + i // 90, 1 + i % 12, 1), stance=stances[i // 30 % 3])
          for i in range(90 * 30)]
    _, t = layout(ms)
    drawn = _marks(t)
    assert len(drawn) <= MAX_MARKS and sum(m.count for _, m in drawn) == len(ms)
    assert t.bins in ("two years", "five years", "decade")
    assert len(t.rows) == 25 and "share the last row" not in t.desc
    # A century of it: not even decades keep it within the budget with 25 rows.
    ms = [mention(i, f"Outlet {i % 30:02d}", date(1900 + i // 27, 6, 1), stance=stances[i // 30 % 3])
          for i in range(27 * 100)]
    _, t = layout(ms)
    drawn = _marks(t)
    assert len(drawn) <= MAX_MARKS and sum(m.count for _, m in drawn) == len(ms)
    assert t.bins == "decade" and len(t.rows) < 25 and t.more is not None
    assert f"the outlets past the first {len(t.rows)} share the last row" in t.desc


def test_the_first_appearance_ring_goes_with_its_mark_when_the_mark_is_fanned_out():
    """A grouped unit's marks sit around its middle, so the first may be moved off it: its ring
    moves with it."""
    from app.domain.timeline import Mark, Row
    from app.web.claim_spread import timeline_marks

    row = Row("Outlet", 0, (Mark(1, 50.0, 28, -20, "#000000", "tl-repeats", False, True, "#m1", "label", 3),))
    svg = str(timeline_marks(row))
    assert '<circle class="tl-ring" cx="50.0%" cy="28" r="11" transform="translate(-20)"' in svg
    assert '<use href="#tl-repeats" x="50.0%" y="28" transform="translate(-20)"' in svg
