"""The spread columns of a claims list (first seen, first outlet, outlets by stance) without reading
the listed claims' mentions.

The list sorts by outlet count, so its first page holds the claims carried furthest: at 100,000
claims its 25 rows had over 20,000 confirmed mentions between them. Counting their outlets per
stance from the mentions (one grouped query over two covering indexes) and looking for each one's
first mention among those of its first days still took two thirds of a computed list page (26 of 40
ms of CPU, the claims list filtered by outlet and status). Each claim's stored spread summary
(claim_spreads, kept by spread_summary.refresh_spreads on every path that changes a claim's
mentions, as the claim page reads it) holds both: its outlets per stance and its first mention,
chosen by the claim page's own order (spread.order_key). So a row reads that summary and the one
first mention whole: two small queries for the page, whatever the claims' sizes.

ARTICLE_DAYS (ix_articles_spread) stays for outlets.py, which reads an outlet's articles' days.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Date, Integer, column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import TableClause

from app.domain.spread import SpreadMention, _spread_rows
from app.storage.models import ClaimSpread, Mention
from app.vocab import STANCES


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
    (confirmed mentions only, as spread.summarize counts them), from the stored summaries; a claim
    without one has no confirmed mention."""
    if not claim_ids:
        return {}
    stmt = (select(ClaimSpread.claim_id, ClaimSpread.first_mention_id, ClaimSpread.outlets)
            .where(ClaimSpread.claim_id.in_(claim_ids)))
    summaries = {claim_id: (first_id, outlets or {}) for claim_id, first_id, outlets in session.execute(stmt)}
    first_ids = sorted({first_id for first_id, _ in summaries.values() if first_id is not None})
    rows = _spread_rows(session, Mention.id.in_(first_ids), include_suggested=False) if first_ids else {}
    whole = {m.id: m for ms in rows.values() for m in ms}
    out = {}
    for claim_id in claim_ids:
        first_id, outlets = summaries.get(claim_id, (None, {}))
        out[claim_id] = ListSpread(whole.get(first_id), {s: len(outlets.get(s, ())) for s in STANCES})
    return out
