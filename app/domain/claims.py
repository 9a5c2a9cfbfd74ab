"""Claims: finding, listing and the analyst's changes, each recorded as an event."""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from sqlalchemy import Select, and_, func, or_, select, union, union_all, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.domain.errors import MAX_ID, Conflict, InvalidInput, NotFound, get_or_404
from app.domain.inputs import check_range, is_ascii_int
from app.domain.linking import LINKED
from app.domain.speakers import speakers_prefixed
from app.storage.models import (
    Article,
    Claim,
    ClaimTag,
    Mention,
    Outlet,
    Speaker,
    Tag,
    utcnow,
)
from app.storage.engine import unindexed
from app.storage.search import claim_text_hits, claim_text_matches, query_tokens
from app.vocab import STATUSES

SORTS = ("outlets", "newest", "changed")
MAX_REASON = 2000
MAX_CLAIM_TEXT = 5000


@dataclass(frozen=True)
class ClaimFilter:
    q: str | None = None
    status: str | None = None
    outlet: str | None = None      # outlet slug
    speaker: str | None = None     # speaker slug
    tag: str | None = None         # tag name
    sort: str = "outlets"
    since: date | None = None      # with a confirmed mention published on or after this day
    until: date | None = None      # ... and on or before this day


@dataclass
class ClaimPage:
    claims: list[Claim]
    next_cursor: str | None
    tags: dict[int, list[str]] = field(default_factory=dict)


def resolve_claim(session: Session, claim_id: int) -> Claim:
    """The live claim for an id: a merged claim's id leads to its survivor."""
    claim = get_or_404(session, Claim, claim_id, "claim")
    seen = set()
    while claim is not None and claim.merged_into_id is not None and claim.id not in seen:
        seen.add(claim.id)
        claim = session.get(Claim, claim.merged_into_id)
    if claim is None:
        raise NotFound(f"no claim {claim_id}")
    return claim


def _sort_columns(sort: str):
    if sort == "newest":
        return Claim.id, None
    if sort == "changed":
        return Claim.updated_at, Claim.id
    return Claim.outlet_count, Claim.id


# Query plans on SQLite. Its planner has no statistics on how many claims a filter keeps, and it
# used to walk every live claim (the merged_into_id index) or every claim of a status, testing each
# against the search or outlet, then sort them all: 1.5 s a page at 100,000 claims. So a filtered
# list is planned here, from the capped count: when few claims match (SPARSE), the search, outlet,
# tag, date or speaker picks the rows and only they are sorted; when many do (DENSE), the sort's
# own index is walked in order and stops at the page's last row, each row tested against the
# filter; so is an unfiltered list or one of a status (the live-claim index used to pick all rows).
# `+column` (unary plus) is SQLite's documented way to keep an index from being used.
# PostgreSQL plans from its statistics and gets the plain query.
SPARSE, DENSE = "sparse", "dense"


def _searched(f: ClaimFilter) -> bool:
    """A query with a word in it: one of only punctuation or spaces finds everything, as before."""
    return bool(f.q and query_tokens(f.q))


def _selective(f: ClaimFilter) -> bool:
    return bool(_searched(f) or f.outlet or f.speaker or f.tag or f.since or f.until)


def _apply_filter(stmt: Select, f: ClaimFilter, plan: str | None = None) -> Select:
    broad_off, pick_off = plan is not None, plan == DENSE
    claim_id = unindexed(Claim.id, pick_off)
    stmt = stmt.where(unindexed(Claim.merged_into_id, broad_off).is_(None))
    if _searched(f):
        # One IN over a UNION, not an OR of two: SQLite can then start from the matching ids.
        said = select(Claim.id).where(Claim.speaker_id.in_(speakers_prefixed(f.q)))
        if plan is None:
            stmt = stmt.where(claim_id.in_(union(select(Claim.id).where(claim_text_matches(f.q)), said)))
        else:
            # SQLite: the index's own rowids (no lookup of each match's claim row) and UNION ALL (the
            # IN list drops repeats itself; UNION sorted them into a b-tree of its own first): what
            # walking the sort order (DENSE) gathers first, a third of the time at 100k claims.
            hits = claim_text_hits(f.q)
            stmt = stmt.where(claim_id.in_(union_all(select(hits.c.id), said)))
    if f.status:
        stmt = stmt.where(unindexed(Claim.status, broad_off) == f.status)
    if f.speaker:
        # A merged speaker's slug (an old permalink) filters by the speaker it was merged into.
        survivor = func.coalesce(Speaker.merged_into_id, Speaker.id)
        stmt = stmt.where(unindexed(Claim.speaker_id, pick_off).in_(
            select(survivor).where(Speaker.slug == f.speaker)))
    if f.outlet:
        stmt = stmt.where(_member(_carried_by(f.outlet), Mention.claim_id, plan))
    if f.tag:
        stmt = stmt.where(_member(
            select(ClaimTag.claim_id).join(Tag, Tag.id == ClaimTag.tag_id).where(Tag.name == f.tag),
            ClaimTag.claim_id, plan))
    if f.since or f.until:
        dated = select(Mention.claim_id).join(Article, Article.id == Mention.article_id).where(LINKED)
        if f.since:
            dated = dated.where(Article.published >= f.since)
        if f.until:
            dated = dated.where(Article.published <= f.until)
        stmt = stmt.where(_member(dated, Mention.claim_id, plan))
    return stmt


