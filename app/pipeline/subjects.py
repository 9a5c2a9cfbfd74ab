"""The subject of a speech cue: who the words before or after "said" name.

Why apart from speakers.py: these are the reading rules of one clause ("Tan Kefei, a spokesperson
for the ministry, said", "said Republican party boss Dana Whitfield", "according to exit polls",
"Jim Hale of the Harbour Institute said"); speakers.py finds the cues and decides, across the
text, who a pronoun or a role is. Functions take the TextIndex of speakers.py and only read it;
a mention is ("name", first, last), ("pronoun", word, k, k), ("role", word, first, last),
("group", first, last) or ("office", place first, role, first, last) in token indexes.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from app.pipeline import constants as C
from app.pipeline.name_runs import (
    DATELINE,
    PLACES,
    WEEKDAYS,
    POSSESSIVE_RE,
    aside_start,
    comma_after,
    clean_name,
    group_phrase,
    party_tag_end,
    past_of_place,
    person_like,
    run_back,
    run_forward,
)

if TYPE_CHECKING:
    from app.pipeline.speakers import Cue, TextIndex

DETERMINERS = frozenset({"the", "this", "that"})
#: First words of every cue phrase: a word that may itself be a cue is never part of a subject.
CUE_WORDS = frozenset(p.split()[0] for group in (C.SPEECH_NOUNS, C.CUE_SOURCE_FIRST, C.CUE_PARTICIPLES,
                                                 C.CUE_VERBS, C.CLAIM_CUE_VERBS) for p in group)
_CLAUSE_OPENERS = frozenset({"but", "and", "so", "then", "later", "still", "yet"})
_POSSESSIVE_PRONOUNS = frozenset({"its", "his", "her", "their", "our", "my", "your"})


def _mention_at(doc: TextIndex, k: int, floor: int):
    """What token k names when it is a cue's subject: a name run, a pronoun or "the <role>"."""
    if doc.cap(k) and doc.lower[k] not in C.PRONOUNS:
        a = run_back(doc, k, floor)
        if (a - 1 >= floor and doc.cap(a - 1) and doc.possessive(a - 1) and doc.sep(a - 1) == " "
                and doc.lower[k] in C.ORG_WORDS
                and POSSESSIVE_RE.sub("", doc.lower[a - 1]) in C.DEMONYMS):
            a -= 1  # "Russia's Defense Ministry" is the Russian one
        elif (a - 1 >= floor and doc.cap(a - 1) and doc.possessive(a - 1) and doc.sep(a - 1) == " "
              and doc.lower[k] in C.ORG_WORDS
              and POSSESSIVE_RE.sub("", doc.lower[a - 1]) in C.TITLES | C.ROLE_NOUNS):
            a = run_back(doc, a - 1, floor)   # "the Marrow County Sheriff's Office": one body
        return (_person_of(doc, a, floor) or _group_in_place(doc, a, k, floor)
                or _office_of_place(doc, a, k, floor) or _unclosed_aside(doc, a, floor)
                or _region_of(doc, a, k, floor) or ("name", a, k))
    if doc.lower[k] in C.PRONOUNS:
        return ("pronoun", doc.lower[k], k, k)
    if doc.lower[k] in C.ROLE_NOUNS:
        # "the spokesman", "the Fed chief", "the Chinese defense minister": at most two words
        # between the determiner and the role (three after "a"), none a cue or a stopword.
        caps = k  # capitalised words right before the role: "Ukrainian officials said"
        lead = k  # an office's lowercase words before the role: "county executive", "district attorney"
        for d in range(k - 1, max(floor, k - 6) - 1, -1):
            if d < k - 4 and not (caps == d + 1 and (doc.cap(d) or doc.lower[d] in DETERMINERS)):
                break   # further back only along a place's name: "the New York City mayor"
            if (doc.sep(d).strip() and not (doc.sep(d) == ". " and doc.lower[d] in C.ABBREVIATIONS)
                    and not initialism(doc, d) or doc.possessive(d)):
                break  # "the mayor's spokesman" is not the mayor: _owned_role below
                # (an abbreviation's full stop stays inside: "a No. 10 spokeswoman")
            if doc.lower[d] in DETERMINERS:
                if d < k - 3 and caps != d + 1:
                    break
                if any(doc.lower[t] in C.ROLE_QUALIFIERS for t in range(d + 1, k)):
                    # "the shadow chancellor", "the former president": not the chancellor or
                    # president introduced earlier, but somebody named by these words
                    return ("name", d + 1, k)
                if caps == d + 1 < k and _place_in(doc, d + 1, k) and _placed_office(doc, d + 1, k):
                    return ("office", d + 1, k, d + 1, k)   # "the Texas governor": an office of a place
                return ("role", doc.lower[k], d, k)
            if doc.lower[d] in ("a", "an"):
                # "a commission spokeswoman said": somebody new, named by the words as written
                # (a bare "a spokeswoman" names nobody)
                return ("name", d + 1, k) if d + 1 < k else None
            if ((doc.lower[d] in CUE_WORDS or doc.lower[d] in C.MATCH_STOPWORDS)
                    and not initialism(doc, d) and not place_initials(doc, d)
                    and not (doc.cap(d) and caps == d + 1 < k and doc.lower[d] not in C.NAME_STOPWORDS)):
                break   # (not "the US president": "US" in capitals is a place, not "us"; nor
                # "New" of "the New York mayor")
            if doc.cap(d) and caps == d + 1 and doc.lower[d] not in C.NAME_STOPWORDS:
                caps = d
            elif caps == lead == d + 1 and k - d <= 2 and _office_word(doc.lower[d]):
                caps = lead = d   # "the Dane county executive", "the Harris County district attorney"
        if (caps < lead == k and (caps == 0 or not doc.cap(caps - 1) or doc.sep(caps - 1).strip())
                and not (all(initialism(doc, t) for t in range(caps, k)) and not doc.lower[k].endswith("s"))):
            return ("name", caps, k)  # a group or office named by its country or body
            # ("U.S. officials"; a lone "U.S. senator" is the person in view, as before)
    found = _org_back(doc, k, floor) or _owned_role(doc, k, floor)
    if found is None and (group := group_phrase(doc, k, floor)):
        return ("group", *group)  # "experts said", "28 percent of voters said": as written
    return found


