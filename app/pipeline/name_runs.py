"""Names in a text: capitalised runs, titles stripped, surnames expanded, who "he" is.

Why apart from cue finding: these are the rules about people's names ("Russian President Vladimir
Putin" is "Vladimir Putin", a lone "Putin" is the person of that name its title fits, see
expand_surname), while
speakers.py decides which name a speech cue points to. Functions take the TextIndex of
speakers.py and only read it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from typing import TYPE_CHECKING

from app.pipeline import constants as C

if TYPE_CHECKING:
    from app.pipeline.speakers import TextIndex

#: The possessive ending of a word: "Russia's" -> "Russia", "ministers’" -> "ministers".
POSSESSIVE_RE = re.compile(r"['\u2019]s?$")
#: Countries and their adjectives: never part of a person's name ("China-Russia" is no person).
PLACES = frozenset(C.DEMONYMS) | frozenset(C.DEMONYMS.values())


def name_part(doc: TextIndex, k: int) -> bool:
    """Capitalised, or a particle inside a name ("Ursula von der Leyen")."""
    return doc.cap(k) or doc.words[k] in C.NAME_PARTICLES


def run_back(doc: TextIndex, k: int, floor: int) -> int:
    """First token of the capitalised run ending at token k ("Xi Jinping", "Jean-Pierre")."""
    a = k
    while a - 1 >= floor:
        if name_part(doc, a - 1) and not doc.possessive(a - 1) and doc.sep(a - 1) in (" ", "-"):
            a -= 1
        elif _ampersand(doc, a - 1) or _abbreviated_title(doc, a - 1) or _initial(doc, a - 1):
            a -= 1   # "Grant & Moss", "AT&T", "Dr. Helen Okoye", "J.D. Harlan"
        elif doc.cap(a) and _org_link(doc, a - 2) and a - 2 >= floor:
            a -= 2   # "Institute for | Fiscal Studies"
        elif doc.cap(a) and (t := _title_back(doc, a, floor)) is not None:
            a = t    # "Secretary of | State", "Chancellor of the | Exchequer"
        else:
            break
    while a < k and not doc.cap(a):
        a += 1
    return a


def _ampersand(doc: TextIndex, k: int) -> bool:
    """Tokens k and k + 1 are capitalised words joined by "&" in one name: "Grant & Moss"."""
    return (k >= 0 and k + 1 < len(doc.words) and doc.sep(k).strip() == "&" and len(doc.sep(k)) <= 3
            and doc.cap(k) and doc.cap(k + 1) and not doc.possessive(k))


def _abbreviated_title(doc: TextIndex, k: int) -> bool:
    """Token k is a title cut short with a full stop before a name: "Dr. Helen Okoye", "Sen. Ruiz"."""
    return (k >= 0 and k + 1 < len(doc.words) and doc.sep(k) == ". " and doc.lower[k] in C.TITLES
            and doc.lower[k] in C.ABBREVIATIONS and doc.cap(k) and doc.cap(k + 1))


def _initial(doc: TextIndex, k: int) -> bool:
    """Token k is an initial inside a name: "J.D. Harlan", "Mary J. Blige"."""
    return (k >= 0 and k + 1 < len(doc.words) and len(doc.words[k]) == 1 and doc.cap(k)
            and doc.sep(k) in (".", ". ") and doc.cap(k + 1))


def _org_link(doc: TextIndex, k: int) -> bool:
    """Token k is a capitalised organisation word followed by "of" / "for" / "on" inside one
    name: "Ministry of Defence", "Institute for Fiscal Studies"."""
    return (k >= 0 and k + 2 < len(doc.words) and doc.cap(k) and doc.lower[k] in C.ORG_WORDS
            and doc.lower[k + 1] in C.ORG_CONNECTORS and doc.cap(k + 2)
            and doc.sep(k) == " " and doc.sep(k + 1) == " " and not doc.possessive(k))


# --- Titles with "of": "Secretary of State Ana Ruiz", "Chancellor of the Exchequer Tom Hale" -----

#: Title words that head "<title> of <what>" before a name; not the words that are themselves
#: the "what" of another title ("State", "Defense") nor halves of one ("Prime", "Vice").
#: Titles that are also surnames: "Peter King of New York" is Mr. King from New York.
_SURNAME_TITLES = frozenset({"king", "queen", "prince", "princess", "lord", "lady", "dame", "judge",
                             "justice", "pope", "bishop", "father", "coach", "sheikh", "emir",
                             "sultan", "cardinal", "major", "rev"})
_TITLE_OF_HEADS = (C.TITLES - _SURNAME_TITLES - frozenset({
    "state", "foreign", "defense", "defence", "vice", "prime", "del", "mr", "mrs", "ms", "miss",
    "dr", "sir"}))
#: Words joining two words of one title object: "Health and Human Services", "State for Wales".
_OBJECT_JOINS = frozenset({"and", "for", "of"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _title_of(doc: TextIndex, k: int, limit: int) -> int | None:
    """Token k is a capitalised title followed by "of" (and "the") and a capitalised word: that
    word's index, the first of what the title is of ("Secretary of | State", "Speaker of the |
    House", "Chief of | Staff"). A lowercase title is an aside ("Hale, commander of the ...")."""
    if not (k + 2 < limit and doc.lower[k + 1] == "of" and doc.lower[k] in _TITLE_OF_HEADS
            and doc.cap(k) and doc.sep(k) == " " and doc.sep(k + 1) == " "
            and not doc.possessive(k)):
        return None
    j = k + 2
    if doc.lower[j] == "the" and doc.sep(j) == " " and j + 1 < limit:
        j += 1
    return j if doc.cap(j) else None


