"""Read-model queries the JSON API needs beyond the pages' own: counts and lookups, one query each.

Kept apart from the rule modules because nothing here changes data; each function is a plain select
that does not depend on the identity map, so the hot API reads stay cheap at a million claims.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import get_or_404
from app.domain.linking import LINKED
from app.storage.models import Article, Claim, Mention, Speaker


def claim_record(session: Session, claim_id: int) -> Claim:
    """The claim row itself, merged or not: its audit history belongs to its own id."""
    return get_or_404(session, Claim, claim_id, "claim")


def mention_count(session: Session, claim_id: int) -> int:
    return session.scalar(select(func.count(Mention.id)).where(Mention.claim_id == claim_id, LINKED)) or 0


def speaker_slugs(session: Session, speaker_ids: Iterable[int | None]) -> dict[int, str]:
    """Slugs for the speakers of an article's quotes in one query, not one per quote."""
    ids = {i for i in speaker_ids if i is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Speaker.id, Speaker.slug).where(Speaker.id.in_(ids))).all())


def outlet_counts(session: Session, outlet_id: int) -> tuple[int, int]:
    """(articles, distinct claims mentioned) for one outlet, as list_outlets counts them for all."""
    articles = session.scalar(select(func.count(Article.id)).where(Article.outlet_id == outlet_id))
    claims = session.scalar(
        select(func.count(func.distinct(Mention.claim_id)))
        .join(Article, Article.id == Mention.article_id).where(Article.outlet_id == outlet_id, LINKED))
    return articles or 0, claims or 0


def speaker_claim_count(session: Session, speaker_id: int) -> int:
    """Live claims only, matching list_speakers: a merged-away claim is no longer the speaker's."""
    return session.scalar(select(func.count(Claim.id)).where(
        Claim.speaker_id == speaker_id, Claim.merged_into_id.is_(None))) or 0
