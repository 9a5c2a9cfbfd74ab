"""How a claim spread: who carried it first, when each outlet did, and how faithfully.

Why a module of its own: the claim page, its shareable sources page, their JSON and the
ClaimReview export all answer "who said it first, and how did it travel?" from the same ordered
list, so first appearance and the counts are decided once, here. One plain select of the columns
the picture needs (no article texts, no ORM identity map), so a claim carried by hundreds of
outlets costs one query.

Order: by publication moment. An article with a time of day (`published_at`, UTC) sits at that
time; one with only a day sits at noon UTC of that day (the middle of the day's possible times,
so it is neither pushed first nor last among same-day articles); undated articles come after
every dated one and are left off the time axis.
"""
from __future__ import annotations

import base64
import struct
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.storage.models import Article, ClaimSpread, Mention, Outlet, as_utc
from app.vocab import FIDELITIES, STANCES

#: Where a date-only article sits within its day.
DATE_ONLY_TIME = time(12, 0, tzinfo=timezone.utc)


def moment_of(published: date | None, published_at: datetime | None) -> datetime | None:
    """Where an article sits on the time axis: its time, else midday of its date, else None."""
    if published_at is not None:
        return published_at
    if published is not None:
        return datetime.combine(published, DATE_ONLY_TIME)
    return None


@dataclass(frozen=True, slots=True)
class SpreadMention:
    """One mention placed in time: what a timeline mark and a "first" line show."""

    id: int
    article_id: int
    title: str
    url: str | None
    outlet: str
    outlet_slug: str
    published: date | None
    published_at: datetime | None    # UTC, only when the source gave a time of day
    stance: str
    fidelity: str
    origin: str
    excerpt: str
    # Where it sits on the time axis; None when the article has no date. Computed once: sorting
    # and laying out 2,000 mentions asked for it some 25,000 times a page.
    moment: datetime | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "moment", moment_of(self.published, self.published_at))

    @property
    def suggested(self) -> bool:
        return self.origin == "suggested"

    @property
    def has_time(self) -> bool:
        return self.published_at is not None


@dataclass(frozen=True, slots=True)
class Spread:
    """The claim's mentions in time order and what the summary says of the confirmed ones."""

    mentions: tuple[SpreadMention, ...]       # dated first, by moment; suggestions included if asked
    first: SpreadMention | None               # the earliest confirmed, dated mention ("first seen")
    # Other outlets that may have been as early: the same day, and one of the two without a time.
    first_ties: tuple[SpreadMention, ...]
    last_seen: SpreadMention | None           # the latest confirmed, dated mention
    outlets: dict[str, tuple[str, ...]]       # stance -> outlets (confirmed), by first appearance
    fidelity: dict[str, int]                  # fidelity -> confirmed mentions, every value present
    suggested_count: int
    # From the stored summary (stored_spread): the confirmed outlets, counted without the mentions.
    stored_outlet_count: int | None = None
    light: bool = False      # the mentions were read without titles and excerpts (with_details)

    @property
    def confirmed(self) -> tuple[SpreadMention, ...]:
        return tuple(m for m in self.mentions if not m.suggested)

    @property
    def dated(self) -> tuple[SpreadMention, ...]:
        return tuple(m for m in self.mentions if m.moment is not None)

    @property
    def undated(self) -> tuple[SpreadMention, ...]:
        return tuple(m for m in self.mentions if m.moment is None)

    @property
    def outlet_count(self) -> int:
        if self.stored_outlet_count is not None:
            return self.stored_outlet_count
        return len({m.outlet for m in self.confirmed})


def order_key(m: SpreadMention) -> tuple:
    moment = m.moment
    return (moment is None, moment or datetime.min.replace(tzinfo=timezone.utc), m.article_id, m.id)


def _spread_rows(session: Session, where, include_suggested: bool) -> dict[int, list[SpreadMention]]:
    """Mentions matching `where` with the article columns the picture needs, by claim, in time order."""
    stmt = (select(Mention.claim_id, Mention.id, Mention.article_id, Article.title, Article.url,
                   Outlet.name, Outlet.slug, Article.published, Article.published_at,
                   Mention.stance, Mention.fidelity, Mention.origin, Mention.excerpt)
            .join(Article, Article.id == Mention.article_id)
            .join(Outlet, Outlet.id == Article.outlet_id)
            .where(where))
    if not include_suggested:
        stmt = stmt.where(Mention.origin != "suggested")
    by_claim: dict[int, list[SpreadMention]] = {}
    for r in session.execute(stmt):
        by_claim.setdefault(r[0], []).append(
            SpreadMention(r[1], r[2], r[3], r[4], r[5], r[6], r[7], as_utc(r[8]), *r[9:]))
    return {claim_id: sorted(rows, key=order_key) for claim_id, rows in by_claim.items()}