def initialism(doc: TextIndex, k: int) -> bool:
    """Token k is a capital letter of an initialism: "U" and "S" of "the U.S. president"."""
    return len(doc.words[k]) == 1 and doc.cap(k) and doc.sep(k) in (".", ". ")


#: Places written by their initials in capitals, no full stops: "the US president", "the EU envoy"
#: ("us" is a stopword, so it must be told by its case).
PLACE_INITIALS = frozenset({"US", "USA", "UK", "EU", "UN"})


def place_initials(doc: TextIndex, k: int) -> bool:
    """Token k is a place's initials in capitals ("US", "UK") before a word in lowercase or a
    title: not "US" in a headline written in capitals ("TRUMP TELLS US")."""
    return (doc.words[k] in PLACE_INITIALS and k + 1 < len(doc.words) and doc.sep(k) == " "
            and not doc.words[k + 1].isupper())


def _office_word(word: str) -> bool:
    """A lowercase word of an office of a place, before its role word: a kind of place ("county
    executive", "city manager") or another role or title ("district attorney", "attorney general")."""
    return word in C.PLACE_KINDS or word in C.ROLE_NOUNS or word in C.TITLES


def _place_in(doc: TextIndex, a: int, k: int) -> bool:
    """Tokens a..k-1 hold a place: a capitalised word ("the Texas governor") or a kind of place
    ("the county executive"); "the attorney general" alone is a role."""
    return any(doc.cap(t) or doc.lower[t] in C.PLACE_KINDS for t in range(a, k))


def _placed_office(doc: TextIndex, a: int, k: int) -> bool:
    """Tokens a..k are an office after the place it is of: "Texas governor", "South Carolina
    senator" (one person's role, no party or nationality: "the Republican senator", "the French
    president" stay the person in view, and "the Fed chief" any named speaker)."""
    return (doc.lower[k] not in C.GENERIC_ROLES and not doc.lower[k].endswith("s")
            and not any(w in C.DESCRIPTOR_ADJECTIVES for w in doc.lower[a:k]))


def _named(doc: TextIndex, k: int, floor: int):
    """The name run ending at token k, or the person before "of" when the run is what that person
    is of: "Rep. Tom Cole of Oklahoma, an ally of the leadership, said" is Cole, not Oklahoma."""
    a = run_back(doc, k, floor)
    return _person_of(doc, a, floor) or ("name", a, k)


def _group_in_place(doc: TextIndex, a: int, k: int, floor: int):
    """'Officials in Texas said', 'Police in Ohio said': the group speaks, where it is (as
    written), not the place after "in". The group is a plural
    noun or a role, maybe with words before it ("state officials in Texas"), opening its clause;
    "the" may stand before the place ("Traders on the High Street say")."""
    p = a - 2 if a - 2 >= floor and doc.lower[a - 1] == "the" and doc.sep(a - 1) == " " else a - 1
    h = p - 1
    if (h < floor or doc.lower[p] not in _GROUP_PLACE or doc.sep(p) != " "
            or doc.sep(h) != " " or doc.lower[a] in C.MONTHS or doc.lower[a] in C.ADJUNCT_WORDS
            or doc.possessive(k)):
        return None   # "prosecutors in April charged": a time, not a place
    w = doc.lower[h]
    if doc.cap(h) and doc.sentence_start(doc.starts[h]) != doc.starts[h]:
        return None   # "Trump in Iowa said", "Harbour Lines at Dover": a name, read elsewhere
    if doc.cap(h) or w in C.ROLE_NOUNS or w in _COLLECTIVE:
        plural = w in _COLLECTIVE or (w.endswith("s") and not w.endswith("ss"))
        start = h
    else:
        group = group_phrase(doc, h, floor)
        plural, start = group is not None, group[0] if group else h
    if plural:
        return ("group", _modifiers_back(doc, start, floor), k)   # "State officials in Texas"
    if w in C.ROLE_NOUNS and h - 1 >= floor and doc.lower[h - 1] == "the" and doc.sep(h - 1) == " ":
        return ("office", a, h, h, k)   # "the mayor in Houston": an office of a place (see below)
    return _mention_at(doc, h, floor) if w in C.ROLE_NOUNS else None


def _modifiers_back(doc: TextIndex, h: int, floor: int) -> int:
    """The first word of a group's words before its head h: "State officials", "federal
    prosecutors", "Biden administration officials" (at most three plain words, no determiner,
    stopword, verb, adverb or time: "On Monday officials in Texas said" is "officials")."""
    a = h
    while a - 1 >= floor and h - a < 3 and doc.sep(a - 1) == " " and not doc.possessive(a - 1):
        w = doc.lower[a - 1]
        if (w in C.MATCH_STOPWORDS or w in CUE_WORDS or w in C.NAME_STOPWORDS or w in C.MONTHS
                or w in C.TIME_NOUNS or w in WEEKDAYS or w in C.FINITE_HINTS or w.isdigit()
                or w.endswith(("ly", "ed")) or doc.inside(doc.starts[a - 1])):
            break
        a -= 1
    return a



def _office_of_place(doc: TextIndex, a: int, k: int, floor: int):
    """'The governor of Texas said', 'the senator from Vermont said': an office of a place
    ("office", place first, role, first, last), never the place: the person introduced with that office
    ("Texas Gov. Greg Abbott") if any, else the office as written (speakers.resolve_cues). Only
    a place: "the president of the Harbour Union" speaks for its body (an organisation word in
    the run), and "the Secretary of State" is an office read elsewhere (a capitalised title)."""
    o = a - 2 if a - 2 >= floor and doc.lower[a - 1] == "the" and doc.sep(a - 1) == " " else a - 1
    h = o - 1   # "the president of the United States"
    if (h - 1 < floor or doc.lower[o] not in ("of", "from") or doc.sep(o) != " "
            or doc.sep(h) != " " or doc.cap(h) or doc.lower[h] not in C.ROLE_NOUNS
            or doc.lower[h].endswith("s")):
        return None
    first = h
    while (first - 1 > floor and h - first < 2 and doc.sep(first - 1) == " " and not doc.cap(first - 1)
           and doc.lower[first - 1] in C.TITLES):
        first -= 1   # "the prime minister of Britain", "the foreign secretary of ..."
    if doc.lower[first - 1] != "the" or any(doc.lower[t] in C.ORG_WORDS for t in range(a, k + 1)):
        return None
    return ("office", a, h, first, k)


