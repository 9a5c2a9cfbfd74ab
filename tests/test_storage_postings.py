"""Candidate ranking from the postings a process keeps (storage.postings, SQLite): the same rows
and scores as the index's own query, kept right as claims are added, merged or rolled back."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import update

from app.storage import postings, search
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.lookups import driver_rows
from app.storage.models import Claim

WORDS = ("harbour ferry lantern quay tariff council bridge pier cargo night winter budget mayor "
         "port tunnel dredging schedule crane berth toll pilot tide beacon").split()


def _sql_ranking(session, terms: list[str], limit: int) -> list[tuple]:
    """What claim_candidates asked SQLite before postings were kept."""
    params = search._ranked_params(session, "sqlite", terms) | {"n": limit}
    return [tuple(r) for r in driver_rows(session, search._ranked_sql("sqlite", len(terms), True), params)]


def _kept_ranking(session, terms: list[str], limit: int) -> list[tuple]:
    return [tuple(r) for r in search._kept_rankings(session, [terms], limit)[0]]


def _add_claims(session, rng: random.Random, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        claim = Claim(text=" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))), norm_hash=0)
        session.add(claim)
        session.flush()
        ids.append(claim.id)
    return ids


@pytest.fixture
def sqlite_session(session):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("postings are kept for SQLite only (PostgreSQL asks its own index)")
    postings._KEPT.clear()
    yield session
    postings._KEPT.clear()


def _queries(rng: random.Random) -> list[list[str]]:
    return [rng.sample(WORDS, rng.randint(1, 5)) + (["harb"] if rng.random() < 0.3 else []) for _ in range(40)]


def test_kept_ranking_is_the_index_ranking_as_claims_come_and_merge(sqlite_session):
    session, rng = sqlite_session, random.Random(5)
    _add_claims(session, rng, 120)
    session.commit()
    for round_ in range(4):
        for terms in _queries(rng):
            for limit in (1, 5, 12):
                assert _kept_ranking(session, terms, limit) == _sql_ranking(session, terms, limit), (round_, terms)
        # New claims (some holding words whose postings are kept now), a merged one, a commit.
        added = _add_claims(session, rng, 15)
        session.execute(update(Claim).where(Claim.id == added[0]).values(merged_into_id=added[1]))
        if round_ % 2:
            session.commit()
    assert _kept_ranking(session, ["ferry", "harb"], 12) == _sql_ranking(session, ["ferry", "harb"], 12)
    kept = postings._KEPT[next(iter(postings._KEPT))]
    assert kept.rows and kept.since == added[-1]      # brought up to the last claim added


def test_a_claim_added_after_the_postings_were_kept_is_found(sqlite_session):
    session = sqlite_session
    for text in ("the ferry tariff will rise", "the ferry pier will close", "a night bus to the quay"):
        session.add(Claim(text=text, norm_hash=0))
    session.commit()
    first = _kept_ranking(session, ["ferry", "tariff"], 5)
    assert len(first) == 2
    new = Claim(text="ferry tariffs doubled at the quay", norm_hash=0)   # "tariff" as a prefix too
    session.add(new)
    session.flush()        # not committed: this transaction sees it, and so must the ranking
    again = _kept_ranking(session, ["ferry", "tariff"], 5)
    assert new.id in [cid for cid, *_ in again]
    assert again == _sql_ranking(session, ["ferry", "tariff"], 5)


def test_a_rollback_forgets_the_kept_postings(sqlite_session):
    session = sqlite_session
    session.add(Claim(text="the ferry tariff will rise", norm_hash=0))
    session.commit()
    _kept_ranking(session, ["ferry"], 5)
    assert postings._KEPT
    session.add(Claim(text="the ferry will stop", norm_hash=0))
    session.flush()
    _kept_ranking(session, ["ferry"], 5)
    session.rollback()     # the rolled-back claim's id may be another claim's next
    assert not postings._KEPT
    session.add(Claim(text="a lantern on the pier", norm_hash=0))
    session.commit()
    assert _kept_ranking(session, ["ferry"], 5) == _sql_ranking(session, ["ferry"], 5)
    assert _kept_ranking(session, ["lantern"], 5) == _sql_ranking(session, ["lantern"], 5)


def test_a_reader_that_began_earlier_sees_only_its_own_view(sqlite_session, database_url):
    """Postings kept from a later view than a reading session's hold claims it cannot see: they
    are left out of its ranking before the best are taken, as its own query would leave them out
    (one ranked first but unseen must not push out the claim it does see)."""
    session = sqlite_session
    session.add(Claim(text="the ferry will stop at night", norm_hash=0))
    session.commit()
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as reader:
            reader.connection().exec_driver_sql("BEGIN")     # a read transaction: its view holds
            assert _kept_ranking(reader, ["ferry", "tariff"], 1) == _sql_ranking(reader, ["ferry", "tariff"], 1)
            session.add(Claim(text="ferry tariffs cancelled", norm_hash=0))
            session.commit()
            assert [r[0] for r in _kept_ranking(session, ["ferry", "tariff"], 1)] == [2]   # the writer's view
            seen = _kept_ranking(reader, ["ferry", "tariff"], 1)
            assert seen == _sql_ranking(reader, ["ferry", "tariff"], 1)
            assert [r[0] for r in seen] == [1]
            reader.rollback()
    finally:
        engine.dispose()


def test_an_edit_of_a_claims_words_reaches_the_ranking_at_once(sqlite_session, database_url):
    """An analyst rewords a claim (or a fact-check headline is imported) in this process: the next
    ranking, in this session or in another that kept the words before, finds it by its new words
    and no longer by the old ones."""
    from app.domain.review import edit_text

    session = sqlite_session
    claim = Claim(text="the ferry will stop at night", norm_hash=0)
    session.add_all([claim, Claim(text="a lantern on the quay", norm_hash=0)])
    session.commit()
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as other:
            assert [r[0] for r in _kept_ranking(other, ["lantern"], 5)] == [2]
            assert [r[0] for r in _kept_ranking(other, ["ferry"], 5)] == [claim.id]
            other.commit()
            edit_text(session, claim.id, "the lantern ferry will stop at night", actor="analyst")
            assert claim.id in [r[0] for r in _kept_ranking(session, ["lantern"], 5)]   # its own view
            session.commit()
            for reader in (other, session):
                for word in ("lantern", "ferry"):
                    assert _kept_ranking(reader, [word], 5) == _sql_ranking(reader, [word], 5), word
            assert claim.id in [r[0] for r in _kept_ranking(other, ["lantern"], 5)]
            claim.review_title = "Fact check: no quay tariff"
            session.commit()
            assert claim.id in [r[0] for r in _kept_ranking(other, ["tariff"], 5)]
    finally:
        engine.dispose()


def test_wide_words_asked_once_are_ranked_by_the_index_and_give_the_same_rows(sqlite_session, monkeypatch):
    """One or two words reaching more than BOOLEAN_REACH claims, not asked for before, are ranked
    by the index's AND / NOT queries (nothing read or kept); asked again, read and kept. Either
    way the rows and scores are the index's own ranking, as claims come and merge."""
    session, rng = sqlite_session, random.Random(11)
    monkeypatch.setattr(postings, "BOOLEAN_REACH", 0)      # every one- or two-word query is "wide"
    calls = []
    real = postings.boolean_top
    monkeypatch.setattr(postings, "boolean_top", lambda *a: calls.append(a[1]) or real(*a))
    _add_claims(session, rng, 150)
    session.commit()
    for round_ in range(3):
        for terms in [rng.sample(WORDS, rng.randint(1, 2)) for _ in range(30)] + [["harb", "ferry"], ["harb"]]:
            for limit in (1, 5, 12, 400):
                assert _kept_ranking(session, terms, limit) == _sql_ranking(session, terms, limit), (round_, terms)
        added = _add_claims(session, rng, 15)
        session.execute(update(Claim).where(Claim.id == added[0]).values(merged_into_id=added[1]))
        session.commit()
    assert calls, "the index's boolean ranking was never used"
    kept = postings._KEPT[next(iter(postings._KEPT))]
    assert kept.asked and kept.rows     # first asked: ranked by the index; asked again: kept


