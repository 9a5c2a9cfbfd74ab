"""The analyst's verdicts on a claim: status, text, tags and merges. Each change bumps the version and
writes one event, so a later accounts layer can guard every write in one place."""
from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.domain.claims import (
    check_version,
    claim_for_edit,
    clean_claim_text,
    clean_reason,
    resolve_claim,
    touch,
)
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.events import record_event
from app.domain.people import get_or_create_named
from app.domain.vectors import drop_vector
from app.domain.linking import (
    drop_claim_index,
    index_claim_text,
    refresh_fidelity,
    refresh_outlet_counts,
    text_hashes,
)
from app.storage.models import Claim, ClaimShingle, ClaimTag, Mention, Tag
from app.vocab import STATUSES

MAX_TAG = 60


def set_status(session: Session, claim_id: int, status: str, reason: str | None, actor: str,
               expected_version: int | None = None) -> Claim:
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
    reason = clean_reason(reason)
    claim = claim_for_edit(session, claim_id, expected_version)
    before = {"status": claim.status, "reason": claim.status_reason}
    claim.status, claim.status_reason = status, reason
    record_event(session, actor, "claim.status", "claim", claim.id, claim_id=claim.id,
                 before=before, after={"status": status, "reason": reason})
    return claim


def edit_text(session: Session, claim_id: int, text: str, actor: str,
              expected_version: int | None = None) -> Claim:
    text = clean_claim_text(text)
    claim = resolve_claim(session, claim_id)
    check_version(claim, expected_version)
    if text == claim.text:
        return claim
    claim = claim_for_edit(session, claim_id, expected_version)
    if text == claim.text:
        raise Conflict(f"claim {claim.id} was just given this same wording by someone else")
    before = {"text": claim.text}
    claim.text = text
    claim.norm_hash, _ = text_hashes(text)
    # Keep the old wording's runs too: articles that repeat it still belong to this claim.
    index_claim_text(session, claim.id, text)
    drop_vector(session, claim.id)
    refresh_fidelity(session, claim)
    record_event(session, actor, "claim.edit", "claim", claim.id, claim_id=claim.id,
                 before=before, after={"text": text})
    return claim


def clean_tag(name: str | None) -> str:
    name = " ".join((name or "").split()).lower()
    if not name:
        raise InvalidInput("tag cannot be empty")
    if len(name) > MAX_TAG:
        raise InvalidInput(f"tag is longer than {MAX_TAG} characters")
    return name


def _tag_link(session: Session, claim_id: int, name: str) -> ClaimTag | None:
    tag_id = session.scalar(select(Tag.id).where(Tag.name == name))
    return session.get(ClaimTag, (claim_id, tag_id)) if tag_id is not None else None


def add_tag(session: Session, claim_id: int, name: str, actor: str,
            expected_version: int | None = None) -> Claim:
    """Adding a tag the claim has is a no-op. The check is made again once the claim is held, so
    two analysts adding one tag at once give one change and a Conflict, never a duplicate row."""
    name = clean_tag(name)
    claim = resolve_claim(session, claim_id)
    if _tag_link(session, claim.id, name) is not None:
        return claim
    claim = claim_for_edit(session, claim_id, expected_version)
    if _tag_link(session, claim.id, name) is not None:
        raise Conflict(f"claim {claim.id} was just tagged {name!r} by someone else")
    tag = get_or_create_named(session, Tag, name)
    session.add(ClaimTag(claim_id=claim.id, tag_id=tag.id, created_by=actor))
    record_event(session, actor, "claim.tag.add", "claim", claim.id, claim_id=claim.id,
                 after={"tag": name})
    return claim


