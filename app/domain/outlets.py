"""Outlets side by side, and one outlet's record.

The matrix answers "which outlets carry the same claims, and which disagree?" for a filter of
claims (a tag, a speaker, a range of publication days): for each pair of outlets, how many claims
both repeat, and how many one repeats while the other contradicts. A cell lists its claims. An
outlet's page shows the claims it carried first (spread's first appearance) and those it contradicts.

Confirmed mentions only (extracted or made by an analyst): a suggestion is the matcher's guess,
waiting for an analyst, and never counts here, as it never counts toward a claim's outlets. A
mention that only discusses a claim takes no side, so it counts in neither kind.

One rule decides what a pair of outlets shares on a claim (`pair_kinds`): the matrix counts with it
and a cell lists with it, so a cell's list is always as long as its number. An outlet that both
repeats and contradicts one claim (in two articles) counts on both sides.

Cost: the unfiltered matrix reads the counts kept as mentions change (outlet_pairs); a filter by
tag or speaker reads the kept sides (outlet_claims) of the filter's claims only; a filter by
publication day is counted from the mentions in that range (grouped queries and one pass over the
(claim, outlet, stance) rows of the outlets shown, never a query per claim or per cell). A cell
walks the two outlets' kept sides newest claim first and stops at its page (its total is the kept
count), unless a day range asks for the mentions. Only the `top` outlets by claim count are drawn
(the rest are counted and said to be left out), so the page stays readable at 300 outlets.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from app.domain.errors import InvalidInput
from app.domain.inputs import check_storable, optional_day, optional_int
from app.domain.linking import LINKED
from app.domain.list_spread import ARTICLE_DAYS
from app.domain.people import outlet_by_slug
from app.domain.review import clean_tag
from app.domain.spread import SpreadMention, carrying_outlets, with_details
from app.storage.engine import unindexed
from app.storage.models import (
    Article,
    Claim,
    ClaimSpread,
    ClaimTag,
    Mention,
    Outlet,
    OutletClaim,
    OutletPair,
    Speaker,
    Tag,
)
from app.vocab import PAIR_KINDS

SIDES = ("repeats", "contradicts")
DEFAULT_TOP, MIN_TOP, MAX_TOP = 20, 2, 60
MAX_CELL_CLAIMS = 200
MAX_SLUG = 200


@dataclass(frozen=True, slots=True)
class MatrixFilter:
    tag: str | None = None
    speaker: str | None = None     # speaker slug; a merged speaker's slug means its survivor
    since: date | None = None      # the article's publication day, inclusive
    until: date | None = None

    def query(self) -> dict[str, str | None]:
        """The filter as URL query values (None for an unset field)."""
        return {"tag": self.tag, "speaker": self.speaker,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None}


def matrix_filter(tag: str | None = None, speaker: str | None = None, since: str | None = None,
                  until: str | None = None) -> MatrixFilter:
    """The filter from what a person typed; a bad value is an InvalidInput naming the field."""
    tag = clean_tag(tag) if tag and tag.strip() else None
    speaker = check_storable((speaker or "").strip(), "speaker") or None
    if speaker and len(speaker) > MAX_SLUG:
        raise InvalidInput(f"speaker is longer than {MAX_SLUG} characters")
    first, last = optional_day(since, "since"), optional_day(until, "until")
    if first and last and first > last:
        raise InvalidInput(f"since ({first}) is after until ({last})")
    return MatrixFilter(tag=check_storable(tag, "tag"), speaker=speaker, since=first, until=last)


def parse_top(raw: str | None) -> int:
    value = optional_int(raw, "top", low=MIN_TOP, high=MAX_TOP)
    return DEFAULT_TOP if value is None else value


def parse_kind(raw: str | None) -> str:
    if raw not in PAIR_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(PAIR_KINDS)}")
    return raw


def _check_filter(session: Session, f: MatrixFilter) -> None:
    """A tag or speaker that does not exist is a mistyped filter, not an empty result."""
    if f.tag and session.scalar(select(Tag.id).where(Tag.name == f.tag)) is None:
        raise InvalidInput(f"no tag {f.tag!r}")
    if f.speaker and session.scalar(select(Speaker.id).where(Speaker.slug == f.speaker)) is None:
        raise InvalidInput(f"no speaker {f.speaker!r}")


def _dated(f: MatrixFilter) -> bool:
    """A filter by publication day: it picks mentions, not claims, so the kept sides cannot answer it."""
    return bool(f.since or f.until)


def _filter_claims(f: MatrixFilter):
    """The claims a tag and speaker filter keeps (a select of ids), or None for every claim."""
    picks = []
    if f.tag:
        picks.append(select(ClaimTag.claim_id).join(Tag, Tag.id == ClaimTag.tag_id).where(Tag.name == f.tag))
    if f.speaker:
        survivor = func.coalesce(Speaker.merged_into_id, Speaker.id)
        picks.append(select(Claim.id).where(Claim.speaker_id.in_(select(survivor).where(Speaker.slug == f.speaker))))
    if not picks:
        return None
    ids = picks[0]
    for more in picks[1:]:
        ids = ids.where(ids.selected_columns[0].in_(more))
    return ids


def _where(f: MatrixFilter) -> list:
    """Confirmed repeats and contradictions of live claims, within the filter. With a day range,
    the live-claim test is kept off its index (`+`): SQLite then starts from the articles of those
    days instead of every live claim (a month at 100k claims: 0.1-0.2 s of CPU against 0.7 s)."""
    where = [LINKED, Mention.stance.in_(SIDES), unindexed(Claim.merged_into_id, _dated(f)).is_(None)]
    if f.tag:
        where.append(Claim.id.in_(select(ClaimTag.claim_id).join(Tag, Tag.id == ClaimTag.tag_id)
                                  .where(Tag.name == f.tag)))
    if f.speaker:
        survivor = func.coalesce(Speaker.merged_into_id, Speaker.id)
        where.append(Claim.speaker_id.in_(select(survivor).where(Speaker.slug == f.speaker)))
    if f.since:
        where.append(Article.published >= f.since)
    if f.until:
        where.append(Article.published <= f.until)
    return where


def _joined(*columns):
    return (select(*columns).select_from(Mention).join(Article, Article.id == Mention.article_id)
            .join(Claim, Claim.id == Mention.claim_id))


def pair_kinds(a: int, b: int, repeat: set[int], contra: set[int]) -> tuple[str, ...]:
    """What outlets a and b share on one claim, given the outlets repeating and contradicting it."""
    kinds = ()
    if a in repeat and b in repeat:
        kinds += ("both_repeat",)
    if (a in repeat and b in contra) or (a in contra and b in repeat):
        kinds += ("split",)
    return kinds


Stances = dict[int, tuple[set[int], set[int]]]   # claim -> (outlets repeating it, outlets contradicting it)


def _add_stance(stances: Stances, claim_id: int, outlet_id: int, stance: str) -> None:
    stances.setdefault(claim_id, (set(), set()))[0 if stance == "repeats" else 1].add(outlet_id)


def pair_counts(stances: Stances) -> dict[str, Counter]:
    """kind -> (a, b) with a <= b -> claims. `stances` maps a claim to (repeating, contradicting)
    outlets. The diagonal (a, a) counts the claims a repeats, and those it both repeats and
    contradicts."""
    counts = {k: Counter() for k in PAIR_KINDS}
    for repeat, contra in stances.values():
        involved = sorted(repeat | contra)
        for i, a in enumerate(involved):
            for b in involved[i:]:
                for kind in pair_kinds(a, b, repeat, contra):
                    counts[kind][(a, b)] += 1
    return counts


@dataclass(frozen=True, slots=True)
class MatrixOutlet:
    id: int
    name: str
    slug: str
    claims: int        # claims it repeats or contradicts, within the filter
    repeats: int
    contradicts: int


@dataclass(frozen=True)
class OutletMatrix:
    filter: MatrixFilter
    outlets: tuple[MatrixOutlet, ...]   # the ones drawn, most claims first
    outlet_total: int                   # every outlet with a claim in the filter
    claim_total: int                    # claims some outlet repeats or contradicts
    top: int
    counts: dict[str, Counter]          # pair_counts over the outlets drawn

    def count(self, kind: str, a: int, b: int) -> int:
        return self.counts[kind][(a, b) if a <= b else (b, a)]

    @property
    def left_out(self) -> int:
        return self.outlet_total - len(self.outlets)


def outlet_matrix(session: Session, f: MatrixFilter, top: int = DEFAULT_TOP) -> OutletMatrix:
    _check_filter(session, f)
    if f == MatrixFilter():
        return _kept_matrix(session, f, top)
    if not _dated(f):
        return _claims_matrix(session, f, top)
    return scanned_matrix(session, f, top)


def _ranked_matrix(f: MatrixFilter, top: int, stances: Stances, outlets: dict[int, tuple[str, str]]) -> OutletMatrix:
    """The matrix from every counted claim's sides: what scanned_matrix counts with SQL."""
    claims, repeats, contradicts = Counter(), Counter(), Counter()
    for repeat, contra in stances.values():
        claims.update(repeat | contra)
        repeats.update(repeat)
        contradicts.update(contra)
    ranked = sorted((MatrixOutlet(o, *outlets[o], n, repeats[o], contradicts[o]) for o, n in claims.items()),
                    key=lambda o: (-o.claims, o.name))
    shown = tuple(ranked[:top])
    ids = {o.id for o in shown}
    drawn = {c: (rep & ids, con & ids) for c, (rep, con) in stances.items() if (rep | con) & ids}
    return OutletMatrix(filter=f, outlets=shown, outlet_total=len(ranked), claim_total=len(stances),
                        top=top, counts=pair_counts(drawn))