#: "in" and "on": "Analysts at Northport Bank", "officials from the Treasury" speak for the body.
_GROUP_PLACE = frozenset({"in", "on"})
#: Plural nouns without an s that speak as a group: "Police in Ohio said".
_COLLECTIVE = frozenset({"police", "people"})


def _person_of(doc: TextIndex, a: int, floor: int):
    """'Jim Hale of the Harbour Institute said', 'Mr. Hale of the Sierra Club said': the person
    before "of (the)", not the body after it ("Secretary of State Ana Ruiz" stays whole)."""
    o = a - 2 if a - 2 >= floor and doc.lower[a - 1] == "the" else a - 1
    if o - 1 < floor or doc.lower[o] != "of" or doc.sep(o) != " " or doc.sep(o - 1) != " ":
        return None
    if not doc.cap(o - 1) or doc.lower[o - 1] == "the" and o == a - 1:
        return None
    start = run_back(doc, o - 1, floor)
    if (outer := _person_of(doc, start, floor)) is not None:
        return outer   # "Archbishop Aris Shirvanian of the Armenian Patriarchate of Jerusalem"
    name, count, titled = clean_name(doc, start, o - 1)
    return ("name", start, o - 1) if name and person_like(name, count, titled) else None


def _region_of(doc: TextIndex, a: int, k: int, floor: int):
    """'Stacy Baker of Columbia, South Carolina says', 'Tom Hale of Springfield, Ill. said': the
    run a..k is the state or country after a town the person is "of" (its closing comma left
    out), so the speaker is the person before "of", never the place."""
    if k - a > 2 or a - 1 < floor or not comma_after(doc, a - 1) or not doc.cap(a - 1):
        return None
    town = run_back(doc, a - 1, floor)
    if a - 1 - town > 2:
        return None
    return _person_of(doc, town, floor)


_ASIDE_WORDS = frozenset({"a", "an", "the", "and", "then", "former", "its", "his", "her", "their"})


def _unclosed_aside(doc: TextIndex, a: int, floor: int):
    """'Sam Lau, the communications director for the Iowa Democratic Party said', 'Tom Hale,
    president and CEO of Harbour Freight stated': the aside after the name lacks its closing
    comma, so the body it names stands before the verb; the speaker is the name before the aside
    (opening its sentence or right after a quotation), never the body."""
    if a + 1 < len(doc.lower) and doc.lower[a + 1] == "of" and doc.lower[a] in C.TITLES:
        o = a   # the run holds the title: "..., president and CEO of Harbour Freight stated"
    else:
        o = a - 2 if a - 2 >= floor and doc.lower[a - 1] == "the" else a - 1
        if doc.lower[o] not in ("of", "for", "at"):
            return None
    if o - 1 < floor:
        return None
    for i in range(o - 1, max(floor, o - 9) - 1, -1):
        w = doc.lower[i]
        if doc.sep(i).strip() == "," and doc.cap(i):
            start = run_back(doc, i, floor)
            anchored = start == floor or (start > 0 and doc.sep(start - 1).strip()[-1:] in ("\u201d", '"', ","))
            name, count, titled = clean_name(doc, start, i)
            if anchored and name and person_like(name, count, titled):
                return ("name", start, i)
            return None
        if doc.sep(i).strip() or not (w in _ASIDE_WORDS or w in C.ROLE_NOUNS or w in C.TITLES
                                      or (not doc.cap(i) and w not in CUE_WORDS
                                          and w not in C.FINITE_HINTS)):
            return None
    return None


def _owned_role(doc: TextIndex, k: int, floor: int):
    """'Germany's finance minister said', 'the mayor's spokesman said', 'the French president's
    office said': a role or body owned by a possessive names its own speaker (the words as
    written), never the owner nor the last person quoted."""
    if doc.lower[k] not in C.ROLE_NOUNS and doc.lower[k] not in C.ORG_WORDS:
        return None
    for d in range(k - 1, max(floor, k - 3) - 1, -1):
        if doc.sep(d) != " " or doc.lower[d] in CUE_WORDS or doc.lower[d] in C.MATCH_STOPWORDS:
            return None
        if not doc.possessive(d):
            continue
        if doc.cap(d):  # "Germany's", "the European Union's"
            return ("name", run_back(doc, d, floor), k)
        if (POSSESSIVE_RE.sub("", doc.lower[d]) in C.PLACE_KINDS and d - 1 >= floor
                and doc.lower[d - 1] == "the" and doc.sep(d - 1) == " " and doc.lower[k] in C.ROLE_NOUNS
                and _placed_office(doc, d, k)):
            return ("office", d, k, d, k)   # "the county's health director": an office of a place
        # "the mayor's", "the French president's": a determiner at most two words before
        for a in range(d - 1, max(floor, d - 3) - 1, -1):
            if doc.sep(a) != " " or doc.possessive(a):
                return None
            if doc.lower[a] in DETERMINERS:
                return ("name", a, k)
        return None
    return None


# Between the words of a lowercase body: a space, or a plural possessive ("the pilots' union").
_BODY_GAPS = frozenset({" ", "' ", "\u2019 "})


def _org_words(doc: TextIndex, a: int, b: int) -> bool:
    """Tokens a..b are a lowercase body like "defense ministry": plain words ending in an org word."""
    return (doc.lower[b] in C.ORG_WORDS and b - a < 3
            and all(not doc.cap(t) and doc.lower[t] not in C.NAME_STOPWORDS
                    and doc.lower[t] not in C.SUBJECT_FILLERS and doc.sep(t) in _BODY_GAPS for t in range(a, b))
            and all(doc.lower[t] not in CUE_WORDS for t in range(a, b + 1)))


