"""Read models for the HTML pages: each page's data gathered in a few grouped queries, no rules.

Why a separate module: the pages need combinations (a claim with its tags, history and sources) that
the JSON API and the CLI do not; keeping them here keeps routes thin and the domain modules focused
on what may change."""
from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.articles import article_mentions, article_quotes, get_article, list_articles
from app.domain.claims import ClaimFilter, list_claims, tags_for_claims
from app.domain.errors import MAX_ID
from app.domain.events import claim_history
from app.domain.inputs import is_ascii_int
from app.domain.mentions import (
    RENDERINGS_SHOWN,
    LightMention,
    PageMention,
    claim_mentions_light,
    claim_mentions_page,
    claim_sources,
    count_sources,
    renderings_key,
)
from app.domain.people import list_outlets
from app.domain.suggestions import own_claims
from app.pipeline.context import segments
from app.pipeline.diff import DiffOp, word_diff
from app.storage.models import Article, Claim, ClaimSpread, ClaimTag, Mention, Outlet, Quote, Tag
from app.vocab import FIDELITIES

DASHBOARD_ROWS = 10


def dashboard(session: Session) -> dict:
    """The first screen: what just arrived and what the team is arguing about."""
    return {
        "recent": list_claims(session, ClaimFilter(sort="newest"), limit=DASHBOARD_ROWS),
        "disputed": list_claims(session, ClaimFilter(status="disputed", sort="changed"),
                                limit=DASHBOARD_ROWS),
        "outlets": list_outlets(session),
        "articles": list_articles(session, limit=DASHBOARD_ROWS),
    }


#: Suggestions the claim page lists at first, and each "More suggestions" brings (suggestion_batch;
#: their renderings are the first as many of "How each outlet renders it", whose linked rows are
#: RENDERINGS_SHOWN, in domain/mentions.py); the counts above them are over every mention and every
#: suggestion, the full lists are on the sources page, its CSV and the suggestions queue.
#: Why a batch and not all 50 at once: an analyst's page of a big claim with a hundred suggestions
#: waiting was 287 KB, 74 KB of it the 50 suggestions with their forms and 36 KB their renderings.
SUGGESTIONS_SHOWN = 10


def claim_detail(session: Session, claim: Claim, suggested: bool = True, page: int = 1,
                 light: list[LightMention] | None = None) -> dict:
    """Everything the claim page shows, for a live (already resolved) claim; `suggested=False` for a
    reader who may not see the suggestions queue. Mentions a page at a time (`page`), so a claim
    carried by thousands of articles costs what one with fifty does; what sums up every mention
    (spread, first appearance, outlets by stance, fidelity) comes from app/domain/spread.py.
    `light`: the claim's mentions as claim_mentions_light reads them, when the caller has them: the
    page's order, the renderings' pick and the suggestions' count then come from that one read;
    without it a big claim's come from its stored plan (spread_summary.page_plan), a small one's
    from a read of its own."""
    mentions = claim_mentions_page(session, claim.id, page, light=light)
    # Awaiting an analyst: shown apart from the stance groups and never counted as outlets.
    waiting = claim_sources(session, claim.id, suggested=True, limit=SUGGESTIONS_SHOWN) if suggested else []
    known = [*mentions.mentions, *waiting]
    renderings = claim_renderings(session, claim, suggested, light=light, shown_rows=known,
                                  shown_suggested=SUGGESTIONS_SHOWN)
    return {
        "claim": claim,
        "tags": tags_for_claims(session, [claim.id])[claim.id],
        "history": claim_history(session, claim.id),
        "mentions": mentions,
        "suggestions": waiting,
        "suggestions_page": 1,
        "suggestions_per_page": SUGGESTIONS_SHOWN,
        "suggestions_total": renderings["suggested_count"],   # every suggestion, counted once
        "also_claims": own_claims(session, waiting),   # suggestion id -> the claim its passage started
        "renderings": renderings,
    }


def suggestion_batch(session: Session, claim_id: int, page: int) -> dict:
    """The claim page's `page`-th batch of suggestions (SUGGESTIONS_SHOWN each, in the order the page
    lists them: claim_sources'), for its "More suggestions": what templates/_suggestion_batch.html needs."""
    waiting = claim_sources(session, claim_id, suggested=True, limit=SUGGESTIONS_SHOWN,
                            offset=(page - 1) * SUGGESTIONS_SHOWN)
    return {"suggestions": waiting, "suggestions_page": page, "suggestions_per_page": SUGGESTIONS_SHOWN,
            "suggestions_total": count_sources(session, claim_id, suggested=True),
            "also_claims": own_claims(session, waiting)}


