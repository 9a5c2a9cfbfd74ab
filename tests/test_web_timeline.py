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


def test_a_claim_with_thousands_of_mentions_is_drawn_thinned_within_the_mark_budget():
    from datetime import timedelta

    from app.domain.timeline import MAX_MARKS

    stances = ("repeats", "contradicts", "discusses")
    many = sorted((mention(i, f"Outlet {i % 60}", date(2024, 1, 1) + timedelta(days=i % 300), stance=stances[i % 3])
                   for i in range(3000)), key=lambda m: (m.moment, m.id))
    ordered = summarize(many).mentions
    first = ordered[0]
    t = timeline_layout(ordered, first.id, lambda m: f"#m{m.id}")
    drawn = [mark for row in t.rows + (t.more,) for mark in row.marks]
    assert len(drawn) <= MAX_MARKS
    assert any(mark.first and mark.mention_id == first.id for mark in drawn)
    assert f"({len(drawn)} of 3000 drawn)" in t.desc
    # Under the budget every mention keeps its mark.
    few = summarize(many[:MAX_MARKS]).mentions
    small = timeline_layout(few, few[0].id, lambda m: f"#m{m.id}")
    assert sum(len(r.marks) for r in small.rows + ((small.more,) if small.more else ())) == MAX_MARKS
    assert "drawn" not in small.desc