def spread_mentions(session: Session, claim_id: int, include_suggested: bool) -> list[SpreadMention]:
    """Every mention of the claim with the article columns the picture needs, in time order."""
    return _spread_rows(session, Mention.claim_id == claim_id, include_suggested).get(claim_id, [])


def confirmed_spreads(session: Session, claim_ids) -> dict[int, Spread]:
    """The spread of many claims in one query (`claim_ids` a list or a subquery of ids): what an
    outlet page needs to tell which claims it carried first, without a query per claim."""
    rows = _spread_rows(session, Mention.claim_id.in_(claim_ids), include_suggested=False)
    return {claim_id: summarize(ms) for claim_id, ms in rows.items()}


def spreads_for_claims(session: Session, claim_ids: list[int]) -> dict[int, Spread]:
    """The confirmed spread of each claim of a list (a page of the queue or of the claims list), in
    one query; a claim without a confirmed mention has an empty spread."""
    found = confirmed_spreads(session, claim_ids) if claim_ids else {}
    return {cid: found.get(cid) or summarize([]) for cid in claim_ids}


def summarize(mentions: list[SpreadMention]) -> Spread:
    """First and last appearance, outlets per stance and fidelity counts, over confirmed mentions
    only: a suggestion awaiting an analyst is drawn (hollow) but never counted."""
    confirmed = [m for m in mentions if not m.suggested]
    dated = [m for m in confirmed if m.moment is not None]
    outlets: dict[str, dict[str, None]] = {s: {} for s in STANCES}
    for m in confirmed:
        outlets[m.stance].setdefault(m.outlet, None)
    counts = Counter(m.fidelity for m in confirmed)
    first = dated[0] if dated else None
    return Spread(mentions=tuple(mentions), first=first, first_ties=_ties(first, dated),
                  last_seen=dated[-1] if dated else None,
                  outlets={s: tuple(names) for s, names in outlets.items()},
                  fidelity={f: counts[f] for f in FIDELITIES},
                  suggested_count=len(mentions) - len(confirmed))


def _ties(first: SpreadMention | None, dated: list[SpreadMention]) -> tuple[SpreadMention, ...]:
    """One mention per other outlet that a day-only date cannot tell apart from the first."""
    if first is None:
        return ()
    ties: dict[str, SpreadMention] = {}
    for m in dated[1:]:
        if (m.published == first.published and m.outlet != first.outlet
                and not (m.has_time and first.has_time)):
            ties.setdefault(m.outlet, m)
    return tuple(ties.values())


def claim_spread(session: Session, claim_id: int, include_suggested: bool = False) -> Spread:
    """The spread of one claim; `include_suggested` only for a reader allowed to see the queue."""
    return summarize(spread_mentions(session, claim_id, include_suggested))


#: Confirmed mentions up to which stored_spread reads a claim's mentions whole.
READ_WHOLE = 200


def carrying_outlets(outlets: Mapping[str, list[int]] | None) -> set[int]:
    """The ids of every outlet a stored summary's `outlets` (stance -> outlet ids) names."""
    return {o for ids in (outlets or {}).values() for o in ids}


