"""Reported speech from groups and claim verbs (issue 10, PolNeAR all-attribution recall): a group
named in plain words speaks as written, a claim verb reports only with "that", and neither an
adverb nor a claim verb ever attributes a quotation. Examples written here."""
from __future__ import annotations

import pytest

from app.pipeline.quotes import extract_quotes


def _reported(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(text) if q.kind == "reported"]


@pytest.mark.parametrize("text, speaker", [
    ("Just 28 percent of voters said they had a positive view of the new ferry plan.", "28 percent of voters"),
    ("The plan worried residents, while other voters said they had not heard anything to change "
     "their minds.", "other voters"),
])
def test_a_group_named_in_plain_words_reports_a_statement(text, speaker):
    [(content, who)] = _reported(text)
    assert who == speaker and content.startswith("they had")


@pytest.mark.parametrize("text, speaker", [
    ("The harbour board met on Monday. Hale suggested that the board had hidden the cost of the new "
     "ferry.", "Hale"),
    ("Two surveys showed that most residents support the new ferry plan for the harbour.", "Two surveys"),
])
def test_a_claim_verb_with_that_reports_a_statement(text, speaker):
    assert _reported(text) and _reported(text)[0][1] == speaker


def test_a_claim_verb_without_that_reports_nothing():
    found = [q for q in extract_quotes("The harbour board met on Monday. Hale suggested a new route for "
                                       "the ferry.") if q.kind == "reported"]
    assert [q.text for q in found if q.states] == []  # shown (the gate's reading), but no claim


@pytest.mark.parametrize("verb", ["denied", "rejected", "disputed", "questioned"])
def test_a_denial_does_not_state_its_clause(verb):
    text = f"The harbour board met on Monday. A union spokesman {verb} that the board will replace every pier by May."
    assert _reported(text) == []


def test_a_source_named_by_a_possessive_pronoun_is_nobody_as_written():
    text = "The board promised to replace all the old piers before next year ends, according to its chair."
    assert _reported(text) == []


def test_a_claim_verb_never_attributes_a_quotation():
    text = "Hale, who denied the “secret deal with the ferry company” story, left early."
    assert [q.speaker for q in extract_quotes(text) if q.kind != "reported"] == [None]


def test_an_adverb_opening_the_sentence_never_speaks():
    assert all(who != "Quickly" for _, who in
               _reported("Quickly said the mayor would resign before the end of the month."))


def test_a_surname_ending_in_ly_is_still_a_name():
    text = "Megyn Kelly asked the first question. Kelly said the debate would be fair to every candidate."
    assert [who for _, who in _reported(text)] == ["Megyn Kelly"]


@pytest.mark.parametrize("text, speaker", [
    ("The port raised $33 million through that account, according to a recent harbour board report "
     "released on Friday.", "a recent harbour board report"),
    ("Turnout fell sharply among young voters, according to exit polls.", "exit polls"),
])
def test_according_to_a_source_in_plain_words_closing_the_sentence(text, speaker):
    [(content, who)] = _reported(text)
    assert who == speaker and not content.endswith(",")


def test_a_that_clause_may_open_with_a_preposition():
    text = "Hale says that after the storm the ferry company was ready to rebuild the pier."
    assert _reported(text) == [("after the storm the ferry company was ready to rebuild the pier", "Hale")]


@pytest.mark.parametrize("text, content", [
    ("Most residents believe the ferry plan will fail before the winter.", "the ferry plan will fail before the winter"),
    ("Mayor Ana Ruiz admits the harbour project didn't work as planned.", "the harbour project didn't work as planned"),
    ("Polls show that the mayor has lost ground among younger voters.", "the mayor has lost ground among younger voters"),
])
def test_a_claim_verb_reports_a_clause_with_its_own_auxiliary_or_that(text, content):
    assert [c for c, _ in _reported(text)] == [content]


@pytest.mark.parametrize("text", [
    "The mayor praised the harbour plan as a triumph for the whole town.",
    "The mayor urged the harbour board to act before the winter storms.",
])
def test_a_claim_verb_with_a_noun_object_reports_nothing(text):
    assert _reported(text) == []


def test_a_paraphrase_opening_with_a_short_quotation_is_reported_speech():
    text = ("“We are frustrated and horrified” by the shooting at the harbour that drew attention "
            "from the whole county, Hale said.")
    assert _reported(text) == [("“We are frustrated and horrified” by the shooting at the harbour "
                                "that drew attention from the whole county", "Hale")]


def test_a_whole_quotation_is_left_to_the_quote_finder():
    assert _reported("“We are frustrated and horrified by the shooting at the harbour,” Hale said.") == []


@pytest.mark.parametrize("text", [
    "The island ferry will run every forty minutes from April, the operator said on Monday.",
    "The mayor rejected reports that the flood gates would open before the spring.",
])
def test_a_singular_role_or_a_verb_is_no_group(text):
    assert _reported(text) == []


@pytest.mark.parametrize("text, speaker", [
    # a group on or in a place named with "the" speaks as written, not the place
    ("Traders on the High Street say footfall has fallen by a third since January.",
     "Traders on the High Street"),
    ("Residents on the Moss Estate said the lifts had been broken for weeks.", "Residents on the Moss Estate"),
    ("Officials in the Netherlands said the dam had held overnight.", "Officials in the Netherlands"),
])
def test_a_group_on_or_in_a_named_place_speaks_as_written(text, speaker):
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize("text, speaker", [
    # "according to X seen by Y": the source is X; who saw it is no part of its name
    ("The levy would double by 2027, according to a draft seen by the Gazette.", "a draft"),
    ("The pier would cost twice as much, according to documents obtained by the Courier.", "documents"),
])
def test_a_source_ends_before_a_participle_and_its_agent(text, speaker):
    assert [q.speaker for q in extract_quotes(text)] == [speaker]


@pytest.mark.parametrize("text, speaker", [
    # a coast guard is a body, named as written; "No 10" is Downing Street, not a "no"
    ("According to the Dorset coast guard, two of its boats were hit by the storm on Sunday.",
     "Dorset coast guard"),
    ("A No 10 spokesman added that ministers were confident the bill would pass.", "No 10 spokesman"),
])
def test_bodies_named_in_british_and_wire_style_speak(text, speaker):
    assert [q.speaker for q in extract_quotes(text)] == [speaker]