def _title_back(doc: TextIndex, a: int, floor: int) -> int | None:
    """The title token whose object runs to token a, read backwards: "Secretary of | State",
    "Secretary of Health and | Human Services" (joins only after an object word)."""
    t = a
    while t - 2 >= floor and a - t <= 8:
        j = t - 2 if doc.lower[t - 1] == "the" else t - 1
        if j - 1 >= floor and doc.lower[j] == "of" and _title_of(doc, j - 1, len(doc.words)) == t:
            return j - 1
        if (doc.lower[t - 1] in _OBJECT_JOINS and _object_word(doc, t - 2)
                and doc.sep(t - 2) == " " and doc.sep(t - 1) == " "):
            t -= 2
        elif _object_word(doc, t - 1) and doc.sep(t - 1) == " " and not doc.possessive(t - 1):
            t -= 1
        else:
            return None
    return None


def _object_word(doc: TextIndex, k: int) -> bool:
    """A capitalised word that names what a title is of: "State", "Exchequer", "Bank", "France"."""
    w = doc.lower[k]
    return doc.cap(k) and (w in C.TITLE_OBJECT_WORDS or w in C.ORG_WORDS or w in PLACES
                           or w in C.TITLES or w in C.DESCRIPTOR_ADJECTIVES)


def _name_after_object(doc: TextIndex, j: int, b: int) -> int:
    """First token of the person's name after a title's object starting at token j and ending
    before b: past the object's known words ("Homeland Security", "the Bank of England"); what
    is left may still hold an unknown word of it ("Mayor of London Sadiq Khan"), so the name is
    its last two words (with initials, particles and a suffix). b + 1 when no name is left."""
    start = j
    while j <= b:
        if _object_word(doc, j):
            j += 1
        elif doc.lower[j] in _OBJECT_JOINS and j > start and _object_word(doc, j - 1) and j + 1 <= b:
            j += 2   # "Bank of England", "State for Wales": the joined word is the object's
        else:
            break
    if any(doc.lower[t] in C.ORG_WORDS for t in range(j, b + 1)):
        return b + 1   # "CEO of Washington Restaurant Association": a body, no name after it
    full, k, two = 0, b, j
    while k >= j:
        w = doc.lower[k]
        if not (len(w) == 1 or w in C.NAME_PARTICLES or w in _NAME_SUFFIXES
                or doc.sep(k) == "-" and k < b):   # "Heaton-Harris" is one word
            full += 1
            if full == 2:
                two = k
            if full == 4:
                return two
        k -= 1
    if j > start and full == 3:
        return j   # the object ended on known words: "President of Mexico Enrique Peña Nieto"
    return two


def run_forward(doc: TextIndex, a: int, limit: int) -> int:
    b = a
    in_object = False   # inside the object of a title ("Secretary of Health and Human Services")
    while b + 1 < limit:
        if not doc.possessive(b) and name_part(doc, b + 1) and doc.sep(b) in (" ", "-"):
            b += 1
        elif _ampersand(doc, b) or _abbreviated_title(doc, b) or _initial(doc, b):
            b += 1
        elif b + 2 < limit and _org_link(doc, b):
            b += 2
        elif (j := _title_of(doc, b, limit)) is not None:
            b, in_object = j, True
        elif (in_object and b + 2 < limit and doc.lower[b + 1] in _OBJECT_JOINS and _object_word(doc, b)
              and doc.cap(b + 2) and doc.sep(b) == " " and doc.sep(b + 1) == " "):
            b += 2
        else:
            break
    while b > a and not doc.cap(b):
        b -= 1
    return b


# A wire dateline opening the first sentence: "WASHINGTON (Reuters) - ", "BEIJING, March 3
# (Xinhua) -- ", "BERLIN, 3 March (Reuters) - ", "SPRINGFIELD, Ill. (AP) — ", "KYIV, Ukraine
# (AP) — ", "LONDON — ". The city in capitals, an optional state or country, date and agency,
# then a dash; or a city in Title Case with its agency in parentheses ("New York (AFP) – ",
# "Kyiv, Ukraine (Reuters) - ").
DATELINE = re.compile(r"(?:[A-Z][A-Z.'\- ]*[A-Z.](?:,\s*(?:[A-Z][A-Za-z]{0,5}\.(?:[A-Z]\.)*|[A-Z][a-z]+))?"
                       r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}))?\s*"
                       r"(?:\([^()\n]{1,40}\)\s*)?"
                       r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}(?:,\s*[A-Z][A-Za-z.]+(?: [A-Z][a-z]+)?)?\s*"
                       r"\([A-Z][A-Za-z]{1,12}\)\s*)(?:--?|\u2013|\u2014|\u2015)\s+")