def _org_back(doc: TextIndex, k: int, floor: int):
    """'China’s defense ministry said' / 'the foreign ministry said': a body named in lowercase."""
    for a in range(k, max(floor, k - 2) - 1, -1):
        if a - 1 < floor or not _org_words(doc, a, k):
            continue
        if doc.cap(a - 1) and doc.possessive(a - 1) and doc.sep(a - 1) == " ":
            return ("name", run_back(doc, a - 1, floor), k)
        if doc.lower[a - 1] == "the" and doc.sep(a - 1) == " ":
            return ("name", a, k)
    if not (k - 1 >= floor and doc.cap(k - 1) and doc.sep(k - 1) == " " and doc.lower[k] in C.ORG_WORDS):
        return None
    a = run_back(doc, k - 1, floor)
    the, a = (a, a + 1) if doc.lower[a] == "the" else (a - 1, a)  # a capital "The" opens the run
    if a < k and the >= floor and doc.lower[the] == "the" and doc.sep(the) == " ":
        return ("name", a, k)  # "the Obama administration said", "the Ruiz administration said"
    return None


def _org_forward(doc: TextIndex, j: int, limit: int) -> int | None:
    """Last token of a lowercase body starting at j ("defense ministry, ..."), if there is one."""
    for b in range(j, min(limit, j + 3)):
        if _org_words(doc, j, b):
            return b
    return None


def _apposition(doc: TextIndex, k: int, floor: int):
    """'Tan Kefei, a spokesperson for ..., said': the name before ', a|an|the|who'; also before a
    participle aside ('Janet Yellen, speaking in New York, said')."""
    role = None
    for i in range(k - 1, max(floor, k - 80) - 1, -1):
        opener = doc.lower[i + 1]
        if doc.cap(i) and (comma_after(doc, i) or doc.sep(i).strip() in ("),", ".),")) and (
                opener in C.APPOSITION_OPENERS or opener.isdigit()
                or (len(opener) > 4 and opener.endswith("ing") and not doc.cap(i + 1))):
            if role is not None and any("," in doc.sep(t) for t in range(i + 1, role)):
                break   # the role opens an aside of its own
            if _clause_aside(doc, i + 1, k):
                return None   # "In nearby Vessby, the terminal is under pressure, said X": a clause
            return _named(doc, _before_tag(doc, i, floor), floor)   # "Ana Ruiz, D-N.M., who ..."
        if (role is None and doc.lower[i] in C.ROLE_NOUNS and doc.sep(i).strip() == ","
                and opener in ("who", "whose")):
            # "A senior military official, who spoke on condition of anonymity, said" (but "X,
            # the border commissioner, who conceded" is X: a name opening the role's aside)
            role = i
    return _mention_at(doc, role, floor) if role is not None else None


def _clause_aside(doc: TextIndex, a: int, k: int) -> bool:
    """Tokens [a, k) hold a verb of their own before any "who" ("the old terminal is hanging on"):
    a clause, not an aside describing a name ("a spokesman who has worked there for years")."""
    for t in range(a, k):
        if doc.lower[t] in ("who", "whose", "which", "that"):
            return False
        if doc.lower[t] in C.FINITE_HINTS:
            return True
    return False


def _has_verb(doc: TextIndex, a: int, b: int) -> bool:
    """Tokens [a, b) hold a finite verb; a capitalised word is part of a name, not a verb
    ("chairman of the House Ways and Means Committee")."""
    return any(doc.lower[t] in C.FINITE_HINTS and not doc.cap(t) for t in range(a, b))


def _anchored_apposition(doc: TextIndex, k: int, floor: int):
    """'“...,” Doug Lane, director of research at the Harbour Institute, said' (or the same
    opening a sentence): the name run right after the closing mark or the sentence start, when
    a comma ends it and the aside up to the cue has no verb of its own."""
    opening = _past_introduction(doc, floor, k)   # "Moreover, Jeffrey Sachs, director of ..."
    for a in range(k - 2, max(floor, k - C.MAX_APPOSITION_WORDS) - 1, -1):
        anchored = a in (floor, opening) or (a > 0 and doc.sep(a - 1).strip()[-1:] in ("\u201d", '"'))
        if not anchored:
            continue
        if not doc.cap(a) or doc.lower[a] in C.NAME_STOPWORDS:
            return None
        a, b = described_name(doc, a, run_forward(doc, a, k), k)
        aside = aside_start(doc, past_of_place(doc, b, k))
        if aside is not None and aside < k and (
                not _has_verb(doc, aside, k) or doc.lower[aside] in ("who", "whose")):
            # a relative clause has verbs of its own: "Ana Ruiz, who helped found EDGE, a
            # group based in Ohio, said" is Ruiz, not the body in the nested aside
            return ("name", a, b)
        return None
    return None


def _of_aside(doc: TextIndex, k: int, floor: int):
    """'Ana Ruiz, Republican of Ohio, said', 'Tom Hale, commander of the district, said': the name
    before an aside that says where the person belongs (of, at, for, from), not the place in it."""
    for i in range(k - 1, max(floor, k - 12) - 1, -1):
        if doc.sep(i).strip() == ",":
            aside = range(i + 1, k + 1)
            if (doc.cap(i) and any(doc.lower[t] in ("of", "at", "for", "from") for t in aside)
                    and not _has_verb(doc, i + 1, k + 1)):
                return _named(doc, i, floor)
            return None
        if doc.sep(i).strip():
            return None
    return None


def _adverb(doc: TextIndex, k: int) -> bool:
    """A lowercase "-ly" word between a subject and its verb: "Trump jokingly said"."""
    return not doc.cap(k) and len(doc.lower[k]) > 4 and doc.lower[k].endswith("ly")


def _before_tag(doc: TextIndex, k: int, floor: int) -> int:
    """Past a party-and-state tag closing a name: "Rep. Tom Hale (D-Ore.) said" reads "Hale"."""
    for i in range(k - 1, max(floor + 1, k - 3) - 1, -1):
        if party_tag_end(doc, i) == k and doc.sep(i - 1).strip() == ",":
            return i - 1  # "Mitch Hale, R-Ky., said", "Ana Ruiz, D-N.M., said"
    if k < floor or not doc.sep(k).rstrip().rstrip(",").endswith(")"):
        return k
    for t in range(k, max(floor, k - 6) - 1, -1):
        if doc.sep(t).rstrip().endswith("(") and t < k:
            return t if doc.sep(t).strip() == "(" else k
    return k


