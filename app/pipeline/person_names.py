"""One person across articles: which written names can be the same speaker.

Why apart from name_runs.py: that module decides who speaks inside one article; this one compares
the names different articles give ("Rear Adm. John Mauger", "John Mauger", "Adm. Mauger") once they
are stored. Honorifics, ranks, middle initials and suffixes are dropped for identity, but a
conflicting first name, middle initial or suffix is another person: "George H. W. Bush" is not
"George W. Bush", "Ken Ward Jr." is not "Ken Ward Sr.".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.pipeline import constants as C

_HONORIFICS = C.TITLES | C.ROLE_NOUNS | C.IDENTITY_HONORIFICS
_POSSESSIVE_RE = re.compile(r"['\u2019]s?$")
_INITIALS_RE = re.compile(r"^(?:[^\W\d_]\.)+$")  # "G.", "H.W."


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name folded for comparison: lowercase, accents and full stops removed."""

    given: str
    surname: str  # with its particles: "von der leyen"
    initials: tuple[str, ...] = ()  # middle names and initials, first letters: "John G. Roberts" -> ("g",)
    suffix: str | None = None  # "jr", "sr", "iii"

    @property
    def key(self) -> str:
        """Given name and surname: the alias under which every written form of this person is found."""
        return f"{self.given} {self.surname}"


def fold(word: str) -> str:
    """'José' and 'Jose', 'Jr.' and 'jr' compare equal: articles differ in accents and full stops."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace(".", "")


def _honorific(word: str) -> bool:
    parts = fold(word).split("-")
    return all(p in _HONORIFICS for p in parts)


def _name_word(word: str) -> bool:
    return word[:1].isupper() or word in C.NAME_PARTICLES


def _organisation(words: list[str]) -> bool:
    return any(fold(_POSSESSIVE_RE.sub("", w)) in C.ORG_WORDS for w in words)


def strip_honorifics(name: str, cased: bool = True) -> str:
    """The name without leading honorifics and ranks ("Rear Adm. John Mauger" -> "John Mauger",
    "Adm. Mauger" -> "Mauger"), as written otherwise. A body, or words that are not all a
    person's name, are returned unchanged: "Ministry of Foreign Affairs" keeps its words."""
    words = name.split()
    if not words or _organisation(words):
        return name
    i = 0
    while i < len(words) - 1 and _honorific(words[i]):
        i += 1
    rest = words[i:]
    if i == 0 or len(rest) > 5 or (cased and not all(map(_name_word, rest))):
        return name
    return " ".join(rest)


def is_name_suffix(word: str) -> bool:
    return fold(word) in C.NAME_SUFFIXES


def without_suffix(name: str) -> str:
    """'Henrik Solberg Jr.' -> 'Henrik Solberg': the form whose last word is the surname, so a
    later lone 'Solberg' finds him (never a lone 'Jr')."""
    words = name.replace(",", " ").split()
    if len(words) > 2 and is_name_suffix(words[-1]):
        return " ".join(words[:-1])
    return name


def parse_person(name: str, cased: bool = True) -> PersonName | None:
    """A person's name with a given name and a surname, or None (a lone surname, a body, a phrase).

    Particles join the surname ("Ursula von der Leyen" -> surname "von der leyen"); words between
    the given name and the surname count only by their first letter. `cased=False` reads a stored
    lowercase alias, where capitals cannot tell a name from a phrase."""
    words = strip_honorifics(" ".join(name.replace(",", " ").split()), cased).split()
    if (_organisation(words) or (cased and not all(map(_name_word, words)))
            or any(_POSSESSIVE_RE.search(w) for w in words) or words and fold(words[0]) in C.NAME_STOPWORDS):
        return None  # "Florida's Rick Wilson", "Some Germans": not a name as a whole
    core = without_suffix(" ".join(words)).split()
    suffix = fold(words[-1]) if len(core) < len(words) else None
    suffix = {"junior": "jr", "senior": "sr"}.get(suffix, suffix)
    words = core
    if not 2 <= len(words) <= 5 or _honorific(words[0]):
        return None
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in C.NAME_PARTICLES:
        cut -= 1
    given, middle, surname = words[0], words[1:cut], words[cut:]
    if cased and given in C.NAME_PARTICLES:
        return None
    return PersonName(given=fold(given), surname=" ".join(fold(w) for w in surname),
                      initials=tuple(i for w in middle for i in _initials(w)), suffix=suffix)


def _initials(word: str) -> list[str]:
    """'H.W.' is two initials, 'Glover' and 'G.' one each."""
    letters = fold(word)
    return list(letters) if _INITIALS_RE.match(word) else letters[:1].split()


def is_place(word: str) -> bool:
    """'Israel' said: a country speaking, never the surname of 'Steve Israel' seen later."""
    w = fold(word)
    return w in C.DEMONYMS or w in C.DEMONYMS.values()


def ends_in_title(name: str) -> bool:
    """'Federal Judge': a surname that is also a rank is a real name ('Matthew Prince') only when
    written after a given name; such names are matched whole, never used to rename a speaker."""
    words = name.split()
    return bool(words) and fold(words[-1]) in _HONORIFICS


def same_person(a: PersonName, b: PersonName) -> bool:
    """Same given name and surname; middle initials and suffix agree wherever both are written."""
    if a.key != b.key:
        return False
    if a.initials and b.initials and a.initials != b.initials:
        return False
    return not (a.suffix and b.suffix and a.suffix != b.suffix)


#: Title words that name no office: "Mr.", "Dr.", "former", "the Hon.".
_COURTESY = C.FEMALE_WORDS | C.MALE_WORDS | frozenset({
    "mx", "dr", "hon", "honorable", "honourable", "rt", "right", "the", "of", "former", "ex", "late"})


def title_part(name: str) -> list[str]:
    """The honorifics and titles before a name, folded: "Sen. Ruth Kessler" -> ["sen"]."""
    words = name.split()
    return [fold(w) for w in words[:len(words) - len(strip_honorifics(name, cased=False).split())]]


def titles_fit(a: str, b: str) -> bool | None:
    """Can two written names be one person, as far as their titles tell? False when the titles
    conflict ("Mr. Obama" and "Mrs. Obama"), True when they agree (the same sex, or an office
    in common: "President Obama", "President Barack Obama"), None when they cannot tell (one
    has no title, or two offices one person may hold in turn)."""
    ta, tb = title_part(a), title_part(b)
    sa, sb = _sex(ta), _sex(tb)
    if sa and sb:
        return sa == sb
    return True if office_words(a) & office_words(b) else None


def office_words(name: str) -> set[str]:
    """The offices a written name's title gives ("Texas Gov. Greg Abbott" -> {"governor"}), not
    courtesy titles ("Mr.", "Dr.")."""
    return {C.TITLE_ABBREVIATIONS.get(w, w) for w in title_part(name) if w not in _COURTESY}


def written_sex(name: str | None) -> str | None:
    """The sex an honorific written with a name tells ("Mrs. Varga" -> "f", "Mr. Obama" -> "m")."""
    return _sex(title_part(name)) if name else None


def _sex(title: list[str]) -> str | None:
    female, male = any(w in C.FEMALE_WORDS for w in title), any(w in C.MALE_WORDS for w in title)
    return "f" if female and not male else "m" if male and not female else None
