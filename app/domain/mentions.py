"""Mentions made, changed or removed by an analyst, and the claim page's grouping of them."""
from __future__ import annotations

import struct
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.domain.articles import get_article
from app.domain.claims import clean_claim_text, resolve_claim, touch
from app.domain.errors import Conflict, InvalidInput, get_or_404
from app.domain.events import record_event
from app.domain.linking import LINKED, add_mention, index_claim_text, refresh_outlet_counts, text_hashes
from app.storage.models import as_utc
from app.pipeline.context import sentence_bounds
from app.storage.models import Article, Claim, ClaimSpread, Mention, Outlet
from app.vocab import STANCES


def _check_stance(stance: str) -> None:
    if stance not in STANCES:
        raise InvalidInput(f"stance must be one of {', '.join(STANCES)}")


def _mention_dict(m: Mention) -> dict:
    return {"id": m.id, "claim_id": m.claim_id, "article_id": m.article_id, "start": m.start,
            "end": m.end, "excerpt": m.excerpt, "stance": m.stance, "fidelity": m.fidelity,
            "origin": m.origin}


def link_selection(session: Session, article_id: int, start: int, end: int, stance: str, actor: str,
                   claim_id: int | None = None, new_claim_text: str | None = None) -> Mention:
    """Link text an analyst selected to a claim, or make a new claim of it."""
    _check_stance(stance)
    article = get_article(session, article_id)
    if not (0 <= start < end <= len(article.text)):
        raise InvalidInput(f"span {start}-{end} is outside the article (0-{len(article.text)})")
    if claim_id is not None:
        claim = resolve_claim(session, claim_id)
    else:
        text = clean_claim_text(new_claim_text or article.text[start:end])
        claim = Claim(text=text, norm_hash=text_hashes(text)[0])
        session.add(claim)
        session.flush()
        index_claim_text(session, claim.id, text)
        record_event(session, actor, "claim.create", "claim", claim.id, claim_id=claim.id,
                     after={"text": text, "from_article": article.id})
    mention = add_mention(session, claim, article, start, end, stance=stance, origin="analyst",
                          quoted=_inside_quotes(article.text, start, end), confirmed_by=actor)
    if mention is None:
        mention = _take_over_suggestion(session, claim.id, article.id, start, end, stance, actor)
    touch(claim)
    refresh_outlet_counts(session, [claim.id])
    record_event(session, actor, "mention.link", "mention", mention.id, claim_id=claim.id,
                 after=_mention_dict(mention))
    return mention


def _take_over_suggestion(session: Session, claim_id: int, article_id: int, start: int, end: int,
                          stance: str, actor: str) -> Mention:
    """The analyst links a span the matcher had only suggested: the suggestion becomes their link."""
    mention = session.scalar(select(Mention).where(
        Mention.claim_id == claim_id, Mention.article_id == article_id,
        Mention.start == start, Mention.end == end))
    if mention is None or mention.origin != "suggested":
        raise InvalidInput("that span is already linked to this claim")
    mention.origin, mention.stance, mention.confirmed_by = "analyst", stance, actor
    session.flush()
    return mention


def _inside_quotes(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 2):start]
    after = text[end:end + 2]
    return any(c in before for c in "\"“") and any(c in after for c in "\"”")


def get_mention(session: Session, mention_id: int) -> Mention:
    return get_or_404(session, Mention, mention_id, "mention")


def _check_expected(mention: Mention, expected_stance: str | None, tried: str) -> None:
    """The stance the analyst's page showed must still be the mention's: otherwise someone changed it
    since, and acting on the old page would silently undo their judgement."""
    if expected_stance and expected_stance != mention.stance:
        raise Conflict(f"mention {mention.id} changed since you loaded it: its stance is now "
                       f"{mention.stance} (you saw {expected_stance}); {tried} was not saved")