# A byline: the paragraph (line) naming the article's writers, who never speak in it. "By Jane
# Doe, Reuters", "By JANE DOE and Tom Hale | Staff writers", "Jane Doe | Staff writer", "Jane
# Doe • Updated 3:45 PM". "By" and two to four capitalised words, or such a name then a bar or a
# bullet; what follows holds only more names, an outlet, a role or a time.
_BYLINE_NAME = r"[A-Z][\w.'\u2019-]*(?:[ \t]+(?:[A-Z][\w.'\u2019-]*|de|van|von|der|da|del|la|le|bin)){1,4}"
BYLINE = re.compile(rf"[ \t]*(?:[\u2014\u2013-][ \t]*)?(?:(?:By|BY|by)[ \t]+{_BYLINE_NAME}(?=[ \t]*(?:$|[,|\u2022\u00b7/;]|[ \t]+and[ \t]|[ \t]+in[ \t]))"
                    rf"|{_BYLINE_NAME}(?=[ \t]*[|\u2022\u00b7]))(?P<rest>[^\n]{{0,120}})$")
_BYLINE_WORDS = frozenset({
    "and", "in", "for", "the", "of", "at", "on", "staff", "writer", "writers", "reporter",
    "reporters", "correspondent", "correspondents", "editor", "editors", "contributor",
    "contributing", "senior", "chief", "political", "special", "to", "updated", "published",
    "posted", "am", "pm", "a.m", "p.m", "et", "est", "edt", "gmt", "utc", "bst", "cet", "min", "read",
    "ago", "hours", "hour", "minutes", "news", "with", "from", "photos", "photo", "by", "columnist",
    "analyst", "associated", "press", "international", "business", "national", "washington",
    "desk", "bureau", "global", "affairs", "data", "investigative", "health", "science", "opinion",
})
_LOWER_WORD = re.compile(r"(?<![\w.'\u2019])[a-z][a-z.]*")


def byline_spans(text: str, para_starts: list[int]) -> list[tuple[int, int]]:
    """(start, end) of every paragraph that is a byline (see BYLINE): a line of at most 200
    characters whose words after the names are only BYLINE_WORDS, capitalised words and times."""
    out = []
    ends = para_starts[1:] + [len(text)]
    for a, b in zip(para_starts, ends):
        if b - a > 220:
            continue
        line = text[a:b].rstrip()
        if not line or len(line) > 200 or not (
                "By" in line[:4] or "BY" in line[:4] or "by" in line[:4]
                or "|" in line or "\u2022" in line or "\u00b7" in line):
            continue
        m = BYLINE.match(line)
        if m and all(w.rstrip(".") in _BYLINE_WORDS for w in _LOWER_WORD.findall(m.group("rest"))):
            out.append((a, a + len(line)))
    return out


# A party-and-state tag between a name and the comma that closes it: "Rep. Tom Hale (D-Ore.),".
_TAG_COMMA = re.compile(r"\s*\([^()\n]{1,30}\)\s*,")


def past_of_place(doc: TextIndex, b: int, limit: int) -> int:
    """Past "of <Capitalised run>" after a name ending at token b: "Rep. Tom Cole of Ohio, an ally
    ..." reads its aside after "Ohio"; b itself when no "of" follows."""
    if not (b + 2 < limit and doc.lower[b + 1] == "of" and doc.sep(b) == " " and doc.sep(b + 1) == " "):
        return b
    c = b + 3 if doc.lower[b + 2] == "the" and doc.sep(b + 2) == " " else b + 2
    return run_forward(doc, c, limit) if c < limit and doc.cap(c) else b


def comma_after(doc: TextIndex, k: int) -> bool:
    """A comma follows token k, maybe after the full stop of an abbreviation: "Hale Jr., the
    mayor", "retired in Salem, Ore., said"."""
    gap = doc.sep(k).strip()
    return gap == "," or (gap == ".," and (doc.lower[k] in C.ABBREVIATIONS or len(doc.words[k]) == 1
                                           or doc.words[k] in C.STATE_ABBREVIATIONS))