def stored_spread(session: Session, claim_id: int, include_suggested: bool = False, light=None) -> Spread:
    """The claim page's spread: the summary as stored (domain/spread_summary.py keeps it as
    mentions change) instead of summed up from every mention, and the mentions for the timeline
    read light (no titles nor excerpts: `with_details` adds them to the few marks drawn). The first
    appearance, the ties, the last seen and the undated mentions come whole. Same picture as
    claim_spread (tests/test_spread_summary.py holds them side by side).

    A claim with few mentions (up to READ_WHOLE confirmed) is read whole and summed up as before:
    one query costs less than the summary's three, and the picture is the same.

    `light`: the claim's mentions as mentions.claim_mentions_light read them (suggestions too),
    when the caller has them, instead of a read of their own."""
    summary = session.get(ClaimSpread, claim_id)
    outlet_count = len(carrying_outlets(summary.outlets)) if summary else 0
    if summary is None or summary.linked <= READ_WHOLE:
        return replace(claim_spread(session, claim_id, include_suggested), stored_outlet_count=outlet_count)
    if light is None:
        stmt = (select(Mention.id, Mention.article_id, Outlet.name, Outlet.slug, Article.published,
                       Article.published_at, Mention.stance, Mention.fidelity, Mention.origin)
                .join(Article, Article.id == Mention.article_id).join(Outlet, Outlet.id == Article.outlet_id)
                .where(Mention.claim_id == claim_id))
        if not include_suggested:
            stmt = stmt.where(Mention.origin != "suggested")
        placed = [SpreadMention(r[0], r[1], "", None, r[2], r[3], r[4], as_utc(r[5]), r[6], r[7], r[8], "")
                  for r in session.execute(stmt)]
        names = dict(session.execute(select(Outlet.id, Outlet.name).where(
            Outlet.id.in_(carrying_outlets(summary.outlets)))).all())
    else:
        shown = [m for m in light if include_suggested or m.origin != "suggested"]
        outlets = {r[0]: (r[1], r[2]) for r in session.execute(select(Outlet.id, Outlet.name, Outlet.slug).where(
            Outlet.id.in_({m.outlet_id for m in shown} | carrying_outlets(summary.outlets))))}
        placed = [SpreadMention(m.id, m.article_id, "", None, *outlets[m.outlet_id], m.published, m.published_at,
                                m.stance, m.fidelity, m.origin, "") for m in shown]
        names = {o: name for o, (name, _) in outlets.items()}
    light = sorted(placed, key=order_key)
    named = {summary.first_mention_id, summary.last_mention_id, *summary.tie_ids} if summary else set()
    named |= {m.id for m in light if m.moment is None}
    whole = with_details(session, [m for m in light if m.id in named])
    mentions = tuple(whole.get(m.id, m) for m in light)
    return Spread(mentions=mentions, first=whole.get(summary.first_mention_id),
                  first_ties=tuple(whole[i] for i in summary.tie_ids if i in whole),
                  last_seen=whole.get(summary.last_mention_id),
                  outlets={s: tuple(names[o] for o in summary.outlets.get(s, ())) for s in STANCES},
                  fidelity={f: summary.fidelity.get(f, 0) for f in FIDELITIES},
                  suggested_count=sum(m.suggested for m in mentions),
                  stored_outlet_count=outlet_count, light=True)


def waiting_key(pairs) -> str:
    """Which suggestions a stored plan was worked out with, from (id, stance) pairs: their ids and
    stances in id order, as one string (spread_summary.suggested_plan)."""
    rank = {s: str(i) for i, s in enumerate(STANCES)}
    ordered = sorted(pairs)
    return struct.pack(f">{len(ordered)}I", *(i for i, _ in ordered)).hex() + ":" + "".join(rank[s] for _, s in ordered)


def usable_suggested_plan(session: Session, summary: ClaimSpread) -> tuple[dict, int] | None:
    """A big claim's stored picture for a reader who sees its suggestions and their number, when
    the plan was worked out with the suggestions the claim has now (their ids and stances, read
    from the index); None otherwise (no plan, none waiting, or decided since: the caller lays the
    picture out from the mentions)."""
    stored = (summary.page or {}).get("suggested")
    if not stored:
        return None
    now = session.execute(select(Mention.id, Mention.stance).where(
        Mention.claim_id == summary.claim_id, Mention.origin == "suggested")).all()
    if not now or waiting_key((i, stance) for i, stance in now) != stored["waiting"]:
        return None
    return stored, len(now)