def _held(session: Session, mention_id: int, expected_stance: str | None, tried: str,
          statement) -> tuple[Mention, dict, int]:
    """Run a compare-and-set statement on the mention (WHERE stance = the stance just read,
    RETURNING its claim id): (the mention, its values before, its claim id at that moment). A
    writer that lost the race reads again: a Conflict when it named a stance, else a retry."""
    for _ in range(5):
        mention = get_mention(session, mention_id)
        _check_expected(mention, expected_stance, tried)
        before = _mention_dict(mention)
        claim_id = session.scalar(
            statement.where(Mention.id == mention.id, Mention.stance == mention.stance)
            .returning(Mention.claim_id).execution_options(synchronize_session=False))
        if claim_id is not None:
            return mention, before, claim_id
        session.expire(mention)
    raise Conflict(f"mention {mention_id} is being changed by others; try again")


def set_stance(session: Session, mention_id: int, stance: str, actor: str,
               expected_stance: str | None = None) -> Mention:
    """`expected_stance` is the stance the analyst saw: a mention has no other analyst-edited
    field, so it serves as the mention's version (409 when it moved on)."""
    _check_stance(stance)
    if expected_stance:
        _check_stance(expected_stance)
    mention = get_mention(session, mention_id)
    _check_expected(mention, expected_stance, f"your change to {stance}")
    if mention.stance == stance:
        return mention
    mention, before, claim_id = _held(
        session, mention_id, expected_stance, f"your change to {stance}",
        update(Mention).values(stance=stance, confirmed_by=actor))
    set_committed_value(mention, "stance", stance)
    set_committed_value(mention, "confirmed_by", actor)
    set_committed_value(mention, "claim_id", claim_id)
    touch(session.get(Claim, claim_id))
    refresh_outlet_counts(session, [claim_id])     # outlets by stance and the matrix move with it
    record_event(session, actor, "mention.stance", "mention", mention.id,
                 claim_id=claim_id, before=before, after=_mention_dict(mention))
    return mention


def unlink(session: Session, mention_id: int, actor: str, expected_stance: str | None = None) -> int:
    """Remove a mention; returns its claim id so the caller can show the claim again."""
    if expected_stance:
        _check_stance(expected_stance)
    mention, before, claim_id = _held(session, mention_id, expected_stance, "your unlink",
                                      delete(Mention))
    session.expunge(mention)
    record_event(session, actor, "mention.unlink", "mention", mention.id, claim_id=claim_id,
                 before={**before, "claim_id": claim_id})
    touch(session.get(Claim, claim_id))
    refresh_outlet_counts(session, [claim_id])
    return claim_id


#: The order of a claim's sources: oldest first, undated last; ids break every tie, so pages of it
#: neither skip nor repeat a mention.
def _source_order() -> tuple:
    return (Article.published.is_(None), Article.published, Article.published_at.is_(None),
            Article.published_at, Article.id, Mention.start, Mention.id)


@dataclass(frozen=True, slots=True)
class PageMention:
    """A mention as the claim page lists it: its article, outlet and the sentence
    around it, as plain attributes (a page template reads each a dozen times a mention)."""

    id: int
    claim_id: int
    article_id: int
    start: int
    end: int
    excerpt: str
    stance: str
    fidelity: str
    origin: str
    score: float | None
    title: str
    published: date | None
    url: str | None
    published_at: datetime | None
    outlet: str
    outlet_slug: str
    before: str
    after: str


