"""Passages copied between articles without quotation marks become claims of their own."""
from __future__ import annotations

from sqlalchemy import select

from app.domain.articles import ArticleInput, ingest_article
from app.storage.models import Claim, Mention, PassageShingle

COPY = ("Regional planners have long expected the new canal to carry most of the grain that now "
        "travels by road to the coast")


def _article(outlet: str, title: str, before: str, after: str) -> ArticleInput:
    return ArticleInput(outlet=outlet, title=title, text=f"{title}\n\n{before} {COPY}. {after}\n")


WIRE = _article("Delta Wire", "Canal opens", "The canal opened on Monday.", "Shipping firms were cautious.")
PAPER = _article("Harbour Daily", "A canal at last", "Boats lined the banks.", "Farmers cheered the news.")
SAME_OUTLET = _article("Delta Wire", "Canal week two", "Traffic grew in the second week.", "Tolls stay low.")
UNRELATED = ArticleInput(outlet="Harbour Daily", title="Markets", text=(
    "Markets\n\nShares rose slightly on Tuesday as traders waited for the central bank decision.\n"))


def _ingest(session, *articles) -> list[int]:
    ids = [ingest_article(session, a, "tester").article_id for a in articles]
    session.commit()
    return ids


def _copy_mentions(session) -> list[Mention]:
    claim = session.scalar(select(Claim).where(Claim.text.like("Regional planners%")))
    assert claim is not None, "the copied passage did not become a claim"
    return list(session.scalars(select(Mention).where(Mention.claim_id == claim.id).order_by(Mention.article_id)))


def test_a_passage_copied_by_another_outlet_is_one_claim_linked_in_both(session):
    wire, paper = _ingest(session, WIRE, PAPER)
    mentions = _copy_mentions(session)
    assert [(m.article_id, m.origin, m.stance) for m in mentions] == [
        (wire, "extracted", "repeats"), (paper, "extracted", "repeats")]
    assert all(m.excerpt.startswith("Regional planners") for m in mentions)
    claim = session.get(Claim, mentions[0].claim_id)
    assert claim.outlet_count == 2 and claim.speaker_id is None


def test_a_repeat_within_one_outlet_waits_as_a_suggestion(session):
    _ingest(session, WIRE, SAME_OUTLET)
    assert [m.origin for m in _copy_mentions(session)] == ["suggested", "suggested"]


def test_sentences_sharing_no_run_make_no_claim_and_shingles_are_kept(session):
    wire, _ = _ingest(session, WIRE, UNRELATED)
    assert session.scalar(select(Claim).where(Claim.text.like("Regional planners%"))) is None
    assert session.scalar(select(Claim).where(Claim.text.like("Shares rose%"))) is None
    assert session.scalars(select(PassageShingle.article_id).where(PassageShingle.article_id == wire)).first()