_DAY_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                        "today", "yesterday", "tonight"})
_PERIOD_OPENERS = frozenset({"last", "this", "next", "late", "early"})
_ASIDE_ADVERBS = frozenset({"however", "meanwhile", "though", "too", "instead", "nevertheless",
                            "likewise", "separately", "similarly"})


def _time_back(doc: TextIndex, k: int, floor: int) -> int:
    """Past a time written between a subject and its verb, read backwards: "Spicer on Thursday
    evening said", "Trump Wednesday said", "the senator last week said", "Ryan earlier this month
    declared" (the mirror of reported._adjunct, which skips them after the verb)."""
    def joined(t: int) -> bool:   # token t and the one after it stand in one phrase
        return t >= floor and doc.sep(t) == " "

    j = k
    if doc.lower[j] in C.TIME_NOUNS and joined(j - 1) and (
            doc.lower[j - 1] in _DAY_WORDS or doc.lower[j - 1] in _PERIOD_OPENERS):
        j -= 1   # "Thursday evening", "last week"
    if doc.lower[j] in _PERIOD_OPENERS and j < k:
        j -= 1
        if joined(j) and doc.lower[j] in ("earlier", "later"):
            j -= 1   # "earlier this month"
    elif doc.lower[j] in _DAY_WORDS:
        j -= 1
        if joined(j) and doc.lower[j] == "on":
            j -= 1   # "on Thursday"
    else:
        return k
    return j if joined(j) else k


def mention_before(doc: TextIndex, cue: Cue, floor: int):
    """Subject written before the verb; "open" when the verb starts its clause ("..., said X")."""
    k = _before_tag(doc, cue.first - 1, floor)
    tagged = k != cue.first - 1
    if k >= floor and not doc.sep(k).strip():
        k = _time_back(doc, k, floor)
    if (k - 1 >= floor and doc.lower[k] in _ASIDE_ADVERBS and doc.sep(k).strip() == ","
            and doc.sep(k - 1).strip() == ","):
        k -= 1   # "Engineers and officials, however, said": the subject is before the aside
        tagged = True   # the comma before the adverb is no apposition
    while k >= floor and (doc.lower[k] in C.SUBJECT_FILLERS or _adverb(doc, k)) and not doc.sep(k).strip():
        k -= 1
    if k < floor or doc.inside(doc.starts[k]):
        return "open"
    gap = "" if tagged else ("," if comma_after(doc, k) else doc.sep(k).strip())
    if gap == ",":  # "Tan Kefei, a spokesman, said" or "the governor, Ana Ruiz, said"
        found = (_anchored_apposition(doc, k + 1, floor) or _apposition(doc, k + 1, floor)
                 or _of_aside(doc, k, floor))
        if found is None and doc.cap(k):
            found = _named(doc, k, floor)
        return found or "open"
    if gap:
        return "open"
    return _mention_at(doc, k, floor)


def mention_after(doc: TextIndex, j: int):
    """Source written after the cue: "according to TASS", "said the spokesman", "said Tan"."""
    n = len(doc.words)
    if j >= n or doc.inside(doc.starts[j]) or doc.sep(j - 1).strip():
        return None
    if doc.lower[j] in C.PRONOUNS:
        return ("pronoun", doc.lower[j], j, j)
    a, limit = j, min(n, j + 14)
    if (described := _descriptor_after(doc, j, limit)) is not None:
        return described
    if doc.lower[j] in DETERMINERS and j + 1 < n and doc.lower[j + 1] in C.ROLE_NOUNS:
        if (named := _title_then_name(doc, j + 1, limit)) is not None:
            return named
        return ("role", doc.lower[j + 1], j, j + 1)
    if doc.lower[j] == "the" and not doc.sep(j).strip():
        body = _org_forward(doc, j + 1, limit)
        if body is not None:
            return ("name", j + 1, body)
    while (a < limit and not doc.cap(a) and not doc.sep(a).strip() and a - j < 4
           and doc.lower[a] not in _SOURCE_PHRASE_ENDS):
        a += 1  # "said senior party official Ana Ruiz"; not on to "... released on Friday"
    if (a + 1 < limit and doc.sep(a).strip() == "," and doc.lower[a] in C.ROLE_NOUNS
            and doc.cap(a + 1)):
        a += 1  # "said the study's lead author, Dr. Priya Raman": the name after the role
    if a >= limit or not doc.cap(a):
        return None
    b = run_forward(doc, a, limit)
    if (described := _modified_noun(doc, j, a, b, limit)) is not None:
        return described
    if doc.possessive(b) and b + 1 < limit and doc.sep(b) == " ":
        body = _org_forward(doc, b + 1, limit)  # "according to China’s defense ministry"
        if body is not None:
            return ("name", a, body)
    if doc.possessive(b) and b + 2 < limit and doc.sep(b) == " " and doc.cap(b + 1):
        owned = run_forward(doc, b + 1, limit)  # "said Florida’s Rick Wilson": the person
        if owned > b + 1:
            return ("name", b + 1, owned)
    return ("name", *described_name(doc, a, b, limit, after_cue=True))


_TITLE_PHRASE_WORDS = frozenset({"of", "the", "for", "and"})


def _title_then_name(doc: TextIndex, k: int, limit: int):
    """'said the Minister of Foreign Affairs, Karl Ostrom': a role with what it is of (at most
    eight words, no verb), a comma, then a person's name: that person."""
    for t in range(k, min(limit - 1, k + 8)):
        w = doc.lower[t]
        if t > k and not (doc.cap(t) or w in _TITLE_PHRASE_WORDS or w in C.TITLES or w in C.ROLE_NOUNS
                          or w in C.TITLE_OBJECT_WORDS):
            return None
        gap = doc.sep(t).strip()
        if gap == "," and doc.cap(t + 1) and t > k:
            end = run_forward(doc, t + 1, limit)
            name, count, titled = clean_name(doc, t + 1, end)
            return ("name", t + 1, end) if name and person_like(name, count, titled) else None
        if gap or doc.possessive(t):
            return None
    return None