def party_tag_end(doc: TextIndex, i: int) -> int | None:
    """'R-Ky.', 'D-N.M.', 'I-Vt.', 'R-Texas': the last token of a party-and-state tag that token i
    opens (R, D or I, a hyphen, the state as written, then a comma), else None."""
    if i + 1 >= len(doc.words) or doc.words[i] not in ("R", "D", "I") or doc.sep(i) != "-":
        return None
    for j in range(i + 1, min(len(doc.words), i + 4)):
        if doc.sep(j).strip() in (",", ".,"):
            return j
        if doc.sep(j) != "." or len(doc.words[j]) > 2:
            return None   # "N.M.": one- or two-letter pieces joined by full stops
    return None


def aside_start(doc: TextIndex, b: int) -> int | None:
    """First token of the aside after the name ending at token b: "Hale, the mayor, said",
    "Hale (D-Ore.), a member, said", "Hale, R-Ore., a member, said", "Hale Jr., the mayor,
    said"; None when no comma follows."""
    if comma_after(doc, b):
        if (end := party_tag_end(doc, b + 1)) is not None and end + 1 < len(doc.words):
            return end + 1
        return b + 1
    m = _TAG_COMMA.match(doc.text, doc.ends[b])
    return bisect_left(doc.starts, m.end()) if m else None


def clean_name(doc: TextIndex, a: int, b: int) -> tuple[str | None, int, bool]:
    """Strip leading stopwords and titles; return (name, token count, had a title)."""
    while a <= b and doc.lower[a] in C.NAME_STOPWORDS and not _numbered(doc, a, b):
        a += 1
    titled = False
    for k in range(a, b - 1 if "of" in doc.lower[a + 1:b] else a):
        if (j := _title_of(doc, k, b + 1)) is not None:
            # "Secretary of State Ana Ruiz", "Governor of the Bank of England Tom Hale": the
            # person after the title's object; the title alone ("the Speaker of the House")
            # names nobody but the person in view
            a, titled = _name_after_object(doc, j, b), True
            break
    # A run ending in a title is a description, not a title before a name: "Germany's prime
    # minister" stays whole (stripped, it would be "minister").
    last = b
    while last > a and doc.lower[last] in _NAME_SUFFIXES:
        last -= 1   # "Martin Luther King III": the suffix does not make "King" a title
    for k in range(last - 1 if doc.lower[last] not in C.TITLES else a - 1, a - 1, -1):
        if doc.lower[k] in C.TITLES and k - 1 > a and _org_link(doc, k - 2):
            continue  # "Ministry of Foreign Affairs": the title word is inside the body's name
        if doc.lower[k] in C.TITLES:
            if not any(doc.lower[t] in C.ORG_WORDS for t in range(k + 1, b + 1)):
                a, titled = k + 1, True  # "Defense Ministry" keeps its title word: it is the name
            break
    if a > b:
        return None, 0, titled
    name = doc.text[doc.starts[a]:doc.ends[b]]
    if doc.possessive(b):
        name = POSSESSIVE_RE.sub("", name)
    return name, b - a + 1, titled


def _numbered(doc: TextIndex, a: int, b: int) -> bool:
    """Token a is "No" before a number: "a No 10 spokesman" (Downing Street's), not a "no"."""
    return doc.lower[a] == "no" and a < b and doc.lower[a + 1].isdigit() and doc.cap(a)


def office_name(doc: TextIndex, a: int, b: int) -> str | None:
    """Tokens a..b are a title and what it is of, with no name after it: "the Secretary of State",
    "Speaker of the House". The office as written (without "the"), else None."""
    while a <= b and doc.lower[a] in C.NAME_STOPWORDS:
        a += 1
    if a <= b and _title_of(doc, a, b + 1) is not None and _name_after_object(doc, _title_of(doc, a, b + 1), b) > b:
        return doc.text[doc.starts[a]:doc.ends[b]]
    return None


WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})


def person_like(name: str, count: int, titled: bool = False) -> bool:
    """Two or more plain capitalised words with no organisation word, country or kind of place
    ("Marrow County"): a person's name; one word is enough after a title ("Mr. Hale", "Sen. Ruiz",
    "President Obama")."""
    words = name.replace("-", " ").split()
    if any(w.lower() in WEEKDAYS for w in words):
        return False  # "Asked Tuesday": a sentence opener and a day, nobody's name
    return ((count >= 2 or titled and count == 1) and "&" not in name and not any(w.lower() in C.ORG_WORDS or w.lower() in PLACES or w.lower() in C.PLACE_KINDS for w in words)
            and not any(len(w) > 1 and w.isupper() and not w.endswith(".") for w in words))


