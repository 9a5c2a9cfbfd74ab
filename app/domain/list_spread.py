"""The spread columns of a claims list (first seen, first outlet, outlets by stance) without reading
every mention of every listed claim into Python.

The list sorts by outlet count, so its first page holds the claims carried furthest: at 100,000
claims its 25 rows had over 20,000 confirmed mentions between them, and building a SpreadMention
for each (app/domain/spread.py, which the claim page needs whole) was most of the page's time. Here
the database answers the two things a row shows: the distinct outlets per stance (one grouped
query), and the first dated mention, looked for only among the mentions published within a few days
of the claim's earliest publication day (a second, small query), then chosen by the same order as
the claim page (spread.order_key), so both pages name the same first outlet.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Date, Integer, and_, column, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from app.domain.linking import LINKED
from app.domain.spread import SpreadMention, _spread_rows
from app.storage.models import Article, Mention
from app.vocab import STANCES

#: An article's day (`published`, the source's local date) and its UTC moment (`published_at`)
#: differ by at most a day and a half; a mention published this many days after the claim's
#: earliest day cannot be its first.
FIRST_WINDOW = timedelta(days=3)
#: A claim with more confirmed mentions than this has its first one looked for among the articles
#: published in its window (the articles' day index, then its mention of each, by the unique
#: (claim_id, article_id, ...) index) instead of among all its mentions: the claims list sorts by
#: outlets, so its first page holds the claims with most mentions (16,000 between the first 25 at
#: 100,000 claims), each of which was read whole to keep the few in the window.
WINDOW_BY_ARTICLES = 40


class _ArticlesIndexedBy(TableClause):
    """`articles` read through ix_articles_spread on SQLite (`INDEXED BY`): the outlet and day of
    an article from the index instead of its row, which SQLite's planner would look up by rowid."""

    inherit_cache = True


@compiles(_ArticlesIndexedBy, "sqlite")
def _indexed_sqlite(element, compiler, **kw):
    return "articles INDEXED BY ix_articles_spread"


@compiles(_ArticlesIndexedBy)
def _indexed_other(element, compiler, **kw):
    return "articles"


ARTICLE_DAYS = _ArticlesIndexedBy("articles", column("id", Integer), column("outlet_id", Integer),
                                   column("published", Date))


@dataclass(frozen=True, slots=True)
class ListSpread:
    first: SpreadMention | None                       # the earliest confirmed, dated mention
    outlets: dict[str, int] = field(default_factory=dict)   # stance -> how many distinct outlets


def list_spreads(session: Session, claim_ids: list[int]) -> dict[int, ListSpread]:
    """Each listed claim's first confirmed mention and how many distinct outlets carry it per stance
    (confirmed mentions only, as spread.summarize counts them)."""
    if not claim_ids:
        return {}
    outlets: dict[int, dict[str, int]] = {c: dict.fromkeys(STANCES, 0) for c in claim_ids}
    earliest: dict[int, date | None] = dict.fromkeys(claim_ids)
    dayless: set[int] = set()   # claims with a mention whose article has no day (perhaps a moment)
    counts: dict[int, int] = dict.fromkeys(claim_ids, 0)
    # The article's outlet and day only, from ix_articles_spread (published_at comes after the
    # text in the row, and reading it for every mention walked each 4 KB text's overflow pages);
    # the mention's claim, origin, stance and article from ix_mentions_claim_spread. Counted by
    # the database: a row per claim and stance (a row per outlet was 5,000 rows to turn into
    # Python objects for a page at 100,000 claims).
    art = ARTICLE_DAYS.c
    stmt = (select(Mention.claim_id, Mention.stance, func.count(art.outlet_id.distinct()),
                   func.min(art.published), func.count() - func.count(art.published), func.count())
            .join(ARTICLE_DAYS, art.id == Mention.article_id)
            .where(Mention.claim_id.in_(claim_ids), LINKED)
            .group_by(Mention.claim_id, Mention.stance))
    for claim_id, stance, n_outlets, day, without_day, n in session.execute(stmt):
        outlets[claim_id][stance] = n_outlets
        counts[claim_id] += n
        if day is not None and (earliest[claim_id] is None or day < earliest[claim_id]):
            earliest[claim_id] = day
        if without_day:
            dayless.add(claim_id)
    firsts = _firsts(session, earliest, dayless, counts)
    return {c: ListSpread(firsts.get(c), outlets[c]) for c in claim_ids}


def _firsts(session: Session, earliest: dict[int, date | None], dayless: set[int],
            counts: dict[int, int]) -> dict[int, SpreadMention]:
    """The first dated mention of each claim, among the few that can be first: those published
    within FIRST_WINDOW of its earliest day. A claim with few mentions finds them by its index
    entry; one with many (WINDOW_BY_ARTICLES), through the articles of those days (its earliest
    day is the least day of its confirmed mentions, so none of them is published before it)."""
    no_day = and_(Article.published.is_(None), Article.published_at.is_not(None))
    near = []
    for claim_id, day in earliest.items():
        if day is not None and claim_id not in dayless and counts[claim_id] > WINDOW_BY_ARTICLES:
            in_window = select(Article.id).where(Article.published >= day,
                                                 Article.published <= day + FIRST_WINDOW)
            near.append(and_(Mention.claim_id == claim_id, Mention.article_id.in_(in_window)))
            continue
        window = [no_day] if claim_id in dayless else []
        if day is not None:
            window.append(Article.published <= day + FIRST_WINDOW)
        if window:
            near.append(and_(Mention.claim_id == claim_id, or_(*window)))
    if not near:
        return {}
    rows = _spread_rows(session, or_(*near), include_suggested=False)
    return {c: dated[0] for c, ms in rows.items()
            for dated in ([m for m in ms if m.moment is not None],) if dated}
