"""A claim's spread summed up and stored (claim_spreads), and the outlet matrix's counts kept as
mentions change (outlet_pairs, and outlet_claims: which side each outlet takes on each claim
counted there, what a matrix cell lists).

Why stored: the claim page's "first seen", outlets by stance and fidelity counts, and the matrix's
pair counts, were aggregates over every mention on each load (3 s for the matrix at 100k claims).
They change only when a claim's mentions do, and every path that changes mentions (ingest, link,
unlink, stance, accepting a suggestion, merge, article delete, bulk load, a text edit that re-judges
fidelity) already recounts `claims.outlet_count` through linking.refresh_outlet_counts; that
function calls `refresh_spreads` (or, for an ingest's new mentions, `append_spreads`) here, so one
call keeps all three right, and the outlet count is the outlets the summary names. `db copy` copies the
tables like any other.

The rules are spread.py's (confirmed mentions only, the moment order, the same-day ties) and
outlets.py's (pair_kinds over a live claim's repeating and contradicting outlets). A change that
removes, edits or moves mentions (unlink, stance, merge, article delete, a re-judged fidelity, the
bulk loader) recomputes the summary from all the claim's mentions (refresh_spreads), so nothing
carried over can be wrong. An ingest only adds mentions, and recomputing a big claim for each
article that repeats it cost 31 ms of CPU at 2,000 mentions (8 at 500), growing with the claim,
while the claims news repeats most are the biggest: there `append_spreads` adds the new mentions
to the stored summary and page plan instead, reading none of the claim's others. It is exact
where it is used, not approximately so: it takes that way only when the new mentions come after
all the others in every order kept (spread.py's moment order, the mention list's and the
renderings' of mentions.py), when the claim's confirmed mentions number the stored count plus the
new ones (so the summary held every other one: a writer that adds mentions adds to the summary
in the same transaction, or recomputes it), and the claim already has a page plan (past READ_WHOLE
mentions: a smaller claim is recomputed, its cost bounded by that); anything else (a new first
appearance, a mention dated before the last, or before one of its own day in the mention list's
order, a summary that lags) is recomputed. The timeline of a big claim is grouped (timeline.MAX_MARKS): a mention more at its
latest moment (a day already drawn, the usual repeat) counts one more in its group or adds one
(timeline.plan_with_group_added); a later one moves the axis, and what hangs on every dated
mention at once (ticks, unit, marks) is laid out again from the plan's own placed mentions,
without reading them: the one part of an append that still grows with the claim (a mention on a
new day: about 15 ms of CPU at 1,900 dated mentions, against 35-39 ms recomputed; on a day
already drawn 8 ms; undated 4 ms).
`check_spreads` recomputes everything from scratch and names what differs: the reference both
ways are held to (tests/test_spread_summary.py ingests and appends at random, then checks). The
matrix counts and the outlet_claims rows are updated by the difference between a claim's old
sides and its new ones either way.
"""
from __future__ import annotations

import base64
import heapq
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, timezone

from sqlalchemy import bindparam, delete, func, insert, select, tuple_, update
from sqlalchemy.orm import Session

from app.domain import spread
from app.domain.spread import moment_of
from app.storage.models import Article, Claim, ClaimSpread, Mention, OutletClaim, OutletPair, as_utc
from app.vocab import FIDELITIES, STANCES

CHUNK = 500
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def summarize_rows(rows: list[tuple]) -> dict:
    """The stored summary of one claim from its confirmed mentions as (id, article_id, outlet_id,
    published, published_at (UTC), stance, fidelity): spread.summarize's rules, by id."""
    keyed = []
    for r in rows:
        moment = moment_of(r[3], r[4])
        keyed.append(((moment is None, moment or _EARLIEST, r[1], r[0]), moment, r))
    keyed.sort(key=lambda k: k[0])
    dated = [(moment, r) for _, moment, r in keyed if moment is not None]
    outlets: dict[str, dict[int, None]] = {s: {} for s in STANCES}
    for _, _, r in keyed:
        outlets[r[5]].setdefault(r[2], None)
    counts = Counter(r[6] for r in rows)
    ties: dict[int, int] = {}
    if dated:
        first = dated[0][1]
        for _, m in dated[1:]:
            if m[3] == first[3] and m[2] != first[2] and not (m[4] is not None and first[4] is not None):
                ties.setdefault(m[2], m[0])
    return {"first_mention_id": dated[0][1][0] if dated else None,
            "last_mention_id": dated[-1][1][0] if dated else None,
            "tie_ids": list(ties.values()),
            "outlets": {s: list(ids) for s, ids in outlets.items()},
            "fidelity": {f: counts[f] for f in FIDELITIES},
            "linked": len(rows), "dated": len(dated)}