def full_name_index(doc: TextIndex) -> tuple[dict[str, list[tuple[int, str]]], list]:
    """Map first and last name words to the full names seen, so "Tan" can become "Tan Kefei";
    also return every cleaned capitalised run as (offset, name, word count, had a title, the
    title's words lowercased: "Sen. Ruth Kessler" -> ("sen",))."""
    index: dict[str, list[tuple[int, str]]] = {}
    runs: list[tuple[int, str, int, bool, tuple[str, ...]]] = []
    k, n = 0, len(doc.words)
    while k < n:
        if not doc.cap(k):
            k += 1
            continue
        b = run_forward(doc, k, n)
        name, count, titled = clean_name(doc, k, b)
        if name:
            runs.append((doc.starts[k], name, count, titled, title_words(doc, k, b - count)))
        if (name and 2 <= count <= 4 and " " in name and person_like(name, count)
                and not _opening_word(doc, b - count + 1)):
            # (one hyphenated word, "Hypo-Cruz", "Johnson-Weld", is no full name of "Cruz")
            parts = name.replace("-", " ").split()
            for key in {parts[0], parts[-1]}:
                index.setdefault(key, []).append((doc.starts[k], name))
        k = b + 1
    return index, runs


def _opening_word(doc: TextIndex, k: int) -> bool:
    """Token k opens its sentence and is a common word capitalised only for that (a stopword, or
    a word the text also writes in lowercase): "How Putin won", "Did Trump" name nobody."""
    start = doc.sentence_start(doc.starts[k])
    return (not any(c.isalnum() for c in doc.text[start:doc.starts[k]])
            and _common_word(doc, doc.words[k]))


def title_words(doc: TextIndex, a: int, b: int) -> tuple[str, ...]:
    """The title and honorific words among tokens a..b, lowercased ("Texas Gov." -> ("gov",))."""
    return tuple(doc.lower[t] for t in range(max(a, 0), b + 1)
                 if doc.lower[t] in C.TITLES or doc.lower[t] in C.IDENTITY_HONORIFICS
                 or doc.lower[t] in C.ROLE_NOUNS)


def person_mentions(doc: TextIndex, runs: list) -> tuple[list[int], list[str]]:
    """Where people are named outside quotes, surnames expanded: candidates for "he" and "she"."""
    positions, names = [], []
    for pos, name, count, titled, title in runs:
        if doc.inside(pos) or doc.in_byline(pos):
            continue  # a byline's writer is never "he" nor "the mayor"
        if count == 1:
            name = expand_surname(doc, name, pos, title)
            count = len(name.split())
        if person_like(name, count, titled):
            positions.append(pos)
            names.append(name)
    return positions, names


def antecedent(doc: TextIndex, pos: int, last_speaker: str | None, speaker_pos: int) -> str | None:
    """Who "he", "she" or "the spokesman" is at pos: the person in focus.

    - a person named earlier in the pronoun's own sentence is its subject ("Wilson said he had
      fought in Vietnam");
    - else the subject of the last attribution while it stands in the pronoun's paragraph: people
      named in between are mentioned, not in focus ("Ana Ruiz said ... The pilot, Tom Hale, was
      among the dead. “...,” she said" is Ruiz);
    - else the first person (roughly the subject) of the latest sentence naming someone after
      that attribution: a new paragraph about somebody else moves the focus;
    - else the last person quoted."""
    i = bisect_left(doc.mention_pos, pos) - 1
    own = doc.sentence_start(pos)
    if i >= 0 and doc.mention_pos[i] >= own and speaker_pos < own:
        return doc.mention_names[bisect_left(doc.mention_pos, own)]
    if speaker_pos >= 0 and _same_paragraph(doc, speaker_pos, pos):
        return last_speaker  # None when the last to speak was somebody unnamed
    if i < 0:
        return last_speaker
    sent = doc.sentence_start(doc.mention_pos[i])
    if speaker_pos >= sent:
        return last_speaker
    return doc.mention_names[bisect_left(doc.mention_pos, sent)]


def _same_paragraph(doc: TextIndex, a: int, b: int) -> bool:
    return bisect_right(doc.para_starts, a) == bisect_right(doc.para_starts, b)



# --- A lone surname: which of the people with that name it is --------------------------------------

#: Nouns that introduce somebody's family member: "his wife, Heidi Cruz", "daughter Ivanka Trump".
_KIN = frozenset({"wife", "daughter", "mother", "sister", "widow", "grandmother", "granddaughter",
                  "niece", "aunt", "husband", "son", "father", "brother", "widower", "grandfather",
                  "grandson", "nephew", "uncle"})
ROLE_ABBREVIATIONS = C.TITLE_ABBREVIATIONS
_FEMALE, _MALE = C.FEMALE_WORDS, C.MALE_WORDS
#: Words of a title that say nothing of which office: "former President", "the Rev."
_NO_OFFICE = frozenset({"former", "ex", "then", "late", "the", "of", "mr", "mrs", "ms", "miss", "dr",
                        "madam", "madame", "mme", "mx", "sir", "dame", "hon", "honorable", "honourable",
                        "rt", "right"})


def _office(title: tuple[str, ...]) -> tuple[str, ...]:
    """The office a title names, one spelling: ("sen",) and ("senator",) -> ("senator",); ("vice",
    "president") stays apart from ("president",)."""
    return tuple(ROLE_ABBREVIATIONS.get(w, w) for w in title if w not in _NO_OFFICE)