def _descriptor_after(doc: TextIndex, j: int, limit: int):
    """'said the Chinese defense minister, Wei Fenghe' -> the name after the comma; 'said the
    Chinese defense minister' -> the role, read as "the minister ... said" is (a nationality or
    an adjective before the role is never the speaker); 'said a senior American official' -> the
    words as written. None when no role word ends a short descriptor opened by a determiner, or
    when a name follows the role without a comma (left to described_name: 'said the defense
    minister Wei Fenghe')."""
    if doc.lower[j] not in DETERMINERS and doc.lower[j] not in ("a", "an"):
        return None
    role = None
    for k in range(j + 1, min(limit, j + 6)):
        if (doc.sep(k - 1) not in (" ", "-") or doc.lower[k] in CUE_WORDS
                or doc.lower[k] in C.MATCH_STOPWORDS or doc.possessive(k)):
            break
        if doc.lower[k] in C.ROLE_NOUNS:
            role = k
        elif role is not None:
            break  # "the defense minister Wei ...": the role ended before this word
    if role is None or role == j + 1 and doc.lower[j] in DETERMINERS and doc.sep(role).strip() != ",":
        return None  # "said the spokesman": the caller reads a bare role already
    gap = doc.sep(role).strip()
    if gap == "," and role + 1 < limit and doc.cap(role + 1) and doc.lower[role + 1] not in C.NAME_STOPWORDS:
        end = run_forward(doc, role + 1, limit)
        name, count, titled = clean_name(doc, role + 1, end)
        if name and person_like(name, count, titled):
            return ("name", role + 1, end)
    if not gap and role + 1 < limit and doc.cap(role + 1):
        return None
    if (not gap and role == j + 1 and doc.lower[j] in ("a", "an")
            and (body := _body_spoken_for(doc, role + 1, limit))):
        return ("name", *body)
    return _mention_at(doc, role, j)


def _body_spoken_for(doc: TextIndex, k: int, limit: int) -> tuple[int, int] | None:
    """'said a spokeswoman for the Port Authority', 'said a spokesman for the company': a person
    speaking for a body, who names nobody ("a spokeswoman"): the body speaks, as it does when the
    same words stand before the cue. (first, last) token of the body after for/at/of, or None."""
    if k + 1 >= limit or doc.lower[k] not in _SPEAKS_FOR or doc.sep(k) != " ":
        return None
    a = k + 2 if doc.lower[k + 1] == "the" and doc.sep(k + 1) == " " else k + 1
    if a >= limit:
        return None
    if doc.cap(a) and doc.lower[a] not in C.PRONOUNS:
        return a, run_forward(doc, a, limit)
    body = _org_forward(doc, a, limit) if a > k + 1 else None   # "for the company"
    return (a, body) if body is not None else None


_SPEAKS_FOR = frozenset({"for", "at", "of"})


def _modified_noun(doc: TextIndex, j: int, a: int, b: int, limit: int):
    """'said the Socialist nominee', 'tweeted a German user', 'said the Chinese embassy': after a
    determiner, capitalised words followed by lowercase nouns (and no name after them) describe
    those nouns; they are no name. A body ends in an organisation word and is named as written;
    after "the" the noun reads as a role ("the nominee" is the person in view, or nobody); after
    "a" the phrase is somebody new, as written ("a German user", as "a council spokeswoman")."""
    if doc.lower[j] not in ("the", "a", "an") or doc.possessive(b) or doc.sep(b) != " ":
        return None
    h = b
    while (h + 1 < limit and h - b < 3 and (h == b or doc.sep(h) == " ") and not doc.cap(h + 1)
           and doc.lower[h + 1] not in C.MATCH_STOPWORDS and doc.lower[h + 1] not in CUE_WORDS
           and doc.lower[h + 1] not in _SOURCE_PHRASE_ENDS and doc.lower[h + 1] not in C.TIME_NOUNS
           and not doc.lower[h + 1].endswith("ly") and not doc.lower[h + 1].isdigit()):
        h += 1
    if h == b or (h + 1 < limit and doc.sep(h) == " " and doc.cap(h + 1)):
        return None  # no noun after the capitals, or a name follows the description
    if doc.lower[h] in C.ORG_WORDS or doc.lower[j] != "the":
        return ("name", j + 1, h)
    return ("role", doc.lower[h], j, h)


def described_name(doc: TextIndex, a: int, b: int, limit: int,
                    after_cue: bool = False) -> tuple[int, int]:
    """Past a title chain ("Nato secretary general Jens Stoltenberg") or a short description
    ("Republican party boss Dana Whitfield", "Marquette pollster Lee Hart"): the person named
    after it, when the description is lowercase words and the name has two words or more.
    `after_cue` (the source written after its verb) also reads a role set off by a comma and an
    owner's role without a name: "said Britain's prime minister, Ana Ruiz" is Ana Ruiz and "said
    Britain's prime minister" the role as written, never the country alone."""
    c, titles = b + 1, True
    while c < limit and c - b <= 4 and doc.sep(c - 1) in (" ", "-") and not doc.cap(c) and (
            doc.lower[c] not in C.MATCH_STOPWORDS and doc.lower[c] not in CUE_WORDS):
        titles = titles and doc.lower[c] in C.TITLES | C.ROLE_NOUNS
        c += 1
    if c < limit and c > b + 1 and doc.cap(c) and doc.sep(c - 1) == " ":
        end = run_forward(doc, c, limit)
        if titles or end > c:
            return c, end
        if doc.sep(b) == "-":
            # "Florida-based Republican strategist Al Cardenas", "Texas-born Democratic donor
            # ...": the place only makes a compound adjective; the description goes on
            further = described_name(doc, c, end, limit, after_cue)
            if further[0] > c:
                return further
    if after_cue and c > b + 1 and doc.lower[c - 1] in C.ROLE_NOUNS:
        if c < limit and doc.sep(c - 1).strip() == "," and doc.cap(c):
            end = run_forward(doc, c, limit)
            name, count, titled = clean_name(doc, c, end)
            if name and person_like(name, count, titled):
                return c, end
        if doc.possessive(b):
            return a, c - 1
    return a, b