def page_plan(rows: list[tuple], waiting: list[tuple] = ()) -> dict:
    """What the claim page draws of a big claim's confirmed mentions, given as (id, article_id,
    outlet_id, published, published_at (UTC), stance, fidelity, start): the mention list's order
    (mentions.page_order, packed by mentions.pack_ids), the first rows of "how each outlet renders it" (renderings_key), the
    timeline's plan (timeline.timeline_plan, rows by outlet id), the undated mentions and where the
    dated ones sit ("placed", spread.pack_placed: for the timeline of a reader who also sees the
    suggestions, spread.suggested_spread), so the page reads the few mentions it shows instead of
    all of them; with suggestions waiting (`waiting`: suggested_plan's rows), the picture such a
    reader gets ("suggested")."""
    from app.domain.mentions import RENDERINGS_SHOWN, LightMention, pack_ids, page_order, renderings_key
    from app.domain.spread import SpreadMention, order_key, pack_placed
    from app.domain.timeline import timeline_plan

    light = [LightMention(r[0], r[1], r[2], r[3], r[4], r[5], r[6], "", r[7]) for r in rows]
    placed = sorted((SpreadMention(r[0], r[1], "", None, "", "", r[3], r[4], r[5], r[6], "", "") for r in rows),
                    key=order_key)
    dated = [m for m in placed if m.moment is not None]
    outlet_of = {r[0]: r[2] for r in rows}
    return {"order": pack_ids(page_order(light)),
            "renderings": [m.id for m in heapq.nsmallest(RENDERINGS_SHOWN, light, key=renderings_key)],
            "timeline": timeline_plan(placed, dated[0].id if dated else None, outlet=lambda m: outlet_of[m.id]),
            "undated": [m.id for m in placed if m.moment is None],
            "placed": pack_placed((m.moment, m.has_time, outlet_of[m.id], m.stance, m.article_id, m.id)
                                  for m in dated),
            "suggested": suggested_plan(rows, waiting)}


def suggested_plan(rows: list[tuple], waiting: list[tuple]) -> dict | None:
    """The timeline a reader who sees suggestions gets of a big claim (what suggested_spread lays out
    from every mention on each load: 44 % of that page's time at 100k claims), from its confirmed
    `rows` (page_plan's) and its suggestions, as rows of the same shape (id, article_id, outlet_id, published, published_at
    (UTC), stance, ...): the plan (timeline.timeline_plan, rows by outlet id), the undated suggestions
    the spread lists, and which suggestions it was worked out with (`waiting`: waiting_key). None
    without suggestions.

    Why the key: rejecting a suggestion deletes it without recounting the claim (a bulk reject of
    a big claim's hundred would work out its plan a hundred times), so the plan may be older than
    the suggestions; the page uses it only when the key still matches the suggestions' index
    (spread.usable_suggested_plan), else lays the picture out from the mentions as before."""
    if not waiting:
        return None
    from app.domain.spread import SpreadMention, order_key, waiting_key
    from app.domain.timeline import timeline_plan

    outlet_of = {r[0]: r[2] for r in rows} | {w[0]: w[2] for w in waiting}
    placed = sorted([*(SpreadMention(r[0], r[1], "", None, "", "", r[3], r[4], r[5], r[6], "", "") for r in rows),
                     *(SpreadMention(w[0], w[1], "", None, "", "", w[3], w[4], w[5], "", "suggested", "")
                       for w in waiting)], key=order_key)
    first = next((m.id for m in placed if m.moment is not None and not m.suggested), None)
    return {"waiting": waiting_key((w[0], w[5]) for w in waiting),
            "timeline": timeline_plan(placed, first, outlet=lambda m: outlet_of[m.id]),
            "undated": [m.id for m in placed if m.moment is None and m.suggested]}


