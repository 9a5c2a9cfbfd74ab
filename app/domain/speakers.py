"""An analyst's merge of two speakers the matcher could not tell were one person ("Solberg", a
bare surname two speakers bear, is in fact "Henrik Solberg").

Mirrors a claim merge: the source's quotes, claims and aliases move to the target, the source row
stays with `merged_into_id` set so its slug keeps answering (a 301 to the target), and one event
records the change. Later names that lead to the source (its aliases now point at the target, its
name resolves through people.live_speaker) land on the target.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, func, or_, select, update
from sqlalchemy.orm import Session

from app.domain.errors import Conflict, InvalidInput
from app.domain.events import record_event
from app.domain.people import live_speaker, speaker_by_slug
from app.storage.engine import insert_ignoring_conflicts
from app.storage.models import Claim, Event, Quote, Speaker, SpeakerAlias
from app.storage.prefix import starts_with


def resolve_speaker(session: Session, slug: str) -> Speaker:
    """The live speaker for a slug: a merged speaker's slug leads to its survivor (NotFound if the
    slug never existed)."""
    return live_speaker(session, speaker_by_slug(session, slug))


def _merge_pair(session: Session, source: str, target: str) -> tuple[Speaker, Speaker]:
    """The two speakers of a merge, as the merge and its preview both refuse them: a speaker into
    itself (InvalidInput), a source already merged or a target merged away (Conflict: the analyst
    should pick the survivor, not build a chain)."""
    src, dst = speaker_by_slug(session, source), speaker_by_slug(session, target)
    if src.id == dst.id:
        raise InvalidInput("cannot merge a speaker into itself")
    for row, role in ((src, "source"), (dst, "target")):
        if row.merged_into_id is not None:
            survivor = live_speaker(session, row)
            raise Conflict(f"speaker {row.slug!r} ({role}) was already merged into {survivor.slug!r}; "
                           f"use {survivor.slug!r} instead")
    return src, dst


def merge_speakers(session: Session, source: str, target: str, actor: str) -> Speaker:
    """Fold the speaker with slug `source` into the one with slug `target`; returns the target."""
    src, dst = _merge_pair(session, source, target)
    _both_live(session, src.id, dst.id)
    before = {"speaker": src.id, "slug": src.slug, "name": src.name}
    after = {"merged_into": dst.id, "slug": dst.slug, "name": dst.name}
    moved = {
        "quotes_moved": _repoint(session, Quote.__table__, src.id, dst.id),
        "claims_moved": _repoint(session, Claim.__table__, src.id, dst.id),
        "aliases_moved": _repoint(session, SpeakerAlias.__table__, src.id, dst.id),
    }
    insert_ignoring_conflicts(session, SpeakerAlias, alias=src.name.lower()[:200], speaker_id=dst.id)
    src.merged_into_id = dst.id
    dst.sex = dst.sex or src.sex   # what articles told of the person, whichever row it was kept on
    session.execute(update(Speaker).where(Speaker.merged_into_id == src.id)
                    .values(merged_into_id=dst.id))  # redirects stay one step long
    record_event(session, actor, "speaker.merge", "speaker", before["speaker"], before=before,
                 after={**after, **moved})
    session.flush()
    session.expire_all()  # quotes and claims in the identity map were moved by plain UPDATEs
    return session.get(Speaker, after["merged_into"])


def _both_live(session: Session, source_id: int, target_id: int) -> None:
    """Compare-and-set in id order, as for claims: each speaker must still be live in the database,
    not only in what this session read, or two analysts merging A into B and B into A at the same
    moment would leave each redirecting to the other."""
    for speaker_id in sorted((source_id, target_id)):
        done = session.execute(update(Speaker).where(Speaker.id == speaker_id, Speaker.merged_into_id.is_(None))
                               .values(merged_into_id=None).execution_options(synchronize_session=False))
        if done.rowcount == 0:
            raise Conflict(f"speaker {speaker_id} was merged into another speaker meanwhile; reload and try again")


def _repoint(session: Session, table, source_id: int, target_id: int) -> int:
    """Every row of `table` naming the source now names the target; how many moved."""
    result = session.execute(update(table).where(table.c.speaker_id == source_id)
                             .values(speaker_id=target_id))
    return result.rowcount


@dataclass(frozen=True)
class SpeakerMergePreview:
    """What a merge would move, shown before the analyst confirms it."""

    source: Speaker
    target: Speaker
    quotes: int
    claims: list[Claim]          # the first PREVIEW_CLAIMS of them, newest first
    claim_count: int
    aliases: list[str]           # the source's other names; its own name becomes one too


PREVIEW_CLAIMS = 50


def speaker_merge_preview(session: Session, source: str, target: str) -> SpeakerMergePreview:
    src, dst = _merge_pair(session, source, target)
    count = session.scalar(select(func.count(Claim.id)).where(Claim.speaker_id == src.id)) or 0
    claims = list(session.scalars(select(Claim).where(Claim.speaker_id == src.id)
                                  .order_by(Claim.id.desc()).limit(PREVIEW_CLAIMS)))
    aliases = list(session.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == src.id)
                                   .order_by(SpeakerAlias.alias)))
    quotes = session.scalar(select(func.count(Quote.id)).where(Quote.speaker_id == src.id)) or 0
    return SpeakerMergePreview(src, dst, quotes, claims, count, aliases)


def speakers_named(q: str) -> Select:
    """Speakers whose name or an alias contains the query (any case), as the ids their claims
    carry: a merged speaker's old name finds the claims of the speaker it was merged into. The
    speakers table is small beside the claims, so a substring scan of it is cheap."""
    needle = " ".join(q.split()).lower()
    named = select(Speaker.id).where(func.lower(Speaker.name).contains(needle, autoescape=True))
    aliased = select(SpeakerAlias.speaker_id).where(
        func.lower(SpeakerAlias.alias).contains(needle, autoescape=True))
    survivor = func.coalesce(Speaker.merged_into_id, Speaker.id)
    return select(survivor).where(or_(Speaker.id.in_(named), Speaker.id.in_(aliased)))


def speakers_prefixed(q: str) -> Select:
    """Speakers one of whose names (the full name, or a first name or surname only they bear: see
    people.get_or_create_speaker's aliases) starts with the query, as the ids their claims carry.
    What the claims search asks on every keystroke: read from the alias index, where a substring
    test (speakers_named) scanned all 20,000 speakers and their aliases, ~40 ms a search."""
    needle = " ".join("".join(c for c in q if c.isprintable() or c.isspace()).split()).lower()
    survivor = func.coalesce(Speaker.merged_into_id, Speaker.id)
    if not needle:     # nothing a name could start with (PostgreSQL refuses a NUL in text)
        return select(survivor).where(false())
    return select(survivor).where(Speaker.id.in_(
        select(SpeakerAlias.speaker_id).where(starts_with(SpeakerAlias.alias, needle))))


def merge_candidates(session: Session, source: Speaker, q: str, limit: int = 20) -> list[Speaker]:
    """Live speakers a search names, to merge `source` into (never itself)."""
    if not q.strip():
        return []
    stmt = (select(Speaker).where(Speaker.id.in_(speakers_named(q)), Speaker.id != source.id,
                                  Speaker.merged_into_id.is_(None)).order_by(Speaker.name).limit(limit))
    return list(session.scalars(stmt))


def speaker_history(session: Session, speaker: Speaker, limit: int = 100) -> list[Event]:
    """The speaker's events, newest first: merges into it and any of its own."""
    merged = select(Speaker.id).where(Speaker.merged_into_id == speaker.id)
    stmt = (select(Event).where(Event.entity == "speaker",
                                or_(Event.entity_id == speaker.id, Event.entity_id.in_(merged)))
            .order_by(Event.at.desc(), Event.id.desc()).limit(limit))
    return list(session.scalars(stmt))
