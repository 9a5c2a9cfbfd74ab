"""A claim's spread summed up and stored (claim_spreads), and the outlet matrix's counts kept as
mentions change (outlet_pairs, and outlet_claims: which side each outlet takes on each claim
counted there, what a matrix cell lists).

Why stored: the claim page's "first seen", outlets by stance and fidelity counts, and the matrix's
pair counts, were aggregates over every mention on each load (3 s for the matrix at 100k claims).
They change only when a claim's mentions do, and every path that changes mentions (ingest, link,
unlink, stance, accepting a suggestion, merge, article delete, bulk load, a text edit that re-judges
fidelity) already recounts `claims.outlet_count` through linking.refresh_outlet_counts; that
function calls `refresh_spreads` here, so one call keeps all three right. `db copy` copies the
tables like any other.

The rules are spread.py's (confirmed mentions only, the moment order, the same-day ties) and
outlets.py's (pair_kinds over a live claim's repeating and contradicting outlets): the summary is
computed from the claim's mentions with them, never updated by increments, so it cannot drift. The
matrix counts and the outlet_claims rows are updated by the difference between a claim's old
sides and its new ones.
`check_spreads` recomputes everything from scratch and names what differs (for tests and doubts).
"""
from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timezone

from sqlalchemy import delete, insert, select, tuple_
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
    `rows` (page_plan's) and its suggestions as (id, article_id, outlet_id, published, published_at
    (UTC), stance): the plan (timeline.timeline_plan, rows by outlet id), the undated suggestions
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


def _confirmed_rows(session: Session, ids: list[int]) -> dict[int, list[tuple]]:
    stmt = (select(Mention.claim_id, Mention.id, Mention.article_id, Article.outlet_id, Article.published,
                   Article.published_at, Mention.stance, Mention.fidelity, Mention.start)
            .join(Article, Article.id == Mention.article_id)
            .where(Mention.claim_id.in_(ids), Mention.origin != "suggested"))
    by_claim: dict[int, list[tuple]] = {}
    for r in session.execute(stmt):
        by_claim.setdefault(r[0], []).append((r[1], r[2], r[3], r[4], as_utc(r[5]), r[6], r[7], r[8]))
    return by_claim


def _suggested_rows(session: Session, ids: list[int]) -> dict[int, list[tuple]]:
    if not ids:
        return {}
    stmt = (select(Mention.claim_id, Mention.id, Mention.article_id, Article.outlet_id, Article.published,
                   Article.published_at, Mention.stance)
            .join(Article, Article.id == Mention.article_id)
            .where(Mention.claim_id.in_(ids), Mention.origin == "suggested"))
    by_claim: dict[int, list[tuple]] = {}
    for r in session.execute(stmt):
        by_claim.setdefault(r[0], []).append((r[1], r[2], r[3], r[4], as_utc(r[5]), r[6]))
    return by_claim


def compute_spreads(session: Session, ids: list[int]) -> dict[int, dict]:
    """claim id -> the summary row it should have (claims without a confirmed mention left out)."""
    live = set(session.scalars(select(Claim.id).where(Claim.id.in_(ids), Claim.merged_into_id.is_(None))))
    out = {}
    confirmed = _confirmed_rows(session, ids)
    waiting = _suggested_rows(session, [c for c, rows in confirmed.items() if len(rows) > spread.READ_WHOLE])
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


def refresh_spreads(session: Session, claim_ids: Iterable[int]) -> None:
    """Recompute the stored summary of these claims and move the matrix counts by the difference.
    Called by linking.refresh_outlet_counts: whoever changes mentions calls that."""
    ids = sorted(set(claim_ids))
    for at in range(0, len(ids), CHUNK):
        _refresh(session, ids[at:at + CHUNK])


def _refresh(session: Session, ids: list[int]) -> None:
    # The claims' rows locked first (PostgreSQL; SQLite has one writer): two writers refreshing
    # one claim would otherwise both take its old sides away from the matrix. FOR NO KEY UPDATE,
    # not FOR UPDATE: a writer that inserted a mention already holds KEY SHARE on its claim (the
    # foreign key), which FOR UPDATE waits for, so two ingests linking to each other's claims
    # deadlocked (6 parallel ingests on PostgreSQL); NO KEY UPDATE still excludes another refresher.
    session.execute(select(Claim.id).where(Claim.id.in_(ids)).order_by(Claim.id)
                    .with_for_update(key_share=True))
    old = {r.claim_id: r for r in session.execute(
        select(ClaimSpread.claim_id, ClaimSpread.outlets, ClaimSpread.sided).where(ClaimSpread.claim_id.in_(ids)))}
    new = compute_spreads(session, ids)
    deltas: Counter = Counter()
    gone: set[tuple[int, str, int]] = set()
    came: set[tuple[int, str, int]] = set()
    for claim_id in ids:
        before, after = old.get(claim_id), new.get(claim_id)
        was = _sides(before.outlets) if before is not None and before.sided else (frozenset(), frozenset())
        now = _sides(after["outlets"]) if after is not None and after["sided"] else (frozenset(), frozenset())
        if was != now:
            pair_deltas(*was, -1, deltas)
            pair_deltas(*now, 1, deltas)
            rows_was, rows_now = side_rows(claim_id, *was), side_rows(claim_id, *now)
            gone |= rows_was - rows_now
            came |= rows_now - rows_was
    session.execute(delete(ClaimSpread).where(ClaimSpread.claim_id.in_(ids))
                    .execution_options(synchronize_session=False))
    if new:
        session.execute(insert(ClaimSpread), list(new.values()))
    _apply(session, {k: n for k, n in deltas.items() if n})
    _move_sides(session, sorted(gone), sorted(came))


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
    """Whether a stored page plan's suggested part was worked out with other suggestions than the
    claim has now: the page then lays the picture out from the mentions (never draws it)."""
    if not have or not want or not have.get("suggested"):
        return False
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