def planned_spread(session: Session, summary: ClaimSpread, suggested: tuple[dict, int] | None = None
                   ) -> tuple[Spread, dict[int, SpreadMention], dict]:
    """The confirmed spread of a big claim from its stored summary and page plan
    (spread_summary.page_plan), reading only the mentions the page names or draws: the first,
    the ties, the last seen, the undated, and the timeline's marks when it draws one a mention (a
    grouped timeline, past timeline.MAX_MARKS dated mentions, is drawn from the plan alone).
    Returns the Spread (its `mentions` are the undated ones only: the timeline comes from the plan), id -> those mentions
    whole, and outlet id -> name for the plan's rows. The claim page's picture for a reader who sees
    no suggestions, or of a claim that has none: the same as stored_spread's (tests/test_spread_summary.py).
    `suggested` (usable_suggested_plan's): the spread a reader who sees the suggestions gets, its
    picture from the stored plan of them (`timeline_of` gives the plan drawn), the undated ones listed
    with the rest; the same as suggested_spread's."""
    from app.domain.timeline import plan_mark_ids

    plan = summary.page
    timeline = timeline_of(summary, suggested)
    undated = [*plan["undated"], *(suggested[0]["undated"] if suggested else ())]
    drawn = plan_mark_ids(timeline) if timeline else []     # none when grouped
    ids = {summary.first_mention_id, summary.last_mention_id, *summary.tie_ids, *undated, *drawn} - {None}
    rows = _spread_rows(session, Mention.id.in_(sorted(ids)), include_suggested=True)
    whole = {m.id: m for ms in rows.values() for m in ms}
    row_outlets = {o for o, _ in timeline["rows"]} if timeline else set()
    stance_outlets = carrying_outlets(summary.outlets)
    names = dict(session.execute(select(Outlet.id, Outlet.name).where(
        Outlet.id.in_(sorted(row_outlets | stance_outlets)))).all())
    listed = tuple(whole[i] for i in undated if i in whole)
    spread = Spread(mentions=tuple(sorted(listed, key=order_key)) if suggested else listed,
                    first=whole.get(summary.first_mention_id),
                    first_ties=tuple(whole[i] for i in summary.tie_ids if i in whole),
                    last_seen=whole.get(summary.last_mention_id),
                    outlets={s: tuple(names[o] for o in summary.outlets.get(s, ())) for s in STANCES},
                    fidelity={f: summary.fidelity.get(f, 0) for f in FIDELITIES},
                    suggested_count=suggested[1] if suggested else 0,
                    stored_outlet_count=len(stance_outlets), light=True)
    return spread, whole, names


def timeline_of(summary: ClaimSpread, suggested: tuple[dict, int] | None = None) -> dict | None:
    """The stored timeline plan a planned_spread draws: the confirmed mentions', or with `suggested`
    the one with the suggestions."""
    return suggested[0]["timeline"] if suggested else summary.page["timeline"]


#: One confirmed dated mention in a stored page plan's "placed" (pack_placed): its moment in
#: microseconds since 1970 (UTC), whether the article gave a time of day, its outlet's id, its
#: stance (index in STANCES), its article's id and its own.
_PLACED = struct.Struct(">qBIBII")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICRO = timedelta(microseconds=1)