def _sides(outlets: dict | None) -> tuple[frozenset, frozenset]:
    if not outlets:
        return frozenset(), frozenset()
    return frozenset(outlets.get("repeats", ())), frozenset(outlets.get("contradicts", ()))


def pair_deltas(repeat: frozenset, contra: frozenset, sign: int, into: Counter) -> None:
    """What one claim adds to (sign 1) or takes from (-1) outlet_pairs: outlets.pair_kinds for
    every pair a <= b of its outlets, and each contradicting outlet's diagonal `contradicts`."""
    from app.domain.outlets import pair_kinds

    involved = sorted(repeat | contra)
    for i, a in enumerate(involved):
        for b in involved[i:]:
            for kind in pair_kinds(a, b, repeat, contra):
                into[(a, b, kind)] += sign
    for a in contra:
        into[(a, a, "contradicts")] += sign


def side_rows(claim_id: int, repeat: frozenset, contra: frozenset) -> set[tuple[int, str, int]]:
    """A counted claim's outlet_claims rows: (outlet, side, claim)."""
    return ({(o, "repeats", claim_id) for o in repeat} | {(o, "contradicts", claim_id) for o in contra})


LINKED_ONLY = Mention.origin != "suggested"
_ROWS = (select(Mention.claim_id, Mention.id, Mention.article_id, Article.outlet_id, Article.published,
                Article.published_at, Mention.stance, Mention.fidelity, Mention.start)
         .join(Article, Article.id == Mention.article_id))


def _row(r) -> tuple:
    """A _ROWS row as compute_spreads' rows: (id, article_id, outlet_id, published, published_at
    (UTC), stance, fidelity, start)."""
    return (r[1], r[2], r[3], r[4], as_utc(r[5]), r[6], r[7], r[8])


# Statements an ingest runs for each step, built once (building one cost more than running it).
_IDS = bindparam("ids", expanding=True)
_CONFIRMED_ROWS = _ROWS.where(Mention.claim_id.in_(_IDS), LINKED_ONLY)
_WAITING_ROWS = _ROWS.where(Mention.claim_id.in_(_IDS), Mention.origin == "suggested")
_LIVE = select(Claim.id).where(Claim.id.in_(_IDS), Claim.merged_into_id.is_(None))


def _rows_by_claim(session: Session, ids: list[int], suggested: bool = False) -> dict[int, list[tuple]]:
    """claim id -> its confirmed mentions (or, `suggested`, those waiting) as _row gives them."""
    if not ids:
        return {}
    by_claim: dict[int, list[tuple]] = {}
    for r in session.execute(_WAITING_ROWS if suggested else _CONFIRMED_ROWS, {"ids": ids}):
        by_claim.setdefault(r[0], []).append(_row(r))
    return by_claim


def compute_spreads(session: Session, ids: list[int], live: set[int] | None = None) -> dict[int, dict]:
    """claim id -> the summary row it should have (claims without a confirmed mention left out).
    `live`: those of `ids` not merged away, when the caller read that already (under _lock)."""
    if live is None:
        live = set(session.scalars(_LIVE, {"ids": ids}))
    out = {}
    confirmed = _rows_by_claim(session, ids)
    waiting = _rows_by_claim(session, [c for c, rows in confirmed.items() if len(rows) > spread.READ_WHOLE],
                             suggested=True)
    for claim_id, rows in confirmed.items():
        summary = summarize_rows(rows)
        repeat, contra = _sides(summary["outlets"])
        # The page's plan only past READ_WHOLE mentions: a smaller claim's page reads them whole.
        out[claim_id] = {"claim_id": claim_id, **summary, "sided": claim_id in live and bool(repeat | contra),
                         "page": page_plan(rows, waiting.get(claim_id, [])) if len(rows) > spread.READ_WHOLE else None}
    return out


def refresh_page_plans(session: Session) -> None:
    """Work out every stored page plan again (a migration that changes the plan's form): the
    claims that have one, CHUNK at a time, through the code that keeps them after."""
    ids = list(session.scalars(select(ClaimSpread.claim_id).where(ClaimSpread.page.is_not(None))
                               .order_by(ClaimSpread.claim_id)))
    for at in range(0, len(ids), CHUNK):
        refresh_spreads(session, ids[at:at + CHUNK])
    session.flush()