def remove_tag(session: Session, claim_id: int, name: str, actor: str) -> Claim:
    name = clean_tag(name)
    claim = resolve_claim(session, claim_id)
    if _tag_link(session, claim.id, name) is None:
        raise NotFound(f"claim {claim.id} has no tag {name!r}")
    claim = claim_for_edit(session, claim_id)
    link = _tag_link(session, claim.id, name)
    if link is None:
        raise Conflict(f"tag {name!r} was just removed from claim {claim.id} by someone else")
    session.delete(link)
    record_event(session, actor, "claim.tag.remove", "claim", claim.id, claim_id=claim.id,
                 before={"tag": name})
    return claim


def merge_claims(session: Session, source_id: int, target_id: int, actor: str) -> Claim:
    """Fold `source` into `target`: its mentions, tags and wording move; its id becomes a redirect."""
    source = resolve_claim(session, source_id)
    target = resolve_claim(session, target_id)
    if source.id == target.id:
        raise InvalidInput("cannot merge a claim into itself")
    _claim_both_live(session, source.id, target.id)
    moved = _move_mentions(session, source.id, target.id)
    _move_tags(session, source.id, target.id)
    old = set(session.scalars(select(ClaimShingle.hash).where(ClaimShingle.claim_id == source.id)))
    have = set(session.scalars(select(ClaimShingle.hash).where(ClaimShingle.claim_id == target.id)))
    drop_claim_index(session, source.id)
    session.add_all(ClaimShingle(claim_id=target.id, hash=h) for h in old - have)
    source.merged_into_id = target.id
    touch(source)
    touch(target)
    refresh_outlet_counts(session, [source.id, target.id])
    session.flush()
    refresh_fidelity(session, target)
    session.execute(update(Claim).where(Claim.merged_into_id == source.id)
                    .values(merged_into_id=target.id))
    record_event(session, actor, "claim.merge", "claim", source.id, claim_id=target.id,
                 before={"claim": source.id, "text": source.text},
                 after={"merged_into": target.id, "mentions_moved": moved})
    record_event(session, actor, "claim.merged_away", "claim", source.id, claim_id=source.id,
                 after={"merged_into": target.id})
    return target


def _claim_both_live(session: Session, source_id: int, target_id: int) -> None:
    """Compare-and-set, in id order so two merges lock rows alike: each claim must still be live in
    the database, not only in what this session read. Two analysts merging A into B and B into A at
    the same moment would otherwise leave each redirecting to the other."""
    for claim_id in sorted((source_id, target_id)):
        done = session.execute(update(Claim).where(Claim.id == claim_id, Claim.merged_into_id.is_(None))
                               .values(version=Claim.version)
                               .execution_options(synchronize_session=False))
        if done.rowcount == 0:
            raise Conflict(f"claim {claim_id} was merged into another claim meanwhile; reload and try again")


def _move_mentions(session: Session, source_id: int, target_id: int) -> int:
    """Move the source's mentions to the target; where both mention one span, keep one row, and a
    link wins over a suggestion, so merging never turns a linked outlet back into a suggestion."""
    taken = {(m.article_id, m.start, m.end): m
             for m in session.scalars(select(Mention).where(Mention.claim_id == target_id))}
    moved = 0
    for m in session.scalars(select(Mention).where(Mention.claim_id == source_id)):
        kept = taken.get((m.article_id, m.start, m.end))
        if kept is None:
            m.claim_id = target_id
            moved += 1
            continue
        if kept.origin == "suggested" and m.origin != "suggested":
            kept.origin, kept.stance, kept.confirmed_by = m.origin, m.stance, m.confirmed_by
            kept.quote_id, kept.score = m.quote_id or kept.quote_id, m.score
        session.delete(m)
    session.flush()
    return moved


def _move_tags(session: Session, source_id: int, target_id: int) -> None:
    have = set(session.scalars(select(ClaimTag.tag_id).where(ClaimTag.claim_id == target_id)))
    for link in session.scalars(select(ClaimTag).where(ClaimTag.claim_id == source_id)):
        if link.tag_id not in have:
            session.add(ClaimTag(claim_id=target_id, tag_id=link.tag_id, created_by=link.created_by))
    session.execute(delete(ClaimTag).where(ClaimTag.claim_id == source_id))
