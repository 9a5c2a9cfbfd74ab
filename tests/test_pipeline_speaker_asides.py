"""Speakers behind a descriptor or an aside that names a place or a body (invented sentences):
"Florida-based strategist X", "X of Columbia, South Carolina says", "President of Mexico
Enrique Peña Nieto", "X, chairman of the House Ways and Means Committee, said"."""
from __future__ import annotations

import pytest

from app.pipeline.quotes import extract_quotes


def speakers(text: str) -> list[str | None]:
    return [q.speaker for q in extract_quotes(text)]


@pytest.mark.parametrize("text, speaker", [
    ("“The party has lost its way on trade,” said Ohio-based Republican strategist Lena Marsh.",
     "Lena Marsh"),
    ("“The harbour will be dredged in spring,” said Boston-born Democratic donor Paul Trent.",
     "Paul Trent"),
    ("“The market will recover by spring,” said Paris-based analyst Tom Fenwick.", "Tom Fenwick"),
])
def test_a_place_in_a_compound_descriptor_is_not_the_speaker(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("Stacy Marlow of Dayton, Ohio says she thinks the senator can still win the primary.",
     "Stacy Marlow"),
    ("Tom Hale of Springfield, Illinois said the county would lose its only hospital next year.",
     "Tom Hale"),
    ("“Prices at the pump are too high,” Ada Ferris of Lyon, France said.", "Ada Ferris"),
])
def test_a_region_closing_an_of_aside_is_not_the_speaker(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("“The border will stay open to trade,” said President of Mexico Enrique Peña Nieto.",
     "Enrique Peña Nieto"),
    ("“The border will stay open to trade,” President of Mexico Enrique Peña Nieto said.",
     "Enrique Peña Nieto"),
    ("“The clinics will stay open,” said Secretary of State Mary Ann Doyle.", "Mary Ann Doyle"),
    # an unknown word of the title's object still leaves the last two words
    ("“The buses will run all night,” said Mayor of London Sadiq Khan.", "Sadiq Khan"),
])
def test_a_three_word_name_after_an_of_title_stays_whole(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text, speaker", [
    ("On Tuesday, Kevin Marsh, chairman of the House Ways and Means Committee, said that the "
     "party might delay the tax for two years.", "Kevin Marsh"),
    ("Archbishop Aris Vartan of the Armenian Patriarchate of Jerusalem said the church had "
     "suffered the same fate for a century.", "Archbishop Aris Vartan"),
])
def test_a_body_named_in_an_aside_is_not_the_speaker(text, speaker):
    assert speakers(text) == [speaker]


# --- Opening phrases before the subject: never the speaker ----------------------------------------

@pytest.mark.parametrize("text, speaker", [
    ("Walking to the next house, Ebby Lorn reminisced about her childhood in the town, and said their "
     "political views had both changed over the years.", "Ebby Lorn"),
    ("Reached by phone, Dale Bennick denied that a shakeup was coming, explaining that he had not "
     "seen the interview.", "Dale Bennick"),
    ("Moreover, Jeffrey D. Saxe, director of the Earth Institute at Harbour University, noted this "
     "week that most of those plans run only to 2030.", "Jeffrey D. Saxe"),
    ("Speaking at a town hall in Salem, New Hampshire, Tom Hale went after his rival, calling the "
     "plan a waste of money for every family.", "Tom Hale"),
    ("Prior to the apology, Ben Carlow had made a bizarre attack on the campaign, saying that it "
     "had lied to the voters.", "Ben Carlow"),
    ("Recently, Tom Emmet of Laconia, N.H., stood at a Ruiz event here to say he was leaning "
     "toward supporting the senator.", "Tom Emmet"),
])
def test_an_opening_phrase_is_read_past_to_the_subject(text, speaker):
    assert speakers(text) == [speaker]


def test_a_name_after_an_opening_place_still_speaks():
    text = "In Washington, Sen. Ana Ruiz, a Democrat, said the bill would pass next week."
    assert speakers(text) == ["Ana Ruiz"]


# --- A participle after a main clause: the subject of the nearest clause ---------------------------

@pytest.mark.parametrize("text, speaker", [
    ("Over the past two weeks, inspectors charged the officer with fraud and Rahm Ellery fired his "
     "police chief, acknowledging that the city had failed its residents.", "Rahm Ellery"),
    ("Tom Hale quickly pivoted to talking about trade, but Chris Walby brought him back to the "
     "attacks, asking Hale to share his views on the group.", "Chris Walby"),
    ("It’s a big if, but Dana Ruiz was in San Diego on Tuesday night, emphasizing the state’s "
     "importance to the whole campaign.", "Dana Ruiz"),
])
def test_a_participle_takes_the_subject_of_the_nearest_clause(text, speaker):
    assert speakers(text)[-1] == speaker   # the participle's words come last