def refresh_spreads(session: Session, claim_ids: Iterable[int]) -> dict[int, int]:
    """Recompute the stored summary of these claims and move the matrix counts by the difference.
    Called by linking.refresh_outlet_counts: whoever changes mentions calls that. Returns claim
    id -> its confirmed outlets (claims.outlet_count: the outlets its summary names, every stance)."""
    ids = sorted(set(claim_ids))
    counts: dict[int, int] = {}
    for at in range(0, len(ids), CHUNK):
        counts.update(_refresh(session, ids[at:at + CHUNK]))
    return counts


def _lock(session: Session, ids: list[int]) -> set[int]:
    # The claims' rows locked first (PostgreSQL; SQLite has one writer): two writers refreshing
    # one claim would otherwise both take its old sides away from the matrix. FOR NO KEY UPDATE,
    # not FOR UPDATE: a writer that inserted a mention already holds KEY SHARE on its claim (the
    # foreign key), which FOR UPDATE waits for, so two ingests linking to each other's claims
    # deadlocked (6 parallel ingests on PostgreSQL); NO KEY UPDATE still excludes another refresher.
    # Returns those of `ids` not merged away, read under the lock (a merge updates the claim's row,
    # which the lock holds: it cannot change before this transaction ends).
    return {c for c, merged in session.execute(_LOCK, {"ids": ids}) if merged is None}


_LOCK = (select(Claim.id, Claim.merged_into_id).where(Claim.id.in_(_IDS)).order_by(Claim.id)
         .with_for_update(key_share=True))
_OLD_SIDES = select(ClaimSpread.claim_id, ClaimSpread.outlets, ClaimSpread.sided).where(ClaimSpread.claim_id.in_(_IDS))
_DROP_SPREADS = delete(ClaimSpread).where(ClaimSpread.claim_id.in_(_IDS)).execution_options(synchronize_session=False)


def _refresh(session: Session, ids: list[int]) -> dict[int, int]:
    live = _lock(session, ids)
    old = {r.claim_id: r for r in session.execute(_OLD_SIDES, {"ids": ids})}
    new = compute_spreads(session, ids, live)
    moves = _Moves()
    for claim_id in ids:
        before, after = old.get(claim_id), new.get(claim_id)
        moves.add(claim_id, before.outlets if before is not None and before.sided else None,
                  after["outlets"] if after is not None and after["sided"] else None)
    session.execute(_DROP_SPREADS, {"ids": ids})
    if new:
        session.execute(insert(ClaimSpread), list(new.values()))
    moves.apply(session)
    return {claim_id: len(spread.carrying_outlets(new[claim_id]["outlets"])) if claim_id in new else 0
            for claim_id in ids}


class _Moves:
    """The outlet_pairs deltas and outlet_claims rows of claims whose counted sides change."""

    def __init__(self) -> None:
        self.deltas: Counter = Counter()
        self.gone: set[tuple[int, str, int]] = set()
        self.came: set[tuple[int, str, int]] = set()

    def add(self, claim_id: int, was_outlets: dict | None, now_outlets: dict | None) -> None:
        """`*_outlets`: the claim's outlets by stance when it is counted (sided), else None."""
        was, now = _sides(was_outlets), _sides(now_outlets)
        if was != now:
            pair_deltas(*was, -1, self.deltas)
            pair_deltas(*now, 1, self.deltas)
            rows_was, rows_now = side_rows(claim_id, *was), side_rows(claim_id, *now)
            self.gone |= rows_was - rows_now
            self.came |= rows_now - rows_was

    def apply(self, session: Session) -> None:
        _apply(session, {k: n for k, n in self.deltas.items() if n})
        _move_sides(session, sorted(self.gone), sorted(self.came))


_SPREADS = ClaimSpread.__table__
_WITH_PLAN = (select(_SPREADS.c.claim_id).where(_SPREADS.c.claim_id.in_(_IDS), _SPREADS.c.page.is_not(None))
              .order_by(_SPREADS.c.claim_id))


