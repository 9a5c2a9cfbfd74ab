"""A lone surname ("Mr. Varga", "Gov. Kessler", "Brenner") among several people of that name."""
from __future__ import annotations

import pytest

from app.pipeline.quotes import extract_quotes


def _speakers(text: str) -> dict[str, str | None]:
    return {q.text.strip("“”,. "): q.speaker for q in extract_quotes(text) if q.kind == "direct"}


def test_mr_is_not_the_daughter_named_more_often():
    text = ("Former governor Harold Brenner spoke at the rally on Friday. His daughter, Clara Brenner, "
            "introduced him and said she was proud of her father.\n"
            "Clara Brenner has run the family foundation since 2015. Clara Brenner thanked the volunteers.\n"
            "“We will win this state,” Mr. Brenner said.")
    assert _speakers(text)["We will win this state"] == "Harold Brenner"


_FAMILY = ("Ellen Varga and her husband, Tomas Varga, attended the hearing. Ellen Varga, a nurse, "
           "has campaigned for years and she spoke first. Ellen Varga said the clinic had failed them.\n"
           "“Nobody called us back,” Mr. Varga said.\n"
           "“We waited six hours,” Mrs. Varga said.")
_NAMESAKES = ("Senator Ruth Kessler and Governor Paul Kessler, who are not related, clashed over the "
              "budget. Paul Kessler signed the bill on Monday, and Paul Kessler defended it on Tuesday.\n"
              "“The budget is balanced,” Governor Kessler said.\n"
              "“It cuts schools,” Senator Kessler said.")


@pytest.mark.parametrize("text, expected", [
    # Mr. and Mrs. of one family are two speakers
    (_FAMILY, {"Nobody called us back": "Tomas Varga", "We waited six hours": "Ellen Varga"}),
    # a title picks the person introduced with it
    (_NAMESAKES, {"The budget is balanced": "Paul Kessler", "It cuts schools": "Ruth Kessler"}),
])
def test_the_title_tells_two_people_of_one_surname_apart(text, expected):
    speakers = _speakers(text)
    assert {quote: speakers.get(quote) for quote in expected} == expected


def test_mr_is_never_the_only_woman_named_in_full():
    text = ("First lady Nadia Orlov toured the school on Monday, and she met the teachers.\n"
            "“Our children deserve better,” Mr. Orlov said at the White House later.")
    assert _speakers(text)["Our children deserve better"] == "Orlov"


def test_a_lone_surname_of_one_person_still_takes_the_full_name():
    text = ("Mayor Dana Whitfield opened the bridge on Monday.\n"
            "“It took six years,” Whitfield said.")
    assert _speakers(text)["It took six years"] == "Dana Whitfield"


# --- What the text tells of a speaker's sex (QuoteCandidate.sex, stored on the speaker) ----------

@pytest.mark.parametrize("text, sex", [
    ("Helga Ostrander toured the pier on Monday.\n“The pier will close for three months,” she said.", "f"),
    ("Helga Ostrander toured the pier on Monday.\n“The pier will close for three months,” he said.", "m"),
    ("“The pier will close for three months,” Mr. Ostrander said.", "m"),
    ("Mrs. Ostrander said the pier would close for three months.", "f"),
    ("“The pier will close for three months,” Helga Ostrander said.", None),
])
def test_a_quote_carries_what_the_text_tells_of_its_speakers_sex(text, sex):
    [q] = extract_quotes(text)
    assert q.sex == sex


def test_the_title_of_a_lone_surname_that_stands_for_a_full_name_tells_that_persons_sex():
    """'Dorit Vantrell ... Mrs. Vantrell said': the "Mrs." written with the surname that resolved to
    her is what the article tells of her, though no "she" follows her full name."""
    text = ("Dorit Vantrell opened the ferry terminal on Monday.\n"
            "“The terminal will carry two million passengers a year,” Mrs. Vantrell said.")
    [q] = extract_quotes(text)
    assert (q.speaker, q.sex) == ("Dorit Vantrell", "f")


def test_a_title_that_resolved_to_somebody_else_tells_nothing_of_a_full_name():
    """Two Vantrells in full, 'Mr. Vantrell' is the husband: it tells nothing of the wife."""
    text = ("Dorit Vantrell and her husband, Anselm Vantrell, opened the ferry terminal on Monday.\n"
            "“It took six years,” Mr. Vantrell said.\n"
            "“The terminal will carry two million passengers a year,” Dorit Vantrell said.")
    sexes = {q.speaker: q.sex for q in extract_quotes(text)}
    assert sexes["Anselm Vantrell"] == "m" and sexes["Dorit Vantrell"] in (None, "f")
