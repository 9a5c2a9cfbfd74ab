"""ORM rows and domain dicts to response models, and the URLs the API hands out.

One place for the conversions so every route shows a claim, a mention or an article the same way,
and for the time-zone fix: SQLite gives back naive datetimes that are really UTC, PostgreSQL gives
aware ones, and an API client should not be able to tell which engine it talks to.
"""
from __future__ import annotations

from fastapi import Request
from starlette.routing import NoMatchFound

from app.api import schemas
from app.domain.api_views import mention_count
from app.domain.claims import ClaimPage as DomainClaimPage
from app.domain.claims import tags_for_claims
from app.domain.mentions import PageMention
from app.storage.models import Article, Claim, Event, Mention, as_utc
from app.web.templating import absolute_url

# Names the HTML claim page may have in app/web/ (the brief said `claim_page`, the web router
# names it `claim`); the API links to the first that exists.
CLAIM_PAGE_ROUTES = ("claim_page", "claim")


def claim_page_url(request: Request, claim_id: int) -> str | None:
    """The claim's HTML permalink, or None while the web router (or that route) is not there."""
    for name in CLAIM_PAGE_ROUTES:
        try:
            return absolute_url(request, name, claim_id=claim_id)
        except NoMatchFound:
            continue
    return None


def api_url(request: Request, name: str, **params) -> str:
    return absolute_url(request, name, **params)


def claim_out(request: Request, claim: Claim, tags: list[str]) -> schemas.ClaimOut:
    speaker = claim.speaker
    return schemas.ClaimOut(
        id=claim.id, text=claim.text, status=claim.status, status_reason=claim.status_reason,
        speaker=schemas.SpeakerRef(name=speaker.name, slug=speaker.slug) if speaker else None,
        version=claim.version, outlet_count=claim.outlet_count, tags=tags,
        created_at=as_utc(claim.created_at), updated_at=as_utc(claim.updated_at),
        url=claim_page_url(request, claim.id),
        fact_check_url=claim.source_url, fact_check_headline=claim.review_title)


def claim_detail_out(request: Request, session, claim: Claim) -> schemas.ClaimDetail:
    """One claim with its tags and mention count: the answer of every single-claim route."""
    tags = tags_for_claims(session, [claim.id])[claim.id]
    return schemas.ClaimDetail(**claim_out(request, claim, tags).model_dump(),
                               mention_count=mention_count(session, claim.id))


def claim_page(request: Request, page: DomainClaimPage) -> schemas.ClaimPage:
    items = [claim_out(request, c, page.tags.get(c.id, [])) for c in page.claims]
    return schemas.ClaimPage(items=items, next_cursor=page.next_cursor)


def mention_out(m: Mention) -> schemas.MentionOut:
    return schemas.MentionOut(
        id=m.id, claim_id=m.claim_id, article_id=m.article_id, start=m.start, end=m.end,
        excerpt=m.excerpt, stance=m.stance, fidelity=m.fidelity, origin=m.origin,
        confirmed_by=m.confirmed_by)


def article_summary(a: Article) -> schemas.ArticleSummary:
    return schemas.ArticleSummary(
        id=a.id, title=a.title, outlet=schemas.OutletRef(name=a.outlet.name, slug=a.outlet.slug),
        author=a.author, url=a.url, published=a.published,
        published_at=as_utc(a.published_at) if a.published_at else None, ingested_at=as_utc(a.ingested_at),
        complete=a.complete)


def event_out(e: Event) -> schemas.EventOut:
    return schemas.EventOut(id=e.id, at=as_utc(e.at), actor=e.actor, action=e.action, entity=e.entity,
                            entity_id=e.entity_id, before=e.before, after=e.after)


def source_out(s: PageMention) -> schemas.SourceOut:
    """One row of domain.mentions.claim_sources."""
    return schemas.SourceOut(
        mention_id=s.id, outlet=schemas.OutletRef(name=s.outlet, slug=s.outlet_slug),
        article_id=s.article_id, title=s.title, published=s.published, url=s.url,
        start=s.start, end=s.end, excerpt=s.excerpt, before=s.before, after=s.after,
        stance=s.stance, fidelity=s.fidelity, origin=s.origin)