def _carried_by(outlet_slug: str) -> Select:
    """The claims an outlet's confirmed mentions carry (a claim once per mention)."""
    return (select(Mention.claim_id).join(Article, Article.id == Mention.article_id)
            .join(Outlet, Outlet.id == Article.outlet_id).where(Outlet.slug == outlet_slug, LINKED))


def _member(ids: Select, key, plan: str | None):
    """Claim.id among `ids`: an IN list, or, walking the sort order (DENSE), a lookup per claim
    (building the list of a big outlet's every mention cost more than the walk)."""
    if plan == DENSE:
        return ids.where(key == Claim.id).exists()
    return Claim.id.in_(ids)


def _plan(session: Session, f: ClaimFilter, dense: bool | None) -> str | None:
    """SPARSE or DENSE for a filtered list on SQLite (see above); `dense` is the count's "more than
    COUNT_CAP" when the caller has it."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    if not _selective(f):
        return DENSE    # every claim, or a status: walk the sort order (not every live claim, sorted)
    if dense is None:
        dense = count_claims(session, f)[1]
    return DENSE if dense else SPARSE


COUNT_CAP = 1000


def count_claims(session: Session, f: ClaimFilter, cap: int | None = None) -> tuple[int, bool]:
    """How many claims the filter finds, counted up to `cap` (True when there are more): an exact
    count at a million claims is a scan, and the list says "more than" instead."""
    cap = cap or COUNT_CAP
    plan = SPARSE if session.get_bind().dialect.name == "sqlite" and _selective(f) else None
    hits = claim_text_hits(f.q) if plan and _searched(f) else None
    if plan and f.outlet:
        # From the outlet's mentions, one claim at a time, stopping at cap + 1 claims: an IN list
        # would first gather all of a big outlet's mentions.
        ids = _carried_by(f.outlet).join(Claim, Claim.id == Mention.claim_id).distinct()
        ids = _apply_filter(ids, replace(f, outlet=None), plan)
    elif hits is not None:
        # From the index, each side stopping at cap + 1: the text's matches and the speakers'.
        rest = replace(f, q=None)
        text = _apply_filter(select(Claim.id).join(hits, hits.c.id == Claim.id), rest, plan)
        said = _apply_filter(select(Claim.id).where(Claim.speaker_id.in_(speakers_prefixed(f.q))), rest, plan)
        ids = union(*(select(side.limit(cap + 1).subquery().c.id) for side in (text, said)))
    else:
        ids = _apply_filter(select(Claim.id), f, plan)
    found = session.scalar(select(func.count()).select_from(ids.limit(cap + 1).subquery())) or 0
    return min(found, cap), found > cap


def iter_claims(session: Session, f: ClaimFilter, batch: int = 500) -> Iterator[ClaimPage]:
    """Every claim the filter finds, a keyset page at a time (an export never holds one cursor
    open across pages, nor the whole list)."""
    cursor, dense = None, count_claims(session, f)[1]
    while True:
        page = list_claims(session, f, limit=batch, cursor=cursor, dense=dense)
        yield page
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _encode_cursor(claim: Claim, sort: str) -> str:
    """Opaque to clients (URL-safe base64) so it survives being pasted into a query string."""
    if sort == "newest":
        raw = str(claim.id)
    elif sort == "changed":
        raw = f"{claim.updated_at.isoformat()}~{claim.id}"
    else:
        raw = f"{claim.outlet_count}~{claim.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _small_int(text: str) -> int:
    """A count or id from a cursor: ASCII digits within the 32-bit columns' range."""
    if not is_ascii_int(text) or not 0 <= int(text) <= MAX_ID:
        raise ValueError(text)
    return int(text)


