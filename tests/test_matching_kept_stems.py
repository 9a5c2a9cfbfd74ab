"""claims.stems (migration 0032): a claim's stems kept with its text and read by matching instead
of its text when the in-process cache has lost it: the same set, its members in the same order
(so weights summed over it are the same floats), kept right when the text changes."""
from __future__ import annotations

import random

from sqlalchemy import select, update

from app.domain.matching import MatchConfig, candidate_measures
from app.pipeline import matching as pm
from app.storage.models import Claim
from app.storage.search import claim_candidates

WORDS = ("harbour ferries lantern quay tariffs council bridge pier cargo nights winter budget mayor's "
         "port tunnelling dredged schedule crane berth toll pilot tide beacon won't not the a of "
         "multi-polar re-open 2024 x ² café naïve can't it's").split()


def _texts(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def test_kept_stems_make_the_set_the_text_makes_member_for_member():
    for text in _texts(2000) + ["", "the of a", "Pier pier PIER piers"]:
        kept = pm.kept_claim_stems(text)
        assert kept.split(" ")[0] == pm.CLAIM_STEMS_VERSION
        from_text = frozenset(pm._stem_list(text))
        pm._claim_stems_of.cache_clear()
        from_kept = pm.claim_stems(text, kept)
        assert pm._claim_stems_of.cache_info().misses == 0      # read, not worked out
        assert from_kept == from_text and list(from_kept) == list(from_text), text
    pm._claim_stems_of.cache_clear()


def test_stems_of_another_version_are_not_read():
    pm._claim_stems_of.cache_clear()
    text = "harbour ferries lantern"
    assert pm.claim_stems(text, "s0 wrong stems") == frozenset(pm._stem_list(text))
    assert pm.claim_stems(text, None) == frozenset(pm._stem_list(text))
    pm._claim_stems_of.cache_clear()


def test_score_match_reads_the_stems_it_is_handed():
    text, passage = "The harbour ferries will run at night", "harbour ferries spy at dawn"
    handed = pm.claim_stems(text, f"{pm.CLAIM_STEMS_VERSION} harbou ferry spy")
    assert pm.score_match(text, passage).shared == ("harbour", "ferries")
    assert pm.score_match(text, passage, stems=handed).coverage > pm.score_match(text, passage).coverage


def test_a_claim_keeps_its_texts_stems_when_made_and_edited(session):
    claim = Claim(text="The harbour ferries will run at night", norm_hash=0)
    session.add(claim)
    session.commit()
    assert session.scalar(select(Claim.stems).where(Claim.id == claim.id)) == pm.kept_claim_stems(claim.text)
    claim.text = "The council budget for the bridge doubled"
    session.commit()
    assert session.scalar(select(Claim.stems).where(Claim.id == claim.id)) == \
        pm.kept_claim_stems("The council budget for the bridge doubled")


def test_candidates_carry_their_kept_stems_to_scoring(session):
    claim = Claim(text="The harbour ferries will run at night", norm_hash=0)
    session.add(claim)
    session.commit()
    # kept stems that differ from the text's show they were read (never so in a store: a test's spy)
    spy = f"{pm.CLAIM_STEMS_VERSION} harbou ferry spy"
    session.execute(update(Claim).where(Claim.id == claim.id).values(stems=spy))
    session.commit()
    hits = claim_candidates(session, ["harbou", "ferry"], 10)
    assert hits == [(claim.id, claim.text, None, spy)]
    pm._claim_stems_of.cache_clear()
    [measured] = candidate_measures(session, "harbour ferries spy at dawn", MatchConfig(), floor=0.0)
    assert measured.scored.match.coverage == 1.0      # "spy" counted: the kept stems were scored
    assert pm._claim_stems_of.cache_info().currsize == 0
    pm._claim_stems_of.cache_clear()


def test_claim_stems_move_with_the_window_stems():
    """Both are the same words' stems: a change to stem() that bumps one must bump the other."""
    from app.domain.matching import WINDOW_STEMS_VERSION
    assert pm.CLAIM_STEMS_VERSION == "s" + WINDOW_STEMS_VERSION
