"""The stance model in matching's decision: its label says how a passage relates once the score says
the passage is about the claim; only a confident repeat is linked without an analyst."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.articles import ArticleInput, ingest_article
from app.domain.matching import MatchConfig, decide, passage_decisions, scored_candidates, stance_speakers
from app.pipeline.matching import score_match
from app.pipeline.stance import StanceResult
from app.storage.models import Claim, Mention

STATEMENT = "The river authority will open the northern flood gates before the spring rains arrive"
CLOSE = score_match(STATEMENT, f"{STATEMENT}.")   # above the link threshold


def test_a_confident_repeat_above_the_link_threshold_is_linked():
    assert CLOSE.score >= MatchConfig().link_threshold
    assert decide(CLOSE, MatchConfig(), StanceResult("repeats", 0.75)) == ("repeats", "extracted")


def test_an_unsure_repeat_is_only_suggested():
    assert decide(CLOSE, MatchConfig(), StanceResult("repeats", 0.5)) == ("repeats", "suggested")


@pytest.mark.parametrize("label", ["discusses", "contradicts"])
def test_discussing_or_contradicting_is_never_linked(label):
    assert decide(CLOSE, MatchConfig(), StanceResult(label, 0.99)) == (label, "suggested")


def test_a_passage_below_the_thresholds_is_dropped_whatever_its_stance():
    weak = replace(CLOSE, score=0.3)
    for label in ("repeats", "contradicts", "discusses"):
        assert decide(weak, MatchConfig(), StanceResult(label, 0.99)) is None
    between = replace(CLOSE, score=0.47)   # reaches the contradict threshold only
    assert decide(between, MatchConfig(), StanceResult("contradicts", 0.9)) == ("contradicts", "suggested")
    assert decide(between, MatchConfig(), StanceResult("discusses", 0.9)) is None


def test_without_a_stance_polarity_decides_as_before():
    assert decide(CLOSE, MatchConfig()) == ("repeats", "extracted")
    assert decide(replace(CLOSE, polarity_differs=True), MatchConfig()) == ("contradicts", "suggested")


def _ingest(session, *articles):
    ids = [ingest_article(session, a, "tester").article_id for a in articles]
    session.commit()
    return ids


ORIGINAL = ArticleInput(outlet="Valley Post", published=date(2024, 3, 1), title="Gates to open", text=(
    "Gates to open\n\n"
    f"“{STATEMENT},” authority director Tomas Ferreira said on Friday.\n"))


@pytest.mark.parametrize("sentence, stance", [
    ("The river authority will reportedly open the northern flood gates before the spring rains arrive.",
     "discusses"),
    ("The river authority may open the northern flood gates before the spring rains arrive, officials say.",
     "discusses"),
    ("Talk that the river authority will open the northern flood gates before the spring rains arrive "
     "is a hoax.", "contradicts"),
])
def test_a_hedged_report_or_a_debunk_waits_for_an_analyst(session, sentence, stance):
    report = ArticleInput(outlet="Riverside News", published=date(2024, 3, 2), title="Gates",
                          text=f"Gates\n\n{sentence} Farmers were not consulted.\n")
    _, other = _ingest(session, ORIGINAL, report)
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    [m] = session.scalars(select(Mention).where(Mention.claim_id == claim.id, Mention.article_id == other))
    assert (m.stance, m.origin) == (stance, "suggested")


def test_a_plain_repeat_in_another_outlet_is_still_linked(session):
    report = ArticleInput(outlet="Riverside News", published=date(2024, 3, 2), title="Gates",
                          text=f"Gates\n\n{STATEMENT}, the authority said on Friday.\n")
    _, other = _ingest(session, ORIGINAL, report)
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    [m] = session.scalars(select(Mention).where(Mention.claim_id == claim.id, Mention.article_id == other))
    assert (m.stance, m.origin) == ("repeats", "extracted")



@pytest.mark.parametrize("attribution", ["Ferreira said on Friday", "the authority's director said on Friday"])
def test_a_sentence_giving_the_claims_own_speaker_is_read_knowing_him(session, attribution):
    """Matching tells the stance model who the claim's speaker is: "..., Ferreira said" restates
    Ferreira's claim and is linked; read as a claim nobody is known to have made, the same
    sentence only reports it and would wait for an analyst."""
    _ingest(session, ORIGINAL)
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    sentence = f"{STATEMENT}, {attribution}."
    config = MatchConfig()
    scored = scored_candidates(session, sentence, config)
    speakers = stance_speakers(session, sentence, scored, config)
    assert stance_speakers(session, f"{STATEMENT}.", scored, config) == {}   # names no source: no query
    assert speakers == {claim.id: "Tomas Ferreira"}
    [known] = passage_decisions(scored, config, set(), sentence, speakers)
    assert (known.claim_id, known.stance, known.origin) == (claim.id, "repeats", "extracted")
    [unknown] = passage_decisions(scored, config, set(), sentence, {})
    assert unknown.origin == "suggested"


def test_a_repeat_reading_whose_polarity_differs_only_discusses_the_claim():
    """The stance model may read a passage as a repeat while one side negates where the two align
    ("pledged to move beyond the old rivalry" of a claim that the two are "not rivals"): it is
    about the claim, but whether it agrees is for an analyst; it never waits as a repeat."""
    differs = replace(CLOSE, polarity_differs=True)
    assert decide(differs, MatchConfig(), StanceResult("repeats", 0.9)) == ("discusses", "suggested")
    assert decide(differs, MatchConfig(), StanceResult("contradicts", 0.9)) == ("contradicts", "suggested")
    assert decide(CLOSE, MatchConfig(), StanceResult("repeats", 0.5)) == ("repeats", "suggested")


COINED = ("The two port authorities renewed their \u2018open berth\u2019 accord at the harbour summit "
          "in Lisbon on Tuesday")
NAMING = "Shipping rates have fallen ever since the ports struck an \u201copen-berth\u201d accord in May 2021."


def test_a_sentence_naming_the_claims_quoted_phrase_is_suggested_as_discussing_it(session):
    """A narrative sentence that writes the claim's coined name in marks keeps too few of a long
    claim's words to reach the lexical floor, yet it refers to the claim's subject: it waits as a
    suggestion that discusses the claim. Without the marks the same words propose nothing."""
    _ingest(session, ArticleInput(outlet="Harbour Daily", published=date(2024, 5, 2), title="Accord renewed",
                                  text=f"Accord renewed\n\n\u201c{COINED},\u201d port chief Ana Duarte said.\n"))
    claim = session.scalar(select(Claim).where(Claim.text.like("The two port authorities%")))
    config = MatchConfig()
    scored = scored_candidates(session, NAMING, config)
    [candidate] = [s for s in scored if s.claim_id == claim.id]
    assert candidate.match.lexical < config.lexical_floor     # the words alone would not propose it
    [d] = passage_decisions(scored, config, set(), NAMING)
    assert (d.claim_id, d.stance, d.origin) == (claim.id, "discusses", "suggested")
    plain = NAMING.replace("\u201c", "").replace("\u201d", "")
    assert passage_decisions(scored_candidates(session, plain, config), config, set(), plain) == []


def test_matching_back_suggests_an_earlier_sentence_naming_the_quoted_phrase(session):
    """The same rule when the claim comes second: the claim a later article creates is matched back
    into the stored article whose sentence writes its coined name in marks."""
    earlier, _ = _ingest(session,
                         ArticleInput(outlet="Freight Weekly", published=date(2024, 5, 1), title="Rates fall",
                                      text=f"Rates fall\n\n{NAMING} Brokers expect more of the same.\n"),
                         ArticleInput(outlet="Harbour Daily", published=date(2024, 5, 2), title="Accord renewed",
                                      text=f"Accord renewed\n\n\u201c{COINED},\u201d port chief Ana Duarte said.\n"))
    claim = session.scalar(select(Claim).where(Claim.text.like("The two port authorities%")))
    [m] = session.scalars(select(Mention).where(Mention.claim_id == claim.id, Mention.article_id == earlier))
    assert (m.stance, m.origin) == ("discusses", "suggested")
    assert "open-berth" in m.excerpt