def append_spreads(session: Session, appended: Mapping[int, Collection[int]]) -> dict[int, int]:
    """Bring the stored summary and page plan of claims whose only change is new mentions
    (`appended`: claim id -> the ids of the mentions just added to it, an ingest's) up to date from
    what is stored plus those mentions, reading of the claims' other mentions only those the
    summary names (first, last, ties, the renderings' 50, the undated ones' outlets) and the
    latest of the new mentions' day: the cost of an ingest that repeats a claim of 2,000 mentions
    no longer comes from reading them. Exactly what compute_spreads would store (tests/test_spread_summary.py checks that with
    check_spreads after many ingests), and only where that is sure: every new confirmed mention
    comes after the claim's other dated ones (a dated one) or after all of them (an undated one)
    in each order the summary and plan keep (spread.py's moment
    order, the mention list's and the renderings' (mentions.py)), the claim already has a page plan
    (past spread.READ_WHOLE confirmed mentions: a smaller claim is recomputed, at a cost bounded by
    that), and its confirmed mentions are the stored count plus the new ones (nothing else changed
    them since the summary was stored). A new first appearance, a mention dated before the last
    (or, on the last day, before one of that day in the mention list's order: a time of day
    before one without), or undated in an article older than the claim's undated ones, is
    recomputed. New ties (the first day's other outlets) are added as they come.

    Returns claim id -> its confirmed outlets for the claims kept here; the caller recomputes the
    others (refresh_spreads)."""
    ids = sorted(appended)
    if not ids:
        return {}
    table = ClaimSpread.__table__
    # A claim without a page plan is recomputed (bounded by READ_WHOLE): not read here further.
    ids = list(session.scalars(_WITH_PLAN, {"ids": ids}))
    if not ids:
        return {}
    live = {c for c, merged in session.execute(       # locked as _lock does, and read under the lock
        select(Claim.id, Claim.merged_into_id).where(Claim.id.in_(ids)).order_by(Claim.id)
        .with_for_update(key_share=True)) if merged is None}
    stored = {r.claim_id: r for r in session.execute(select(table).where(table.c.claim_id.in_(ids)))
              if r.page is not None and "placed" in r.page}
    new_ids = sorted({i for c in ids for i in appended[c]})
    new_rows: dict[int, list[tuple]] = {}
    for at in range(0, len(new_ids), CHUNK):
        stmt = _ROWS.where(Mention.id.in_(new_ids[at:at + CHUNK]), Mention.claim_id.in_(ids), LINKED_ONLY)
        for r in session.execute(stmt):
            new_rows.setdefault(r[0], []).append(_row(r))
    linked = dict(session.execute(select(Mention.claim_id, func.count()).where(Mention.claim_id.in_(ids), LINKED_ONLY)
                                  .group_by(Mention.claim_id)).all())
    kept: dict[int, int] = {}
    moves = _Moves()
    for claim_id in ids:
        have, rows = stored.get(claim_id), new_rows.get(claim_id, [])
        if have is None or have.page is None or linked.get(claim_id, 0) != have.linked + len(rows):
            continue
        if not rows:
            kept[claim_id] = len(spread.carrying_outlets(have.outlets))
            continue
        row = _appended(session, claim_id, have, rows, claim_id in live)
        if row is None:
            continue
        moves.add(claim_id, have.outlets if have.sided else None, row["outlets"] if row["sided"] else None)
        session.execute(update(ClaimSpread).where(ClaimSpread.claim_id == claim_id).values(**row)
                        .execution_options(synchronize_session=False))
        kept[claim_id] = len(spread.carrying_outlets(row["outlets"]))
    moves.apply(session)
    return kept

def _summary_key(r: tuple) -> tuple:
    """summarize_rows' (and spread.order_key's) order of a row."""
    moment = moment_of(r[3], r[4])
    return (moment is None, moment or _EARLIEST, r[1], r[0])


def _list_key(r: tuple) -> tuple:
    """mentions._time_key (the mention list's order) of a row."""
    return (r[3] is None, r[3] or date.min, r[4] is None, r[4] or _EARLIEST, r[1], r[7], r[0])


def _renderings_key(r: tuple) -> tuple:
    """mentions.renderings_key of a row."""
    return (r[3] is None, r[3] or date.min, r[1], r[7], r[0])


