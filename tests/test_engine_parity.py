"""Matching scores alike on SQLite and PostgreSQL: the same claims stored on both engines give every
word the same weight, every passage the same candidates, scores and decisions, and search the same
hits. The texts hold what the engines' own tokenizers read differently: hyphenated compounds,
apostrophes, decimals and thousands, accented words, abbreviations with dots, a hyphenated number,
hyphenated prefixes ("multi-polar") and words with combining marks (Devanagari, Hebrew, Arabic).

Needs both engines at once, so it runs only when CLAIMTRACKER_TEST_POSTGRES_URL is set."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from app.domain.match_types import match_weights
from app.domain.matching import MatchConfig, decide, scored_candidates
from app.pipeline.matching import claim_stems, passage_stems, stem
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Claim
from app.storage.search import claim_text_matches, claims_vocabulary
from tests.conftest import PG_URL, prepare_database, private_pg_schema

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs CLAIMTRACKER_TEST_POSTGRES_URL (compares both engines)")

CLAIMS = [
    "The port authority will open-berth the northern quay to all carriers by spring.",
    "Officials said the open tender for the berth closes in March.",
    "The harbour's café near Zürich serves 3.5 million visitors a year.",
    "Ministers don't expect the covid-19 levy to pass before 2,000 firms sign.",
    "The co-operation pact with the e-mail provider covers U.S. ports and 10-year-old vessels.",
    "Naïve forecasts put the open water season at ten weeks.",
    "The open market rules apply to every berth in the region.",
    "The cafe at the terminal closes early on Sundays.",
    "Pilots' unions in São Paulo back the new open-berth scheme.",
    "Dock workers won\u2019t accept the port\u2013rail deal, the union\u2019s chair said.",
    # Hyphenated prefixes both indexes hold joined, as the matcher reads them (pipeline.words).
    "Ferry captains of the non-aligned guild want a multi-polar timetable for the ferries.",
    "The anti-war choir (re-elected in May) sang at the score-settling dockside meeting.",
    # Combining marks inside words: Devanagari vowel signs, Hebrew points, Arabic harakat (a
    # shadda before its fatha, as typed, not in canonical order).
    "\u0928\u0908 \u0928\u093e\u0935\u0947\u0902 \u092c\u0902\u0926\u0930\u0917\u093e\u0939 \u092a\u0939\u0941\u0901\u091a\u0940\u0902",
    "\u05d4\u05b7\u05e0\u05bc\u05b8\u05de\u05b5\u05dc \u05e0\u05b4\u05e4\u05b0\u05ea\u05bc\u05b7\u05d7 \u05dc\u05b0\u05e1\u05b7\u05e4\u05bc\u05b4\u05d9\u05dd",
    "\u0627\u0644\u0645\u064a\u0646\u0627\u0621 \u0648\u0642\u0651\u064e\u0639 \u0639\u064e\u0642\u0652\u062f\u064b\u0627 \u062c\u062f\u064a\u062f\u064b\u0627",
    # Greek and Cyrillic letters with diacritics: FTS5 keeps them as written (search._FTS5_KEEPS).
    "Министр сказал, что новый порт, который строили пять лет, откроется весной, её причалы готовы.",
    "Η Ελλάδα θα ανοίξει το νέο λιμάνι τον Μάιο, είπε ο υπουργός ναυτιλίας.",
]
PASSAGES = [
    "Carriers will find the northern quay open-berth by spring, the port authority said.",
    "The café near Zurich now serves 3.5 million visitors a year.",
    "The covid-19 levy will pass before 2,000 firms sign, ministers don't expect.",
    "An open-berth scheme is backed by pilots' unions in Sao Paulo.",
    "U.S. ports and 10-year-old vessels fall under the co-operation pact.",
    "A multipolar timetable for the ferries is what the nonaligned guild's ferry captains want.",
    "\u092c\u0902\u0926\u0930\u0917\u093e\u0939 \u092a\u0939\u0941\u0901\u091a\u0940\u0902 \u0928\u0908 \u0928\u093e\u0935\u0947\u0902",
    "Новый порт, который строили пять лет, откроется весной, сказал министр.",
    "Το νέο λιμάνι θα ανοίξει τον Μάιο, είπε ο υπουργός ναυτιλίας για την Ελλάδα.",
]
SEARCHES = ["port\u2013rail", "port-rail", "union\u2019s", "won't", "open-berth", "open berth", "3.5", "covid-19", "19", "café", "cafe", "zurich", "U.S. ports",
            "e-mail", "harbour's", "2,000", "10-year-old", "year-old vessels", "sao paulo",
            "multipolar", "multi-polar", "multi\u2010polar", "Non-Aligned", "nonaligned", "antiwar", "reelected",
            "score", "settling", "cooperation", "\u092c\u0902\u0926\u0930\u0917\u093e\u0939",
            "\u05e0\u05b4\u05e4\u05b0\u05ea\u05bc\u05b7\u05d7", "\u0648\u0642\u0651\u064e\u0639",
            "который", "Её", "новый порт", "Ελλάδα", "ΛΙΜΆΝΙ", "νέο λιμ"]
# Words each engine's index must hold whole (the matcher's words; see pipeline.words).
WHOLE_WORDS = ["multipolar", "nonaligned", "antiwar", "reelected", "cooperation",
               "\u092c\u0902\u0926\u0930\u0917\u093e\u0939", "\u0648\u0642\u0651\u064e\u0639"]


@contextmanager
def _stores() -> Iterator[dict[str, object]]:
    """A session on each engine, both holding CLAIMS."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, private_pg_schema() as pg_url:
        engines = {"sqlite": make_engine(prepare_database(f"sqlite:///{tmp}/parity.db")),
                   "postgresql": make_engine(prepare_database(pg_url))}
        sessions = {name: make_sessionmaker(e)() for name, e in engines.items()}
        try:
            for s in sessions.values():
                s.add_all(Claim(text=t, norm_hash=i) for i, t in enumerate(CLAIMS))
                s.commit()
            yield sessions
        finally:
            for s in sessions.values():
                s.close()
            for e in engines.values():
                e.dispose()


