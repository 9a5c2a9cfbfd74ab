"""Claims: finding, listing and the analyst's changes, each recorded as an event."""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.domain.errors import MAX_ID, Conflict, InvalidInput, NotFound, get_or_404
from app.domain.inputs import check_range, is_ascii_int
from app.domain.linking import LINKED
from app.domain.speakers import speakers_named
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
from app.storage.search import claim_text_matches
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


def _apply_filter(stmt: Select, f: ClaimFilter) -> Select:
    stmt = stmt.where(Claim.merged_into_id.is_(None))
    if f.q and f.q.strip():
        stmt = stmt.where(or_(claim_text_matches(f.q), Claim.speaker_id.in_(speakers_named(f.q))))
    if f.status:
        stmt = stmt.where(Claim.status == f.status)
    if f.speaker:
        # A merged speaker's slug (an old permalink) filters by the speaker it was merged into.
        survivor = func.coalesce(Speaker.merged_into_id, Speaker.id)
        stmt = stmt.where(Claim.speaker_id.in_(select(survivor).where(Speaker.slug == f.speaker)))
    if f.outlet:
        stmt = stmt.where(Claim.id.in_(
            select(Mention.claim_id).join(Article, Article.id == Mention.article_id)
            .join(Outlet, Outlet.id == Article.outlet_id).where(Outlet.slug == f.outlet, LINKED)))
    if f.tag:
        stmt = stmt.where(Claim.id.in_(
            select(ClaimTag.claim_id).join(Tag, Tag.id == ClaimTag.tag_id).where(Tag.name == f.tag)))
    if f.since or f.until:
        dated = select(Mention.claim_id).join(Article, Article.id == Mention.article_id).where(LINKED)
        if f.since:
            dated = dated.where(Article.published >= f.since)
        if f.until:
            dated = dated.where(Article.published <= f.until)
        stmt = stmt.where(Claim.id.in_(dated))
    return stmt


COUNT_CAP = 1000


def count_claims(session: Session, f: ClaimFilter, cap: int | None = None) -> tuple[int, bool]:
    """How many claims the filter finds, counted up to `cap` (True when there are more): an exact
    count at a million claims is a scan, and the list says "more than" instead."""
    cap = cap or COUNT_CAP
    found = session.scalar(select(func.count()).select_from(
        _apply_filter(select(Claim.id), f).limit(cap + 1).subquery())) or 0
    return min(found, cap), found > cap


def iter_claims(session: Session, f: ClaimFilter, batch: int = 500) -> Iterator[ClaimPage]:
    """Every claim the filter finds, a keyset page at a time (an export never holds one cursor
    open across pages, nor the whole list)."""
    cursor = None
    while True:
        page = list_claims(session, f, limit=batch, cursor=cursor)
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


def _after_cursor(stmt: Select, cursor: str, sort: str) -> Select:
    """Keyset pagination: rows strictly after the last one shown, in the same descending order."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if sort == "newest":
            return stmt.where(Claim.id < _small_int(raw))
        value, _, last_id = raw.rpartition("~")
        key = _cursor_time(value) if sort == "changed" else _small_int(value)
        col = Claim.updated_at if sort == "changed" else Claim.outlet_count
        return stmt.where(or_(col < key, and_(col == key, Claim.id < _small_int(last_id))))
    except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error):
        raise InvalidInput(f"bad cursor {cursor[:40]!r}") from None


def list_claims(session: Session, f: ClaimFilter, limit: int = 25, cursor: str | None = None) -> ClaimPage:
    if f.sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}")
    if f.status and f.status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    check_range(f.since, f.until)
    stmt = _apply_filter(select(Claim), f)
    if cursor:
        stmt = _after_cursor(stmt, cursor, f.sort)
    first, second = _sort_columns(f.sort)
    order = [first.desc()] + ([second.desc()] if second is not None else [])
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