def _appended(session: Session, claim_id: int, have, rows: list[tuple], live: bool) -> dict | None:
    """The summary row of a claim with a page plan after `rows` (its new confirmed mentions), from
    the stored one (`have`); None when that is not sure (see append_spreads): the caller
    recomputes it. New dated mentions must come after the claim's other dated ones (in a later
    day's articles), new undated ones after its other undated ones (in later articles); a dated
    one then goes before the undated ones where an order puts those last."""
    from app.domain.mentions import RENDERINGS_SHOWN, pack_ids, unpack_ids
    from app.domain.spread import PlacedMention, pack_placed, unpack_placed
    from app.domain.timeline import plan_with_group_added, timeline_plan

    plan = have.page
    rows = sorted(rows, key=_summary_key)
    dated = [r for r in rows if moment_of(r[3], r[4]) is not None]
    fresh = [r for r in rows if moment_of(r[3], r[4]) is None]
    named = {have.first_mention_id, have.last_mention_id, plan["undated"][-1] if plan["undated"] else None,
             *plan["renderings"], *have.tie_ids} - {None}
    known = {r[1]: _row(r) for r in session.execute(_ROWS.where(Mention.id.in_(sorted(named))))}
    if not named <= set(known):
        return None
    ties = list(have.tie_ids)
    if dated:
        # Not a new first appearance, after the last dated one.
        if have.first_mention_id is None or _summary_key(dated[0]) <= _summary_key(known[have.last_mention_id]):
            return None
        day = min(r[3] for r in dated) if all(r[3] is not None for r in dated) else None
        if day is None:
            return None
        # The mention list orders by the article's day first, then its time (a day without one
        # after), article, offset: the latest of the claim's other confirmed mentions of that day
        # or later must come before the new ones. Read through the articles of that day onwards
        # (the news of a day or two), not the claim's mentions. (An article with a time and no
        # day would sort with the undated there: no entry point stores one, parse_published gives
        # the day with every time, and looking for one costs a scan of every undated article.)
        latest = session.execute(
            _ROWS.where(Mention.claim_id == claim_id, LINKED_ONLY, Mention.id.not_in([r[0] for r in rows]),
                        Mention.article_id.in_(select(Article.id).where(Article.published >= day)))
            .order_by(Article.published.desc(), Article.published_at.is_(None).desc(), Article.published_at.desc(),
                      Mention.article_id.desc(), Mention.start.desc(), Mention.id.desc())
            .limit(1)).first()
        if latest is not None and (latest[4] != day or _list_key(_row(latest)) >= min(map(_list_key, dated))):
            return None
        # The first day's other outlets (spread.py's ties): the first mention of each, in order.
        first = known[have.first_mention_id]
        tied = {known[i][2] for i in have.tie_ids}
        for r in dated:
            if r[3] == first[3] and r[2] != first[2] and r[2] not in tied and not (r[4] is not None and first[4] is not None):
                tied.add(r[2])
                ties.append(r[0])
    if fresh and plan["undated"] and min(r[1] for r in fresh) <= known[plan["undated"][-1]][1]:
        return None
    # Which side of which outlet's the claim's dated mentions are on (stance, outlet), and which
    # group of the mention list each listed mention is in: from the plan's placed mentions, the
    # undated ones read by id.
    placed_rows = list(spread._PLACED.iter_unpack(base64.b64decode(plan["placed"])))
    group = {i: (STANCES[stance], outlet_id) for _, _, outlet_id, stance, _, i in placed_rows}
    dated_sides = set(group.values())
    dated_outlets = {o for _, o in dated_sides}
    had_time = any(row[1] for row in placed_rows)
    undated = set(plan["undated"])
    for at in range(0, len(plan["undated"]), CHUNK):
        group.update((r[0], (r[1], r[2])) for r in session.execute(
            select(Mention.id, Mention.stance, Article.outlet_id).join(Article, Article.id == Mention.article_id)
            .where(Mention.id.in_(plan["undated"][at:at + CHUNK]))))
    outlets = {s_: list(have.outlets.get(s_, ())) for s_ in STANCES}
    for r in rows:          # first appearance: a dated one before the outlets seen undated only
        side, outlet_id = r[5], r[2]
        if moment_of(r[3], r[4]) is not None and (side, outlet_id) not in dated_sides:
            listed = outlets[side]
            if outlet_id in listed:
                listed.remove(outlet_id)
            listed.insert(sum(1 for o in listed if (side, o) in dated_sides), outlet_id)
            dated_sides.add((side, outlet_id))
        elif outlet_id not in outlets[side]:
            outlets[side].append(outlet_id)
    fidelity = {f: have.fidelity.get(f, 0) for f in FIDELITIES}
    for r in rows:
        fidelity[r[6]] += 1
    page = dict(plan)
    # The analyst's picture with suggestions (suggested_plan) places the confirmed mentions too: not
    # worked out again here, dropped (the page lays that picture out from the mentions until the
    # claim is next recomputed; check_spreads never counts a plan not drawn).
    if page.get("suggested"):
        page["suggested"] = None
    page["order"] = pack_ids(_insert_in_order(unpack_ids(plan["order"]), group, set(undated), rows))
    page["renderings"] = [r[0] for r in heapq.nsmallest(
        RENDERINGS_SHOWN, [known[i] for i in plan["renderings"]] + rows, key=_renderings_key)]
    page["undated"] = [*plan["undated"], *(r[0] for r in fresh)]
    if dated:
        added = [(moment_of(r[3], r[4]), r[4] is not None, r[2], r[5], r[1], r[0]) for r in dated]
        page["placed"] = base64.b64encode(base64.b64decode(plan["placed"])
                                          + base64.b64decode(pack_placed(added))).decode("ascii")
        # A grouped picture with a mention more at its latest moment: the count of its group, or
        # a group more (timeline.plan_with_group_added). Else the axis, units and marks hang on
        # every dated mention: laid out again from the plan's placed mentions (no read), as
        # page_plan lays it out.
        timeline = plan["timeline"]
        first, last = known[have.first_mention_id], known[have.last_mention_id]
        t0, t1 = moment_of(first[3], first[4]), moment_of(last[3], last[4])
        if not had_time and any(r[4] is not None for r in dated):
            timeline = None
        for r in dated:
            if timeline is None:
                break
            timeline = plan_with_group_added(timeline, t0, t1, had_time, r[2], r[2] not in dated_outlets,
                                             r[0], r[1], moment_of(r[3], r[4]), r[5])
            dated_outlets.add(r[2])
        if timeline is None:
            placed = [PlacedMention(i, article_id, outlet_id, "", moment, has_time, stance)
                      for moment, has_time, outlet_id, stance, article_id, i in unpack_placed(page["placed"])]
            timeline = timeline_plan(placed, have.first_mention_id, outlet=lambda m: m.outlet)
        page["timeline"] = timeline
    repeat, contra = _sides(outlets)
    return {"first_mention_id": have.first_mention_id,
            "last_mention_id": dated[-1][0] if dated else have.last_mention_id,
            "tie_ids": ties, "outlets": outlets, "fidelity": fidelity,
            "linked": have.linked + len(rows), "dated": have.dated + len(dated),
            "sided": live and bool(repeat | contra), "page": page}


