"""What a claim merge would do, shown before an admin confirms it: the mentions that move (and the
ones that fold into a mention the survivor already has on the same span), the tags that move and the
ones it already has. Read only; the merge itself is app/domain/review.merge_claims, which refuses
the same pairs (itself, a claim merged away meanwhile)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.claims import resolve_claim, tags_for_claims
from app.domain.errors import InvalidInput
from app.storage.models import Article, Claim, Mention, Outlet


@dataclass(frozen=True)
class MovingMention:
    id: int
    article_id: int
    title: str
    outlet: str
    stance: str
    origin: str
    excerpt: str
    folds: bool    # the survivor already mentions this span: one row stays (a link wins)


@dataclass(frozen=True)
class ClaimMergePreview:
    source: Claim
    target: Claim
    mentions: list[MovingMention]
    tags_moving: list[str]
    tags_shared: list[str]

    @property
    def moving(self) -> int:
        return sum(not m.folds for m in self.mentions)

    @property
    def folding(self) -> int:
        return sum(m.folds for m in self.mentions)


def claim_merge_preview(session: Session, source_id: int, target_id: int) -> ClaimMergePreview:
    source, target = resolve_claim(session, source_id), resolve_claim(session, target_id)
    if source.id == target.id:
        raise InvalidInput("cannot merge a claim into itself")
    spans = {(r[0], r[1], r[2]) for r in session.execute(
        select(Mention.article_id, Mention.start, Mention.end).where(Mention.claim_id == target.id))}
    rows = session.execute(
        select(Mention.id, Mention.article_id, Article.title, Outlet.name, Mention.stance,
               Mention.origin, Mention.excerpt, Mention.start, Mention.end)
        .join(Article, Article.id == Mention.article_id).join(Outlet, Outlet.id == Article.outlet_id)
        .where(Mention.claim_id == source.id)
        .order_by(Article.published.is_(None), Article.published, Article.id, Mention.start))
    mentions = [MovingMention(*r[:7], folds=(r.article_id, r.start, r.end) in spans) for r in rows]
    tags = tags_for_claims(session, [source.id, target.id])
    shared = [t for t in tags[source.id] if t in set(tags[target.id])]
    return ClaimMergePreview(source, target, mentions,
                             [t for t in tags[source.id] if t not in shared], shared)