def _claims_matrix(session: Session, f: MatrixFilter, top: int) -> OutletMatrix:
    """A tag or speaker filter: the kept sides (outlet_claims) of the filter's claims, read by claim,
    not every mention (the same numbers as scanned_matrix: tests/test_domain_outlet_matrix.py)."""
    stances: Stances = {}
    for claim_id, outlet_id, side in session.execute(
            select(OutletClaim.claim_id, OutletClaim.outlet_id, OutletClaim.side)
            .where(OutletClaim.claim_id.in_(_filter_claims(f)))):
        _add_stance(stances, claim_id, outlet_id, side)
    involved = {o for rep, con in stances.values() for o in rep | con}
    outlets = {o: (name, slug) for o, name, slug in session.execute(
        select(Outlet.id, Outlet.name, Outlet.slug).where(Outlet.id.in_(involved)))} if involved else {}
    return _ranked_matrix(f, top, stances, outlets)


def scanned_matrix(session: Session, f: MatrixFilter, top: int = DEFAULT_TOP) -> OutletMatrix:
    """The matrix counted from the mentions within a filter (the kept counts know no filter): one
    read of the distinct (claim, outlet, stance) within it, counted here (two grouped counts in SQL
    over the same rows took 7 s for a month at 100k claims; the read alone, a fraction of it)."""
    stances: Stances = {}
    for claim_id, outlet_id, stance in session.execute(
            _joined(Mention.claim_id, Article.outlet_id, Mention.stance).distinct().where(*_where(f))):
        _add_stance(stances, claim_id, outlet_id, stance)
    involved = {o for rep, con in stances.values() for o in rep | con}
    outlets = {o: (name, slug) for o, name, slug in session.execute(
        select(Outlet.id, Outlet.name, Outlet.slug).where(Outlet.id.in_(involved)))} if involved else {}
    return _ranked_matrix(f, top, stances, outlets)


