"""Known claims from outside (a fact-checker's list) become ordinary claims, so articles ingested
later are linked to them by the same matcher that links repeats.

Why so careful with existing claims: an analyst's verdict is the team's conclusion, and a file
from elsewhere must never silently replace it. An imported rating only fills a claim nobody has
reviewed; a source url only fills an empty one; everything else is left as the analyst set it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.claims import MAX_REASON, clean_claim_text, resolve_claim, touch
from app.domain.errors import DomainError, InvalidInput, TooLarge
from app.domain.events import record_event
from app.domain.linking import index_claim_text, text_hashes
from app.domain.people import get_or_create_speaker
from app.pipeline.known_claims import ImportRefused, KnownClaim, parse_known_claims
from app.storage.models import Claim

ACTION = "claim.import"


@dataclass
class ImportResult:
    """Claim ids by what the import did to them, and one line per record it could not use."""

    created: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)   # already known, left as they were
    updated: list[int] = field(default_factory=list)    # already known, an empty field filled
    errors: list[str] = field(default_factory=list)
    duplicates: int = 0                                 # repeats of a claim earlier in the file

    @property
    def imported(self) -> int:
        return len(self.created) + len(self.existing) + len(self.updated)

    def summary(self) -> str:
        text = (f"{len(self.created)} created, {len(self.existing)} already known, "
                f"{len(self.updated)} updated")
        return text + (f", {self.duplicates} duplicates in the file" if self.duplicates else "")


def status_reason(record: KnownClaim) -> str | None:
    """The reviewer's own explanation when it gives one (ClaimReview's ratingExplanation: a review
    this app exported comes back with its analyst's reason), else the rating as the source wrote
    it, with who gave it: "Pants on Fire (PolitiFact)"."""
    if record.explanation:
        return record.explanation[:MAX_REASON]
    if not record.rating:
        return None
    reason = f"{record.rating} ({record.reviewer})" if record.reviewer else record.rating
    return reason[:MAX_REASON]


def _same_words_claim(session: Session, norm_hash: int) -> Claim | None:
    """A claim with exactly these normalized words: a live one first, else the survivor of a
    merged one. Only exact wording counts here: a looser match could pin a fact-checker's
    verdict on a different (for instance a contradicting) statement."""
    ids = list(session.scalars(select(Claim.id).where(Claim.norm_hash == norm_hash)
                               .order_by(Claim.merged_into_id.is_not(None), Claim.id).limit(1)))
    return resolve_claim(session, ids[0]) if ids else None


def _record_out(record: KnownClaim, source: str) -> dict:
    return {"source": source, "rating": record.rating, "reviewer": record.reviewer,
            "url": record.url, "date": record.date.isoformat() if record.date else None,
            "headline": record.title}


def _create(session: Session, record: KnownClaim, text: str, norm_hash: int, actor: str,
            source: str) -> Claim:
    speaker = get_or_create_speaker(session, record.speaker)
    claim = Claim(text=text, norm_hash=norm_hash, speaker_id=speaker.id if speaker else None,
                  status=record.status or "unreviewed", status_reason=status_reason(record),
                  source_url=record.url, review_title=record.title)
    session.add(claim)
    session.flush()
    index_claim_text(session, claim.id, text)
    record_event(session, actor, ACTION, "claim", claim.id, claim_id=claim.id,
                 after={"text": text, "status": claim.status, "reason": claim.status_reason,
                        "source_url": claim.source_url, "review_title": claim.review_title,
                        **_record_out(record, source)})
    return claim


def _fill(session: Session, claim: Claim, record: KnownClaim, actor: str, source: str) -> bool:
    """Fill what is empty on an existing claim; True when anything changed (one event for it)."""
    before: dict = {}
    after: dict = {}
    if record.status and claim.status == "unreviewed":
        before.update(status=claim.status, reason=claim.status_reason)
        claim.status, claim.status_reason = record.status, status_reason(record)
        after.update(status=claim.status, reason=claim.status_reason)
    if record.url and not claim.source_url:
        before["source_url"], claim.source_url = None, record.url
        after["source_url"] = record.url
    if record.title and not claim.review_title:
        before["review_title"], claim.review_title = None, record.title
        after["review_title"] = record.title
    if record.speaker and claim.speaker_id is None:
        speaker = get_or_create_speaker(session, record.speaker)
        before["speaker"], claim.speaker_id = None, speaker.id
        after["speaker"] = speaker.name
    if not after:
        return False
    touch(claim)
    record_event(session, actor, ACTION, "claim", claim.id, claim_id=claim.id,
                 before=before, after={**after, **_record_out(record, source)})
    return True


def import_known_claims(session: Session, records: Iterable[KnownClaim], actor: str,
                        source: str) -> ImportResult:
    """Create or reuse one claim per distinct wording; the caller commits.

    A record the domain refuses is reported and skipped, and the rest go on."""
    result = ImportResult()
    seen: dict[int, int] = {}
    for record in records:
        where = f"{record.where}: " if record.where else ""
        try:
            text = clean_claim_text(record.text)
            norm_hash, _ = text_hashes(text)
            if norm_hash in seen:
                result.duplicates += 1
                continue
            claim = _same_words_claim(session, norm_hash)
            if claim is None:
                claim = _create(session, record, text, norm_hash, actor, source)
                result.created.append(claim.id)
            elif _fill(session, claim, record, actor, source):
                result.updated.append(claim.id)
            else:
                result.existing.append(claim.id)
            seen[norm_hash] = claim.id
        except DomainError as exc:
            result.errors.append(f"{where}{exc.message}")
    return result


def import_claims_file(session: Session, data: bytes | str, filename: str | None, fmt: str,
                       actor: str) -> ImportResult:
    """Parse and import one upload; a refused file is TooLarge (413) or InvalidInput (422), and
    the rows the parser skipped come first among the errors. The caller commits."""
    try:
        records, errors = parse_known_claims(data, filename, fmt)
    except ImportRefused as exc:
        raise (TooLarge if exc.too_large else InvalidInput)(exc.message) from None
    result = import_known_claims(session, records, actor, source=(filename or "pasted text")[:200])
    result.errors[:0] = errors
    return result