def _gender(words) -> str | None:
    female = sum(w in _FEMALE for w in words)
    male = sum(w in _MALE for w in words)
    return "f" if female > male else "m" if male > female else None


class _Person:
    __slots__ = ("forms", "positions", "offices", "said", "kin")

    def __init__(self) -> None:
        self.forms, self.positions, self.offices, self.said, self.kin = Counter(), [], set(), [], False

    @property
    def name(self) -> str:
        """The form written most often ("Loretta E. Lynch" over a single "Loretta Lynch")."""
        return self.forms.most_common(1)[0][0]


def _people(doc: TextIndex, word: str) -> list[_Person]:
    """The people written in full whose first or last word is `word`, once each ("Donald Trump"
    and "Donald J. Trump" are one), with where they are named, the offices their titles give them
    and the words that tell their sex (read once a word)."""
    if word in doc.best_names:
        return doc.best_names[word]
    people: dict[tuple[str, str], _Person] = {}
    for pos, name in doc.full_names.get(word, ()):
        words = name.split()
        person = people.setdefault((words[0], words[-1]), _Person())
        person.forms[name] += 1
        person.positions.append(pos)
        k = bisect_left(doc.starts, pos)
        first = k + len(doc.text[pos:doc.text.index(name, pos)].split())   # the name's first token
        title = title_words(doc, k, first - 1)
        if k > 0 and doc.sep(k - 1) == " " and doc.lower[k - 1] in C.ROLE_NOUNS:
            title = (doc.lower[k - 1],) + title   # "former governor Harold Brenner"
        if office := _office(title):
            person.offices.add(office)
        person.said.extend(title)
        said = _said_of(doc, k, first + len(words) - 1)
        person.kin = person.kin or any(w in _KIN for w in said)
        person.said.extend(said)
    doc.best_names[word] = list(people.values())
    return doc.best_names[word]


def _said_of(doc: TextIndex, k: int, b: int) -> list[str]:
    """Words telling the sex of the person named in tokens k..b: a noun just before ("his
    daughter, Clara Brenner", "former governor Harold Brenner") and the first "he" or "she" after
    the name in its sentence or the next, unless another name comes first."""
    out = [doc.lower[t] for t in range(max(k - 3, 0), k) if doc.lower[t] not in C.PRONOUNS
           and doc.lower[t] != "his" and (doc.lower[t] in _FEMALE or doc.lower[t] in _MALE)]
    if b + 1 >= len(doc.words):
        return out
    stop = doc.sentence_end(doc.sentence_end(doc.starts[b]))
    for t in range(b + 1, min(len(doc.words), b + 40)):
        if doc.starts[t] >= stop or (doc.cap(t) and doc.lower[t] not in ("he", "she", "his")
                                     and doc.sentence_start(doc.starts[t]) != doc.starts[t]):
            break   # (a capitalised word inside a sentence may be another person)
        if doc.lower[t] in ("he", "she", "his"):
            out.append(doc.lower[t])
            break
    return out


def speaker_sex(doc: TextIndex, name: str) -> str | None:
    """What the text tells of the sex of the speaker it calls `name` ("f", "m", None when it tells
    nothing or both): the "he"/"she" cues resolved to them, and for a full name the words read
    with it ("Mrs." before it, "his daughter", the "she" after it) and the honorifics of the lone
    surname where it stands for them ("Michelle Obama ... Mrs. Obama said"), for a lone surname
    the honorifics written before that word ("Mr. Obama"). Stored with the speaker, so a "Mr.
    Obama" in another article never joins a "Michelle Obama" (app/domain/people.py)."""
    words = name.split()
    if not words or not words[-1][:1].isupper():
        return None
    told = doc.pronouns.get(name, [])
    if doc.honorifics is None:
        doc.honorifics = {}
        for t in range(len(doc.lower) - 1):
            if ((doc.lower[t] in _FEMALE or doc.lower[t] in _MALE) and doc.cap(t) and doc.cap(t + 1)
                    and doc.sep(t) in (" ", ". ") and not doc.inside(doc.starts[t])):
                doc.honorifics.setdefault(doc.words[t + 1], []).append((doc.starts[t + 1], doc.lower[t]))
    written = doc.honorifics.get(words[-1], [])
    if len(words) == 1:
        return _gender([title for _, title in written] + told)
    person = next((p for p in _people(doc, words[-1]) if name in p.forms), None)
    # the titles of the lone surname where it stands for this person ("Dorit Vantrell ... Mrs.
    # Vantrell said"), not where it stands for another of that name ("her husband, Mr. Vantrell")
    titled = [title for pos, title in written if expand_surname(doc, words[-1], pos, (title,)) == name]
    return _gender((person.said if person is not None else []) + titled + told)


def _longer(p: _Person, q: _Person) -> bool:
    """p's name is q's with words before it: "Neither Donald J. Trump", "Real Donald Trump"."""
    return p is not q and p.name.endswith(" " + q.name)


