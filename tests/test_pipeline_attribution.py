"""Attribution patterns of US political reporting (issue 10, measured on PolNeAR by bench/polnear.py):
honorifics and party tags inside a speaker's name, long asides between a name and its verb,
quotes closed by a full stop before a short attribution. Text in, records out; the examples
are written here, not taken from any data set."""
from __future__ import annotations

import pytest

from app.pipeline.quotes import extract_quotes


def _speakers(text: str) -> list[str | None]:
    return [q.speaker for q in extract_quotes(text) if q.kind != "reported"]


@pytest.mark.parametrize("text, speaker", [
    ("The mayor spoke on Monday.\n\n“We will rebuild the harbour before winter,” Gov. Ana Ruiz "
     "replied.", "Ana Ruiz"),
    ("“The levy will pass this spring,” Rep. Tom Hale (D-Ore.) said.", "Tom Hale"),
    ("“The levy will pass this spring,” Sen. Tom J. Hale said.", "Tom J. Hale"),
])
def test_an_abbreviated_title_or_a_party_tag_does_not_end_the_attribution(text, speaker):
    assert _speakers(text) == [speaker]


@pytest.mark.parametrize("text", [
    "“The plan has no money behind it,” Lena Marsh, director of research at the Harbour "
    "Institute, said in a statement.",
    "“The plan has no money behind it,” Lena Marsh, Northfield's longest-serving councillor, said.",
])
def test_a_long_aside_after_the_name_keeps_the_name_as_speaker(text):
    assert _speakers(text) == ["Lena Marsh"]


@pytest.mark.parametrize("text", [
    "Voters gathered in the hall.\n\n“We are ready for the vote and we will win it.” Hale said.",
    "Voters gathered in the hall.\n\n“The port is a battle of small interests” Hale said on Tuesday.",
])
def test_a_short_attribution_after_a_closed_sentence_names_the_speaker(text):
    assert _speakers(text) == ["Hale"]


def test_a_new_sentence_that_reports_more_is_not_the_quote_attribution():
    text = "Voters gathered in the hall.\n\n“The port is a battle of small interests.” Hale said the count was over."
    assert _speakers(text)[0] is None


@pytest.mark.parametrize("text, speaker", [
    ("“It is over for the port,” said Republican party boss Dana Whitfield, who lost.", "Dana Whitfield"),
    ("“It is over for the port,” said Northfield State University political scientist Brigid Harlan.",
     "Brigid Harlan"),
    ("“It is over for the port,” said Florida’s Rick Wilson, a consultant.", "Rick Wilson"),
])
def test_a_description_or_an_owner_before_the_name_does_not_speak(text, speaker):
    assert _speakers(text) == [speaker]


def test_a_body_described_after_the_cue_stays_the_body_when_no_person_follows():
    assert _speakers("“It is over for the port,” said Clinton aides on Tuesday.") == ["Clinton"]


def test_a_verb_joined_by_and_shares_the_subject_opening_the_sentence():
    text = "Dana Whitfield confirmed the deal and said, “The ferries will run again next week.”"
    assert _speakers(text) == ["Dana Whitfield"]


def test_the_object_of_the_first_verb_is_not_the_subject_of_the_second():
    text = "The ferry company fired Hale and said, “The ferries will run again next week.”"
    assert _speakers(text) != ["Hale"]


@pytest.mark.parametrize("verb", ["joked", "interjected", "boasted", "implored", "gushed", "raged",
                                  "underscored", "signaled", "shouted", "lamented"])
def test_the_speech_verbs_of_real_reporting_attribute_a_quote(verb):
    text = f"The hall was full.\n\n“The port is a battle of small interests,” Hale {verb}."
    assert _speakers(text) == ["Hale"]


def test_learned_cue_verbs_are_read_from_the_data_file():
    from app.pipeline import constants as C

    learned = C._learned_cues()
    assert learned.get("verbs") and all(v in C.CUE_VERBS for v in learned["verbs"])


def test_a_curly_quote_closed_by_a_straight_mark_is_still_one_quotation():
    text = "“It is over for the port,\" said Dana Whitfield, a consultant. “We lost the vote today.”"
    quotes = [q for q in extract_quotes(text) if q.kind != "reported"]
    assert [(q.text, q.speaker) for q in quotes] == [
        ("It is over for the port,", "Dana Whitfield"), ("We lost the vote today.", "Dana Whitfield")]


