"""Offices and places: who "the Texas governor", "the US ambassador" or "the governor of Texas"
is in a text.

Why apart from speakers.py: these are the rules that tie an office to the person introduced
with it ("Texas Gov. Greg Abbott", "Greg Abbott, the governor of Texas,", "the Houston mayor,
John Whitmire,") and read the words of the place it is of ("Texas", "British" as "britain",
"U.S." and "US" as "america"). speakers.resolve_cues decides, across the text, when an office
is that person and when it speaks as written. Functions take the TextIndex of speakers.py and
only read it (the introductions are read once a text and kept on it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.pipeline import constants as C
from app.pipeline.name_runs import (
    POSSESSIVE_RE,
    ROLE_ABBREVIATIONS,
    clean_name,
    expand_surname,
    person_like,
    run_back,
    run_forward,
    title_words,
)
from app.pipeline.subjects import CUE_WORDS, initialism, place_initials

if TYPE_CHECKING:
    from app.pipeline.speakers import TextIndex

#: One role for the words of one role: "the spokeswoman" after "spokesman Li" is not Li, but a
#: "spokesperson" found by either word is.
ROLE_SYNONYMS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson"}


def role_word(word: str) -> str:
    """The role a word names, one spelling: "spokeswoman" and "gov" as "spokesperson", "governor"."""
    return ROLE_SYNONYMS.get(word, ROLE_ABBREVIATIONS.get(word, word))


def office_holder(doc: TextIndex, h: int, place: set[str], pos: int) -> str | None:
    """The person named with the office at token h (of the place whose words are `place`)
    before pos: "Texas Gov. Greg Abbott", "Houston Mayor John Whitmire", "Greg Abbott, the
    governor of Texas," or "..., the Texas governor,". The latest introduced with this place,
    else the latest introduced with the office and no place ("Gov. Greg Abbott"); None when
    nobody was (another place's governor is not this one)."""
    holders = role_holders(doc, role_word(doc.lower[h]), pos)
    return next((name for name, words in holders if words and (words <= place or place <= words)),
                next((name for name, words in holders if not words), None))


def role_holders(doc: TextIndex, role: str, pos: int) -> list[tuple[str, frozenset[str]]]:
    """(name, place words) of the people introduced with `role` before pos, latest first."""
    return [(name, words) for p, r, name, words in reversed(_introductions(doc)) if r == role and p < pos]


def other_office(doc: TextIndex, name: str, role: str, place: set[str], pos: int) -> bool:
    """The person was introduced before pos with another office, or with this one of another
    place ("President Joe Biden", "Ohio Gov. Ana Ruiz"): not "the Texas governor"."""
    return any(who == name and p < pos and (r != role or words and not (words <= place or place <= words))
               for p, r, who, words in _introductions(doc))


def introduced(doc: TextIndex, name: str, pos: int) -> bool:
    """The person was introduced with some role or title before pos ("Sen. Ana Ruiz")."""
    return any(who == name and p < pos for p, _, who, _ in _introductions(doc))


def _introductions(doc: TextIndex) -> list[tuple[int, str, str, frozenset[str]]]:
    """(position, role, person, place words) of every person named with a role or title
    outside quotes ("Texas Gov. Greg Abbott", "Greg Abbott, the governor of Texas,", "the
    Houston mayor, John Whitmire,"), in text order; read once a text."""
    if doc.introductions is None:
        doc.introductions = []
        for t, w in enumerate(doc.lower):
            if ((w in C.ROLE_NOUNS or w in ROLE_ABBREVIATIONS)
                    and not doc.inside(doc.starts[t]) and not doc.in_byline(doc.starts[t])):
                found = _titled_person(doc, t) or _aside_person(doc, t) or _role_then_name(doc, t)
                if found is not None:
                    doc.introductions.append((doc.starts[t], role_word(w), found[0], frozenset(found[1])))
    return doc.introductions


def _titled_person(doc: TextIndex, t: int) -> tuple[str, set[str]] | None:
    """Token t is a title before a person's name ("Texas Gov. Greg Abbott"): the name and the
    words of the place before the title."""
    n = len(doc.words)
    if not doc.cap(t) or t + 1 >= n or doc.sep(t) not in (" ", ". ") or not doc.cap(t + 1):
        return None
    end = run_forward(doc, t + 1, n)
    name, count, _ = clean_name(doc, t + 1, end)
    if name is None:
        return None
    if count == 1:
        name = expand_surname(doc, name, doc.starts[t], title_words(doc, t, end - 1))
        count = len(name.split())
    if not person_like(name, count, True):
        return None
    p = t
    while p - 1 >= 0 and t - p < 5 and doc.cap(p - 1) and (doc.sep(p - 1) in (" ", ". ") or initialism(doc, p - 1)):
        p -= 1   # "Texas Gov.", "British Prime Minister", "U.S. President"
    return name, place_words(doc, p, t - 1)


def _aside_person(doc: TextIndex, t: int) -> tuple[str, set[str]] | None:
    """Token t is a role in an aside after a person's name: "Greg Abbott, the governor of
    Texas," / "..., the Texas governor," / "..., Texas's governor,": the name and the place's words."""
    d = _office_words_back(doc, t)
    if d - 1 >= 0 and doc.lower[d - 1] == "the" and doc.sep(d - 1) == " ":
        d -= 1
    if d == 0 or doc.sep(d - 1).strip() != "," or doc.cap(t):
        return None
    name, count, titled = clean_name(doc, run_back(doc, d - 1, 0), d - 1)
    if name is None or not person_like(name, count, titled):
        return None
    words, e = place_words(doc, d, t - 1), t + 1
    if e + 1 < len(doc.words) and doc.lower[e] in ("of", "from") and doc.sep(t) == " " and doc.sep(e) == " ":
        words |= place_words(doc, e + 1, run_forward(doc, e + 1, len(doc.words)))
    return name, words


def _role_then_name(doc: TextIndex, t: int) -> tuple[str, set[str]] | None:
    """Token t is a role before a person's name set off by a comma: "the Houston mayor, John
    Whitmire,": the name and the place's words between "the" and the role."""
    n = len(doc.words)
    if doc.cap(t) or t + 1 >= n or doc.sep(t).strip() != "," or not doc.cap(t + 1):
        return None
    d = _office_words_back(doc, t)
    if not (doc.possessive(d) or d > 0 and doc.lower[d - 1] == "the"):
        return None
    name, count, titled = clean_name(doc, t + 1, run_forward(doc, t + 1, n))
    if name is None or not person_like(name, count, titled):
        return None
    return name, place_words(doc, d, t - 1)


def place_words(doc: TextIndex, a: int, b: int) -> set[str]:
    """The words of a place among tokens a..b ("Texas", "New York's", "British" as "britain"):
    the capitalised ones but titles and stopwords, and a kind of place in any case ("county")."""
    words = {POSSESSIVE_RE.sub("", doc.lower[t]) for t in range(max(a, 0), b + 1) if doc.cap(t)}
    letters = "".join(doc.lower[t] for t in range(max(a, 0), b + 1)
                      if initialism(doc, t) and len(doc.words[t]) == 1)
    if len(letters) > 1:   # "U.S." is one word, "us", as "US" is
        words = (words - set(letters)) | {letters}
    for full, short in _LONG_NAMES.items():
        if full <= words:
            words = (words - full) | {short}
    words = {_INITIALISMS.get(w, w) for w in words}
    kinds = {POSSESSIVE_RE.sub("", doc.lower[t]) for t in range(max(a, 0), b + 1)} & C.PLACE_KINDS
    # a kind of place in any case is one of its words: "the county executive" is of a county
    return {_COUNTRY_OF.get(w, w) for w in words - C.MATCH_STOPWORDS - C.NAME_STOPWORDS - C.TITLES} | kinds


#: Countries written by their initials, as DEMONYMS names them: "the U.S. president" is American.
_INITIALISMS = {"us": "america", "usa": "america", "uk": "britain"}
_LONG_NAMES = {frozenset({"united", "states"}): "america", frozenset({"united", "kingdom"}): "britain"}


_COUNTRY_OF = {adjective: country for country, adjective in C.DEMONYMS.items()}


def _office_words_back(doc: TextIndex, t: int) -> int:
    """The first of the words naming the office whose role is token t, before it: a place and
    plain words ("the Texas governor", "Britain's prime minister", "the British foreign
    secretary"), at most four, stopping at "the" or a possessive (which the caller reads)."""
    d = t
    while (d - 1 >= 0 and t - d < 4 and doc.sep(d - 1) == " " and doc.lower[d - 1] != "the"
           and not doc.possessive(d - 1)
           and (doc.lower[d - 1] not in C.MATCH_STOPWORDS or place_initials(doc, d - 1))
           and doc.lower[d - 1] not in CUE_WORDS and not doc.inside(doc.starts[d - 1])):
        d -= 1
    if d - 1 >= 0 and doc.possessive(d - 1) and doc.cap(d - 1) and doc.sep(d - 1) == " ":
        d -= 1   # "Britain's prime minister"
    return d
