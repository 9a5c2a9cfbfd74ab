"""Mentions made, changed or removed by an analyst, and the claim page's grouping of them."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.domain.articles import get_article
from app.domain.claims import clean_claim_text, resolve_claim, touch
from app.domain.errors import Conflict, InvalidInput, get_or_404
from app.domain.events import record_event
from app.domain.linking import LINKED, add_mention, index_claim_text, refresh_outlet_counts, text_hashes
from app.storage.models import as_utc
from app.pipeline.context import sentence_bounds
from app.storage.models import Article, Claim, Mention, Outlet
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


def claim_sources(session: Session, claim_id: int, suggested: bool = False) -> list[dict]:
    """Every mention of a claim with its article, outlet and the sentence around it, oldest first.

    Linked mentions by default; `suggested=True` gives the suggestions still awaiting an analyst."""
    rows = session.execute(
        select(Mention, Article.title, Article.published, Article.url, Article.text,
               Outlet.name, Outlet.slug, Article.published_at)
        .join(Article, Article.id == Mention.article_id)
        .join(Outlet, Outlet.id == Article.outlet_id)
        .where(Mention.claim_id == claim_id, LINKED if not suggested else ~LINKED)
        .order_by(Article.published.is_(None), Article.published, Article.published_at.is_(None),
                  Article.published_at, Article.id, Mention.start))
    out = []
    for m, title, published, url, text, outlet, outlet_slug, published_at in rows:
        lo, hi = sentence_bounds(text, m.start, m.end)
        out.append({**_mention_dict(m), "title": title, "published": published, "url": url,
                    "published_at": as_utc(published_at), "score": m.score,
                    "outlet": outlet, "outlet_slug": outlet_slug,
                    "before": text[lo:m.start], "after": text[m.end:hi]})
    return out


def group_by_stance(sources: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """stance -> outlet -> mentions, stances in their fixed order, outlets by first appearance."""
    groups: dict[str, dict[str, list[dict]]] = {s: defaultdict(list) for s in STANCES}
    for s in sources:
        groups[s["stance"]][s["outlet"]].append(s)
    return {stance: dict(by_outlet) for stance, by_outlet in groups.items()}
