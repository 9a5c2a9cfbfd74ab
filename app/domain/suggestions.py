"""The suggestions queue: what the matcher proposed and an analyst decides.

A suggestion is a mention with origin "suggested". Accepting makes it an analyst's link (counted
among the claim's outlets); rejecting deletes it and remembers the claim and span in
dismissed_matches, so matching never proposes it again. Every decision is one event.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.claims import touch
from app.domain.errors import MAX_ID, Conflict, DomainError, InvalidInput, NotFound, get_or_404
from app.domain.events import record_event
from app.domain.inputs import is_ascii_int
from app.domain.linking import refresh_outlet_counts
from app.domain.match_types import match_weights
from app.pipeline.context import sentence_bounds
from app.pipeline.matching import MatchScore, claim_stems, highlight_spans, score_match, stems
from app.pipeline.scorer import default_scorer
from app.storage.engine import insert_ignoring_conflicts
from app.storage.models import Article, Claim, DismissedMatch, Event, Mention, Outlet, utcnow
from app.vocab import STANCES

MAX_BULK = 500


@dataclass(frozen=True, slots=True)
class SuggestionView:
    """One pending suggestion with what an analyst needs to judge it: both texts and the reason."""

    mention_id: int
    claim_id: int
    claim_text: str
    claim_status: str
    article_id: int
    article_title: str
    outlet: str
    outlet_slug: str
    published: object
    start: int
    end: int
    excerpt: str
    stance: str
    fidelity: str
    score: float | None
    match: MatchScore
    marks: tuple[tuple[int, int], ...]   # offsets into excerpt of the words shared with the claim
    before: str                          # the sentence around the excerpt, for context
    after: str
    # The claim this very span started (a quote statement that became a claim of its own and was
    # proposed here as a paraphrase of this earlier one: matching.earlier_paraphrase): merging it
    # into this claim gathers the two. None for most suggestions.
    also_claim_id: int | None = None


def _decision_dict(m: Mention) -> dict:
    return {"id": m.id, "claim_id": m.claim_id, "article_id": m.article_id, "start": m.start,
            "end": m.end, "stance": m.stance, "origin": m.origin, "score": m.score}


def pending_count(session: Session, stance: str | None = None) -> int:
    stmt = select(func.count(Mention.id)).where(Mention.origin == "suggested")
    if stance:
        stmt = stmt.where(Mention.stance == stance)
    return session.scalar(stmt) or 0


def _suggestion_select(stance: str | None):
    if stance is not None and stance not in STANCES:
        raise InvalidInput(f"stance must be one of {', '.join(STANCES)}")
    stmt = select(Mention, Claim.text, Claim.status, Article.title, Article.published,
                  Article.text, Outlet.name, Outlet.slug) \
        .join(Claim, Claim.id == Mention.claim_id) \
        .join(Article, Article.id == Mention.article_id) \
        .join(Outlet, Outlet.id == Article.outlet_id) \
        .where(Mention.origin == "suggested")
    return stmt.where(Mention.stance == stance) if stance else stmt


def _views(session: Session, stmt) -> list[SuggestionView]:
    rows = list(session.execute(stmt))
    # The reason is scored as the matcher scores now: words weighed by their rarity among the claims
    # (the stored score is the one from when it was proposed, as the store was then).
    weights = match_weights(session, set().union(*(claim_stems(r[1]) | stems(r[0].excerpt) for r in rows)))
    own = own_claims(session, [r[0] for r in rows])
    return [_view(row, weights, own.get(row[0].id)) for row in rows]


def own_claims(session: Session, mentions) -> dict[int, int]:
    """suggestion id -> the live claim whose own quoted mention has exactly its span, where one does
    (the claim that passage started: see SuggestionView.also_claim_id), for suggestions given as
    rows with id, claim_id, article_id, start and end: one query for a page of them."""
    if not mentions:
        return {}
    spans = {(m.article_id, m.start, m.end): m for m in mentions}
    # By the articles' index alone, the origin told apart here: with `origin = 'extracted'` and the
    # claims joined in the statement, SQLite without statistics (a bulk-loaded store) walked the
    # origin index, every extracted mention of the store (200 ms at 100k claims on the claim page
    # of a big claim with suggestions waiting).
    rows = session.execute(
        select(Mention.article_id, Mention.start, Mention.end, Mention.claim_id, Mention.origin)
        .where(Mention.article_id.in_({m.article_id for m in mentions}), Mention.quote_id.is_not(None)))
    found = [(spans[(article_id, start, end)], claim_id) for article_id, start, end, claim_id, origin in rows
             if origin == "extracted" and (article_id, start, end) in spans]
    found = [(m, claim_id) for m, claim_id in found if claim_id != m.claim_id]
    live = set(session.scalars(select(Claim.id).where(Claim.id.in_({c for _, c in found}),
                                                      Claim.merged_into_id.is_(None)))) if found else set()
    out: dict[int, int] = {}
    for m, claim_id in found:
        if claim_id in live:
            out.setdefault(m.id, claim_id)
    return out


def list_suggestions(session: Session, *, stance: str | None = None, claim_id: int | None = None,
                     after: tuple[float, int] | None = None, limit: int = 50) -> list[SuggestionView]:
    """Pending suggestions, best score first (ties by id), keyset-paged by (score, id)."""
    score = func.coalesce(Mention.score, 0.0)
    stmt = _suggestion_select(stance).order_by(score.desc(), Mention.id).limit(max(1, min(limit, 200)))
    if claim_id is not None:
        stmt = stmt.where(Mention.claim_id == claim_id)
    if after is not None:
        stmt = stmt.where((score < after[0]) | ((score == after[0]) & (Mention.id > after[1])))
    return _views(session, stmt)


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """One claim of the queue with its pending suggestions (the best `per_claim` of them)."""

    claim_id: int
    best: float                       # its best pending score: the queue's order
    pending: int                      # how many are pending for it (of the kind asked for)
    items: tuple[SuggestionView, ...]

    @property
    def claim_text(self) -> str:
        return self.items[0].claim_text

    @property
    def claim_status(self) -> str:
        return self.items[0].claim_status


def list_claim_groups(session: Session, *, stance: str | None = None, claim_id: int | None = None,
                      after: tuple[float, int] | None = None, limit: int = 20,
                      per_claim: int = 20) -> list[ClaimGroup]:
    """The queue by claim: claims with pending suggestions, best pending score first (ties by claim
    id), keyset-paged by (best score, claim id); each with its own best suggestions first. Two
    queries whatever the page size: the claims, then their suggestions ranked within each claim."""
    _suggestion_select(stance)   # checks the stance
    score = func.coalesce(Mention.score, 0.0)
    best = func.max(score)
    heads = select(Mention.claim_id, best, func.count(Mention.id)).where(Mention.origin == "suggested")
    if stance:
        heads = heads.where(Mention.stance == stance)
    if claim_id is not None:
        heads = heads.where(Mention.claim_id == claim_id)
    heads = heads.group_by(Mention.claim_id)
    if after is not None:
        heads = heads.having((best < after[0]) | ((best == after[0]) & (Mention.claim_id > after[1])))
    heads = list(session.execute(heads.order_by(best.desc(), Mention.claim_id)
                                 .limit(max(1, min(limit, 100)))))
    if not heads:
        return []
    ranked = select(Mention.id, func.row_number().over(
        partition_by=Mention.claim_id, order_by=(score.desc(), Mention.id)).label("rank")) \
        .where(Mention.origin == "suggested", Mention.claim_id.in_([h[0] for h in heads]))
    if stance:
        ranked = ranked.where(Mention.stance == stance)
    ranked = ranked.subquery()
    stmt = _suggestion_select(stance).where(Mention.id.in_(
        select(ranked.c.id).where(ranked.c.rank <= per_claim))).order_by(score.desc(), Mention.id)
    by_claim: dict[int, list[SuggestionView]] = {}
    for view in _views(session, stmt):
        by_claim.setdefault(view.claim_id, []).append(view)
    return [ClaimGroup(cid, float(top or 0.0), count, tuple(by_claim.get(cid, ())))
            for cid, top, count in heads if by_claim.get(cid)]


def group_cursor_after(group: ClaimGroup) -> str:
    """The keyset position after this claim, as `score_claimid` (read back by parse_cursor)."""
    return f"{group.best!r}_{group.claim_id}"


def cursor_after(view: SuggestionView) -> str:
    """The keyset position after this suggestion, as `score_id` (repr keeps the float exact)."""
    return f"{view.score or 0.0!r}_{view.mention_id}"


def parse_cursor(cursor: str | None) -> tuple[float, int] | None:
    """`score_id` back to the `after` of list_suggestions; a garbled one is a 422, not a 500."""
    if not cursor:
        return None
    score, _, ident = cursor.partition("_")
    try:
        if not score.isascii() or not is_ascii_int(ident):  # float() and int() take any digits
            raise ValueError(cursor)
        after = (float(score), int(ident))
    except ValueError:
        raise InvalidInput(f"bad cursor {cursor[:40]!r}") from None
    if not (0.0 <= after[0] <= 1.0 and 0 <= after[1] < 2**31):
        raise InvalidInput(f"bad cursor {cursor[:40]!r}")
    return after


def _view(row, weights: dict[str, float], also_claim_id: int | None = None) -> SuggestionView:
    m, claim_text, status, title, published, text, outlet, outlet_slug = row
    lo, hi = sentence_bounds(text, m.start, m.end)
    return SuggestionView(
        mention_id=m.id, claim_id=m.claim_id, claim_text=claim_text, claim_status=status,
        article_id=m.article_id, article_title=title, outlet=outlet, outlet_slug=outlet_slug,
        published=published, start=m.start, end=m.end, excerpt=m.excerpt, stance=m.stance,
        fidelity=m.fidelity, score=m.score, match=_reason_match(claim_text, m, weights),
        marks=tuple(highlight_spans(m.excerpt, claim_text)),
        before=text[lo:m.start], after=text[m.end:hi], also_claim_id=also_claim_id)


def _pending(session: Session, mention_id: int) -> Mention:
    """The suggestion still awaiting a decision. One rejected by another analyst is gone from the
    table, but its event names who: that is a 409 with their name, not an unexplained 404."""
    try:
        mention = get_or_404(session, Mention, mention_id, "suggestion")
    except NotFound:
        if not 0 < mention_id <= MAX_ID:
            raise
        who = session.scalar(select(Event.actor).where(
            Event.action == "suggestion.reject", Event.entity == "mention",
            Event.entity_id == mention_id).limit(1))
        if who is None:
            raise
        raise Conflict(f"suggestion {mention_id} was already rejected by {who}") from None
    if mention.origin != "suggested":
        raise Conflict(f"suggestion {mention_id} was already accepted by {mention.confirmed_by or 'someone'}")
    return mention


def accept(session: Session, mention_id: int, actor: str, stance: str | None = None) -> Mention:
    """Make a suggestion an analyst's link, optionally with another stance ("c" = contradicts)."""
    if stance is not None and stance not in STANCES:
        raise InvalidInput(f"stance must be one of {', '.join(STANCES)}")
    mention = _pending(session, mention_id)
    before = _decision_dict(mention)
    mention.origin, mention.confirmed_by = "analyst", actor
    if stance:
        mention.stance = stance
    session.flush()
    touch(session.get(Claim, mention.claim_id))
    refresh_outlet_counts(session, [mention.claim_id])
    record_event(session, actor, "suggestion.accept", "mention", mention.id,
                 claim_id=mention.claim_id, before=before, after=_decision_dict(mention))
    return mention