def _source_rows(session: Session, *where, ordered: bool = True, limit: int | None = None,
                 offset: int = 0) -> list[PageMention]:
    """Mentions with their article, outlet and the sentence around them: plain columns in one
    statement, no ORM objects (a mention loads its article whole, text included, a second time
    through its relationship)."""
    if limit is not None:
        # One page: its mentions picked in order first, without the article texts, then read whole.
        # Sorted with the rest of their columns, every mention's article text went through the
        # sorter to keep a page of them (a 2,000-mention claim: 8 MB sorted for 100 rows).
        page = (select(Mention.id).join(Article, Article.id == Mention.article_id).where(*where)
                .order_by(*_source_order()).limit(limit).offset(offset))
        where = (Mention.id.in_(page.scalar_subquery()),)
    stmt = (select(Mention.id, Mention.claim_id, Mention.article_id, Mention.start, Mention.end,
                   Mention.excerpt, Mention.stance, Mention.fidelity, Mention.origin, Mention.score,
                   Article.title, Article.published, Article.url, Article.published_at,
                   Outlet.name, Outlet.slug, Article.text)
            .join(Article, Article.id == Mention.article_id)
            .join(Outlet, Outlet.id == Article.outlet_id)
            .where(*where))
    if ordered:
        stmt = stmt.order_by(*_source_order())
    out = []
    for (m_id, claim_id, article_id, start, end, excerpt, stance, fidelity, origin, score, title,
         published, url, published_at, outlet, outlet_slug, text) in session.execute(stmt):
        lo, hi = sentence_bounds(text, start, end)
        out.append(PageMention(m_id, claim_id, article_id, start, end, excerpt, stance, fidelity, origin,
                               score, title, published, url, as_utc(published_at), outlet, outlet_slug,
                               text[lo:start], text[end:hi]))
    return out


def claim_sources(session: Session, claim_id: int, suggested: bool = False, *, limit: int | None = None,
                  offset: int = 0) -> list[PageMention]:
    """Every mention of a claim with its article, outlet and the sentence around it, oldest first
    (`limit` and `offset` give one page of that list).

    Linked mentions by default; `suggested=True` gives the suggestions still awaiting an analyst."""
    return _source_rows(session, Mention.claim_id == claim_id, LINKED if not suggested else ~LINKED,
                        limit=limit, offset=offset)


def outlets_by_stance(session: Session, claim_id: int) -> dict[str, list[str]]:
    """stance -> names of the outlets with a linked mention of that stance, by first appearance
    (as group_by_stance orders them), over every mention in one grouped query: a page of sources still
    answers "who repeats, who contradicts" for the whole claim."""
    ranked = (select(Mention.stance.label("stance"), Outlet.name.label("outlet"),
                     func.row_number().over(order_by=_source_order()).label("at"))
              .join(Article, Article.id == Mention.article_id)
              .join(Outlet, Outlet.id == Article.outlet_id)
              .where(Mention.claim_id == claim_id, LINKED)).subquery()
    out: dict[str, list[str]] = {stance: [] for stance in STANCES}
    for stance, outlet in session.execute(select(ranked.c.stance, ranked.c.outlet)
                                          .group_by(ranked.c.stance, ranked.c.outlet)
                                          .order_by(func.min(ranked.c.at))):
        out[stance].append(outlet)
    return out


#: Sources a page in sources.json and the API (`per_page` up to SOURCES_MAX_PER_PAGE).
SOURCES_PER_PAGE = 100
SOURCES_MAX_PER_PAGE = 500


def count_sources(session: Session, claim_id: int, suggested: bool = False) -> int:
    return session.scalar(select(func.count()).select_from(Mention)
                          .where(Mention.claim_id == claim_id, LINKED if not suggested else ~LINKED))


#: Mentions on one page of the claim page; the rest come a page at a time ("more").
MENTIONS_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class OutletBlock:
    outlet: str
    outlet_slug: str
    mentions: tuple[PageMention, ...]
    continued: bool = False       # the outlet's block began on an earlier page


@dataclass(frozen=True, slots=True)
class MentionPage:
    """One page of a claim's linked mentions in the order the claim page shows them (stances in
    their fixed order; in a stance, outlets by first appearance; in an outlet, oldest first), so
    pages laid end to end are the whole list grouped as one."""

    page: int
    per_page: int
    total: int
    groups: dict[str, tuple[OutletBlock, ...]]   # stance -> its outlet blocks on this page
    continued_stance: str | None                # the first stance group began on an earlier page
    outlet_counts: dict[str, int]               # stance -> outlets over every linked mention

    @property
    def stances(self) -> tuple[str, ...]:
        """The stance groups this page draws, in order: those with mentions here, and a stance no
        outlet takes ("None.") where the list passes it: on the page where the next stance with
        mentions begins, or on the last page."""
        shown = []
        for i, stance in enumerate(STANCES):
            if stance in self.groups:
                shown.append(stance)
            elif not self.outlet_counts.get(stance):
                after = next((t for t in STANCES[i + 1:] if self.outlet_counts.get(t)), None)
                if (self.next_page is None if after is None
                        else after in self.groups and self.continued_stance != after):
                    shown.append(stance)
        return tuple(shown)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page * self.per_page < self.total else None

    @property
    def prev_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def first_index(self) -> int:
        """1-based position of the page's first mention in the whole list."""
        return (self.page - 1) * self.per_page + 1

    @property
    def mentions(self) -> tuple[PageMention, ...]:
        return tuple(m for blocks in self.groups.values() for b in blocks for m in b.mentions)