def test_a_speech_verb_after_the_clause_keeps_its_speaker():
    text = ("Ryan and Trump will meet sometime next week, Sean Spicer said, adding that the two "
            "men need to sit down and talk.")
    assert set(speakers(text)) == {"Sean Spicer"}


def test_a_relative_clause_aside_with_a_nested_body_names_the_person_before_it():
    text = ("Ms. Orlen, who helped found HARBOR, an environmental justice group based in Dayton, "
            "said she did not condone violence at the protest.")
    assert speakers(text) == ["Orlen"]


@pytest.mark.parametrize("text, speaker", [
    ("Continuing to explain his perspective, Ben Carlow rejected the notion outright, saying that "
     "he would fix anything rotten.", "Ben Carlow"),
    ("Perhaps not coincidentally, Mr. Hale has lately started asking his supporters to raise their "
     "right hands at rallies.", "Hale"),
])
def test_an_opening_phrase_before_an_infinitive_or_participle_is_no_speaker(text, speaker):
    assert speakers(text)[-1] == speaker


def test_there_is_never_a_speaker():
    text = ("There’s still time for Hale to build bridges with Republican senators, even after "
            "repeatedly dismissing them as part of the “capital cartel” and calling Senate "
            "Majority Leader Tom Ruiz a liar.")
    assert speakers(text) == ["Hale"]


@pytest.mark.parametrize("text, speaker", [
    ("Inside the hotel conference center, Tom Hale on Tuesday dismissed Governor Ana Ruiz as an "
     "ineffective leader, arguing that the state had lost jobs.", "Tom Hale"),
    ("In a September debate, while most of his rivals called for a bigger effort against the "
     "Harbour Front, Tom Hale kept to the mayor's approach, noting that the group had few members "
     "left.", "Tom Hale"),
])
def test_a_subordinate_clause_or_a_place_before_the_subject_is_read_past(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize("text, speaker", [
    ("Republicans who agree that the prison should close were irritated about the lack of detail, "
     "with Sen. Ada Pike calling it “a menu of half measures and a waste of time.”", "Ada Pike"),
    ("Likewise, Tom Hale went after the governor for the same refusal and called for her to resign "
     "before the end of the session.", "Tom Hale"),
])
def test_with_a_titled_name_or_after_likewise_the_person_speaks(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize("tail, speaker", [
    ("Hale beamed.", "Tom Hale"),
    ("Hale pointed out.", "Tom Hale"),
    ("grumbled Tom Hale, the harbour master.", "Tom Hale"),
    ("Hale fumed, red in the face.", "Tom Hale"),
])
def test_a_name_and_a_verb_no_list_holds_right_after_a_quote_speak_it(tail, speaker):
    """'“...,” Hale beamed.': a quote closed on a comma, then only a name and one lowercase verb
    (a particle after it) to the end of the clause: the verb is a speech verb by its place."""
    text = ("Tom Hale chairs the harbour board. “Nobody will build a new pier there before the "
            f"autumn,” {tail}")
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text", [
    "“We will rebuild the old pier before the summer season,” Monday arrived with rain.",
    "Rita read “The Harbour and the Sea,” Hale’s novel, twice in one week.",
    "“We will rebuild the old pier before the summer season,” and Hale nodded in the corner.",
])
def test_no_name_or_more_than_a_verb_after_a_quote_names_nobody(text):
    assert [s for s in speakers(text) if s] == []


def test_a_verb_before_a_colon_gives_the_quote_in_the_next_paragraph_to_its_subject():
    text = ("The Island Times made the same claims against the board in February, and Harbour News "
            "responded:\n\n“If there are people in this town who believe the pier is unsafe, the "
            "answer is to repair it, not to close it.”")
    found = [(q.kind, q.speaker) for q in extract_quotes(text)]
    # the clause before "and ... responded:" is nobody's statement; the quotation is the reply
    assert found == [("direct", "Harbour News")]


@pytest.mark.parametrize("text, speaker", [
    # a bare "a spokeswoman" names nobody: the body she speaks for does, after the cue as before it
    ("“The pier was inspected in March and passed,” said a spokeswoman for the Port Authority.",
     "Port Authority"),
    ("“The pier was inspected in March and passed,” a spokeswoman for the Port Authority said.",
     "Port Authority"),
    ("“No sailings will be cancelled this winter,” said a spokesman for the company.", "company"),
    ("“No sailings will be cancelled this winter,” said a spokesperson at the Department of Transport.",
     "Department of Transport"),
    # somebody described, or speaking for no body: as before
    ("“No sailings will be cancelled this winter,” said a senior official at the ministry.",
     "senior official"),
    ("“No sailings will be cancelled this winter,” said a member of the public.", None),
])
def test_a_person_speaking_for_a_body_after_the_cue_gives_the_body(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text, speaker", [
    # a party-and-state tag between the name and its aside, the state in one piece or in several
    ("Sen. Rosa Vega, D-N.M., said the levee money shortchanged rural counties.", "Rosa Vega"),
    ("But Sen. Rosa Vega, D-N.M., who voted against the bill, said the levee money was wasted.",
     "Rosa Vega"),
    ("But Sen. Carl Pratt, R-Ky., who voted against the bill, said the levee money was wasted.",
     "Carl Pratt"),
    ("But Rep. Tom Hale (D-Ore.), who voted against the bill, said the levee money was wasted.",
     "Tom Hale"),
    ("“The levee money was wasted,” Sen. Ann Lowe, D-N.Y., said.", "Ann Lowe"),
])
def test_a_party_and_state_tag_is_read_past(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text, speaker", [
    # a group where it is speaks, as written, not the place after "in"
    ("Officials in Dorset said they expected the first ferry payments by spring.", "Officials in Dorset"),
    ("Police in Leeds said the driver had fled before the ambulance came.", "Police in Leeds"),
    ("Many residents in Hull said they expected the first ferry payments by spring.",
     "Many residents in Hull"),
])
def test_a_group_in_a_place_speaks_as_written(text, speaker):
    assert speakers(text) == [speaker]