def pack_placed(rows) -> str:
    """(moment, has_time, outlet id, stance, article id, mention id) rows as one base64 string: what
    the timeline places of a big claim's confirmed dated mentions, kept with its page plan
    (spread_summary.page_plan) for the page of a reader who sees suggestions (suggested_spread)."""
    rank = {s: i for i, s in enumerate(STANCES)}
    return base64.b64encode(b"".join(
        _PLACED.pack((moment - _EPOCH) // _MICRO, has_time, outlet_id, rank[stance], article_id, mention_id)
        for moment, has_time, outlet_id, stance, article_id, mention_id in rows)).decode("ascii")


def unpack_placed(packed: str) -> list[tuple[datetime, bool, int, str, int, int]]:
    return [(_EPOCH + micros * _MICRO, bool(has_time), outlet_id, STANCES[stance], article_id, mention_id)
            for micros, has_time, outlet_id, stance, article_id, mention_id
            in _PLACED.iter_unpack(base64.b64decode(packed))]


class PlacedMention(NamedTuple):
    """A confirmed dated mention as a stored plan places it (unpack_placed): what order_key and the
    timeline's layout ask of a SpreadMention, made a tuple at a time (suggested_spread makes 2,000)."""

    id: int
    article_id: int
    outlet: str
    outlet_slug: str
    moment: datetime
    has_time: bool
    stance: str
    suggested = False

    @property
    def published(self) -> date:
        return self.moment.date()

    @property
    def published_at(self) -> datetime | None:
        return self.moment if self.has_time else None


def suggested_spread(session: Session, summary: ClaimSpread, include_suggested: bool = True) -> Spread | None:
    """A big claim's spread with its suggestions, for a reader who sees them: what stored_spread
    gives with `include_suggested`, without reading the confirmed mentions. Those the timeline
    places come from the stored plan ("placed": moment, outlet, stance and ids of each confirmed
    dated one), the summary's parts from the summary (as planned_spread), and only these are read:
    the suggestions (the page draws each), the mentions it names (first, ties, last seen) and the
    undated ones it lists. Light as stored_spread's are: `with_details` gives the marks drawn one a
    mention their excerpts. None for a plan kept before "placed" (the caller reads them all), or
    for a claim of up to READ_WHOLE confirmed mentions (no plan: stored_spread reads it whole).

    `include_suggested=False`: the same without the suggestions, what stored_spread gives a reader
    who does not see them (sources.json pages through it: reading a 2,000-mention claim's every
    mention light to keep a page of 100 was most of that answer's time)."""
    plan = summary.page
    if plan is None or "placed" not in plan:
        return None
    claim_id = summary.claim_id
    waiting = _spread_rows(session, (Mention.claim_id == claim_id) & (Mention.origin == "suggested"),
                           include_suggested=True).get(claim_id, []) if include_suggested else []
    placed = unpack_placed(plan["placed"])
    named = {summary.first_mention_id, summary.last_mention_id, *summary.tie_ids, *plan["undated"]} - {None}
    whole = with_details(session, [SpreadMention(i, 0, "", None, "", "", None, None, "", "", "", "") for i in named])
    stance_outlets = carrying_outlets(summary.outlets)
    outlets = {r[0]: (r[1], r[2]) for r in session.execute(select(Outlet.id, Outlet.name, Outlet.slug).where(
        Outlet.id.in_(sorted({p[2] for p in placed} | stance_outlets))))}
    light = [whole.get(i) or PlacedMention(i, article_id, *outlets[outlet_id], moment, has_time, stance)
             for moment, has_time, outlet_id, stance, article_id, i in placed]
    mentions = sorted([*light, *(whole[i] for i in plan["undated"] if i in whole), *waiting], key=order_key)
    return Spread(mentions=tuple(mentions), first=whole.get(summary.first_mention_id),
                  first_ties=tuple(whole[i] for i in summary.tie_ids if i in whole),
                  last_seen=whole.get(summary.last_mention_id),
                  outlets={s: tuple(outlets[o][0] for o in summary.outlets.get(s, ())) for s in STANCES},
                  fidelity={f: summary.fidelity.get(f, 0) for f in FIDELITIES},
                  suggested_count=len(waiting), stored_outlet_count=len(stance_outlets), light=True)


def with_details(session: Session, mentions) -> dict[int, SpreadMention]:
    """id -> the mention whole (title, url, excerpt), for mentions read light."""
    ids = [m.id for m in mentions]
    if not ids:
        return {}
    rows = _spread_rows(session, Mention.id.in_(ids), include_suggested=True)
    return {m.id: m for ms in rows.values() for m in ms}


def moment_text(m: SpreadMention | None) -> str | None:
    """ISO 8601: the UTC moment when a time is known, else the day."""
    if m is None:
        return None
    if m.published_at is not None:
        return m.published_at.isoformat().replace("+00:00", "Z")
    return m.published.isoformat() if m.published else None


def spread_json(spread: Spread, mention_url) -> dict:
    """The spread as JSON: `mention_url(m)` gives the link to each excerpt."""
    def item(m: SpreadMention) -> dict:
        return {"mention_id": m.id, "article_id": m.article_id, "outlet": m.outlet,
                "title": m.title, "published": m.published.isoformat() if m.published else None,
                "published_at": moment_text(m) if m.has_time else None,
                "stance": m.stance, "fidelity": m.fidelity, "origin": m.origin,
                "suggested": m.suggested, "url": mention_url(m)}

    return {
        "first": item(spread.first) if spread.first else None,
        "first_tied_with": [item(m) for m in spread.first_ties],
        "first_seen": moment_text(spread.first),
        "last_seen": moment_text(spread.last_seen),
        "outlet_count": spread.outlet_count,
        "outlets": {s: list(names) for s, names in spread.outlets.items()},
        "fidelity": spread.fidelity,
        "suggested": spread.suggested_count,
        "timeline": [item(m) for m in spread.mentions],
    }