_NO_DAY = date.min
_NO_MOMENT = datetime.min.replace(tzinfo=timezone.utc)


def _time_key(m: LightMention) -> tuple:
    """_source_order in Python: day (undated last), time of day (none last), article, offset, id."""
    return (m.published is None, m.published or _NO_DAY, m.published_at is None, m.published_at or _NO_MOMENT,
            m.article_id, m.start, m.id)


#: Linked mentions in "How each outlet renders it" on the claim page (as many suggestions after them).
RENDERINGS_SHOWN = 50


def renderings_key(m: LightMention) -> tuple:
    """The order "how each outlet renders it" lists mentions in: day (undated last), article,
    offset, id (the time of day is not asked)."""
    return (m.published is None, m.published or _NO_DAY, m.article_id, m.start, m.id)


@dataclass(frozen=True, slots=True)
class LightMention:
    """One mention of a claim as its index columns and its article's day index give it: enough to
    order, group, count and place it, not to show it (no title, excerpt nor text)."""

    id: int
    article_id: int
    outlet_id: int
    published: date | None
    published_at: datetime | None     # UTC
    stance: str
    fidelity: str
    origin: str
    start: int

    @property
    def linked(self) -> bool:
        return self.origin != "suggested"


def claim_mentions_light(session: Session, claim_id: int) -> list[LightMention]:
    """Every mention of the claim, suggestions too, read light in one pass: the claim page orders
    its mentions, picks the renderings and places the timeline from this one read instead of a
    pass over a big claim's mentions for each."""
    stmt = (select(Mention.id, Mention.article_id, Article.outlet_id, Article.published, Article.published_at,
                   Mention.stance, Mention.fidelity, Mention.origin, Mention.start)
            .join(Article, Article.id == Mention.article_id).where(Mention.claim_id == claim_id))
    return [LightMention(m_id, article_id, outlet_id, published, as_utc(published_at), stance, fidelity, origin,
                         start)
            for m_id, article_id, outlet_id, published, published_at, stance, fidelity, origin, start
            in session.execute(stmt)]


def page_order(light) -> list[int]:
    """The ids of the linked mentions in the claim page's order: by stance, then by outlet in order
    of first appearance within the stance, each outlet's mentions in time (_time_key)."""
    keyed = sorted((m for m in light if m.linked), key=_time_key)
    groups: dict[tuple[str, int], list[int]] = {}
    firsts: dict[tuple[str, int], int] = {}
    for rn, m in enumerate(keyed):
        key = (m.stance, m.outlet_id)
        if key not in groups:
            groups[key], firsts[key] = [], rn
        groups[key].append(m.id)
    rank = {s: i for i, s in enumerate(STANCES)}
    return [i for key in sorted(groups, key=lambda k: (rank.get(k[0], len(STANCES)), firsts[k]))
            for i in groups[key]]


#: Hex digits per id in a packed list (pack_ids): a big-endian unsigned 32-bit integer.
_ID_DIGITS = 8


def pack_ids(ids: list[int]) -> str:
    """Mention ids as one string of fixed-width hex (8 digits an id), as a big claim's stored
    page plan keeps its mention order: decoding the plan's JSON then reads one string instead of
    2,000 numbers, and a page decodes only its own slice (unpack_ids)."""
    return struct.pack(f">{len(ids)}I", *ids).hex()