def _kept_matrix(session: Session, f: MatrixFilter, top: int) -> OutletMatrix:
    """The unfiltered matrix from the counts kept as mentions change (outlet_pairs, by
    domain/spread_summary.py), not from every mention: the same numbers as the filtered path
    gives with an empty filter (tests/test_spread_summary.py checks both)."""
    diagonal: dict[int, dict[str, int]] = {}
    for a, kind, n in session.execute(select(OutletPair.a, OutletPair.kind, OutletPair.n).where(OutletPair.a == OutletPair.b)):
        diagonal.setdefault(a, {})[kind] = n
    names = {o.id: o for o in session.execute(select(Outlet.id, Outlet.name, Outlet.slug)
                                               .where(Outlet.id.in_(list(diagonal))))}
    ranked = []
    for outlet_id, d in diagonal.items():
        repeats, contradicts = d.get("both_repeat", 0), d.get("contradicts", 0)
        claims = repeats + contradicts - d.get("split", 0)
        if claims:
            o = names[outlet_id]
            ranked.append(MatrixOutlet(o.id, o.name, o.slug, claims, repeats, contradicts))
    ranked.sort(key=lambda o: (-o.claims, o.name))
    shown = tuple(ranked[:top])
    ids = [o.id for o in shown]
    counts = {k: Counter() for k in PAIR_KINDS}
    if ids:
        for a, b, kind, n in session.execute(select(OutletPair.a, OutletPair.b, OutletPair.kind, OutletPair.n)
                                             .where(OutletPair.a.in_(ids), OutletPair.b.in_(ids),
                                                    OutletPair.kind.in_(PAIR_KINDS))):
            counts[kind][(a, b)] = n
    claim_total = session.scalar(select(func.count()).select_from(ClaimSpread).where(ClaimSpread.sided)) or 0
    return OutletMatrix(filter=f, outlets=shown, outlet_total=len(ranked), claim_total=claim_total,
                        top=top, counts=counts)