def test_a_time_after_in_is_no_place_of_a_group():
    found = speakers("Federal prosecutors in April said the ferry firm had hidden its losses.")
    assert not any(s and "April" in s for s in found)


@pytest.mark.parametrize("text, speaker", [
    # an office of a place speaks as written, not the place; an office of a body is the body's
    ("The governor of Dorset said the ferry would run again by spring.", "governor of Dorset"),
    ("The senator from Vermont said the ferry would run again by spring.", "senator from Vermont"),
    ("The president of the Harbour Union said the strike would go on.", "Harbour Union"),
])
def test_an_office_of_a_place_is_not_the_place(text, speaker):
    assert speakers(text) == [speaker]


@pytest.mark.parametrize("text, speaker", [
    # the office of a place is the person the text introduced with that office, however written
    ("Dorset Gov. Ana Ruiz toured the harbour on Monday. The governor of Dorset said the ferry "
     "would run again by spring.", "Ana Ruiz"),
    ("Ana Ruiz, the governor of Dorset, toured the harbour on Monday. The governor of Dorset said "
     "the ferry would run again by spring.", "Ana Ruiz"),
    ("The Harbourton mayor, Tom Hale, visited the pier on Monday. “We will rebuild the pier by "
     "summer,” the mayor of Harbourton said.", "Tom Hale"),
    ("Harbourton Mayor Tom Hale visited the pier. The mayor in Harbourton said the pier would "
     "reopen by Friday.", "Tom Hale"),
    ("Sen. Ana Ruiz has opposed the plan for weeks. Tom Hale said it would pass. In June, the "
     "North Dorset senator called on colleagues to drop the plan.", "Ana Ruiz"),
    # an office of several words, a place written as its nationality or its possessive
    ("French President Ana Ruiz arrived on Monday. Tom Hale said the talks would be hard. "
     "The president of France said that the region must act together.", "Ana Ruiz"),
    ("Ruritania's prime minister, Ana Ruiz, arrived on Monday. Tom Hale said the talks would be "
     "hard. The prime minister of Ruritania said that the region must act together.", "Ana Ruiz"),
    ("U.S. President Ana Ruiz landed on Monday. Tom Hale said the summit would be useful. The "
     "president of the United States said that the alliance was strong.", "Ana Ruiz"),
    # another place's governor is not this one: the office as written
    ("Kent Gov. Ana Ruiz said the storm had passed. The governor of Dorset said the ferry would "
     "run again by spring.", "governor of Dorset"),
])
def test_an_office_of_a_place_is_the_person_introduced_with_it(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize("text, speaker", [
    # nobody introduced with the office: the office as written, never the person last named,
    # and the "he" after it is that office holder
    ("The mayor in Harbourton said the pier would reopen by Friday.", "mayor in Harbourton"),
    ("“The pier will reopen by Friday,” the mayor in Harbourton said.", "mayor in Harbourton"),
    ("Tom Hale said the ferry would run again. The mayor in Harbourton said the pier would reopen "
     "by Friday. “We are ready for the storm,” he said.", "mayor in Harbourton"),
    ("In June, the North Dorset senator called on colleagues to drop the plan.", "North Dorset senator"),
    ("The president of the United States said that the alliance was strong.",
     "president of the United States"),
])
def test_an_office_nobody_was_introduced_with_speaks_as_written(text, speaker):
    assert speakers(text)[-1] == speaker


@pytest.mark.parametrize("text, speaker", [
    # a group in a place keeps every word naming it
    ("State officials in Dorset said the dam had held overnight.", "State officials in Dorset"),
    ("“The dam held overnight,” state officials in Dorset said.", "state officials in Dorset"),
    ("Senior harbour officials in Dorset said the dam had held.", "Senior harbour officials in Dorset"),
    ("On Monday officials in Dorset said the dam had held.", "officials in Dorset"),
])
def test_a_group_in_a_place_keeps_its_modifiers(text, speaker):
    assert speakers(text) == [speaker]