def test_straight_marks_nested_in_curly_ones_stay_nested():
    text = "“He told me \"no\" and left the room,” Hale said."
    assert [q.text for q in extract_quotes(text)] == ["He told me \"no\" and left the room,"]


def test_a_quotation_signed_with_a_dash_at_the_end_of_its_line_is_the_signer_s():
    text = ("Residents wrote to us.\n“We waited three years for the ferry and nobody came.” ― Ana Ruiz\n"
            "“The new harbour is a disgrace to the whole town.” — Tom J. Hale.")
    assert _speakers(text) == ["Ana Ruiz", "Tom J. Hale"]


def test_a_dash_inside_a_sentence_signs_nothing():
    text = "Hale spoke.\n\n“We waited three years for the ferry and nobody came.” — Ana Ruiz was not alone in waiting."
    assert _speakers(text) != ["Ana Ruiz"]


@pytest.mark.parametrize("text, speaker", [
    ("“Our assumption is that the levy will be overridden,” Senate Majority Leader Mitch Hale, "
     "R-Ky., said Tuesday.", "Mitch Hale"),
    ("“The levy is a waste of time and money,” Rep. Tom Hale (R-Ohio), a panel member, said.", "Tom Hale"),
    ("Democratic nominee Ana Ruiz, at a later press gaggle, said, “We will know more when the facts "
     "are in.”", "Ana Ruiz"),
    ("“The harbour will stay open all winter,” said Rear Adm. John Mauger, commander of the district.",
     "John Mauger"),
    ("“The levy is a waste of time and money,” said Del. Stacey Hale of the Virgin Islands.", "Stacey Hale"),
])
def test_tags_ranks_and_descriptions_around_a_name_keep_the_person(text, speaker):
    assert _speakers(text) == [speaker]


def test_a_word_quoted_at_the_sentence_start_is_not_the_subject_of_a_later_participle():
    text = ("“Promise me you will keep the ferry running,” Hale sings to the crowd before asking them, "
            "“Where do we go from here?”")
    assert "Promise" not in _speakers(text)


def test_two_apostrophes_are_a_double_quotation_mark():
    text = ("''We may finally be seeing some wage growth,'' said Jared Hale, an economist. "
            "''That would be a very big story.''")
    quotes = [q for q in extract_quotes(text) if q.kind != "reported"]
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We may finally be seeing some wage growth,", "Jared Hale"),
        ("That would be a very big story.", "Jared Hale")]


def test_a_single_quoted_passage_closing_with_the_doubled_mark_stays_inside_it():
    text = ("In an interview, Mr. Hale described the meeting. ''I said, 'The lesson of history is "
            "that there is no daylight,''' he recalled.")
    [q] = [q for q in extract_quotes(text) if q.kind != "reported"]
    assert q.text == "I said, 'The lesson of history is that there is no daylight,'"


def test_he_after_an_honorific_and_a_surname_is_that_person():
    text = ("Tom Ruiz spoke first. Later, Mr. Hale described the meeting. \"We were close to a deal "
            "on the port and then it fell apart,\" he said.")
    assert _speakers(text) == ["Hale"]


def test_he_said_keeps_the_speaker_in_focus_over_a_person_mentioned_since():
    text = ("Ana Ruiz, the harbour commissioner, said the search would go on through the night. "
            "The pilot, Tom Hale, was among the dead. “We owe it to the families to keep looking,” she said.")
    assert _speakers(text) == ["Ana Ruiz"]


def test_a_new_paragraph_about_someone_else_moves_the_focus():
    text = ("“We will keep looking,” Ana Ruiz said.\n\nIn a statement on Tuesday, ferry operator Tom Hale "
            "was more careful. Though he called the loss “a tragedy for the town and the harbour,” he "
            "gave no date.")
    assert _speakers(text) == ["Ana Ruiz", "Tom Hale"]


