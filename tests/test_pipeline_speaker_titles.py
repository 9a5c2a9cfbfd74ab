"""Speakers named with a title that holds "of" ("Secretary of Homeland Security Dana Whitfield",
"Chancellor of the Exchequer Tom Brandt"), bylines that never speak, and quotations of three
words (invented sentences)."""
from __future__ import annotations

import pytest

from app.pipeline.claims import split_statements
from app.pipeline.quotes import extract_quotes


def marked(text: str) -> list:
    return [q for q in extract_quotes(text) if q.kind != "reported"]


def reported(text: str) -> list:
    return [q for q in extract_quotes(text) if q.kind == "reported"]


# --- Titles with "of" ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    ("“The harbour talks will resume next week,” said Secretary of State Jane Doe.", "Jane Doe"),
    ("“The border crossings are secure tonight,” said Secretary of Homeland Security Dana Whitfield.",
     "Dana Whitfield"),
    ("“The budget will be balanced by next spring,” Chancellor of the Exchequer Tom Brandt said.",
     "Tom Brandt"),
    ("“Our forces are ready for any threat,” said Minister of Defence Karl Ostrom.", "Karl Ostrom"),
    ("“We will vote on the ferry bill next week,” Speaker of the House Mel Anders told reporters.",
     "Mel Anders"),
    ("“The governor has no plans to resign,” Chief of Staff Owen Pratt said.", "Owen Pratt"),
    ("“Inflation will fall below two percent,” said Governor of the Bank of England Lydia Crane.",
     "Lydia Crane"),
    ("“The clinics will stay open all winter,” said Secretary of Health and Human Services Ada Pike.",
     "Ada Pike"),
    ("“The threat level has risen sharply this year,” Former Director of National Intelligence "
     "Ruth Calder said.", "Ruth Calder"),
])
def test_a_title_with_of_names_the_person_after_it(text, speaker):
    [q] = marked(text)
    assert q.speaker == speaker


@pytest.mark.parametrize("text, speaker", [
    ("Chancellor of the Exchequer Tom Brandt said the budget would be balanced by next spring.",
     "Tom Brandt"),
    ("Director of National Intelligence Ruth Calder said the threat level had risen sharply.",
     "Ruth Calder"),
    ("Governor of the Bank of England Lydia Crane said inflation would fall below two percent.",
     "Lydia Crane"),
])
def test_a_title_with_of_before_the_verb_names_the_person_in_reported_speech(text, speaker):
    [q] = reported(text)
    assert q.speaker == speaker


def test_he_after_a_title_with_of_is_the_person():
    text = ("Chancellor of the Exchequer Tom Brandt spoke in Leeds on Tuesday. “The budget will be "
            "balanced by next spring,” he said.")
    [q] = marked(text)
    assert q.speaker == "Tom Brandt"


def test_a_title_with_of_and_no_name_is_the_office_not_a_word_of_it():
    [q] = reported("The Secretary of State said the harbour talks would resume next week in Geneva.")
    assert q.speaker == "Secretary of State"


def test_an_organisation_in_an_aside_with_of_stays_the_persons():
    text = ("“The search will go on through the night,” Tom Hale, commander of the First Coast Guard "
            "District, said.")
    [q] = marked(text)
    assert q.speaker == "Tom Hale"


def test_a_surname_that_is_a_title_is_no_title_of_a_place():
    [q] = marked("“The mill will reopen in the spring,” said Rep. Tom King of Ohio, who backs the plan.")
    assert q.speaker.endswith("Tom King")  # not "Ohio"


# --- Bylines ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "By Jane Doe, Reuters\n\n“The plan will cut costs by half,” the mayor said.",
    "Jane Doe | Staff writer\n\n“The plan will cut costs by half,” the mayor said on Tuesday.",
    "Port plan faces a vote\n\nBy Jane Doe and Tom Hale | Staff writers\n\n“We will not back down "
    "from this fight,” she said.",
    "“The port must stay open for the night shift”\n\n— By Jane Doe\n\nThe council met on Tuesday.",
])
def test_a_byline_never_speaks(text):
    assert [q.speaker for q in marked(text)] == [None]


def test_after_a_byline_the_person_named_in_the_story_speaks():
    text = ("By Jane Doe, Reuters\n\nMayor Ana Ruiz spoke on Tuesday. “The plan will cut costs by "
            "half,” she said.")
    assert [q.speaker for q in marked(text)] == ["Ana Ruiz"]


def test_a_signature_line_is_not_a_byline():
    [q] = marked("“The port must stay open for the night shift.” ― Ana Ruiz")
    assert q.speaker == "Ana Ruiz"


def test_a_sentence_opening_with_by_is_no_byline():
    [q] = reported("By Tuesday Ana Ruiz said the plan would cut the town's costs by half.")
    assert q.speaker == "Ana Ruiz"


# --- Short quotations -----------------------------------------------------------------------------

