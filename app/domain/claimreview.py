"""A claim's verdict as schema.org ClaimReview, the form fact-checkers and search engines read.

Why built from the spread's rules: `appearance` is every article that carries the claim (confirmed
mentions only: a suggestion nobody has checked is not evidence), in spread.py's time order, and
`firstAppearance` is the earliest dated of them, the same "first" the claim page marks. They are
read by `review_articles`, one row per article and only the columns the review prints, not from
every mention whole (`claim_spread`): a big claim's page is drawn from its stored plan without
reading its mentions, and its verdict must not bring that read back (2,000 mentions with their
excerpts, summed up, for a review that needs their ~1,000 articles' titles and dates). The rating's textual form
(`alternateName`) is the status word, which app/pipeline/known_claims.py maps back to the same
status, so an exported review imports back unchanged; the analyst's reason travels as
`ratingExplanation`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.spread import Spread, moment_of, moment_text
from app.storage.models import Article, Claim, Event, Mention, Outlet, as_utc

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


@dataclass(frozen=True, slots=True)
class Appearance:
    """One article carrying a confirmed mention of the claim: what a CreativeWork prints."""

    article_id: int
    title: str
    url: str | None
    outlet: str
    published: date | None
    published_at: datetime | None    # UTC, only when the source gave a time of day
    moment: datetime | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "moment", moment_of(self.published, self.published_at))


_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


def review_articles(session: Session, claim_id: int) -> list[Appearance]:
    """The articles carrying a confirmed mention of the claim, once each, in spread.order_key's
    order (by moment, undated last, then article id: an article's mentions share its moment and id,
    so this is the order of their first mention). One query; the mentions' side of it is read from
    the index ix_mentions_claim_spread alone (claim, origin, ..., article), no excerpt."""
    carried = select(Mention.article_id).where(Mention.claim_id == claim_id, Mention.origin != "suggested")
    rows = session.execute(
        select(Article.id, Article.title, Article.url, Outlet.name, Article.published, Article.published_at)
        .join(Outlet, Outlet.id == Article.outlet_id).where(Article.id.in_(carried)))
    found = [Appearance(r[0], r[1], r[2], r[3], r[4], as_utc(r[5])) for r in rows]
    return sorted(found, key=lambda a: (a.moment is None, a.moment or _EARLIEST, a.article_id))


def spread_articles(spread: Spread) -> list[Appearance]:
    """The same list from a spread read whole (its confirmed mentions, first of each article)."""
    seen: set[int] = set()
    out = []
    for m in spread.confirmed:
        if m.article_id not in seen:
            seen.add(m.article_id)
            out.append(Appearance(m.article_id, m.title, m.url, m.outlet, m.published, m.published_at))
    return out


def _work(m: Appearance, article_url: Callable[[Appearance], str]) -> dict:
    work = {"@type": "CreativeWork", "url": article_url(m), "headline": m.title,
            "publisher": {"@type": "Organization", "name": m.outlet}}
    when = moment_text(m)
    if when:
        work["datePublished"] = when
    return work


def claim_review(claim: Claim, articles: Sequence[Appearance], *, organization: str,
                 organization_url: str | None, review_url: str, article_url: Callable[[Appearance], str],
                 at: datetime) -> dict | None:
    """The ClaimReview JSON-LD object, or None for a claim without a verdict. `articles`: as
    review_articles (or spread_articles) give them; the first dated one is the first appearance."""
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
    works = [_work(a, article_url) for a in articles]
    if works:
        item["appearance"] = works
    first = next((i for i, a in enumerate(articles) if a.moment is not None), None)
    if first is not None:
        item["firstAppearance"] = works[first]
        item["datePublished"] = moment_text(articles[first])
    review = {"@context": CONTEXT, "@type": "ClaimReview", "url": review_url,
              "claimReviewed": claim.text, "author": author, "reviewRating": rating,
              "itemReviewed": item, "datePublished": at.date().isoformat()}
    if claim.review_title:
        review["headline"] = claim.review_title
    return review
