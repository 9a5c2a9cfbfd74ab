"""Articles: validated ingest (idempotent by content hash) and the article page's data."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.errors import InvalidInput, TooLarge, get_or_404
from app.domain.events import record_event
from app.domain.linking import (
    add_mention,
    another_statement,
    find_matching_claim,
    forget_identities,
    hold_loaded_rows,
    index_claim_text,
    mention_keys,
    refresh_outlet_counts,
    release_loaded_rows,
    text_hashes,
)
from app.domain.matching import (
    MatchConfig,
    claims_by_id,
    earlier_decisions,
    joinable_claim,
    passage_decisions,
    scored_candidates,
    sentence_decisions,
    sentences_not_matched,
)
from app.domain.passages import link_repeated_passages
from app.domain.people import SPEAKER_MEMO, get_or_create_outlet, get_or_create_speaker
from app.domain.vectors import store_vectors
from app.pipeline.claims import Statement, joined_halves, normalized_key, split_statements
from app.pipeline.documents import clean_field, first_line_title
from app.pipeline.quotes import QuoteCandidate, continues, extract_quotes
from app.pipeline.constants import MATCH_MAX_SENTENCES
from app.pipeline.stance import stance
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


@dataclass(frozen=True)
class QuoteUnit:
    """One quotation to store and link, or two halves of one split by its attribution ('"If the
    port does not pay," Lopez said, "the night shift will go."'), with the statements it makes:
    of the quotation, or of the joined halves (text up to head_end is the first half's, text from
    tail_start the second's; see pipeline.claims.joined_halves)."""

    quote: QuoteCandidate
    claimable: bool                       # False: a reported clause framing a quotation
    statements: list[Statement]
    second: QuoteCandidate | None = None
    head_end: int = 0
    tail_start: int = 0


@dataclass(frozen=True)
class ArticlePlan:
    """What linking an article will work through, found from its text alone before anything is
    written: extraction and statement splitting hold no database lock. The work is bounded
    (MatchConfig.max_quotes quotations an article, max_statements statements a quotation; the
    sentences matched are bounded by MATCH_MAX_SENTENCES), and what a bound left out is counted
    and said in `notes`."""

    units: list[QuoteUnit]
    left_out: dict[str, int]
    notes: tuple[str, ...]


def plan_article(text: str, config: MatchConfig) -> ArticlePlan:
    found = _quotes_in_linking_order(text)
    kept = found[:config.max_quotes]
    units: list[QuoteUnit] = []
    cut = i = 0
    while i < len(kept):
        cand, claimable = kept[i]
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        if claimable and nxt is not None and nxt[1] and continues(text, cand, nxt[0]):
            joined, head_end, tail_start = joined_halves(cand.text, nxt[0].text)
            pieces = split_statements(joined)
            units.append(QuoteUnit(cand, True, pieces[:config.max_statements], nxt[0], head_end, tail_start))
            i += 2
        else:
            pieces = split_statements(cand.text) if claimable else []
            units.append(QuoteUnit(cand, claimable, pieces[:config.max_statements]))
            i += 1
        cut += max(0, len(pieces) - config.max_statements)
    left_out = {"quotes_not_linked": len(found) - len(kept), "statements_not_linked": cut,
                "sentences_not_matched": sentences_not_matched(text)}
    notes = []
    if left_out["quotes_not_linked"]:
        notes.append(f"only the first {len(kept):,} of its {len(found):,} quotations were stored and "
                     f"linked (the limit is {config.max_quotes:,} an article: "
                     "CLAIMTRACKER_MAX_ARTICLE_QUOTES)")
    if cut:
        notes.append(f"{cut:,} statements past the first {config.max_statements:,} of a quotation "
                     "were not linked (CLAIMTRACKER_MAX_QUOTE_STATEMENTS)")
    if left_out["sentences_not_matched"]:
        notes.append(f"only its first {MATCH_MAX_SENTENCES:,} sentences were matched against the "
                     f"stored claims ({left_out['sentences_not_matched']:,} were not)")
    return ArticlePlan(units, {k: n for k, n in left_out.items() if n or k == "sentences_not_matched"},
                       tuple(notes))


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
    return session.scalar(select(Article.id).where(Article.content_hash == digest))


def ingest_article(session: Session, data: ArticleInput, actor: str,
                   max_bytes: int = DEFAULT_MAX_BYTES, matching: MatchConfig | None = None) -> IngestResult:
    """Store the text untouched, extract its quotes and link each to a claim; same text twice is a no-op.

    Everything found from the text alone (quotes, statements, the bounds) is found before the
    first write: on SQLite a write holds the database's one write lock until the commit."""
    validate_article(data, max_bytes)
    digest = content_hash(data.text)
    existing = stored_article_id(session, digest)
    if existing is not None:
        return IngestResult(article_id=existing, created=False)
    config = matching or MatchConfig()
    plan = plan_article(data.text, config)
    outlet = get_or_create_outlet(session, data.outlet)
    article = Article(
        outlet_id=outlet.id, text=data.text, content_hash=digest,
        title=clean_field(data.title, 1000) or first_line_title(data.text) or "(untitled)",
        author=clean_field(data.author, 300), url=clean_field(data.url, 2000),
        published=data.published, published_at=data.published_at,
        source_name=clean_field(data.source_name, 500))
    session.add(article)
    session.flush()
    counts = link_article(session, article, config, plan)
    record_event(session, actor, "article.ingest", "article", article.id,
                 after={"title": article.title, "outlet": outlet.name, **counts})
    return IngestResult(article.id, True, counts["quotes"], counts["new_claims"], counts["mentions"],
                        counts["suggestions"], plan.notes)


def ingest_and_commit(session: Session, data: ArticleInput, actor: str, max_bytes: int = DEFAULT_MAX_BYTES,
                      matching: MatchConfig | None = None) -> IngestResult:
    """Ingest and commit. Two ingests of one text at the same moment both check that it is not
    stored, and one commits first: the other's insert then breaks the unique content hash, and it
    answers with the article stored, `created=False`, as if it had come second (which it did).
    Any other conflict is retried once (a row a concurrent ingest made meanwhile is found then)."""
    try:
        result = ingest_article(session, data, actor, max_bytes, matching)
        session.commit()
        return result
    except IntegrityError:
        session.rollback()
    existing = stored_article_id(session, content_hash(data.text))
    if existing is not None:
        return IngestResult(article_id=existing, created=False)
    result = ingest_article(session, data, actor, max_bytes, matching)
    session.commit()
    return result


def link_article(session: Session, article: Article, config: MatchConfig,
                 plan: ArticlePlan | None = None) -> dict[str, int]:
    """Quotes first (each statement joins a claim or starts one), then every sentence against the
    stored claims, so a paraphrase in an outlet's own words is linked or suggested too."""
    hold_loaded_rows(session)
    session.info[SPEAKER_MEMO] = {}
    try:
        return _link_article(session, article, config, plan or plan_article(article.text, config))
    finally:
        session.info.pop(SPEAKER_MEMO, None)
        release_loaded_rows(session)


def _link_article(session: Session, article: Article, config: MatchConfig, plan: ArticlePlan) -> dict[str, int]:
    counts = {"quotes": 0, "new_claims": 0, "mentions": 0, "suggestions": 0, **plan.left_out}
    touched: set[int] = set()
    created: list[Claim] = []
    known = mention_keys(session, article.id)
    forget_identities(session)
    for unit in plan.units:
        counts["quotes"] += 1
        quote = _store_quote(session, article, unit.quote)
        if unit.second is not None:
            counts["quotes"] += 1
            second = _store_quote(session, article, unit.second)
            touched.update(_link_split_quote(session, article, (quote, unit.quote), (second, unit.second),
                                             unit, config, counts, known, created))
            continue
        for st in unit.statements:
            span = (unit.quote.start + st.start, unit.quote.start + st.end)
            _, made = _link_statement(session, article, quote, st.text, span, config, counts, known, created)
            touched.update(made)
    if config.embedder is not None and created:
        store_vectors(session, config.embedder, config.embedder_model, [(c.id, c.text) for c in created])
    touched.update(_link_sentences(session, article, config, counts, known))
    touched.update(_link_earlier_articles(session, article, created, config, counts))
    links, suggestions, copied = link_repeated_passages(session, article)
    counts["mentions"] += links
    counts["suggestions"] += suggestions
    touched.update(copied)
    session.flush()
    refresh_outlet_counts(session, touched)
    return counts


def _link_split_quote(session: Session, article: Article, first: tuple, second: tuple,
                      unit: QuoteUnit, config: MatchConfig, counts: dict[str, int], known: set,
                      created: list[Claim]) -> set[int]:
    """A quotation split by its attribution makes the statements of its joined halves; a statement
    running across the split has a mention on each side (each half renders part of it)."""
    (quote_a, a), (quote_b, b) = first, second
    head_end, tail_start = unit.head_end, unit.tail_start
    touched: set[int] = set()
    for st in unit.statements:
        spans = []
        if st.start < head_end:
            spans.append((quote_a, (a.start + st.start, a.start + min(st.end, head_end))))
        if st.end > tail_start:
            spans.append((quote_b, (b.start + max(st.start, tail_start) - tail_start,
                                    b.start + st.end - tail_start)))
        quote, span = spans[0]
        claim, made = _link_statement(session, article, quote, st.text, span, config, counts, known, created)
        touched.update(made)
        for quote, span in spans[1:]:
            if add_mention(session, claim, article, *span, quote_id=quote.id, flush=False, known=known):
                counts["mentions"] += 1
                touched.add(claim.id)
    return touched


def _link_sentences(session: Session, article: Article, config: MatchConfig,
                    counts: dict[str, int], known: set) -> set[int]:
    touched: set[int] = set()
    decisions = sentence_decisions(session, article, config)
    claims = claims_by_id(session, {d.claim_id for _, _, d in decisions})
    for start, end, d in decisions:
        claim = claims[d.claim_id]
        if add_mention(session, claim, article, start, end, stance=d.stance, origin=d.origin,
                       quoted=False, score=d.match.score, flush=False, known=known):
            counts["suggestions" if d.origin == "suggested" else "mentions"] += 1
            touched.add(claim.id)
    return touched


def _link_earlier_articles(session: Session, article: Article, created: list[Claim],
                           config: MatchConfig, counts: dict[str, int]) -> set[int]:
    """The claims this article created, linked or suggested in the stored articles that carried
    them first (see matching.earlier_decisions); counted apart in the ingest event."""
    counts["earlier_mentions"] = counts["earlier_suggestions"] = 0
    touched: set[int] = set()
    if not created:
        return touched
    by_id = {c.id: c for c in created}
    # The claims are new: outside this article they have only the mentions added here, so the
    # keys added in this loop are all add_mention must check (no query per mention).
    added: set = set()
    for other, start, end, d in earlier_decisions(session, article, created, config):
        if add_mention(session, by_id[d.claim_id], other, start, end, stance=d.stance, origin=d.origin,
                       quoted=False, score=d.match.score, flush=False, known=added):
            counts["earlier_suggestions" if d.origin == "suggested" else "earlier_mentions"] += 1
            touched.add(d.claim_id)
    return touched


def rematch_article(session: Session, article_id: int, config: MatchConfig, actor: str) -> dict[str, int]:
    """Match a stored article again, against claims added since (imported known claims, say).
    Existing links stay; rejected suggestions stay rejected; one event says what was added."""
    article = get_article(session, article_id)
    counts = {"mentions": 0, "suggestions": 0}
    touched = _link_sentences(session, article, config, counts, mention_keys(session, article.id))
    session.flush()
    refresh_outlet_counts(session, touched)
    if touched:
        record_event(session, actor, "article.rematch", "article", article.id, after=counts)
    return counts


def _quotes_in_linking_order(text: str) -> list[tuple[QuoteCandidate, bool]]:
    """Quotations in marks first, then reported speech; a reported clause that carries a quotation
    is stored but makes no claim of its own: the quoted words are the claim, the clause its frame."""
    found = extract_quotes(text)
    marked = [q for q in found if q.kind != "reported"]
    reported = [(q, not any(q.start <= m.start and m.end <= q.end for m in marked))
                for q in found if q.kind == "reported"]
    return [(q, True) for q in marked] + reported


def _store_quote(session: Session, article: Article, cand) -> Quote:
    speaker = get_or_create_speaker(session, cand.speaker)
    quote = Quote(article_id=article.id, speaker_id=speaker.id if speaker else None,
                  speaker_name=cand.speaker, start=cand.start, end=cand.end, text=cand.text,
                  cue=(cand.cue or None) and cand.cue[:100], kind=cand.kind)
    session.add(quote)
    session.flush()
    return quote


def _link_statement(session: Session, article: Article, quote: Quote, text: str,
                    span: tuple[int, int], config: MatchConfig, counts: dict[str, int],
                    known: set, created: list[Claim]) -> tuple[Claim, set[int]]:
    """Join the claim this statement restates (same words, a shared 8-word run, or a score above
    the link threshold) or start a new one; close-but-not-sure claims become suggestions here."""
    quoted = quote.kind != "reported"
    claim_id, score, scored = find_matching_claim(session, text), None, []
    others: set[int] = set()   # claims it must not join: another speaker or moment, or not a repeat
    if claim_id is not None and not _same_statement(session, claim_id, text, quote, article, config):
        others.add(claim_id)
        claim_id = None
    if claim_id is None:
        scored = scored_candidates(session, text, config)
        for _ in range(JOIN_TRIES):
            join = joinable_claim(session, text, [s for s in scored if s.claim_id not in others], config)
            if join is None:
                break
            if _same_statement(session, join.claim_id, text, quote, article, config):
                claim_id, score = join.claim_id, join.match.score
                break
            others.add(join.claim_id)
    if claim_id is None:
        claim = Claim(text=text, norm_hash=text_hashes(text)[0], speaker_id=quote.speaker_id)
        session.add(claim)
        session.flush()
        index_claim_text(session, claim.id, claim.text)
        counts["new_claims"] += 1
        created.append(claim)
    else:
        claim = session.get(Claim, claim_id)
    touched = set()
    if add_mention(session, claim, article, *span, quote_id=quote.id, quoted=quoted, score=score,
                   flush=False, known=known):
        counts["mentions"] += 1
        touched.add(claim.id)
    decisions = passage_decisions(scored, config, skip={claim.id}, passage=text)
    loaded = claims_by_id(session, {d.claim_id for d in decisions})   # one query, not one a decision
    for d in decisions:
        other = loaded[d.claim_id]
        origin = d.origin
        if origin == "extracted" and (d.claim_id in others or another_statement(
                session, d.claim_id, quote.speaker_id, article.published)):
            origin = "suggested"   # the same words from another speaker or moment: proposed only
        if add_mention(session, other, article, *span, stance=d.stance, origin=origin,
                       quote_id=quote.id, quoted=quoted, score=d.match.score, flush=False,
                       known=known):
            counts["suggestions" if origin == "suggested" else "mentions"] += 1
            touched.add(other.id)
    return claim, touched


# Candidates a statement may try to join, best first, before it starts a claim of its own.
JOIN_TRIES = 3


def _same_statement(session: Session, claim_id: int, text: str, quote: Quote, article: Article,
                    config: MatchConfig) -> bool:
    """May this statement join the claim: the same speaker and moment (see another_statement), and
    a plain repeat by the stance model ("The authority may open the gates, officials say" only
    discusses "The authority will open the gates": it is proposed beside it, not joined)."""
    if another_statement(session, claim_id, quote.speaker_id, article.published):
        return False
    claim_text = session.get(Claim, claim_id).text
    if normalized_key(claim_text) == normalized_key(text):
        return True
    read = stance(claim_text, text)
    return read.label == "repeats" and read.prob >= config.stance_confidence


def delete_article(session: Session, article_id: int, actor: str) -> dict:
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
    record_event(session, actor, "article.delete", "article", article_id, before=before)
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