def _cursor_time(text: str) -> datetime:
    """A cursor's timestamp, in UTC when it names a zone: a date the conversion takes past the
    calendar (year 9999 at -23:59) fails here, not in the driver."""
    value = datetime.fromisoformat(text)
    return value.astimezone(timezone.utc) if value.tzinfo else value


def _after_cursor(stmt: Select, cursor: str, sort: str, sort_off: bool = False) -> Select:
    """Keyset pagination: rows strictly after the last one shown, in the same descending order
    (`sort_off`: the sort columns kept off their indexes, see SPARSE)."""
    claim_id = unindexed(Claim.id, sort_off)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if sort == "newest":
            return stmt.where(claim_id < _small_int(raw))
        value, _, last_id = raw.rpartition("~")
        key = _cursor_time(value) if sort == "changed" else _small_int(value)
        col = unindexed(Claim.updated_at if sort == "changed" else Claim.outlet_count, sort_off)
        return stmt.where(or_(col < key, and_(col == key, claim_id < _small_int(last_id))))
    except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error):
        raise InvalidInput(f"bad cursor {cursor[:40]!r}") from None


def list_claims(session: Session, f: ClaimFilter, limit: int = 25, cursor: str | None = None,
                dense: bool | None = None) -> ClaimPage:
    """A keyset page of the claims the filter finds; `dense`: whether count_claims was capped, when
    the caller has counted already (else it is counted here to plan the query, on SQLite)."""
    if f.sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}")
    if f.status and f.status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    check_range(f.since, f.until)
    plan = _plan(session, f, dense)
    stmt = _apply_filter(select(Claim), f, plan)
    sort_off = plan == SPARSE
    if cursor:
        stmt = _after_cursor(stmt, cursor, f.sort, sort_off)
    first, second = _sort_columns(f.sort)
    order = [unindexed(first, sort_off).desc()] + ([unindexed(second, sort_off).desc()] if second is not None else [])
    rows = list(session.scalars(stmt.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return ClaimPage(rows, _encode_cursor(rows[-1], f.sort) if more and rows else None,
                     tags_for_claims(session, [c.id for c in rows]))


def tags_for_claims(session: Session, claim_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in claim_ids}
    if claim_ids:
        stmt = (select(ClaimTag.claim_id, Tag.name).join(Tag, Tag.id == ClaimTag.tag_id)
                .where(ClaimTag.claim_id.in_(claim_ids)).order_by(Tag.name))
        for cid, name in session.execute(stmt):
            out[cid].append(name)
    return out


def check_version(claim: Claim, expected: int | None) -> None:
    if expected is not None and expected != claim.version:
        raise Conflict(f"claim {claim.id} changed since you loaded it (now version {claim.version}, "
                       f"you had {expected}); reload to see the current state")


def claim_for_edit(session: Session, claim_id: int, expected_version: int | None = None) -> Claim:
    """The live claim, its version already bumped by a compare-and-set UPDATE (WHERE version = the
    version just read), before the caller changes anything.

    Reading the version and writing the change are two statements: two writers can both pass
    check_version (SQLite reads outside the write transaction, PostgreSQL reads before the row
    lock). Only one of them can move version v to v+1; the other gets a Conflict instead of
    overwriting. From here to commit the writer holds the row (PostgreSQL) or the write lock
    (SQLite), so the before-values it records are the ones it replaces. Without an expected
    version the caller asked for no check: a lost race is retried on fresh values instead."""
    for _ in range(5):
        claim = resolve_claim(session, claim_id)
        check_version(claim, expected_version)
        if _bump_if_unchanged(session, claim):
            return claim
        session.refresh(claim)
        check_version(claim, expected_version)
    raise Conflict(f"claim {claim_id} is being changed by others; try again")


def _bump_if_unchanged(session: Session, claim: Claim) -> bool:
    now = utcnow()
    done = session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.version == claim.version)
        .values(version=Claim.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1
    if done:
        set_committed_value(claim, "version", claim.version + 1)
        set_committed_value(claim, "updated_at", now)
    return done


def touch(claim: Claim) -> None:
    """Count one more change without a version check: `version = version + 1` is computed by the
    database, so two writers that read the same version still make two increments (a client
    holding the first new version then cannot overwrite the second change)."""
    claim.version = Claim.version + 1
    claim.updated_at = utcnow()


def clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("a reason is required")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"reason is longer than {MAX_REASON} characters")
    return reason


def clean_claim_text(text: str | None) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput("claim text cannot be empty")
    if len(text) > MAX_CLAIM_TEXT:
        raise InvalidInput(f"claim text is longer than {MAX_CLAIM_TEXT} characters")
    return text