_SOURCE_PHRASE_ENDS = frozenset({"on", "in", "at", "by", "from", "who", "which", "that", "released",
                                 "published", "conducted", "taken", "issued", "for", "to", "with"})


def source_phrase(doc: TextIndex, j: int):
    """'according to a recent harbour board report', 'according to exit polls': a source named
    in plain words, as written, up to a comma or a preposition (at most six words)."""
    n = len(doc.words)
    if j >= n or doc.inside(doc.starts[j]) or doc.sep(j - 1).strip():
        return None
    b = j
    while (b + 1 < n and b + 1 - j < 6 and doc.sep(b) == " "
           and doc.lower[b + 1] not in _SOURCE_PHRASE_ENDS and not _agent_participle(doc, b + 1)):
        b += 1
    head = doc.lower[b]
    if (head in C.MATCH_STOPWORDS or head in C.PRONOUNS or head.endswith("ly")
            or doc.lower[j] in _POSSESSIVE_PRONOUNS):
        return None  # "according to its chair" refers back to someone: no speaker as written
    return ("group", j, b)


def _agent_participle(doc: TextIndex, k: int) -> bool:
    """Token k is a participle with its agent after it: "a draft seen by Reuters", "documents
    obtained by the AP": the source is the draft, the rest says who saw it."""
    w = doc.lower[k]
    return (k + 1 < len(doc.lower) and doc.lower[k + 1] == "by" and not doc.cap(k) and doc.sep(k) == " "
            and (len(w) > 4 and w.endswith(("ed", "en")) or w in _IRREGULAR_PARTICIPLES))


_IRREGULAR_PARTICIPLES = frozenset({"seen", "shown", "sent", "made", "held", "kept", "found", "read",
                                    "drawn", "done", "led", "paid", "put", "run", "set", "won"})


_INTRO_WORDS = frozenset({"here", "there", "back", "asked", "instead", "later", "earlier", "now",
                          "moreover", "however", "meanwhile", "furthermore", "still", "indeed",
                          "nevertheless", "nonetheless", "besides", "also", "again", "thus",
                          "therefore", "then", "yet", "so", "today", "yesterday", "tonight",
                          "overall", "ultimately", "afterward", "afterwards", "prior", "despite",
                          "amid", "following", "since", "throughout", "until", "unlike", "under",
                          "perhaps", "first", "finally", "second", "third", "elsewhere",
                          "inside", "outside", "across", "near", "behind", "beyond", "among",
                          "around", "along", "against", "within", "without", "like", "upon",
                          "toward", "towards", "likewise", "well", "otherwise", "similarly"})
#: Words opening a subordinate clause before the main one: "While his rivals called for a bigger
#: effort against the Islamic State, Trump hewed to ...": read past it (a longer stretch).
_SUBORDINATORS = frozenset({"while", "when", "whereas", "although", "though", "because", "once",
                            "if", "unless", "as"})


def _region(doc: TextIndex, k: int, stop: int) -> bool:
    """Tokens from k are the state or country after a town that closed an opening phrase ("...
    in Salem, New Hampshire, Trump said"): at most two capitalised words after a capitalised
    word and a comma, closed by a comma, a capitalised word after it (not "Salem, Ruiz, a ...")."""
    if not (doc.cap(k - 1) and doc.cap(k)):
        return False
    if doc.lower[k] in PLACES or doc.words[k] in C.STATE_ABBREVIATIONS:
        return True
    e = k + 1 if k + 1 < stop and doc.sep(k) == " " and doc.cap(k + 1) else k
    return e + 1 < stop and doc.sep(e).strip() == "," and doc.cap(e + 1) and doc.lower[e + 1] not in C.PRONOUNS


_PHRASE_PREPOSITIONS = C.ADJUNCT_PREPOSITIONS | {"by", "for", "of", "about", "up", "out"}


def _participle_opener(doc: TextIndex, k: int, stop: int) -> bool:
    """Token k opens its sentence with a participle phrase: "Walking to the next address, ...",
    "Reached by phone, ...", "Having announced that ..., ...": a capitalised "-ing" or "-ed" word
    before a lowercase word that is no verb, and no name word seen in the text ("Fleming said")."""
    w = doc.lower[k]
    return (len(w) > 4 and w.endswith(("ing", "ed")) and doc.sep(k) == " " and k + 1 < stop
            and not doc.cap(k + 1)
            and (doc.lower[k + 1] not in CUE_WORDS or doc.lower[k + 1] in _PHRASE_PREPOSITIONS)
            and doc.lower[k + 1] not in C.FINITE_HINTS and doc.words[k] not in doc.full_names)


_TIME_WORDS = C.TIME_NOUNS | {"hour", "minute", "moment", "decade"}
_TIME_AFTER = frozenset({"later", "earlier", "ago", "after", "before", "into"})


def _time_opener(doc: TextIndex, k: int, stop: int) -> bool:
    """'Hours later, ...', 'Two days earlier, ...', 'Moments after the vote, ...': a time, not a
    subject (a number or "a few" may come first)."""
    for j in range(k, min(stop - 1, k + 3)):
        if doc.lower[j].removesuffix("s") in _TIME_WORDS:
            return doc.lower[j + 1] in _TIME_AFTER and doc.sep(j) == " "
        if not (doc.lower[j].isdigit() or doc.lower[j] in _COUNT_WORDS) or doc.sep(j) != " ":
            return False
    return False


_COUNT_WORDS = frozenset({"a", "few", "two", "three", "four", "five", "six", "several", "many",
                          "some", "the", "one"})


def _past_introduction(doc: TextIndex, floor: int, stop: int) -> int:
    """Past an opening phrase closed by a comma ("Here in Columbia, Sanders said", "Asked about
    the plan, Hale said", "Walking to the car, Hale said", "Moreover, Hale said"): it names a
    place, a time or a circumstance, not the subject. Several in a row are read past ("At an
    event in Ames, Iowa, on Sunday, Hale said")."""
    if (dateline := DATELINE.match(doc.text, doc.starts[floor])) is not None:
        return bisect_left(doc.starts, dateline.end())  # "WASHINGTON (AP) — Sen. Ruiz ..."
    start = floor
    for _ in range(3):
        w = doc.lower[floor]
        if not (w in _INTRO_WORDS or w in C.ADJUNCT_PREPOSITIONS or w.endswith("ly")
                or w in _SUBORDINATORS or _time_opener(doc, floor, stop)
                or floor == start and _participle_opener(doc, floor, stop)
                or floor > start and _region(doc, floor, stop)):
            return floor
        for k in range(floor, min(stop - 1, floor + (25 if w in _SUBORDINATORS else 12))):
            if doc.sep(k).strip() == ",":
                floor = k + 1
                break
            if doc.sep(k).strip():
                return floor
        else:
            return floor
    return floor