@dataclass(frozen=True, slots=True)
class CellMention:
    id: int
    article_id: int
    title: str
    published: date | None
    stance: str
    excerpt: str


@dataclass(frozen=True, slots=True)
class CellClaim:
    id: int
    text: str
    status: str
    speaker: str | None
    speaker_slug: str | None
    a: tuple[CellMention, ...]     # outlet a's confirmed repeats and contradictions of it
    b: tuple[CellMention, ...]


@dataclass(frozen=True)
class MatrixCell:
    filter: MatrixFilter
    kind: str
    a: Outlet
    b: Outlet
    claims: tuple[CellClaim, ...]   # newest claim first, at most `limit`
    total: int


def _cell_terms(a: int, b: int, kind: str) -> list[tuple[tuple[int, str], tuple[int, str]]]:
    """A cell's claims as a union of intersections of two kept side lists: pair_kinds read backwards."""
    if kind == "both_repeat":
        return [((a, "repeats"), (b, "repeats"))]
    terms = [((a, "repeats"), (b, "contradicts")), ((a, "contradicts"), (b, "repeats"))]
    return terms[:1] if a == b else terms


def _side_sizes(session: Session, outlets: set[int]) -> dict[tuple[int, str], int]:
    """(outlet, side) -> claims, from the kept diagonal (an outlet's both_repeat with itself is the
    claims it repeats; its `contradicts`, the claims it contradicts)."""
    sizes = {}
    for a, kind, n in session.execute(select(OutletPair.a, OutletPair.kind, OutletPair.n).where(
            OutletPair.a.in_(outlets), OutletPair.b == OutletPair.a, OutletPair.kind.in_(("both_repeat", "contradicts")))):
        sizes[(a, "repeats" if kind == "both_repeat" else "contradicts")] = n
    return sizes


def _has_side(key: tuple[int, str], claim_id) -> object:
    alias = OutletClaim.__table__.alias()
    return (select(alias.c.claim_id).where(alias.c.outlet_id == key[0], alias.c.side == key[1],
                                          alias.c.claim_id == claim_id).exists())


def _kept_cell_ids(session: Session, f: MatrixFilter, a: int, b: int, kind: str, limit: int) -> tuple[list[int], int]:
    """The cell's claim ids, newest first (at most `limit`), and how many there are, from the kept
    sides: unfiltered, each intersection walks the shorter list from the newest claim and looks the
    other up, stopping at `limit` (the total is the kept count); filtered by tag or speaker, from
    the filter's claims, each looked up in both lists."""
    terms = _cell_terms(a, b, kind)
    picked = _filter_claims(f)
    found: set[int] = set()
    if picked is None:
        sizes = _side_sizes(session, {a, b})
        for x, y in terms:
            if sizes.get(y, 0) < sizes.get(x, 0):
                x, y = y, x
            walk = (select(OutletClaim.claim_id).where(OutletClaim.outlet_id == x[0], OutletClaim.side == x[1]))
            if y != x:
                walk = walk.where(_has_side(y, OutletClaim.claim_id))
            found.update(session.scalars(walk.order_by(OutletClaim.claim_id.desc()).limit(limit)))
        total = session.scalar(select(OutletPair.n).where(
            OutletPair.a == min(a, b), OutletPair.b == max(a, b), OutletPair.kind == kind)) or 0
        return sorted(found, reverse=True)[:limit], total
    claim_id = picked.selected_columns[0]
    for x, y in terms:
        found.update(session.scalars(picked.where(_has_side(x, claim_id), _has_side(y, claim_id))))
    ids = sorted(found, reverse=True)
    return ids[:limit], len(ids)