def _common_word(doc: TextIndex, word: str) -> bool:
    """A capitalised word that is no given name: a stopword, or a word the text also writes in
    lowercase ("Did Trump", "Unlike Patriot")."""
    if doc.lowercase_words is None:
        doc.lowercase_words = {w for w in doc.words if w.islower()}
    return word.lower() in C.MATCH_STOPWORDS or word.lower() in doc.lowercase_words


def expand_surname(doc: TextIndex, word: str, pos: int, title: tuple[str, ...] = ()) -> str:
    """The full name a lone surname at pos stands for ("Putin" -> "Vladimir Putin").

    Those the title fits: "Mr." is not a woman nor "Mrs." a man (told by the honorifics, "his
    wife", "she" of each), "Gov." the one introduced as governor; when nobody named in full fits
    ("Mr. Obama" where only "first lady Michelle Obama" is), the surname as written. Of several
    left ("Donald Trump" and "Ivanka Trump"),
    the one named most often in full, not one introduced as somebody's kin ("his wife, Heidi
    Cruz"): a family member named in passing is called by the given name, the person the article
    is about by the surname. When two are named as often, the latest named before pos; the
    surname as written when neither was (it cannot tell)."""
    people = _people(doc, word)
    if word.lower() not in C.PARTY_WORDS:   # ("Republican Donald Trump", "Kent County Republican")
        people = [p for p in people if p.name.split()[-1] == word] or people   # not "Trump Tower"
    people = [p for p in people if not any(_longer(p, q) for q in people)]  # "Neither Donald Trump"
    people = [p for p in people if p.name.split()[0].lower() not in C.MATCH_STOPWORDS] or people  # "Did Trump"
    if not people:
        return word
    sex = _gender(title)
    if sex is not None:
        # "Mr. Obama" is not "Michelle Obama" ("first lady", "she"), even when she alone is
        # named in full: then the surname stays as written
        people = [p for p in people if _gender(p.said) in (sex, None)]
        people = [p for p in people if _gender(p.said) == sex] or people
    if office := _office(title):
        # "Gov. Kessler" is the one introduced as governor, not one introduced with another office
        people = ([p for p in people if office in p.offices]
                  or [p for p in people if not p.offices])
    if len(people) <= 1:
        return people[0].name if people else word
    people = [p for p in people if not p.kin] or people
    most = max(len(p.positions) for p in people)
    people = [p for p in people if len(p.positions) == most]
    if len(people) == 1:
        return people[0].name
    latest = max(((p.positions[bisect_left(p.positions, pos) - 1], p) for p in people
                  if p.positions[0] < pos), default=None, key=lambda x: x[0])
    return latest[1].name if latest else word


# --- One name per speaker across articles --------------------------------------------------------

_LEADING = frozenset({"the", "a", "an"})
_SMALL = frozenset({"of", "for", "and", "the", "on", "in", "at", "to"})


def _title_word(word: str) -> bool:
    """"spokesperson", "Mr.", "secretary-general": a title or role, not part of a name."""
    parts = word.lower().rstrip(".").split("-")
    return all(p in C.TITLES or p in C.ROLE_NOUNS for p in parts)


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() or word in C.NAME_PARTICLES


def _organisation_name(words: list[str]) -> str:
    """"China’s defense ministry" and "the Chinese Defense Ministry" are one body: a country's
    possessive becomes its adjective and plain words are capitalised."""
    out = []
    for i, w in enumerate(words):
        base = POSSESSIVE_RE.sub("", w) if i == 0 else w
        if i == 0 and base != w and base.lower() in C.DEMONYMS:
            w = C.DEMONYMS[base.lower()].capitalize()
        elif w.islower() and w not in _SMALL:
            w = w[:1].upper() + w[1:]
        out.append(w)
    return " ".join(out)


def canonical_speaker(name: str) -> str:
    """The one name a speaker is stored under: titles and roles dropped from a person's name
    ("Chinese Defense Ministry spokesperson Tan Kefei" -> "Tan Kefei"), an organisation kept
    whole but spelled one way ("the Chinese Defense Ministry", "China’s defense ministry" ->
    "Chinese Defense Ministry"). A name with no title is returned as written."""
    words = (name or "").split(",")[0].split()
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    if not words:
        return ""
    # A title word after "Ministry of" is part of the body's name: "Ministry of Foreign Affairs".
    last_title = max((i for i, w in enumerate(words) if _title_word(w) and not (
        i > 1 and words[i - 1].lower() in C.ORG_CONNECTORS and words[i - 2].lower() in C.ORG_WORDS)),
        default=-1)
    rest = words[last_title + 1:]
    org = any(w.lower().strip(".") in C.ORG_WORDS for w in words)
    if rest and len(rest) <= 5 and all(map(_is_name_word, rest)) and not any(
            w.lower() in C.ORG_WORDS for w in rest):
        return " ".join(rest)
    if len(words) > 1:
        words = _one_spelling(words)   # (a bare "spokesman" stays as written)
    return _organisation_name(words) if org else " ".join(words)