def reject(session: Session, mention_id: int, actor: str) -> int:
    """Delete the suggestion and remember it, so it is never proposed again; returns its claim id."""
    mention = _pending(session, mention_id)
    claim_id = mention.claim_id
    insert_ignoring_conflicts(session, DismissedMatch, claim_id=claim_id, article_id=mention.article_id,
                              start=mention.start, end=mention.end, actor=actor, at=utcnow())
    record_event(session, actor, "suggestion.reject", "mention", mention.id, claim_id=claim_id,
                 before=_decision_dict(mention))
    session.delete(mention)
    session.flush()
    return claim_id


def _bulk(session: Session, mention_ids: Iterable[int], decide) -> tuple[list[int], list[str]]:
    ids = list(dict.fromkeys(int(i) for i in mention_ids))
    if len(ids) > MAX_BULK:
        raise InvalidInput(f"at most {MAX_BULK} suggestions at once, got {len(ids)}")
    done, skipped = [], []
    for mention_id in ids:
        try:
            decide(mention_id)
            done.append(mention_id)
        except DomainError as exc:  # taken by someone else, or gone: report it, go on
            skipped.append(exc.message)
    return done, skipped


def bulk_accept(session: Session, mention_ids: Iterable[int], actor: str) -> tuple[list[int], list[str]]:
    """Accept many at once: (accepted ids, one line per id that could not be accepted and why)."""
    return _bulk(session, mention_ids, lambda i: accept(session, i, actor))


def bulk_reject(session: Session, mention_ids: Iterable[int], actor: str) -> tuple[list[int], list[str]]:
    """Reject many at once, each as one reject (remembered, one event): (rejected ids, why not)."""
    return _bulk(session, mention_ids, lambda i: reject(session, i, actor))


def _reason_match(claim_text: str, mention: Mention, weights) -> MatchScore:
    """The measures behind a stored suggestion, shown as its reason: computed again from the
    excerpt, with the score the matcher stored (it may have read the meaning too)."""
    match = score_match(claim_text, mention.excerpt, weights, scorer=default_scorer())
    return replace(match, score=mention.score if mention.score is not None else match.score)