def _scanned_cell_ids(session: Session, f: MatrixFilter, a: int, b: int, kind: str) -> list[int]:
    """Every claim of the cell, newest first, from the two outlets' mentions within the filter."""
    where = [*_where(f), Article.outlet_id.in_({a, b})]
    stances: Stances = {}
    for claim_id, outlet_id, stance in session.execute(
            _joined(Mention.claim_id, Article.outlet_id, Mention.stance).distinct().where(*where)):
        _add_stance(stances, claim_id, outlet_id, stance)
    return sorted((c for c, (rep, con) in stances.items() if kind in pair_kinds(a, b, rep, con)), reverse=True)


def matrix_cell(session: Session, f: MatrixFilter, a_slug: str, b_slug: str, kind: str,
                limit: int = MAX_CELL_CLAIMS) -> MatrixCell:
    """The claims behind one cell of the matrix, with each outlet's excerpts."""
    kind = parse_kind(kind)
    a, b = outlet_by_slug(session, a_slug), outlet_by_slug(session, b_slug)
    _check_filter(session, f)
    # Which claims first, from the sides alone; the excerpts only of the claims shown.
    if _dated(f):
        ids = _scanned_cell_ids(session, f, a.id, b.id, kind)
        total = len(ids)
    else:
        ids, total = _kept_cell_ids(session, f, a.id, b.id, kind, limit)
    # The shown claims' mentions, found by the claims (live, and within a tag or speaker filter
    # already) in two covering indexes (the mention's claim, origin, stance and article; the
    # article's outlet and day), then read by id: SQLite's planner, given the outlets and the
    # live-claim test, started from every article of the two outlets (465 ms at 100k claims), and
    # the rows of all the shown claims' mentions, most of other outlets, cost 87 ms more.
    art = ARTICLE_DAYS.c
    days = ([art.published >= f.since] if f.since else []) + ([art.published <= f.until] if f.until else [])
    shown = list(session.scalars(
        select(Mention.id).join(ARTICLE_DAYS, art.id == Mention.article_id)
        .where(LINKED, Mention.stance.in_(SIDES), art.outlet_id.in_({a.id, b.id}), *days,
               Mention.claim_id.in_(ids[:limit])))) if ids else []
    found = []
    for at in range(0, len(shown), 1000):     # within any engine's limit on bound values
        found += session.execute(
            select(Mention.claim_id, Article.outlet_id, Mention.id, Mention.article_id, Article.title,
                   Article.published, Mention.stance, Mention.excerpt)
            .join(Article, Article.id == Mention.article_id).where(Mention.id.in_(shown[at:at + 1000]))).all()
    found.sort(key=lambda r: (r.published is None, r.published or date.min, r.id))
    mentions: dict[tuple[int, int], list[CellMention]] = {}
    for claim_id, outlet_id, *columns in found:
        mentions.setdefault((claim_id, outlet_id), []).append(CellMention(*columns))
    claims = session.execute(
        select(Claim.id, Claim.text, Claim.status, Speaker.name, Speaker.slug)
        .outerjoin(Speaker, Speaker.id == Claim.speaker_id).where(Claim.id.in_(ids[:limit]))
        .order_by(Claim.id.desc())).all()
    items = tuple(CellClaim(*c, a=tuple(mentions.get((c[0], a.id), ())), b=tuple(mentions.get((c[0], b.id), ())))
                  for c in claims)
    return MatrixCell(filter=f, kind=kind, a=a, b=b, claims=items, total=total)


# --- One outlet's record -----------------------------------------------------------------------

#: How many of an outlet's claims (newest first) are examined for first appearances.
FIRST_SCAN = 1000
OUTLET_LIST = 50


@dataclass(frozen=True, slots=True)
class FirstHere:
    claim_id: int
    text: str
    mention: SpreadMention           # this outlet's earliest mention of the claim
    tied_with: tuple[str, ...]       # other outlets a day-only date cannot tell apart from it
    others: int                      # other outlets that carried it (confirmed, any stance)


@dataclass(frozen=True)
class OutletRecord:
    firsts: tuple[FirstHere, ...]    # most other outlets first, at most OUTLET_LIST
    first_total: int                 # claims it carried first that others took up (among those scanned)
    only_here: int                   # claims no other outlet carried (first by default)
    scanned: int                     # claims examined (its newest, at most FIRST_SCAN)
    capped: bool                     # it has more claims than were examined
    contradicts: tuple[tuple[int, str, CellMention], ...]   # (claim id, text, its mention), newest first
    contradict_total: int


