"""Articles: validated ingest (idempotent by content hash) and the article page's data."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.article_linking import ArticlePlan, QuoteUnit, link_article, link_sentences, plan_article
from app.domain.errors import InvalidInput, TooLarge, get_or_404
from app.domain.events import record_event
from app.domain.linking import mention_keys, refresh_outlet_counts
from app.domain.matching import MatchConfig
from app.domain.people import get_or_create_outlet
from app.domain.write_steps import WriteSteps, abandoned, linking_here, linking_owner
from app.pipeline.documents import clean_field, first_line_title
from app.storage.models import Article, Claim, Mention, Quote, utcnow

__all__ = ["ArticlePlan", "QuoteUnit", "plan_article"]   # planning lives in article_linking

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ArticleInput:
    text: str
    outlet: str
    title: str | None = None
    author: str | None = None
    url: str | None = None
    published: date | None = None
    source_name: str | None = None
    published_at: datetime | None = None   # UTC, when the source gives a time of day


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    created: bool
    quotes: int = 0
    new_claims: int = 0
    mentions: int = 0
    suggestions: int = 0
    # What the bounds on work per article left out (see ArticlePlan), one sentence each.
    notes: tuple[str, ...] = ()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def validate_article(data: ArticleInput, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    if not data.text or not data.text.strip():
        raise InvalidInput("empty text")
    size = len(data.text.encode("utf-8"))
    if size > max_bytes:
        raise TooLarge(f"text is {size:,} bytes, over the limit of {max_bytes:,} bytes")
    if not data.outlet or not data.outlet.strip():
        raise InvalidInput("missing outlet")


def stored_article_id(session: Session, digest: str) -> int | None:
    """The article stored with this text, if any. One an ingest is still linking counts as stored
    (a second ingest of the text is "already present"); one whose ingest stopped half-way
    (write_steps.abandoned) does not: the next ingest of its text removes it (_drop_abandoned)."""
    row = _by_hash(session, digest)
    return row.id if row is not None and not abandoned(*row) else None


def _by_hash(session: Session, digest: str):
    return session.execute(_BY_HASH, {"digest": digest}).first()


_BY_HASH = select(Article.id, Article.linking_by, Article.linking_at).where(Article.content_hash == bindparam("digest"))


def _drop_abandoned(session: Session, row, actor: str) -> None:
    """Remove the half article an ingest of this text left (if any: `row`, _by_hash's), in the
    transaction that stores the text again: as an admin's delete would (its claims stay, so the
    statements join them again), with `article.abandon` in the audit log keeping what was removed."""
    if row is not None and abandoned(*row):
        delete_article(session, row.id, actor, action="article.abandon")


def ingest_article(session: Session, data: ArticleInput, actor: str,
                   max_bytes: int = DEFAULT_MAX_BYTES, matching: MatchConfig | None = None,
                   commit: bool = False, plan: ArticlePlan | None = None) -> IngestResult:
    """Store the text untouched, extract its quotes and link each to a claim; same text twice is a no-op.

    Everything found from the text alone (quotes, statements, the bounds) is found before the
    first write. `commit=False`: all in the caller's transaction. `commit=True` (ingest_and_commit):
    the article is committed first, marked incomplete, then linked in short transactions (see
    article_linking), and marked complete with its `article.ingest` event in the last one, which
    this commits too. `plan`: plan_article of the text, made beforehand (by a worker process of
    `claimtracker ingest --workers N`); else made here."""
    validate_article(data, max_bytes)
    digest = content_hash(data.text)
    row = _by_hash(session, digest)
    if row is not None and not abandoned(*row):
        return IngestResult(article_id=row.id, created=False)
    config = matching or MatchConfig()
    plan = plan or plan_article(data.text, config)
    # A half article is read again after the plan (which may take a while): another ingest of the
    # text may have removed it meanwhile, or stored the text whole. No row then: none to read
    # again (one appearing meanwhile is another ingest's, still linking: not abandoned).
    _drop_abandoned(session, _by_hash(session, digest) if row is not None else None, actor)
    outlet = get_or_create_outlet(session, data.outlet)
    article = Article(
        outlet_id=outlet.id, text=data.text, content_hash=digest,
        title=clean_field(data.title, 1000) or first_line_title(data.text) or "(untitled)",
        author=clean_field(data.author, 300), url=clean_field(data.url, 2000),
        published=data.published, published_at=data.published_at,
        source_name=clean_field(data.source_name, 500), window_stems=plan.window_stems,
        linking_by=linking_owner() if commit else None, linking_at=utcnow() if commit else None)
    session.add(article)
    session.flush()
    if not commit:
        counts = link_article(session, article, config, plan, new_article=True)
        _record_ingest(session, actor, article, outlet.name, counts)
    else:
        # Marked as linked by this process before the first commit shows the article to other
        # threads, and until the last one marks it complete: else another thread would take it
        # for abandoned (write_steps.abandoned) and remove it.
        with linking_here(article.id):
            session.commit()
            try:
                counts = link_article(session, article, config, plan, commit=True, new_article=True)
                article.linking_by = article.linking_at = None
                _record_ingest(session, actor, article, outlet.name, counts)
                session.commit()
            except BaseException:
                _give_up(session, article.id, actor)
                raise
    return IngestResult(article.id, True, counts["quotes"], counts["new_claims"], counts["mentions"],
                        counts["suggestions"], plan.notes)


def _record_ingest(session: Session, actor: str, article: Article, outlet: str, counts: dict) -> None:
    record_event(session, actor, "article.ingest", "article", article.id,
                 after={"title": article.title, "outlet": outlet, **counts})


def _give_up(session: Session, article_id: int, actor: str) -> None:
    """A step failed: remove the half article now. If that fails too (the database still busy),
    it stays marked incomplete, and the next ingest of its text removes it (_drop_abandoned)."""
    session.rollback()
    try:
        if session.get(Article, article_id) is not None:
            delete_article(session, article_id, actor, action="article.abandon")
        session.commit()
    except Exception:  # noqa: BLE001 - the step's own error is the one to report
        session.rollback()


def ingest_and_commit(session: Session, data: ArticleInput, actor: str, max_bytes: int = DEFAULT_MAX_BYTES,
                      matching: MatchConfig | None = None, plan: ArticlePlan | None = None) -> IngestResult:
    """Ingest, committing as it goes (short transactions: see ingest_article). Two ingests of one
    text at the same moment both check that it is not stored, and one commits its article first:
    the other's insert then breaks the unique content hash, and it answers with the article stored,
    `created=False`, as if it had come second (which it did). Any other conflict is retried once
    (a row a concurrent ingest made meanwhile is found then)."""
    try:
        result = ingest_article(session, data, actor, max_bytes, matching, commit=True, plan=plan)
        session.commit()
        return result
    except IntegrityError:
        session.rollback()
    existing = stored_article_id(session, content_hash(data.text))
    if existing is not None:
        return IngestResult(article_id=existing, created=False)
    result = ingest_article(session, data, actor, max_bytes, matching, commit=True, plan=plan)
    session.commit()
    return result


def rematch_article(session: Session, article_id: int, config: MatchConfig, actor: str) -> dict[str, int]:
    """Match a stored article again, against claims added since (imported known claims, say).
    Existing links stay; rejected suggestions stay rejected; one event says what was added."""
    article = get_article(session, article_id)
    counts = {"mentions": 0, "suggestions": 0}
    steps = WriteSteps(session, article.id, commit=False)
    link_sentences(steps, session, article, config, counts, mention_keys(session, article.id))
    steps.finish()
    if steps.touched:
        record_event(session, actor, "article.rematch", "article", article.id, after=counts)
    return counts


def delete_article(session: Session, article_id: int, actor: str, action: str = "article.delete") -> dict:
    """Remove an article ingested by mistake (or taken down) with its quotes, mentions and matching
    records; the claims stay, so their permalinks keep working, and their outlet counts are
    recounted. One event keeps what was removed: the article's fields and every mention it held."""
    article = get_article(session, article_id)
    held = session.execute(select(Mention.id, Mention.claim_id, Mention.start, Mention.end, Mention.stance,
                                  Mention.origin).where(Mention.article_id == article_id)
                           .order_by(Mention.id)).all()
    before = {"title": article.title, "outlet": article.outlet.name, "url": article.url,
              "published": article.published.isoformat() if article.published else None,
              "source_name": article.source_name, "content_hash": article.content_hash,
              "quotes": session.scalar(select(func.count()).select_from(Quote)
                                       .where(Quote.article_id == article_id)),
              "mentions": [{"id": m.id, "claim_id": m.claim_id, "start": m.start, "end": m.end,
                            "stance": m.stance, "origin": m.origin} for m in held]}
    session.delete(article)
    session.flush()
    refresh_outlet_counts(session, {m.claim_id for m in held})
    record_event(session, actor, action, "article", article_id, before=before)
    return before


def get_article(session: Session, article_id: int) -> Article:
    return get_or_404(session, Article, article_id, "article")


def list_articles(session: Session, limit: int = 50, outlet_id: int | None = None) -> list[Article]:
    stmt = select(Article).order_by(Article.id.desc()).limit(limit)
    if outlet_id is not None:
        stmt = stmt.where(Article.outlet_id == outlet_id)
    return list(session.scalars(stmt))


def article_quotes(session: Session, article_id: int) -> list[Quote]:
    return list(session.scalars(select(Quote).where(Quote.article_id == article_id).order_by(Quote.start)))


def article_mentions(session: Session, article_id: int,
                     suggested: bool = True) -> list[tuple[Mention, Claim]]:
    """The article's mentions with their claims; `suggested=False` leaves out the suggestions still
    awaiting an analyst (the queue is for the team, not for anonymous readers)."""
    stmt = (select(Mention, Claim).join(Claim, Claim.id == Mention.claim_id)
            .where(Mention.article_id == article_id).order_by(Mention.start, Mention.id))
    if not suggested:
        stmt = stmt.where(Mention.origin != "suggested")
    return [tuple(row) for row in session.execute(stmt)]