def test_a_three_word_quote_with_its_cue_and_speaker_is_a_quotation():
    text = "Mayor Ana Ruiz arrived late on Tuesday. She called it “a total disaster,” and left the room."
    [q] = marked(text)
    assert (q.text, q.speaker) == ("a total disaster,", "Ana Ruiz")
    assert [s.text for s in split_statements(q.text)]  # worth a claim


def test_a_three_word_quote_followed_by_its_cue_is_a_quotation():
    [q] = marked("Ana Ruiz arrived late on Tuesday. “Simply not true,” she said.")
    assert (q.text, q.speaker) == ("Simply not true,", "Ana Ruiz")


@pytest.mark.parametrize("text", [
    # terms in marks inside somebody's sentence: no quotation, so no claim
    "Ana Ruiz said the town would build a “new green deal” for the harbour by the spring.",
    "The so-called “peace dividend” never came, Ana Ruiz said on Tuesday.",
    "Ana Ruiz called the plan “reckless” on Tuesday.",
    "Ana Ruiz called it “a disgrace” and left.",
])
def test_scare_quotes_are_no_quotations(text):
    assert marked(text) == []


@pytest.mark.parametrize("text, speaker", [
    ("“The talks will resume next week,” said the Minister of Foreign Affairs, Sergei Lavrin.",
     "Sergei Lavrin"),
    ("“The talks will resume next week,” said the secretary of state, Ana Ruiz.", "Ana Ruiz"),
    ("“The talks will resume next week,” said the head of the Harbour Authority, Ana Ruiz.",
     "Ana Ruiz"),
])
def test_the_name_after_a_title_with_of_and_a_comma_is_the_speaker(text, speaker):
    [q] = marked(text)
    assert q.speaker == speaker


def test_a_name_suffix_does_not_make_the_word_before_it_a_title():
    [q] = marked("“The march will go on through the night,” Martin Luther King III said.")
    assert q.speaker == "Martin Luther King III"


@pytest.mark.parametrize("text, speaker", [
    ("Ana Ruiz, the communications director for the Harbour Freight Party said in a statement. "
     "“There are no paper ballots to count again tonight.”", "Ana Ruiz"),
    ("Tom Hale, president and CEO of Harbour Freight Association stated, “It is not a political "
     "problem at all.”", "Tom Hale"),
    ("Jeff Hale, chairman of Harbour Rising (a port lobby), tweeted: “People behind the mayor wear "
     "the wrong shirts tonight.”", "Jeff Hale"),
])
def test_a_body_in_an_aside_left_unclosed_is_not_the_speaker(text, speaker):
    [q] = marked(text)
    assert q.speaker == speaker


def test_a_body_that_speaks_after_of_is_still_the_body():
    [q] = reported("In Salem, officials of the Harbour Authority said the plan would cut costs by half.")
    assert q.speaker == "Harbour Authority"


# --- "X of Y": the person, not the place or body ------------------------------------------------

@pytest.mark.parametrize("text, speaker", [
    ("Rep. Tom Cole of Ohio, an ally of the party leaders, said the bill would pass next week.",
     "Tom Cole"),
    ("“The bill will pass next week,” Rep. Tom Cole of Ohio, an ally of the party leaders, said.",
     "Tom Cole"),
    ("“The bill will pass next week,” Tom Cole of the Harbour Institute, a think tank, said.",
     "Tom Cole"),
])
def test_the_person_of_a_place_with_an_aside_is_the_speaker(text, speaker):
    [q] = extract_quotes(text)
    assert q.speaker == speaker


def test_a_place_with_an_aside_and_no_person_is_no_person():
    [q] = reported("In the state of Ohio, a key swing state, voters said the bill would pass next week.")
    assert q.speaker == "voters"


def test_an_office_inside_the_clause_is_not_the_subject_of_a_later_verb():
    text = ("Ana Ruiz jokingly offered the man a job as Secretary of Defense, then said the army "
            "would double in size within two years.")
    assert [q.speaker for q in reported(text)] == ["Ana Ruiz"]


def test_a_no_break_space_inside_a_name_is_a_space():
    text = "“The port will stay open all night,” harbour board member Tom\u00a0Hale said on Tuesday."
    [q] = marked(text)
    assert q.speaker == "Tom Hale"
    assert q.text == "The port will stay open all night,"


@pytest.mark.parametrize("text, speaker", [
    # British local titles: a councillor, a detective
    ("Cllr Mara Pennock, cabinet member for highways, said: “Safety has to come first for everyone.”",
     "Mara Pennock"),
    ("Coun. Mara Pennock said the car park would stay shut until the autumn.", "Mara Pennock"),
    ("Det Insp Owen Carle said: “We would ask anyone who saw the crash to come forward.”", "Owen Carle"),
])
def test_british_local_titles_are_not_part_of_the_name(text, speaker):
    assert [q.speaker for q in extract_quotes(text)] == [speaker]
