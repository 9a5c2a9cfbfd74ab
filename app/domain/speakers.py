"""An analyst's merge of two speakers the matcher could not tell were one person ("Solberg", a
bare surname two speakers bear, is in fact "Henrik Solberg").

Mirrors a claim merge: the source's quotes, claims and aliases move to the target, the source row
stays with `merged_into_id` set so its slug keeps answering (a 301 to the target), and one event
records the change. Later names that lead to the source (its aliases now point at the target, its
name resolves through people.live_speaker) land on the target.
"""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.domain.errors import Conflict, InvalidInput
from app.domain.events import record_event
from app.domain.people import live_speaker, speaker_by_slug
from app.storage.engine import insert_ignoring_conflicts
from app.storage.models import Claim, Quote, Speaker, SpeakerAlias


def resolve_speaker(session: Session, slug: str) -> Speaker:
    """The live speaker for a slug: a merged speaker's slug leads to its survivor (NotFound if the
    slug never existed)."""
    return live_speaker(session, speaker_by_slug(session, slug))


def merge_speakers(session: Session, source: str, target: str, actor: str) -> Speaker:
    """Fold the speaker with slug `source` into the one with slug `target`; returns the target.

    Refused: a speaker into itself (InvalidInput), a source already merged or a target merged
    away (Conflict: the analyst should pick the survivor, not build a chain)."""
    src, dst = speaker_by_slug(session, source), speaker_by_slug(session, target)
    if src.id == dst.id:
        raise InvalidInput("cannot merge a speaker into itself")
    for row, role in ((src, "source"), (dst, "target")):
        if row.merged_into_id is not None:
            survivor = live_speaker(session, row)
            raise Conflict(f"speaker {row.slug!r} ({role}) was already merged into {survivor.slug!r}; "
                           f"use {survivor.slug!r} instead")
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