#: Words of one role spelled several ways: a body's spokesman, spokeswoman and spokesperson are
#: one speaker ("No 10 spokesman", "a No. 10 spokeswoman"), as resolve_cues reads them as one role.
_ROLE_SPELLINGS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson"}


def _one_spelling(words: list[str]) -> list[str]:
    """A body's name with its role word spelled one way and "No." before a number as "No"
    ("No. 10 spokeswoman" -> "No 10 spokesperson"), the case of each word kept."""
    out = []
    for i, w in enumerate(words):
        role = _ROLE_SPELLINGS.get(w.lower())
        if role is not None:
            w = role.capitalize() if w[:1].isupper() else role
        elif w == "No." and i + 1 < len(words) and words[i + 1][:1].isdigit():
            w = "No"
        out.append(w)
    return out


def is_person_name(name: str) -> bool:
    """Two to five capitalised words, none an organisation word or a country: a person."""
    words = name.split()
    return (2 <= len(words) <= 5 and all(map(_is_name_word, words))
            and person_like(name, len(words)))


def surname_aliases(name: str) -> set[str]:
    """Lone words by which a later article may name this person: the last word, and for a
    two-word name the first too ("Tan Kefei" -> "tan", "kefei"; "Xi Jinping" -> "xi"), because
    whether the family name comes first cannot be told from the letters. Never for a body."""
    if not is_person_name(name):
        return set()
    words = [w for w in name.lower().split() if w not in C.NAME_PARTICLES and not w.endswith(".")]
    return {words[0], words[-1]} if len(words) == 2 else set(words[-1:])  # initials never alone


def speaker_aliases(name: str) -> set[str]:
    """Lowercased forms naming the same speaker: the canonical name, the name as written (with
    its title), and for a person the surname alone (see surname_aliases)."""
    canonical = canonical_speaker(name)
    if not canonical or all(map(_title_word, canonical.split())):
        return set()  # "the spokesman" alone names nobody in particular
    written = " ".join(w for w in name.split(",")[0].split()).lower()
    while written.split(" ", 1)[0] in _LEADING and " " in written:
        written = written.split(" ", 1)[1]
    aliases = {canonical.lower(), written} | surname_aliases(canonical)
    return {a for a in aliases if a}


# --- Groups that speak: "experts said", "28 percent of voters said" --------------------------------

#: Words that may open or sit inside a group's noun phrase though they are stopwords elsewhere.
_GROUP_WORDS = frozenset({
    "the", "a", "an", "some", "many", "most", "other", "several", "few", "both", "all", "more",
    "about", "almost", "nearly", "only", "half", "of", "in",
})
_NUMBER_WORDS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                           "dozen", "hundred", "thousand", "half", "third", "quarter", "majority"})
#: Words after which a clause (and so a group subject) may start.
_CLAUSE_STARTS = frozenset({
    "while", "and", "but", "that", "so", "because", "as", "though", "although", "when", "if",
    "where", "since", "after", "before", "yet", "whereas", "just",
})


def group_phrase(doc: TextIndex, k: int, floor: int) -> tuple[int, int] | None:
    """Tokens [a, k] of a group named in plain words as a verb's subject: "other voters", "Digital
    experts", "one in four", "28 percent of voters", "Several Democratic operatives". The head is
    a plural lowercase noun or a number (never an adverb or a past tense: "-ly", "-ed"; a singular
    "the operator" is a role, read elsewhere), the phrase at most six words, opening a clause."""
    w = doc.lower[k]
    if (doc.cap(k) or w in C.MATCH_STOPWORDS or w in C.SUBJECT_FILLERS or w.endswith(("ly", "ed"))
            or w in C.FINITE_HINTS or len(w) < 3 and not w.isdigit() or w in C.PRONOUNS):
        return None
    if not (w.isdigit() or w in _NUMBER_WORDS or (w.endswith("s") and not w.endswith("ss"))):
        return None  # a group is plural ("voters", "one in four"); "the operator" is a role
    a = k
    while a - 1 >= floor and k - a < 5 and doc.sep(a - 1) == " " and not doc.possessive(a - 1):
        prev = doc.lower[a - 1]
        if prev in _CLAUSE_STARTS or (prev in C.MATCH_STOPWORDS and prev not in _GROUP_WORDS
                                      and prev not in _NUMBER_WORDS and prev != "one"):
            break
        if prev.endswith("ed") or prev in C.FINITE_HINTS:
            return None  # "the plan worried voters said": a verb before, no subject here
        a -= 1
    opens = (a == floor or doc.sep(a - 1).strip() in (",", ";", ":", "\u2014", "(")
             or doc.lower[a - 1] in _CLAUSE_STARTS)
    return (a, k) if opens and doc.lower[a] not in ("of", "in") else None
