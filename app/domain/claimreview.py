"""A claim's verdict as schema.org ClaimReview, the form fact-checkers and search engines read.

Why built from the spread: `appearance` is every article that carries the claim (confirmed
mentions only: a suggestion nobody has checked is not evidence) and `firstAppearance` is the
earliest of them, the same "first" the claim page marks. The rating's textual form
(`alternateName`) is the status word, which app/pipeline/known_claims.py maps back to the same
status, so an exported review imports back unchanged; the analyst's reason travels as
`ratingExplanation`.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.spread import Spread, SpreadMention, moment_text
from app.storage.models import Claim, Event, as_utc

CONTEXT = "https://schema.org"
#: Status -> (ratingValue on a 1..5 scale, alternateName). 5 is true, 1 is false; "disputed"
#: (the evidence is contested or missing) sits in the middle. Unreviewed has no review.
RATINGS: dict[str, tuple[int, str]] = {
    "false": (1, "False"), "misleading": (2, "Misleading"), "disputed": (3, "Disputed"),
    "verified": (5, "Verified"),
}
BEST, WORST = 5, 1
#: Events that set a claim's status: the review's datePublished is the latest of them.
STATUS_ACTIONS = ("claim.status", "claim.import")


def has_review(claim: Claim) -> bool:
    return claim.status in RATINGS


def reviewed_at(session: Session, claim: Claim) -> datetime:
    """When the verdict was last given: the latest status change, else the claim's last change."""
    at = session.scalar(select(Event.at).where(Event.claim_id == claim.id,
                                               Event.action.in_(STATUS_ACTIONS))
                        .order_by(Event.at.desc(), Event.id.desc()).limit(1))
    at = at or claim.updated_at or claim.created_at
    return as_utc(at)


def _work(m: SpreadMention, article_url: Callable[[SpreadMention], str]) -> dict:
    work = {"@type": "CreativeWork", "url": article_url(m), "headline": m.title,
            "publisher": {"@type": "Organization", "name": m.outlet}}
    when = moment_text(m)
    if when:
        work["datePublished"] = when
    return work


def appearances(spread: Spread, article_url: Callable[[SpreadMention], str]) -> list[dict]:
    """One CreativeWork per article carrying a confirmed mention, in time order."""
    seen: set[int] = set()
    out = []
    for m in spread.confirmed:
        if m.article_id not in seen:
            seen.add(m.article_id)
            out.append(_work(m, article_url))
    return out


def claim_review(claim: Claim, spread: Spread, *, organization: str, organization_url: str | None,
                 review_url: str, article_url: Callable[[SpreadMention], str],
                 at: datetime) -> dict | None:
    """The ClaimReview JSON-LD object, or None for a claim without a verdict."""
    if not has_review(claim):
        return None
    value, label = RATINGS[claim.status]
    rating = {"@type": "Rating", "ratingValue": value, "bestRating": BEST, "worstRating": WORST,
              "alternateName": label}
    if claim.status_reason:
        rating["ratingExplanation"] = claim.status_reason
    author = {"@type": "Organization", "name": organization}
    if organization_url:
        author["url"] = organization_url
    item: dict = {"@type": "Claim"}
    if claim.speaker is not None:
        item["author"] = {"@type": "Person", "name": claim.speaker.name}
    works = appearances(spread, article_url)
    if works:
        item["appearance"] = works
    if spread.first is not None:
        item["firstAppearance"] = _work(spread.first, article_url)
        item["datePublished"] = moment_text(spread.first)
    review = {"@context": CONTEXT, "@type": "ClaimReview", "url": review_url,
              "claimReviewed": claim.text, "author": author, "reviewRating": rating,
              "itemReviewed": item, "datePublished": at.date().isoformat()}
    if claim.review_title:
        review["headline"] = claim.review_title
    return review