def test_boolean_top_ties_and_a_lone_word(sqlite_session):
    """Equal weights: the claims holding one of the two words are merged by id, after those
    holding both; a lone word's top is its first claims by id."""
    session = sqlite_session
    for text in ("ferry pier", "pier only", "ferry only", "ferry and pier again", "the quay"):
        session.add(Claim(text=text, norm_hash=0))
    session.flush()
    assert postings.boolean_top(session, ["ferry", "pier"], [1.5, 1.5], 3) == [(1, 3.0), (4, 3.0), (2, 1.5)]
    assert postings.boolean_top(session, ["ferry", "pier"], [2.0, 1.0], 4) == [(1, 3.0), (4, 3.0), (3, 2.0), (2, 1.0)]
    assert postings.boolean_top(session, ["quay"], [2.5], 5) == [(5, 2.5)]


@pytest.mark.parametrize("wide", [False, True])
def test_many_lists_ranked_together_are_each_the_index_ranking(sqlite_session, monkeypatch, wide):
    """An article's windows ranked at once (claim_candidates_many): each list is the index's own
    ranking of its words, whatever the others ask (the same words, words read for another list,
    no word at all), as claims come and merge; with every one- or two-word list "wide", some are
    ranked by the index's boolean queries in the same pass."""
    session, rng = sqlite_session, random.Random(17)
    if wide:
        monkeypatch.setattr(postings, "BOOLEAN_REACH", 0)
    _add_claims(session, rng, 150)
    session.commit()
    for round_ in range(4):
        lists = _queries(rng)[:25] + [[], ["harb", "ferry"], ["harb"], ["ferry"]]
        rng.shuffle(lists)
        for limit in (1, 5, 12):
            together = [[tuple(r) for r in rows] for rows in search._kept_rankings(session, lists, limit)]
            assert together == [_sql_ranking(session, terms, limit) if terms else [] for terms in lists], round_
        added = _add_claims(session, rng, 15)
        session.execute(update(Claim).where(Claim.id == added[0]).values(merged_into_id=added[1]))
        session.commit()