def _firsts(session: Session, outlet: Outlet) -> tuple[list[FirstHere], int, int, int, bool]:
    """Claims whose first appearance (spread.py's rule: earliest confirmed dated mention) is this
    outlet's, or tied with it, and that other outlets took up: a claim only this outlet carried is
    first by default and only counted. From each examined claim's stored summary (claim_spreads:
    its first mention, the same-day ties, its outlets) and the outlet of each of those mentions;
    only the shown claims' mentions are read whole. Summing up the spread of each of 1,000 claims
    from every mention was 85 % of a computed outlet page (250 ms of CPU at 100k claims)."""
    ids = list(session.scalars(
        _joined(Mention.claim_id).where(Article.outlet_id == outlet.id, LINKED, Claim.merged_into_id.is_(None))
        .distinct().order_by(Mention.claim_id.desc()).limit(FIRST_SCAN + 1)))
    scanned = ids[:FIRST_SCAN]
    summaries = session.execute(
        select(ClaimSpread.claim_id, ClaimSpread.first_mention_id, ClaimSpread.tie_ids, ClaimSpread.outlets)
        .where(ClaimSpread.claim_id.in_(scanned))).all() if scanned else []
    named = sorted({i for _, first, ties, _ in summaries if first is not None for i in (first, *(ties or ()))})
    art = ARTICLE_DAYS.c
    outlet_of = {}
    for at in range(0, len(named), 1000):     # within any engine's limit on bound values
        outlet_of.update(session.execute(
            select(Mention.id, art.outlet_id).join(ARTICLE_DAYS, art.id == Mention.article_id)
            .where(Mention.id.in_(named[at:at + 1000]))).all())
    found: list[tuple[int, int, tuple[int, ...], int]] = []
    only_here = 0
    for claim_id, first, ties, outlets in summaries:
        if first is None:
            continue
        ties = [first, *(ties or ())]
        mine = next((m for m in ties if outlet_of[m] == outlet.id), None)
        if mine is None:
            continue
        outlet_count = len(carrying_outlets(outlets))
        if outlet_count <= 1:
            only_here += 1
            continue
        found.append((claim_id, mine, tuple(outlet_of[m] for m in ties if m != mine), outlet_count - 1))
    found.sort(key=lambda f: (-f[3], -f[0]))
    shown = found[:OUTLET_LIST]
    texts = dict(session.execute(select(Claim.id, Claim.text).where(Claim.id.in_([f[0] for f in shown]))).all())
    whole = with_details(session, [SimpleNamespace(id=f[1]) for f in shown])
    names = dict(session.execute(select(Outlet.id, Outlet.name).where(
        Outlet.id.in_({o for f in shown for o in f[2]}))).all()) if shown else {}
    firsts = [FirstHere(c, texts[c], whole[m], tuple(names[o] for o in t), n) for c, m, t, n in shown]
    return firsts, len(found), only_here, len(scanned), len(ids) > FIRST_SCAN


def outlet_record(session: Session, outlet: Outlet) -> OutletRecord:
    """What the outlet page shows beside its claims: what it carried first and what it contradicts."""
    firsts, first_total, only_here, scanned, capped = _firsts(session, outlet)
    where = [Article.outlet_id == outlet.id, LINKED, Mention.stance == "contradicts",
             Claim.merged_into_id.is_(None)]
    rows = session.execute(
        _joined(Claim.id, Claim.text, Mention.id, Mention.article_id, Article.title, Article.published,
                Mention.stance, Mention.excerpt).where(*where)
        .order_by(Claim.id.desc(), Mention.id).limit(OUTLET_LIST)).all()
    total = session.scalar(_joined(func.count(distinct(Mention.claim_id))).where(*where)) or 0
    seen: dict[int, tuple[int, str, CellMention]] = {}
    for claim_id, text, *m in rows:
        seen.setdefault(claim_id, (claim_id, text, CellMention(*m)))
    return OutletRecord(firsts=tuple(firsts), first_total=first_total, only_here=only_here, scanned=scanned,
                        capped=capped, contradicts=tuple(seen.values()), contradict_total=total)