def _insert_in_order(order: list[int], group: dict[int, tuple[str, int]], undated: set[int],
                     rows: list[tuple]) -> list[int]:
    """The mention list's order (mentions.page_order: by stance, then (stance, outlet) groups by
    their first mention in time, each group in time) with `rows` added: a new undated one comes
    after every mention (the end of its group, or a new group at the end of its stance's), a new
    dated one after every dated one and before the undated (`undated`): after its group's dated
    ones, or, where its group has none, as the group's new first, the group moved after the
    stance's groups that begin with a dated one. `group`: id -> (stance, outlet id)."""
    rank = {s_: i for i, s_ in enumerate(STANCES)}
    order = list(order)
    for r in sorted(rows, key=_list_key):
        key, mine = (r[5], r[2]), rank[r[5]]
        members = [n for n, i in enumerate(order) if group[i] == key]
        if r[3] is None:            # undated (_list_key: after every mention)
            at = members[-1] + 1 if members else \
                max((n for n, i in enumerate(order) if rank[group[i][0]] <= mine), default=-1) + 1
            order.insert(at, r[0])
        elif any(order[n] not in undated for n in members):
            order.insert(max(n for n in members if order[n] not in undated) + 1, r[0])
        else:
            moved = [order[n] for n in members]
            order = [i for i in order if group[i] != key]
            begun_dated = {group[i] for i in order if i not in undated}
            at = max((n for n, i in enumerate(order)
                      if rank[group[i][0]] < mine or (group[i][0] == key[0] and group[i] in begun_dated)),
                     default=-1) + 1
            order[at:at] = [r[0], *moved]
        if r[3] is None:
            undated.add(r[0])
        group[r[0]] = key
    return order