def unpack_ids(packed: str, start: int = 0, stop: int | None = None) -> list[int]:
    """ids[start:stop] of a pack_ids string, without decoding the rest."""
    chunk = bytes.fromhex(packed[start * _ID_DIGITS:None if stop is None else stop * _ID_DIGITS])
    return list(struct.unpack(f">{len(chunk) // 4}I", chunk))


def claim_mentions_page(session: Session, claim_id: int, page: int = 1,
                        per_page: int = MENTIONS_PER_PAGE, light: list[LightMention] | None = None) -> MentionPage:
    """A page of the claim's linked mentions, grouped by stance and outlet as the claim page shows
    them, so a page reads `per_page` rows whatever the claim's size, and only those rows' articles.
    `light`: the claim's mentions as claim_mentions_light read them, when the caller has them."""
    if page < 1:
        raise InvalidInput("page must be 1 or more")
    if not 1 <= per_page <= 500:
        raise InvalidInput("per_page must be between 1 and 500")
    # The order of every linked mention from the index columns only (the time keys of
    # _source_order), worked out here: the same order as window functions over them in SQL (each
    # mention's rank in time, its outlet's first rank within the stance), which cost SQLite 3-5x
    # the reading of the rows at 500 mentions. One sort in time; the stance and outlet groups are
    # then filled in that order and only the groups are sorted.
    # A big claim's order is stored with its summary (domain/spread_summary.py): not read at all.
    summary = session.get(ClaimSpread, claim_id)
    offset = (page - 1) * per_page
    start = max(offset - 1, 0)           # one row before the page: does its first group go on?
    if light is None and summary is not None and summary.page is not None:
        ids = unpack_ids(summary.page["order"], start, offset + per_page)     # packed: only this slice
    else:
        ids = page_order(claim_mentions_light(session, claim_id) if light is None else light)[start:offset + per_page]
    # Outlets per stance and the total over every linked mention: the stored summary's
    # (domain/spread_summary.py), not two more passes over a big claim's mentions.
    outlet_counts = {s: len(ids) for s, ids in summary.outlets.items() if ids} if summary else {}
    total = summary.linked if summary else 0
    rows = {r.id: r for r in page_rows(session, ids)}
    ordered = [rows[i] for i in ids if i in rows]
    prev = ordered.pop(0) if offset and ordered else None
    return MentionPage(page, per_page, total, _blocks(ordered, prev),
                       ordered[0].stance if prev and ordered and prev.stance == ordered[0].stance else None,
                       outlet_counts)


def page_rows(session: Session, ids: list[int]) -> list[PageMention]:
    """These mentions as claim_sources reads them, in no order."""
    return _source_rows(session, Mention.id.in_(ids), ordered=False) if ids else []


def _blocks(rows: list[PageMention], prev: PageMention | None) -> dict[str, tuple[OutletBlock, ...]]:
    """stance -> outlet blocks of consecutive rows; the first block is `continued` when the row
    before the page was of the same stance and outlet."""
    groups: dict[str, list[OutletBlock]] = {}
    last = (prev.stance, prev.outlet) if prev else None
    run: list[PageMention] = []

    def close() -> None:
        if run:
            key = (run[0].stance, run[0].outlet)
            groups.setdefault(key[0], []).append(OutletBlock(key[1], run[0].outlet_slug, tuple(run),
                                                             continued=key == last and not groups))
    for r in rows:
        if run and (r.stance, r.outlet) != (run[0].stance, run[0].outlet):
            close()
            run = []
        run.append(r)
    close()
    return {stance: tuple(blocks) for stance, blocks in groups.items()}


def group_by_stance(sources: list[PageMention]) -> dict[str, dict[str, list[PageMention]]]:
    """stance -> outlet -> mentions, stances in their fixed order, outlets by first appearance."""
    groups: dict[str, dict[str, list[PageMention]]] = {s: defaultdict(list) for s in STANCES}
    for s in sources:
        groups[s.stance][s.outlet].append(s)
    return {stance: dict(by_outlet) for stance, by_outlet in groups.items()}