@pytest.fixture(scope="module")
def stores():
    with _stores() as sessions:
        yield sessions


def _each(stores, fn) -> dict[str, object]:
    return {name: fn(session) for name, session in stores.items()}


def test_every_word_weighs_the_same_on_both_engines(stores):
    stems = set().union(*map(claim_stems, CLAIMS), *map(passage_stems, PASSAGES))
    weights = _each(stores, lambda s: {w: round(match_weights(s, stems)[w], 9) for w in sorted(stems)})
    differ = {w: (weights["sqlite"][w], weights["postgresql"][w]) for w in sorted(stems)
              if weights["sqlite"][w] != weights["postgresql"][w]}
    assert not differ, f"word weights (sqlite, postgresql) differ: {differ}"
    # Not vacuous: the compounds' parts are told apart by their rarity.
    assert weights["sqlite"]["open"] < weights["sqlite"]["berth"] < weights["sqlite"]["quay"]


def _scored(session, passage: str) -> list[tuple]:
    config = MatchConfig()
    ids = dict(session.execute(select(Claim.id, Claim.text)).all())
    out = []
    for s in scored_candidates(session, passage, config, floor=0.0):
        d = decide(s.match, config)
        out.append((ids[s.claim_id], round(s.match.score, 6), d))
    return out


@pytest.mark.parametrize("passage", PASSAGES)
def test_each_passage_scores_and_decides_the_same_on_both_engines(stores, passage):
    scored = _each(stores, lambda s: _scored(s, passage))
    assert scored["sqlite"], "the passage restates a stored claim: it must find candidates"
    assert scored["sqlite"] == scored["postgresql"]


def test_search_finds_the_same_claims_on_both_engines(stores):
    def hits(session):
        return {q: sorted(session.scalars(select(Claim.text).where(claim_text_matches(q)))) for q in SEARCHES}

    found = _each(stores, hits)
    differ = {q: (found["sqlite"][q], found["postgresql"][q]) for q in SEARCHES
              if found["sqlite"][q] != found["postgresql"][q]}
    assert not differ, f"search hits (sqlite, postgresql) differ: {differ}"
    assert found["sqlite"]["open-berth"] and found["sqlite"]["3.5"] and found["sqlite"]["covid-19"]
    # A hyphenated prefix is found written either way, and a word with marks by itself.
    assert found["sqlite"]["multipolar"] == found["sqlite"]["multi-polar"] == found["sqlite"]["multi\u2010polar"] != []
    assert found["sqlite"]["Non-Aligned"] == found["sqlite"]["nonaligned"] != []
    assert found["sqlite"]["antiwar"] and found["sqlite"]["reelected"] and found["sqlite"]["score"]
    assert all(found["sqlite"][q] for q in SEARCHES[-9:])


def test_both_indexes_hold_the_words_the_matcher_reads(stores):
    vocab = _each(stores, lambda s: set(claims_vocabulary(s).terms))
    for word in WHOLE_WORDS:
        assert word in vocab["sqlite"] and word in vocab["postgresql"], word
    assert stem("multipolar") in claim_stems(CLAIMS[10]) and "multi" not in vocab["sqlite"] | vocab["postgresql"]
    assert vocab["sqlite"] == vocab["postgresql"]
