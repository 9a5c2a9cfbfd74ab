"""A wire agency or paper that passes on somebody else's words is the channel, not the speaker
(invented sentences): "Xinhua quoted X as saying", "..., X said, according to TASS", "According to
the AP, X said". With nobody else named, the agency reports in its own name."""
from __future__ import annotations

import pytest

from app.pipeline.quotes import extract_quotes


def records(text: str) -> list[tuple[str, str | None, str]]:
    return [(q.kind, q.speaker, q.text) for q in extract_quotes(text)]


@pytest.mark.parametrize("text", [
    "Xinhua quoted Defence Minister Lin Hao as saying the harbour drills were routine.",
    "The state news agency quoted Defence Minister Lin Hao as saying the harbour drills were routine.",
    "Defence Minister Lin Hao was quoted as saying the harbour drills were routine.",
])
def test_the_person_quoted_speaks_not_the_agency_quoting(text):
    assert records(text) == [("reported", "Lin Hao", "the harbour drills were routine")]


def test_words_before_quoted_by_an_agency_as_saying_are_the_persons():
    text = "The harbour drills were routine, Defence Minister Lin Hao was quoted by TASS as saying."
    assert records(text) == [("reported", "Lin Hao", "The harbour drills were routine")]


def test_an_agency_after_an_attributed_quote_makes_no_statement_of_its_own():
    text = "“The harbour drills are routine and planned,” Defence Minister Lin Hao said, according to TASS."
    assert records(text) == [("direct", "Lin Hao", "The harbour drills are routine and planned,")]


def test_according_to_an_agency_the_attribution_inside_is_the_statement():
    text = "According to the Associated Press, Gov. Ana Ruiz said the harbour dam had held overnight."
    assert records(text) == [("reported", "Ana Ruiz", "the harbour dam had held overnight")]


@pytest.mark.parametrize("text, speaker", [
    # nobody else named: the agency is the source that reports
    ("Both navies will hold joint drills off the coast next month, Xinhua reported.", "Xinhua"),
    # a person who reports what another said makes a statement of their own
    ("Ana Ruiz reported that Tom Hale said the harbour dam had held overnight.", "Ana Ruiz"),
])
def test_a_source_with_nobody_inside_reports_in_its_own_name(text, speaker):
    assert [s for _, s, _ in records(text)][0] == speaker