def _move_sides(session: Session, gone: list[tuple], came: list[tuple]) -> None:
    for at in range(0, len(gone), CHUNK):
        session.execute(delete(OutletClaim).where(
            tuple_(OutletClaim.outlet_id, OutletClaim.side, OutletClaim.claim_id).in_(gone[at:at + CHUNK]))
            .execution_options(synchronize_session=False))
    if came:
        session.execute(insert(OutletClaim), [{"outlet_id": o, "side": side, "claim_id": c} for o, side, c in came])


def _apply(session: Session, deltas: dict[tuple[int, int, str], int]) -> None:
    """Add each delta to its outlet_pairs row (made at 0 when missing); rows at 0 are removed."""
    if not deltas:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    stmt = upsert(OutletPair)
    stmt = stmt.on_conflict_do_update(index_elements=["a", "b", "kind"], set_={"n": OutletPair.n + stmt.excluded.n})
    session.execute(stmt, [{"a": a, "b": b, "kind": kind, "n": n} for (a, b, kind), n in sorted(deltas.items())])
    # Only a count that went down can have reached 0: those rows, not a scan of the table.
    fell = sorted(k for k, n in deltas.items() if n < 0)
    for at in range(0, len(fell), CHUNK):
        session.execute(delete(OutletPair).where(
            tuple_(OutletPair.a, OutletPair.b, OutletPair.kind).in_(fell[at:at + CHUNK]), OutletPair.n == 0)
            .execution_options(synchronize_session=False))


def _unused(have: dict | None, want: dict | None) -> bool:
    """Whether a stored page plan's suggested part is never drawn: none kept (append_spreads drops
    it), or worked out with other suggestions than the claim has now; the page then lays the
    picture out from the mentions."""
    if not have or not want:
        return False
    if not have.get("suggested"):
        return True         # none kept (or dropped by append_spreads): the page lays it out itself
    now = want.get("suggested")
    return have["suggested"]["waiting"] != (now["waiting"] if now else "")


def check_spreads(session: Session) -> list[str]:
    """Every stored summary and matrix count against a recomputation from the mentions; [] when
    they agree, else one line per difference."""
    session.flush()
    problems = []
    ids = sorted(set(session.scalars(select(Mention.claim_id).distinct()))
                 | set(session.scalars(select(ClaimSpread.claim_id))))
    stored = {r.claim_id: r for r in session.scalars(select(ClaimSpread))}
    pairs: Counter = Counter()
    sides: set[tuple[int, str, int]] = set()
    for at in range(0, len(ids), CHUNK):
        for claim_id, want in compute_spreads(session, ids[at:at + CHUNK]).items():
            have = stored.pop(claim_id, None)
            got = None if have is None else {k: getattr(have, k) for k in want}
            if got is not None and _unused(got["page"], want["page"]):
                # A plan of suggestions since decided (suggested_plan): never drawn, not a difference.
                got["page"] = {**got["page"], "suggested": want["page"]["suggested"]}
            if got != want:
                problems.append(f"claim {claim_id}: stored {got}, recomputed {want}")
            if want["sided"]:
                pair_deltas(*_sides(want["outlets"]), 1, pairs)
                sides |= side_rows(claim_id, *_sides(want["outlets"]))
    problems += [f"claim {c}: stored a summary but has no confirmed mention" for c in stored]
    have_pairs = {(p.a, p.b, p.kind): p.n for p in session.scalars(select(OutletPair))}
    want_pairs = {k: n for k, n in pairs.items() if n}
    if have_pairs != want_pairs:
        keys = sorted(set(have_pairs) | set(want_pairs))
        problems += [f"outlet pair {k}: stored {have_pairs.get(k)}, recomputed {want_pairs.get(k)}"
                     for k in keys if have_pairs.get(k) != want_pairs.get(k)]
    have_sides = {tuple(r) for r in session.execute(select(OutletClaim.outlet_id, OutletClaim.side, OutletClaim.claim_id))}
    problems += [f"outlet claim {k}: stored, not recomputed" for k in sorted(have_sides - sides)]
    problems += [f"outlet claim {k}: recomputed, not stored" for k in sorted(sides - have_sides)]
    return problems
