"""What the Atom feeds publish (app/web/feeds.py turns these into XML): a claim's new mentions and
status changes, the new claims of an outlet, a speaker or a tag, and every status change.

A feed is read by anyone a newsroom hands the URL to, so it holds what an anonymous reader of a
public-read site sees: confirmed mentions only, never a suggestion waiting for an analyst. Each
query is one bounded select, newest first (FEED_SIZE entries), over indexed columns.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.storage.models import as_utc
from app.domain.linking import LINKED
from app.domain.review import clean_tag
from app.domain.errors import NotFound
from app.storage.models import Article, Claim, ClaimTag, Event, Mention, Outlet, Speaker, Tag

FEED_SIZE = 50


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """One entry: what happened to which claim, when (UTC)."""

    kind: str                      # "mention", "status" or "claim"
    at: datetime
    claim_id: int
    claim_text: str
    event_id: int | None = None    # status: the audit event
    mention_id: int | None = None  # mention: where it is
    article_id: int | None = None
    outlet: str | None = None
    article_title: str | None = None
    excerpt: str | None = None
    stance: str | None = None
    status: str | None = None      # status: the new one, and before it
    previous: str | None = None
    reason: str | None = None
    actor: str | None = None
    speaker: str | None = None


def _newest(updates: list[FeedUpdate]) -> list[FeedUpdate]:
    return sorted(updates, key=lambda u: (u.at, u.kind, u.event_id or u.mention_id or u.claim_id),
                  reverse=True)[:FEED_SIZE]


def _status_updates(session: Session, claim_id: int | None = None) -> list[FeedUpdate]:
    stmt = (select(Event, Claim.text).join(Claim, Claim.id == Event.claim_id)
            .where(Event.action == "claim.status").order_by(Event.at.desc(), Event.id.desc())
            .limit(FEED_SIZE))
    if claim_id is not None:
        stmt = stmt.where(Event.claim_id == claim_id)
    out = []
    for event, text in session.execute(stmt):
        after, before = event.after or {}, event.before or {}
        out.append(FeedUpdate("status", as_utc(event.at), event.claim_id, text, event_id=event.id,
                              status=after.get("status"), previous=before.get("status"),
                              reason=after.get("reason"), actor=event.actor))
    return out


def status_changes(session: Session) -> list[FeedUpdate]:
    """Every analyst's verdict, newest first."""
    return _status_updates(session)


def claim_updates(session: Session, claim: Claim) -> list[FeedUpdate]:
    """A claim's confirmed mentions (at the moment they were confirmed: made by ingest or an
    analyst, or a suggestion accepted) and its status changes, newest first."""
    stmt = (select(Mention, Article.title, Outlet.name).join(Article, Article.id == Mention.article_id)
            .join(Outlet, Outlet.id == Article.outlet_id)
            .where(Mention.claim_id == claim.id, LINKED)
            .order_by(Mention.created_at.desc(), Mention.id.desc()).limit(FEED_SIZE))
    rows = session.execute(stmt).all()
    accepted = dict(session.execute(
        select(Event.entity_id, func.max(Event.at)).where(
            Event.action == "suggestion.accept", Event.entity == "mention",
            Event.entity_id.in_([m.id for m, _, _ in rows]))
        .group_by(Event.entity_id)).all()) if rows else {}
    mentions = [FeedUpdate("mention", as_utc(accepted.get(m.id) or m.created_at), claim.id, claim.text,
                           mention_id=m.id, article_id=m.article_id, outlet=outlet, article_title=title,
                           excerpt=m.excerpt, stance=m.stance)
                for m, title, outlet in rows]
    return _newest(mentions + _status_updates(session, claim.id))


def _claim_rows(session: Session, stmt) -> list[FeedUpdate]:
    return [FeedUpdate("claim", as_utc(at), claim.id, claim.text, status=claim.status,
                       speaker=speaker)
            for claim, speaker, at in session.execute(stmt)]


def _with_speaker(stmt):
    return stmt.outerjoin(Speaker, Speaker.id == Claim.speaker_id)


def outlet_claims(session: Session, outlet: Outlet) -> list[FeedUpdate]:
    """Claims this outlet carries (a confirmed mention in one of its articles), newest first by
    when the outlet's first mention of each was made."""
    first = (select(Mention.claim_id, func.min(Mention.created_at).label("at"))
             .join(Article, Article.id == Mention.article_id)
             .where(Article.outlet_id == outlet.id, LINKED).group_by(Mention.claim_id).subquery())
    stmt = _with_speaker(select(Claim, Speaker.name, first.c.at).join(first, first.c.claim_id == Claim.id)
                         ).where(Claim.merged_into_id.is_(None)).order_by(first.c.at.desc(), Claim.id.desc()
                                                                          ).limit(FEED_SIZE)
    return _claim_rows(session, stmt)


def speaker_claims(session: Session, speaker: Speaker) -> list[FeedUpdate]:
    """The speaker's claims, newest first."""
    stmt = _with_speaker(select(Claim, Speaker.name, Claim.created_at)).where(
        Claim.speaker_id == speaker.id, Claim.merged_into_id.is_(None)
    ).order_by(Claim.created_at.desc(), Claim.id.desc()).limit(FEED_SIZE)
    return _claim_rows(session, stmt)


def tag_by_name(session: Session, name: str) -> Tag:
    tag = session.scalar(select(Tag).where(Tag.name == clean_tag(name)))
    if tag is None:
        raise NotFound(f"no claim is tagged {name[:60]!r}")
    return tag


def tag_claims(session: Session, tag: Tag) -> list[FeedUpdate]:
    """Claims given this tag, newest tagging first."""
    stmt = _with_speaker(select(Claim, Speaker.name, ClaimTag.created_at)
                         .join(ClaimTag, ClaimTag.claim_id == Claim.id)).where(
        ClaimTag.tag_id == tag.id, Claim.merged_into_id.is_(None)
    ).order_by(ClaimTag.created_at.desc(), Claim.id.desc()).limit(FEED_SIZE)
    return _claim_rows(session, stmt)
