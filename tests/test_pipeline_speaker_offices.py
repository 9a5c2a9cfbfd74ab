"""Offices, places and channels as speakers (app/pipeline/offices.py, speakers.resolve_cues,
reported._relayed), on invented sentences: a place in capitals before an office ("the US
envoy"), an office of a place nobody in view holds, and an outlet that only relays another
speaker's words."""
from __future__ import annotations

import pytest

from app.pipeline.name_runs import canonical_speaker, speaker_aliases
from app.pipeline.quotes import extract_quotes


def speakers(text: str) -> list:
    return [q.speaker for q in extract_quotes(text)]


# --- "US", "UK", "EU", "UN" in capitals are places, not the pronoun "us" -------------------------

@pytest.mark.parametrize("text, speaker", [
    ("“The ferry talks will go on through the whole winter,” the US envoy said.", "US envoy"),
    ("“The consulate will stay open for the rest of the week,” the US ambassador said on Monday.",
     "US ambassador"),
    ("“The fishing quotas will be cut again next spring,” the EU commissioner said.",
     "EU commissioner"),
    ("The US envoy said the ferry talks would go on through the winter.", "US envoy"),
])
def test_initials_in_capitals_before_an_office_are_a_place(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("introduced", ["US Ambassador Carla Wendt", "Carla Wendt, the US ambassador,"])
def test_the_us_office_is_the_person_introduced_with_it(introduced):
    text = (f"{introduced} met the harbour board on Monday. Tom Hale said the talks were useful.\n"
            "“The consulate will stay open for the rest of the week,” the US ambassador said.")
    assert speakers(text)[-1] == "Carla Wendt"


def test_us_in_a_headline_in_capitals_is_no_place():
    text = "“The consulate will stay open all week,” the envoy told us on Monday."
    assert speakers(text) != ["US envoy"]


# --- An office of a place: its holder, the person in view, or the office as written -------------

@pytest.mark.parametrize("text, speaker", [
    ("Mayor Tom Hale toured the harbour in Dorrin. “We will rebuild the pier this year,” Hale said. "
     "“The county will pay its share of the cost,” the Marrow County governor said.",
     "Marrow County governor"),
    ("Mayor Tom Hale toured the harbour in Dorrin. “We will rebuild the pier this year,” Hale said. "
     "The Dorset governor said the county would pay its share of the cost.", "Dorset governor"),
    ("Dorrin Mayor Tom Hale toured the harbour. “We will rebuild the pier this year,” Hale said. "
     "“The county will pay its share of the cost,” the Marrow County mayor said.",
     "Marrow County mayor"),
])
def test_an_office_is_not_the_person_in_view_the_text_gave_another_office(text, speaker):
    assert speakers(text)[-1] == speaker


def test_an_office_is_the_person_in_view_when_the_text_gave_them_none():
    # news calls the person it is about by an office of a place: "Hale said ... the senator
    # from Marrow County said" (nothing tells another person in)
    text = ("Tom Hale toured the harbour in Dorrin. “We will rebuild the pier this year,” Hale said. "
            "“The county will pay its share of the cost,” the Marrow County senator said.")
    assert speakers(text)[-1] == "Tom Hale"


def test_an_office_of_a_place_is_still_the_one_introduced_with_the_office():
    text = ("Gov. Ana Ruiz toured the harbour on Monday. Tom Hale said the pier would be rebuilt. "
            "“The county will pay its share of the cost,” the Marrow County governor said.")
    assert speakers(text)[-1] == "Ana Ruiz"


# --- A channel that relays another speaker's words never speaks them ----------------------------

@pytest.mark.parametrize("text, speaker", [
    ("The Dorrin Herald quoted a local fisherman as saying the pier had collapsed overnight.",
     "local fisherman"),
    ("Radio Dorrin quoted an American tourist as saying the ferry had left without warning.",
     "American tourist"),
])
def test_an_outlet_quoting_somebody_in_plain_words_is_no_speaker(text, speaker):
    assert speakers(text) == [speaker]


def test_somebody_unnamed_an_outlet_quotes_is_no_he_after_it():
    text = ("Tom Hale toured the harbour in Dorrin. The Dorrin Herald quoted one of Hale's aides as "
            "saying the mayor was tired. “I have walked every pier in this town,” he said.")
    assert speakers(text) == ["one of Hale's aides", "Tom Hale"]
    assert speakers("The Dorrin Herald quoted one of the aides as saying the mayor was tired.") == [
        "one of the aides"]


def test_words_an_outlet_relays_from_somebody_unnamed_keep_no_speaker():
    [q] = extract_quotes("According to the Dorrin Herald, the governor said the county would pay "
                         "its share of the cost.")
    assert q.speaker is None and q.text.startswith("the county would pay")


def test_words_an_outlet_relays_from_a_person_in_view_are_theirs():
    text = ("Gov. Ana Ruiz toured the harbour on Monday. According to the Dorrin Herald, the "
            "governor said the county would pay its share of the cost.")
    assert speakers(text)[-1] == "Ana Ruiz"


# --- A body's spokesman, spokeswoman and spokesperson are one speaker ---------------------------

@pytest.mark.parametrize("written", ["No. 10 spokeswoman", "No 10 spokesman", "a No. 10 spokesperson"])
def test_a_body_spokesperson_has_one_name_however_written(written):
    assert canonical_speaker(written) == "No 10 spokesperson"
    assert "no 10 spokesperson" in speaker_aliases(written)


def test_a_bare_role_and_a_person_keep_their_words():
    assert canonical_speaker("the spokesman") == "spokesman"
    assert canonical_speaker("Harbour Board spokeswoman Ana Ruiz") == "Ana Ruiz"


def test_an_attribution_closing_the_words_an_outlet_relays_is_not_the_outlet():
    [q] = extract_quotes("The county will pay its share of the cost, the governor said, according "
                         "to the Dorrin Herald.")
    assert q.speaker is None and q.text == "The county will pay its share of the cost"
    text = ("Gov. Ana Ruiz toured the harbour on Monday. The county will pay its share of the cost, "
            "the governor said, according to the Dorrin Herald.")
    assert speakers(text)[-1] == "Ana Ruiz"


# --- A county, parish, city or state before an office: an office of that place, never the place --

@pytest.mark.parametrize("text, speaker", [
    ("The Marrow County governor said the ferry would run all winter.", "Marrow County governor"),
    ("The Dane County executive said the ferry would run all winter.", "Dane County executive"),
    ("The Harris County judge told reporters the ferry would run all winter.", "Harris County judge"),
    ("The Orleans Parish sheriff said the jail would close in May.", "Orleans Parish sheriff"),
    ("The Dorrin City manager said the pier would be rebuilt.", "Dorrin City manager"),
    ("The Dane county executive said the ferry would run all winter.", "Dane county executive"),
    ("The Harris County district attorney said the case would go on.", "Harris County district attorney"),
    ("The New Dorrin City mayor said the pier would be rebuilt.", "New Dorrin City mayor"),
])
def test_a_county_office_with_nobody_in_view_speaks_as_written(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("office", ["the Dane County executive", "the Dane county executive",
                                    "the county executive"])
def test_a_county_office_is_the_person_introduced_with_it(office):
    text = ("Dane County Executive Joe Parisi toured the pier on Monday. Tom Hale said the ferry was late. "
            f"“We will rebuild it by the spring,” {office} said.")
    assert speakers(text) == ["Tom Hale", "Joe Parisi"]


def test_a_county_office_is_the_person_introduced_with_it_in_an_aside():
    text = ("Joe Parisi, the Marrow County executive, toured the pier. Tom Hale said the ferry was late. "
            "The county executive said the pier would be rebuilt by the spring.")
    assert speakers(text) == ["Tom Hale", "Joe Parisi"]


def test_a_county_office_is_the_person_in_view_the_text_gave_no_other_office():
    text = ("Tom Hale toured the harbour in Dorrin. “We will rebuild the pier this year,” Hale said. "
            "The Dane County executive said the county would pay its share.")
    assert speakers(text) == ["Tom Hale", "Tom Hale"]


def test_a_county_office_is_not_a_person_in_view_with_another_office():
    text = ("President Ana Ruiz toured the harbour in Dorrin. “We will rebuild the pier,” Ruiz said. "
            "The Dane County executive said the county would pay its share.")
    assert speakers(text) == ["Ana Ruiz", "Dane County executive"]


def test_another_countys_office_is_not_the_one_introduced():
    text = ("Marrow County Judge Lina Ortiz toured the pier. President Ana Ruiz said the ferry was late. "
            "The Harris County judge said the pier would be rebuilt by the spring.")
    assert speakers(text)[-1] == "Harris County judge"


@pytest.mark.parametrize("text, speaker", [
    ("The county's health director said the clinic would stay open.", "county's health director"),
    ("Marrow County Health Director Ana Ruiz toured the clinic. Tom Hale said the queue was long. "
     "The county's health director said the clinic would stay open.", "Ana Ruiz"),
])
def test_a_countys_office_in_the_possessive_is_an_office_of_a_place(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize("text, speaker", [
    ("The Marrow County Sheriff's Office said the jail would close in May.", "Marrow County Sheriff's Office"),
    ("Marrow County officials said the jail would close in May.", "Marrow County officials"),
    ("The Dane County Board said the ferry would run all winter.", "Dane County Board"),
    ("Dane County Executive Joe Parisi said the ferry would run all winter.", "Joe Parisi"),
    ("Dane county executive Joe Parisi said the ferry would run all winter.", "Joe Parisi"),
])
def test_county_bodies_groups_and_named_officers_keep_their_reading(text, speaker):
    assert speakers(text) == [speaker]


def test_a_county_is_no_person_in_view_for_a_pronoun():
    text = ("Marrow County said the jail would close in May. Tom Hale toured the pier on Monday. "
            "“It is a sad day for the town,” he said.")
    assert speakers(text)[-1] == "Tom Hale"
