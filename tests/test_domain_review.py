"""Analyst actions: each one changes the claim, bumps its version and writes one audit event."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.articles import ingest_article
from app.domain.claims import ClaimFilter, list_claims, resolve_claim
from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.events import claim_history
from app.domain.mentions import claim_sources, group_by_stance, link_selection, set_stance, unlink
from app.domain.review import add_tag, edit_text, merge_claims, remove_tag, set_status
from app.storage.models import Article, Claim, Mention
from tests.factories import DENIAL, GAZETTE, HERALD, STATEMENT


@pytest.fixture
def loaded(session):
    ids = [ingest_article(session, a, "loader").article_id for a in (HERALD, GAZETTE, DENIAL)]
    session.commit()
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    return session, claim, ids


def test_status_needs_a_reason_and_is_recorded(loaded):
    session, claim, _ = loaded
    with pytest.raises(InvalidInput):
        set_status(session, claim.id, "disputed", "   ", "ana")
    set_status(session, claim.id, "disputed", "The authority denies it", "ana", expected_version=claim.version)
    session.commit()
    assert (claim.status, claim.status_reason, claim.version) == ("disputed", "The authority denies it", 2)
    [event] = [e for e in claim_history(session, claim.id) if e.action == "claim.status"]
    assert event.actor == "ana"
    assert event.before == {"status": "unreviewed", "reason": None}
    assert event.after == {"status": "disputed", "reason": "The authority denies it"}


def test_stale_version_is_a_conflict(loaded):
    session, claim, _ = loaded
    set_status(session, claim.id, "verified", "checked", "ana", expected_version=1)
    with pytest.raises(Conflict):
        set_status(session, claim.id, "false", "other view", "bob", expected_version=1)
    assert claim.status == "verified"


def test_unknown_status_and_claim(loaded):
    session, claim, _ = loaded
    with pytest.raises(InvalidInput):
        set_status(session, claim.id, "sorta", "why", "ana")
    with pytest.raises(NotFound):
        set_status(session, 999999, "verified", "why", "ana")


def test_tags_add_and_remove(loaded):
    session, claim, _ = loaded
    add_tag(session, claim.id, "  Ports ", "ana")
    add_tag(session, claim.id, "ports", "ana")
    session.commit()
    page = list_claims(session, ClaimFilter(tag="ports"))
    assert [c.id for c in page.claims] == [claim.id]
    assert page.tags[claim.id] == ["ports"]
    remove_tag(session, claim.id, "ports", "ana")
    session.commit()
    assert list_claims(session, ClaimFilter(tag="ports")).claims == []
    with pytest.raises(NotFound):
        remove_tag(session, claim.id, "ports", "ana")
    actions = [e.action for e in claim_history(session, claim.id)]
    assert actions.count("claim.tag.add") == 1 and actions.count("claim.tag.remove") == 1


def test_edit_text_keeps_linking_old_wording(loaded):
    session, claim, _ = loaded
    edit_text(session, claim.id, "The northern pier closes to cargo for three months.", "ana")
    session.commit()
    assert claim.text.startswith("The northern pier closes")
    [event] = [e for e in claim_history(session, claim.id) if e.action == "claim.edit"]
    assert event.before == {"text": STATEMENT}
    fidelities = session.scalars(select(Mention.fidelity).where(Mention.claim_id == claim.id)).all()
    assert fidelities and "verbatim" not in fidelities


def test_merge_moves_mentions_and_redirects(loaded):
    session, claim, _ = loaded
    other = session.scalar(select(Claim).where(Claim.text.like("There is no plan%")))
    merge_claims(session, other.id, claim.id, "ana")
    session.commit()
    assert resolve_claim(session, other.id).id == claim.id
    assert claim.outlet_count == 3
    assert session.scalars(select(Mention).where(Mention.claim_id == other.id)).all() == []
    assert other.id not in [c.id for c in list_claims(session, ClaimFilter()).claims]
    moved = session.scalar(select(Mention).where(Mention.claim_id == claim.id,
                                                 Mention.excerpt.like("There is no plan%")))
    assert moved.fidelity == "altered"
    with pytest.raises(InvalidInput):
        merge_claims(session, claim.id, other.id, "ana")


def test_link_selection_stance_and_unlink(loaded):
    session, claim, ids = loaded
    denial = session.get_one(Article, ids[2])
    start = denial.text.index("the pier would stay open")
    end = start + len("the pier would stay open")
    mention = link_selection(session, denial.id, start, end, "contradicts", "ana", claim_id=claim.id)
    session.commit()
    assert (mention.origin, mention.confirmed_by, mention.excerpt) == ("analyst", "ana", "the pier would stay open")
    groups = group_by_stance(claim_sources(session, claim.id))
    assert list(groups["contradicts"]) == ["Bay Tribune"]
    assert set(groups["repeats"]) == {"Northport Herald", "Coastal Gazette"}
    set_stance(session, mention.id, "discusses", "bob")
    session.commit()
    assert list(group_by_stance(claim_sources(session, claim.id))["discusses"]) == ["Bay Tribune"]
    unlink(session, mention.id, "bob")
    session.commit()
    assert claim.outlet_count == 2
    actions = [e.action for e in claim_history(session, claim.id)]
    assert {"mention.link", "mention.stance", "mention.unlink"} <= set(actions)


def test_link_selection_refuses_bad_spans(loaded):
    session, claim, ids = loaded
    with pytest.raises(InvalidInput):
        link_selection(session, ids[0], 50, 10, "repeats", "ana", claim_id=claim.id)
    with pytest.raises(InvalidInput):
        link_selection(session, ids[0], 0, 10, "agrees", "ana", claim_id=claim.id)
    with pytest.raises(NotFound):
        link_selection(session, 99999, 0, 10, "repeats", "ana", claim_id=claim.id)


def test_keyset_pages_cover_everything_once(session):
    from app.domain.articles import ArticleInput

    topics = ["rain", "bridges", "schools", "taxes", "trains", "parks", "water"]
    for i, topic in enumerate(topics):
        text = f"Item {i}\n\n“We will talk about {topic} on day {i},” Ann Roe said.\n"
        ingest_article(session, ArticleInput(text=text, outlet=f"Outlet {i % 3}"), "t")
    session.commit()
    for sort in ("outlets", "newest", "changed"):
        seen, cursor = [], None
        while True:
            page = list_claims(session, ClaimFilter(sort=sort), limit=3, cursor=cursor)
            seen += [c.id for c in page.claims]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 7
    with pytest.raises(InvalidInput):
        list_claims(session, ClaimFilter(sort="random"))
