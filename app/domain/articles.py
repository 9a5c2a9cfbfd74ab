"""Articles: validated ingest (idempotent by content hash) and the article page's data."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.errors import InvalidInput, TooLarge, get_or_404
from app.domain.events import record_event
from app.domain.linking import add_mention, find_matching_claim, index_claim_text, refresh_outlet_counts, text_hashes
from app.domain.people import get_or_create_outlet, get_or_create_speaker
from app.pipeline.claims import split_statements
from app.pipeline.documents import clean_field, first_line_title
from app.pipeline.quotes import extract_quotes
from app.storage.models import Article, Claim, Mention, Quote

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


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    created: bool
    quotes: int = 0
    new_claims: int = 0
    mentions: int = 0


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


def ingest_article(session: Session, data: ArticleInput, actor: str,
                   max_bytes: int = DEFAULT_MAX_BYTES) -> IngestResult:
    """Store the text untouched, extract its quotes and link each to a claim; same text twice is a no-op."""
    validate_article(data, max_bytes)
    digest = content_hash(data.text)
    existing = session.scalar(select(Article.id).where(Article.content_hash == digest))
    if existing is not None:
        return IngestResult(article_id=existing, created=False)
    outlet = get_or_create_outlet(session, data.outlet)
    article = Article(
        outlet_id=outlet.id, text=data.text, content_hash=digest,
        title=clean_field(data.title, 1000) or first_line_title(data.text) or "(untitled)",
        author=clean_field(data.author, 300), url=clean_field(data.url, 2000),
        published=data.published, source_name=clean_field(data.source_name, 500))
    session.add(article)
    session.flush()
    quotes, new_claims, mentions = _link_quotes(session, article)
    record_event(session, actor, "article.ingest", "article", article.id,
                 after={"title": article.title, "outlet": outlet.name, "quotes": quotes,
                        "new_claims": new_claims, "mentions": mentions})
    return IngestResult(article.id, True, quotes, new_claims, mentions)


def _link_quotes(session: Session, article: Article) -> tuple[int, int, int]:
    new_claims = mentions = 0
    touched: set[int] = set()
    candidates = extract_quotes(article.text)
    for cand in candidates:
        speaker = get_or_create_speaker(session, cand.speaker)
        quote = Quote(article_id=article.id, speaker_id=speaker.id if speaker else None,
                      speaker_name=cand.speaker, start=cand.start, end=cand.end, text=cand.text,
                      cue=(cand.cue or None) and cand.cue[:100], kind=cand.kind)
        session.add(quote)
        session.flush()
        for st in split_statements(cand.text):
            claim_id = find_matching_claim(session, st.text)
            if claim_id is None:
                norm, _ = text_hashes(st.text)
                claim = Claim(text=st.text, norm_hash=norm,
                              speaker_id=speaker.id if speaker else None)
                session.add(claim)
                session.flush()
                index_claim_text(session, claim.id, claim.text)
                new_claims += 1
            else:
                claim = session.get(Claim, claim_id)
            start = cand.start + st.start
            if add_mention(session, claim, article, start, cand.start + st.end,
                           quote_id=quote.id, quoted=True):
                mentions += 1
                touched.add(claim.id)
    refresh_outlet_counts(session, touched)
    return len(candidates), new_claims, mentions


def get_article(session: Session, article_id: int) -> Article:
    return get_or_404(session, Article, article_id, "article")


def list_articles(session: Session, limit: int = 50, outlet_id: int | None = None) -> list[Article]:
    stmt = select(Article).order_by(Article.id.desc()).limit(limit)
    if outlet_id is not None:
        stmt = stmt.where(Article.outlet_id == outlet_id)
    return list(session.scalars(stmt))


def article_quotes(session: Session, article_id: int) -> list[Quote]:
    return list(session.scalars(select(Quote).where(Quote.article_id == article_id).order_by(Quote.start)))


def article_mentions(session: Session, article_id: int) -> list[tuple[Mention, Claim]]:
    stmt = (select(Mention, Claim).join(Claim, Claim.id == Mention.claim_id)
            .where(Mention.article_id == article_id).order_by(Mention.start, Mention.id))
    return [tuple(row) for row in session.execute(stmt)]
