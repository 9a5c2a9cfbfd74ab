"""Which written names can be one person: honorifics, initials and suffixes folded away, conflicts kept."""
from __future__ import annotations

import pytest

from app.pipeline.person_names import PersonName, parse_person, same_person, strip_honorifics


@pytest.mark.parametrize("written, stripped", [
    ("Rear Adm. Tobias Wrenfield", "Tobias Wrenfield"),
    ("Adm. Wrenfield", "Wrenfield"),
    ("Prime Minister Anneli Korhola", "Anneli Korhola"),
    ("Mr. Major", "Major"),  # a surname that is also a rank is kept
    ("Ministry of Foreign Affairs", "Ministry of Foreign Affairs"),
    ("Tobias Wrenfield", "Tobias Wrenfield"),
    ("Cllr Mara Pennock", "Mara Pennock"),   # British local titles
    ("Det Insp Owen Carle", "Owen Carle"),
])
def test_strip_honorifics(written, stripped):
    assert strip_honorifics(written) == stripped


def test_parse_person_folds_ranks_initials_suffix_and_accents():
    assert parse_person("Chief Justice Henrik P. Solberg Jr.") == PersonName(
        "henrik", "solberg", ("p",), "jr")
    assert parse_person("Oskar H.W. Brandt") == PersonName("oskar", "brandt", ("h", "w"))
    assert parse_person("Greta van der Meulen").key == "greta van der meulen"
    assert parse_person("José Ibarrola").key == parse_person("Jose Ibarrola").key == "jose ibarrola"
    assert parse_person("henrik p. solberg jr.", cased=False) == parse_person("Henrik P. Solberg Jr.")


@pytest.mark.parametrize("name", ["Solberg", "Justice Solberg", "Ministry of Foreign Affairs",
                                  "Northport Harbour Authority", "the strike committee"])
def test_parse_person_refuses_lone_surnames_and_bodies(name):
    assert parse_person(name) is None


@pytest.mark.parametrize("a, b, same", [
    ("Henrik Solberg", "Chief Justice Henrik P. Solberg Jr.", True),
    ("Henrik Solberg", "Hanna Solberg", False),
    ("Oskar H. W. Brandt", "Oskar W. Brandt", False),
    ("Oskar Brandt", "Oskar W. Brandt", True),
    ("Ken Ardmore Jr.", "Ken Ardmore Sr.", False),
    ("Ken Ardmore Junior", "Sen. Ken Ardmore Jr.", True),
])
def test_same_person(a, b, same):
    assert same_person(parse_person(a), parse_person(b)) is same


@pytest.mark.parametrize("name", ["Florida’s Rick Wilson", "Some Germans"])
def test_parse_person_refuses_possessives_and_phrases(name):
    assert parse_person(name) is None