@pytest.mark.parametrize("text, speaker", [
    ("“The levy will hurt small farmers more than anyone,” James Hale of the Harbour Institute said.",
     "James Hale"),
    ("“The levy will hurt small farmers more than anyone,” Mr. Hale of the Sierra Club said.", "Hale"),
    ("“The levy will hurt small farmers more than anyone,” Secretary of State Ana Ruiz said.", "Ana Ruiz"),
    ("Dashing into the hall, Senator Ana Ruiz, Republican of Ohio, called over her shoulder, "
     "“His comments are not helping anyone.”", "Ana Ruiz"),
    ("“The harbour will stay open all winter,” Tom Hale, commander of the district, said.", "Tom Hale"),
])
def test_the_person_of_a_body_or_place_speaks_not_the_body(text, speaker):
    assert _speakers(text) == [speaker]


def test_a_hyphenated_description_before_the_name_does_not_speak():
    text = "“The harbour will stay open,” said Idaho nutritional-supplement executive Frank Vander, who backed it."
    assert _speakers(text) == ["Frank Vander"]


def test_an_opening_phrase_of_place_is_not_the_subject_of_a_participle():
    text = ("Here in Columbia, Ana Ruiz stepped up her emphasis on the harbour, saying, “We have got "
            "to rebuild the pier.”")
    assert _speakers(text) == ["Ana Ruiz"]


def test_a_cue_word_used_as_a_noun_inside_an_aside_is_not_the_attribution():
    text = ("“It is an invasion of the county's power to regulate the harbour,” Dana Whitfield, the "
            "attorney general of Ohio, one of the states suing the board, said on Monday.")
    assert _speakers(text) == ["Dana Whitfield"]


@pytest.mark.parametrize("text", [
    "The claims of the harbour board were rejected by the court on Monday after a long hearing.",
    "Voters in all the states watched the harbour debate on Monday night with growing alarm.",
])
def test_a_cue_word_after_a_determiner_is_a_noun_and_reports_nothing(text):
    assert extract_quotes(text) == []


def test_a_dateline_never_speaks():
    text = ("Ruiz Defends The Harbour Levy.\n\nWASHINGTON — Sen. Ana Ruiz (D-Ore.) defended her call to "
            "raise the harbour levy, saying the gains for the town would outweigh the costs.")
    assert {q.speaker for q in extract_quotes(text)} == {"Ana Ruiz"}


def test_a_headline_in_capitals_never_speaks():
    text = ("HARBOUR TURNOUT BEATS EVERY FORECAST IN NORTHERN STATES - Ana Ruiz: “At long last the harbour "
            "vote has come and we now have the first solid look at turnout.”")
    assert _speakers(text) == ["Ana Ruiz"]


def test_a_quote_ending_in_an_inner_quotation_takes_the_attribution_after_it():
    text = ("Hale spoke first.\n\n“I think she was found saying, ‘The harbour will be closed for good,’” "
            "Ruiz said in a conference call with county reporters.")
    assert _speakers(text) == ["Ruiz"]


@pytest.mark.parametrize("text, speaker", [
    ("Ruiz Wins.\n\nORLANDO, Fla. (Reuters) - Mayor Ana Ruiz met the families on Thursday and said the "
     "county must act to rebuild the harbour.", "Ana Ruiz"),
    ("Ferries Return.\n\nWASHINGTON ― The Ruiz administration announced plans Tuesday to expand the "
     "ferry service, acknowledging that the current system has failed.", "Ruiz administration"),
])
def test_a_dateline_is_never_the_subject_the_body_after_it_is(text, speaker):
    assert {q.speaker for q in extract_quotes(text)} == {speaker}


def test_a_signature_on_its_own_line_after_the_quote_signs_it():
    text = ("The fact check follows.\n\n\"Voters are worried about the future of their kids and the "
            "harbour they grew up beside.\"\n\n- Ana Ruiz.\n\nThe senator was right.")
    assert _speakers(text) == ["Ana Ruiz"]


@pytest.mark.parametrize("text, speaker", [
    ("Tuesday at the harbour, after winning the county, Gov. Ana Ruiz (R-OH), said, “I’m getting ready "
     "to rent a covered wagon for the whole town.”", "Ana Ruiz"),
    ("Sessions endorsed him. Trump jokingly said, “I hate to say it, I’m becoming mainstream with all "
     "these endorsements.”", "Trump"),
])
def test_a_tag_with_a_comma_or_an_adverb_before_the_verb_keeps_the_subject(text, speaker):
    assert _speakers(text) == [speaker]