def first_mention(doc: TextIndex, floor: int, stop: int):
    """The subject of a sentence: its first name or pronoun."""
    floor = _past_introduction(doc, floor, stop)
    for k in range(floor, min(stop, floor + 30)):
        if doc.inside(doc.starts[k]):
            continue  # a word quoted at the sentence start is not its subject
        if doc.lower[k] in C.PRONOUNS:
            return ("pronoun", doc.lower[k], k, k)
        if doc.cap(k) and POSSESSIVE_RE.sub("", doc.lower[k]) not in C.NAME_STOPWORDS:
            # past a description: "Republican presidential candidate Donald Trump took to ..."
            # ("There’s still time for ..." names nobody)
            return ("name", *described_name(doc, k, run_forward(doc, k, stop), stop))
    return None


def last_clause_subject(doc: TextIndex, floor: int, stop: int):
    """The subject of the last clause joined by "and" / "but" before a participle: 'prosecutors
    charged him and Emanuel fired his chief, acknowledging ...' is Emanuel's acknowledgement.
    Only a name or pronoun right after the conjunction and before a verb ("fired", "brings")."""
    for t in range(stop - 2, floor - 1, -1):
        if doc.lower[t] not in ("and", "but") or doc.sep(t) != " " or doc.inside(doc.starts[t]):
            continue
        if t - 1 >= floor and doc.cap(t - 1) and doc.sep(t - 1) == " ":
            continue   # "Ryan and Trump will meet": two names, one subject
        k = t + 1
        if doc.lower[k] in C.PRONOUNS and doc.lower[k] not in ("it", "they", "them", "we", "you", "i"):
            end = k
        elif doc.cap(k) and doc.lower[k] not in C.NAME_STOPWORDS:
            end = run_forward(doc, k, stop)
        else:
            continue
        if end + 1 >= stop or doc.sep(end) != " " or doc.cap(end + 1):
            continue
        verb = doc.lower[end + 1]
        if (verb in C.FINITE_HINTS or len(verb) > 3 and verb.endswith("ed")
                or len(verb) > 3 and verb.endswith("s") and not verb.endswith("ss")):
            if end == k and doc.lower[k] in C.PRONOUNS:
                return ("pronoun", doc.lower[k], k, k)
            return ("name", k, end)
    return None


def sentence_subject(doc: TextIndex, floor: int, stop: int):
    """The subject opening the sentence, for a verb joined to it by "and": 'Dana Whitfield
    confirmed the deal and said, “...”'. Only a name, pronoun or "the <role>" standing first."""
    k = _past_introduction(doc, floor, stop)
    while k < stop and doc.lower[k] in _CLAUSE_OPENERS:
        k += 1
    if k >= stop:
        return None
    if doc.lower[k] in C.PRONOUNS:
        return ("pronoun", doc.lower[k], k, k)
    if doc.lower[k] == "the" and k + 1 < stop and doc.lower[k + 1] in C.ROLE_NOUNS:
        return ("role", doc.lower[k + 1], k, k + 1)
    if doc.cap(k) and doc.lower[k] not in C.NAME_STOPWORDS:
        return ("name", k, run_forward(doc, k, stop))
    return None


def infinitive_subject(doc: TextIndex, cue: Cue, floor: int):
    """'Mr. Hale was prompted to say', 'Ruiz declined to say': a verb after "to" has the subject
    of the verb chain before it, a name or pronoun at most four plain lowercase words back.
    None when "to" does not stand right before the cue or no subject is written there."""
    j = cue.first - 1
    if j - 1 < floor or doc.lower[j] != "to" or doc.sep(j).strip():
        return None
    for k in range(j - 1, max(floor, j - 5) - 1, -1):
        if doc.sep(k).strip():
            return None
        if k == floor and _participle_opener(doc, k, j + 1):
            # "Continuing to explain his view, Ben Carlow said": the subject after the phrase
            past = _past_introduction(doc, floor, len(doc.words))
            return first_mention(doc, past, min(len(doc.words), past + 8)) if past > floor else None
        if doc.cap(k) and k < j - 1 and not doc.cap(k + 1) and (
                (r := run_back(doc, k, floor)) - 1 >= floor and doc.lower[r - 1] in ("a", "an", "the")):
            # "stood at a Bush event here to say": the name only modifies a noun; the sentence
            # opens with the subject of the chain
            return sentence_subject(doc, floor, j)
        if doc.cap(k) or doc.lower[k] in C.PRONOUNS:
            return _mention_at(doc, k, floor)
        if doc.lower[k] in DETERMINERS or doc.lower[k] in _CHAIN_BREAKS:
            return None
    return None


# Words that end a verb chain read backwards from "to": its subject is not beyond them.
_CHAIN_BREAKS = frozenset({"and", "or", "but", "that", "which", "who", "a", "an", "of", "for",
                           "with", "in", "on", "at", "by", "from", "as", "if", "when"})


def with_subject(doc: TextIndex, cue: Cue, floor: int):
    """'..., with Chinese analysts saying ...': the participle has its own subject. A name when
    the words end in one, else False (a group such as "analysts" is nobody in particular)."""
    for w in range(cue.first - 1, max(floor, cue.first - 6) - 1, -1):
        if doc.sep(w).strip() and not (doc.sep(w) == ". " and doc.lower[w] in C.ABBREVIATIONS):
            return None   # (not the full stop of "with Sen. John McCain saying")
        if doc.lower[w] == "with":
            last = cue.first - 1
            return ("name", run_back(doc, last, w + 1), last) if last > w and doc.cap(last) else False
    return None