@dataclass(frozen=True, slots=True)
class Rendering:
    """One row of "how each outlet renders it" (claim_renderings)."""

    id: int
    article_id: int
    excerpt: str
    fidelity: str
    origin: str
    stance: str
    title: str
    published: date | None
    outlet: str
    outlet_slug: str
    suggested: bool
    diff: tuple[DiffOp, ...]


def claim_renderings(session: Session, claim: Claim, suggested: bool = True,
                     shown: int = RENDERINGS_SHOWN, light: list[LightMention] | None = None,
                     shown_rows: Iterable[PageMention] = (), shown_suggested: int | None = None) -> dict:
    """Each mention's wording set against the canonical text, for "how each outlet renders it":
    the first `shown` linked mentions (and as many suggestions), the counts over all of them.

    Why a read of its own: it covers suggestions awaiting an analyst as well as linked
    mentions, whatever the stance groups show, and it reads excerpts rather than whole article
    texts; the diff itself is pure text work. Suggestions come last, marked, so an analyst sees
    how a proposed match words the claim before accepting it (the first `shown_suggested` of them,
    `shown` when not given). The first `shown` are picked from
    `light` (claim_mentions_light, read here when not given); rows the page has read already
    (`shown_rows`: its mentions and the suggestions it lists) are not read again."""
    summary = session.get(ClaimSpread, claim.id)
    some = shown if shown_suggested is None else shown_suggested
    if light is None and summary is not None and summary.page is not None and shown <= RENDERINGS_SHOWN:
        # A big claim: the first linked ones as stored (spread_summary.page_plan), the suggestions
        # picked and counted by the index, not every mention read.
        ids = summary.page["renderings"][:shown]
        waiting = count_sources(session, claim.id, suggested=True) if suggested else 0
        if waiting:
            ids += list(session.scalars(
                select(Mention.id).join(Article, Article.id == Mention.article_id)
                .where(Mention.claim_id == claim.id, Mention.origin == "suggested")
                .order_by(Article.published.is_(None), Article.published, Mention.article_id, Mention.start,
                          Mention.id).limit(some)))
    else:
        if light is None:
            light = claim_mentions_light(session, claim.id)
        ids = [m.id for m in heapq.nsmallest(shown, (m for m in light if m.linked), key=renderings_key)]
        if suggested:
            ids += [m.id for m in heapq.nsmallest(some, (m for m in light if not m.linked), key=renderings_key)]
        waiting = sum(not m.linked for m in light) if suggested else 0
    have = {r.id: Rendering(r.id, r.article_id, r.excerpt, r.fidelity, r.origin, r.stance, r.title, r.published,
                            r.outlet, r.outlet_slug, r.origin == "suggested", ()) for r in shown_rows}
    missing = [i for i in ids if i not in have]
    stmt = (select(Mention.id, Mention.article_id, Mention.excerpt, Mention.fidelity,
                   Mention.origin, Mention.stance, Article.title, Article.published,
                   Outlet.name.label("outlet"), Outlet.slug.label("outlet_slug"))
            .join(Article, Article.id == Mention.article_id)
            .join(Outlet, Outlet.id == Article.outlet_id)
            .where(Mention.id.in_(missing)))
    if missing:
        have.update((r.id, Rendering(*r, suggested=r.origin == "suggested", diff=())) for r in session.execute(stmt))
    found = [have[i] for i in ids if i in have]
    diffs: dict[str, tuple] = {}      # the same wording (a verbatim quote) is diffed once
    for r in found:
        if r.excerpt not in diffs:
            diffs[r.excerpt] = word_diff(claim.text, r.excerpt)
    rows = [replace(r, diff=diffs[r.excerpt]) for r in found]
    # The linked mentions' fidelity counts are the stored summary's (domain/spread_summary.py), not
    # a pass over every mention of a big claim; the suggestions are counted from the index.
    fidelity = summary.fidelity if summary else {}
    return {"rows": rows, "fidelity_counts": [(f, fidelity[f]) for f in FIDELITIES if fidelity.get(f)],
            "suggested_count": waiting,
            "linked_total": summary.linked if summary else 0, "linked_shown": sum(not r.suggested for r in rows)}


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text with one set of highlights; offsets index the stored text exactly."""

    start: int
    end: int
    text: str
    quotes: tuple[Quote, ...]
    mentions: tuple[tuple[Mention, Claim], ...]
    anchors: tuple[int, ...]   # ids of mentions that begin here (for #m{id} links)
    selected: bool = False     # inside the span a `?start=&end=` link points at

    @property
    def confirmed(self) -> tuple[tuple[Mention, Claim], ...]:
        """The linked mentions here: these colour the text by stance."""
        return tuple(mc for mc in self.mentions if mc[0].origin != "suggested")

    @property
    def suggested(self) -> tuple[tuple[Mention, Claim], ...]:
        """Suggestions awaiting an analyst here: drawn apart (dashed, muted), never as a link."""
        return tuple(mc for mc in self.mentions if mc[0].origin == "suggested")


def _split_lines(start: int, text: str) -> list[tuple[int, str]]:
    """Cut after every newline: browsers turn "\\r\\n" into "\\n", so each piece restarts the count."""
    out, pos = [], 0
    while pos < len(text):
        nl = text.find("\n", pos)
        stop = len(text) if nl < 0 else nl + 1
        out.append((start + pos, text[pos:stop]))
        pos = stop
    return out


def article_pieces(text: str, quotes: list[Quote], mentions: list[tuple[Mention, Claim]],
                   selection: tuple[int, int] | None = None) -> list[Piece]:
    """The article cut into highlightable pieces: every quote and mention boundary, and every line."""
    spans = [(q.start, q.end) for q in quotes] + [(m.start, m.end) for m, _ in mentions]
    nq, nspans = len(quotes), len(spans)
    if selection:
        spans.append(selection)
    starts: dict[int, list[int]] = {}
    for m, _ in mentions:
        starts.setdefault(m.start, []).append(m.id)
    pieces: list[Piece] = []
    offset = 0
    for seg in segments(text, spans):
        seg_quotes = tuple(quotes[i] for i in seg.marks if i < nq)
        seg_mentions = tuple(mentions[i - nq] for i in seg.marks if nq <= i < nspans)
        selected = nspans in seg.marks
        for pos, chunk in _split_lines(offset, seg.text):
            anchors = tuple(starts.pop(pos, ())) if seg_mentions else ()
            pieces.append(Piece(pos, pos + len(chunk), chunk, seg_quotes, seg_mentions, anchors,
                                selected))
        offset += len(seg.text)
    return pieces


def article_detail(session: Session, article_id: int,
                   selection: tuple[int, int] | None = None, suggested: bool = True) -> dict:
    """The article page; a selection outside the text is dropped rather than refused (it is a link)."""
    article: Article = get_article(session, article_id)
    quotes = article_quotes(session, article_id)
    mentions = article_mentions(session, article_id, suggested)
    if selection and not (0 <= selection[0] < selection[1] <= len(article.text)):
        selection = None
    return {
        "article": article,
        "quotes": quotes,
        "mentions": mentions,
        "confirmed": [mc for mc in mentions if mc[0].origin != "suggested"],
        "suggestions": [mc for mc in mentions if mc[0].origin == "suggested"],
        "selection": selection,
        "pieces": article_pieces(article.text, quotes, mentions, selection),
    }


def claim_choices(session: Session, q: str, limit: int = 10) -> list[Claim]:
    """Claims to offer when linking a selection: text search, or nothing for an empty query."""
    if not q or not q.strip():
        return []
    if is_ascii_int(q.strip()):
        ident = int(q.strip())
        claim = session.scalar(select(Claim).where(Claim.id == ident, Claim.merged_into_id.is_(None))
                               ) if 0 < ident <= MAX_ID else None
        return [claim] if claim else []
    return list_claims(session, ClaimFilter(q=q), limit=limit).claims


def tag_names(session: Session) -> list[str]:
    """Tags in use on at least one claim, for the claims filter."""
    stmt = (select(Tag.name).where(Tag.id.in_(select(ClaimTag.tag_id))).order_by(Tag.name))
    return list(session.scalars(stmt))
