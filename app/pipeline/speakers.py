"""Who speaks: speech cues in news text and the people or bodies they point to.

Why separate from quote finding: the same cue index serves quotes and, later, reported speech
("Tan said China and Russia ...") that the claims layer may want to attribute. Everything works on
regex tokens with bisect lookups, so cost grows linearly with the text.

Pronouns and "the spokesman" resolve to the last person named as a speaker (not merely the last
name mentioned: "Tan criticised Stoltenberg's remarks ... “...,” he said" is Tan); a lone surname
resolves to the most frequent full name it abbreviates ("Tan" -> "Tan Kefei").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from app.pipeline import constants as C
from app.pipeline.name_runs import (  # canonical_speaker, speaker_aliases: the public name rules
    DATELINE,
    POSSESSIVE_RE,
    antecedent,
    aside_start,
    canonical_speaker,
    clean_name,
    group_phrase,
    expand_surname,
    full_name_index,
    person_like,
    person_mentions,
    run_back,
    run_forward,
    speaker_aliases,
    surname_aliases,
)

__all__ = ["Cue", "TextIndex", "resolve_cues", "canonical_speaker", "speaker_aliases",
           "surname_aliases", "DETERMINERS"]

_TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENT_END_RE = re.compile(r"[.?!\u2026]+[\"\u201d\u2019)\]]*\s+")
DETERMINERS = frozenset({"the", "this", "that"})
_CLAUSE_OPENERS = frozenset({"but", "and", "so", "then", "later", "still", "yet"})
_NOUN_DETERMINERS = frozenset({"the", "a", "an", "these", "those", "its", "their", "his", "her",
                               "our", "my", "your", "such", "many", "some", "all", "both"})
_ROLE_SYNONYMS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson"}

def _build_cue_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word -> (phrase words, kind), longest phrase first, nouns before same-word verbs."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    groups = (("noun", C.SPEECH_NOUNS), ("source", C.CUE_SOURCE_FIRST),
              ("participle", C.CUE_PARTICIPLES), ("verb", C.CUE_VERBS), ("claim", C.CLAIM_CUE_VERBS))
    for kind, phrases in groups:
        for phrase in phrases:
            words = tuple(phrase.split())
            index.setdefault(words[0], []).append((words, kind))
    for options in index.values():
        options.sort(key=lambda item: -len(item[0]))
    return index


_CUE_INDEX = _build_cue_index()


@dataclass(slots=True)
class Cue:
    """A speech cue found outside quotation marks, with the speaker it resolves to."""

    first: int  # token index range [first, last)
    last: int
    kind: str
    speaker: str | None = None
    person: bool = False
    subject: tuple[int, int] | None = None  # tokens [first, last] naming the speaker, if written
    after: bool = False  # the speaker is written after the cue ("..., said Tan", "according to X")



class TextIndex:
    """The text with its tokens, quoted regions and sentence starts, for bisect lookups.

    `quoted` holds (opening mark, closing mark or paragraph end) pairs in text order;
    `para_starts` the offsets where paragraphs begin (always sentence starts).
    """

    def __init__(self, text: str, para_starts: list[int], quoted: list[tuple[int, int]]) -> None:
        self.text = text
        self.para_starts = para_starts
        self.quoted = quoted
        self.opens = [o for o, _ in quoted]
        matches = list(_TOKEN_RE.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]
        self.words = [m.group() for m in matches]
        self.lower = [w.lower() for w in self.words]
        self.sentences = self._sentence_starts()
        self.para_ends = [s - 1 for s in para_starts[1:]] + [len(text)]
        self.cues = _find_cues(self)
        self.cue_firsts = [c.first for c in self.cues]
        # Cues that may attribute a quotation in marks: not "claim" verbs ("denied", "showed")
        self.quote_cues = [c for c in self.cues if c.kind != "claim"]
        self.quote_cue_firsts = [c.first for c in self.quote_cues]
        self.best_names: dict[str, tuple[list[int], list[str]]] = {}
        self.full_names, runs = full_name_index(self)
        self.mention_pos, self.mention_names = person_mentions(self, runs)

    def inside(self, pos: int) -> bool:
        i = bisect_right(self.opens, pos) - 1
        return i >= 0 and self.quoted[i][0] < pos < self.quoted[i][1]

    def sentence_start(self, pos: int) -> int:
        return self.sentences[bisect_right(self.sentences, pos) - 1]

    def sentence_end(self, pos: int) -> int:
        """Where the sentence holding pos ends: the next sentence or the end of its paragraph."""
        i = bisect_right(self.sentences, pos)
        nxt = self.sentences[i] if i < len(self.sentences) else len(self.text)
        para_end = self.para_ends[bisect_right(self.para_starts, pos) - 1]
        return min(nxt, para_end) if para_end >= pos else nxt

    def cap(self, k: int) -> bool:
        return self.words[k][0].isupper()

    def sep(self, k: int) -> str:
        """Text between token k and token k + 1."""
        nxt = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.text)
        return self.text[self.ends[k]:nxt]

    def possessive(self, k: int) -> bool:
        w = self.words[k]
        after = self.text[self.ends[k]:self.ends[k] + 1]
        return w[-2:] in ("\u2019s", "'s") or (w[-1] == "s" and after in ("\u2019", "'"))

    def _sentence_starts(self) -> list[int]:
        starts = set(self.para_starts)
        for m in _SENT_END_RE.finditer(self.text):
            b = m.end()
            if b >= len(self.text) or self.inside(b):
                continue
            nxt = self.text[b]
            if not (nxt.isupper() or nxt.isdigit() or nxt in "[\"'\u201c\u2018("):
                continue
            before = self.text[max(0, m.start() - 8):m.start()].split()
            word = before[-1].lower().lstrip("(\"\u201c") if before else ""
            if (word in C.ABBREVIATIONS or (len(word) == 1 and word.isalpha())
                    or (before and before[-1] in C.STATE_ABBREVIATIONS)):
                continue
            starts.add(b)
        return sorted(starts)


def _find_cues(doc: TextIndex) -> list[Cue]:
    """Every speech cue outside quotation marks, in text order."""
    cues, lw, n, i = [], doc.lower, len(doc.lower), 0
    while i < n:
        options = _CUE_INDEX.get(lw[i])
        hyphenated = i > 0 and doc.sep(i - 1) == "-"  # "so-called" is not a speech cue
        shouted = len(doc.words[i]) > 1 and doc.words[i].isupper()  # a headline in capitals
        if options and not hyphenated and not shouted and not doc.inside(doc.starts[i]):
            for words, kind in options:
                k = len(words)
                if tuple(lw[i:i + k]) != words:
                    continue
                if kind == "noun" and not (i > 0 and doc.cap(i - 1) and doc.possessive(i - 1)):
                    continue
                if kind in ("verb", "claim") and i > 0 and lw[i - 1] in _NOUN_DETERMINERS:
                    continue  # "the states", "his claims", "the reports": a noun, not a verb
                cues.append(Cue(i, i + k, kind))
                i += k - 1
                break
        i += 1
    return cues


# --- Subjects of cues ----------------------------------------------------------------------------

def _mention_at(doc: TextIndex, k: int, floor: int):
    """What token k names when it is a cue's subject: a name run, a pronoun or "the <role>"."""
    if doc.cap(k) and doc.lower[k] not in C.PRONOUNS:
        a = run_back(doc, k, floor)
        if (a - 1 >= floor and doc.cap(a - 1) and doc.possessive(a - 1) and doc.sep(a - 1) == " "
                and doc.lower[k] in C.ORG_WORDS
                and POSSESSIVE_RE.sub("", doc.lower[a - 1]) in C.DEMONYMS):
            a -= 1  # "Russia's Defense Ministry" is the Russian one
        return _person_of(doc, a, floor) or ("name", a, k)
    if doc.lower[k] in C.PRONOUNS:
        return ("pronoun", doc.lower[k], k, k)
    if doc.lower[k] in C.ROLE_NOUNS:
        # "the spokesman", "the Fed chief", "the Chinese defense minister": at most two words
        # between the determiner and the role (three after "a"), none a cue or a stopword.
        caps = k  # capitalised words right before the role: "Ukrainian officials said"
        for d in range(k - 1, max(floor, k - 4) - 1, -1):
            if doc.sep(d).strip() or doc.possessive(d):
                break  # "the mayor's spokesman" is not the mayor: _owned_role below
            if doc.lower[d] in DETERMINERS:
                if d < k - 3:
                    break
                if any(doc.lower[t] in C.ROLE_QUALIFIERS for t in range(d + 1, k)):
                    # "the shadow chancellor", "the former president": not the chancellor or
                    # president introduced earlier, but somebody named by these words
                    return ("name", d + 1, k)
                return ("role", doc.lower[k], d, k)
            if doc.lower[d] in ("a", "an"):
                # "a commission spokeswoman said": somebody new, named by the words as written
                # (a bare "a spokeswoman" names nobody)
                return ("name", d + 1, k) if d + 1 < k else None
            if doc.lower[d] in _CUE_INDEX or doc.lower[d] in C.MATCH_STOPWORDS:
                break
            if doc.cap(d) and caps == d + 1 and doc.lower[d] not in C.NAME_STOPWORDS:
                caps = d
        if caps < k and (caps == 0 or not doc.cap(caps - 1) or doc.sep(caps - 1).strip()):
            return ("name", caps, k)  # a group or office named by its country or body
    found = _org_back(doc, k, floor) or _owned_role(doc, k, floor)
    if found is None and (group := group_phrase(doc, k, floor)):
        return ("group", *group)  # "experts said", "28 percent of voters said": as written
    return found


def _person_of(doc: TextIndex, a: int, floor: int):
    """'Jim Hale of the Harbour Institute said', 'Mr. Hale of the Sierra Club said': the person
    before "of (the)", not the body after it ("Secretary of State Ana Ruiz" stays whole)."""
    o = a - 2 if a - 2 >= floor and doc.lower[a - 1] == "the" else a - 1
    if o - 1 < floor or doc.lower[o] != "of" or doc.sep(o) != " " or doc.sep(o - 1) != " ":
        return None
    if not doc.cap(o - 1) or doc.lower[o - 1] == "the" and o == a - 1:
        return None
    start = run_back(doc, o - 1, floor)
    name, count, titled = clean_name(doc, start, o - 1)
    return ("name", start, o - 1) if name and person_like(name, count, titled) else None


def _owned_role(doc: TextIndex, k: int, floor: int):
    """'Germany's finance minister said', 'the mayor's spokesman said', 'the French president's
    office said': a role or body owned by a possessive names its own speaker (the words as
    written), never the owner nor the last person quoted."""
    if doc.lower[k] not in C.ROLE_NOUNS and doc.lower[k] not in C.ORG_WORDS:
        return None
    for d in range(k - 1, max(floor, k - 3) - 1, -1):
        if doc.sep(d) != " " or doc.lower[d] in _CUE_INDEX or doc.lower[d] in C.MATCH_STOPWORDS:
            return None
        if not doc.possessive(d):
            continue
        if doc.cap(d):  # "Germany's", "the European Union's"
            return ("name", run_back(doc, d, floor), k)
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
            and all(doc.lower[t] not in _CUE_INDEX for t in range(a, b + 1)))


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
    for i in range(k - 1, max(floor, k - 80) - 1, -1):
        opener = doc.lower[i + 1]
        if doc.cap(i) and doc.sep(i).strip() == "," and (
                opener in C.APPOSITION_OPENERS or opener.isdigit()
                or (len(opener) > 4 and opener.endswith("ing") and not doc.cap(i + 1))):
            return ("name", run_back(doc, i, floor), i)
        if doc.lower[i] in C.ROLE_NOUNS and doc.sep(i).strip() == "," and opener in ("who", "whose"):
            # "A senior military official, who spoke on condition of anonymity, said"
            return _mention_at(doc, i, floor)
    return None


def _anchored_apposition(doc: TextIndex, k: int, floor: int):
    """'“...,” Doug Lane, director of research at the Harbour Institute, said' (or the same
    opening a sentence): the name run right after the closing mark or the sentence start, when
    a comma ends it and the aside up to the cue has no verb of its own."""
    for a in range(k - 2, max(floor, k - C.MAX_APPOSITION_WORDS) - 1, -1):
        anchored = a == floor or (a > 0 and doc.sep(a - 1).strip()[-1:] in ("\u201d", '"'))
        if not anchored:
            continue
        if not doc.cap(a) or doc.lower[a] in C.NAME_STOPWORDS:
            return None
        a, b = _described_name(doc, a, run_forward(doc, a, k), k)
        aside = aside_start(doc, b)
        if (aside is not None and aside < k
                and not any(doc.lower[t] in C.FINITE_HINTS for t in range(aside, k))):
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
                    and not any(doc.lower[t] in C.FINITE_HINTS for t in aside)):
                return ("name", run_back(doc, i, floor), i)
            return None
        if doc.sep(i).strip():
            return None
    return None


def _before_tag(doc: TextIndex, k: int, floor: int) -> int:
    """Past a party-and-state tag closing a name: "Rep. Tom Hale (D-Ore.) said" reads "Hale"."""
    if (k - 2 >= floor and doc.words[k - 1] in ("R", "D", "I") and doc.sep(k - 1) == "-"
            and doc.sep(k - 2).strip() == "," and doc.sep(k).strip() in (",", ".,")):
        return k - 2  # "Mitch Hale, R-Ky., said"
    if k < floor or not doc.sep(k).rstrip().endswith(")"):
        return k
    for t in range(k, max(floor, k - 6) - 1, -1):
        if doc.sep(t).rstrip().endswith("(") and t < k:
            return t if doc.sep(t).strip() == "(" else k
    return k


def _mention_before(doc: TextIndex, cue: Cue, floor: int):
    """Subject written before the verb; "open" when the verb starts its clause ("..., said X")."""
    k = _before_tag(doc, cue.first - 1, floor)
    tagged = k != cue.first - 1
    while k >= floor and doc.lower[k] in C.SUBJECT_FILLERS and not doc.sep(k).strip():
        k -= 1
    if k < floor or doc.inside(doc.starts[k]):
        return "open"
    gap = "" if tagged else doc.sep(k).strip()
    if gap == ",":  # "Tan Kefei, a spokesman, said" or "the governor, Ana Ruiz, said"
        found = (_anchored_apposition(doc, k + 1, floor) or _apposition(doc, k + 1, floor)
                 or _of_aside(doc, k, floor))
        if found is None and doc.cap(k):
            found = ("name", run_back(doc, k, floor), k)
        return found or "open"
    if gap:
        return "open"
    return _mention_at(doc, k, floor)


def _mention_after(doc: TextIndex, j: int):
    """Source written after the cue: "according to TASS", "said the spokesman", "said Tan"."""
    n = len(doc.words)
    if j >= n or doc.inside(doc.starts[j]) or doc.sep(j - 1).strip():
        return None
    if doc.lower[j] in C.PRONOUNS:
        return ("pronoun", doc.lower[j], j, j)
    if doc.lower[j] in DETERMINERS and j + 1 < n and doc.lower[j + 1] in C.ROLE_NOUNS:
        return ("role", doc.lower[j + 1], j, j + 1)
    a, limit = j, min(n, j + 14)
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
    if doc.possessive(b) and b + 1 < limit and doc.sep(b) == " ":
        body = _org_forward(doc, b + 1, limit)  # "according to China’s defense ministry"
        if body is not None:
            return ("name", a, body)
    if doc.possessive(b) and b + 2 < limit and doc.sep(b) == " " and doc.cap(b + 1):
        owned = run_forward(doc, b + 1, limit)  # "said Florida’s Rick Wilson": the person
        if owned > b + 1:
            return ("name", b + 1, owned)
    return ("name", *_described_name(doc, a, b, limit))


def _described_name(doc: TextIndex, a: int, b: int, limit: int) -> tuple[int, int]:
    """Past a title chain ("Nato secretary general Jens Stoltenberg") or a short description
    ("Republican party boss Dana Whitfield", "Marquette pollster Lee Hart"): the person named
    after it, when the description is lowercase words and the name has two words or more."""
    c, titles = b + 1, True
    while c < limit and c - b <= 4 and doc.sep(c - 1) in (" ", "-") and not doc.cap(c) and (
            doc.lower[c] not in C.MATCH_STOPWORDS and doc.lower[c] not in _CUE_INDEX):
        titles = titles and doc.lower[c] in C.TITLES | C.ROLE_NOUNS
        c += 1
    if c < limit and c > b + 1 and doc.cap(c) and doc.sep(c - 1) == " ":
        end = run_forward(doc, c, limit)
        if titles or end > c:
            return c, end
    return a, b


_SOURCE_PHRASE_ENDS = frozenset({"on", "in", "at", "by", "from", "who", "which", "that", "released",
                                 "published", "conducted", "taken", "issued", "for", "to", "with"})


def _source_phrase(doc: TextIndex, j: int):
    """'according to a recent harbour board report', 'according to exit polls': a source named
    in plain words, as written, up to a comma or a preposition (at most six words)."""
    n = len(doc.words)
    if j >= n or doc.inside(doc.starts[j]) or doc.sep(j - 1).strip():
        return None
    b = j
    while (b + 1 < n and b + 1 - j < 6 and doc.sep(b) == " "
           and doc.lower[b + 1] not in _SOURCE_PHRASE_ENDS):
        b += 1
    head = doc.lower[b]
    if head in C.MATCH_STOPWORDS or head in C.PRONOUNS or head.endswith("ly"):
        return None
    return ("group", j, b)


_INTRO_WORDS = frozenset({"here", "there", "back", "asked", "instead", "later", "earlier", "now"})


def _past_introduction(doc: TextIndex, floor: int, stop: int) -> int:
    """Past an opening phrase closed by a comma ("Here in Columbia, Sanders said", "Asked about
    the plan, Hale said"): it names a place or a time, not the subject."""
    if (dateline := DATELINE.match(doc.text, doc.starts[floor])) is not None:
        return bisect_left(doc.starts, dateline.end())  # "WASHINGTON (AP) — Sen. Ruiz ..."
    w = doc.lower[floor]
    if not (w in _INTRO_WORDS or w in C.ADJUNCT_PREPOSITIONS or w.endswith("ly")):
        return floor
    for k in range(floor, min(stop - 1, floor + 12)):
        if doc.sep(k).strip() == ",":
            return k + 1
        if doc.sep(k).strip():
            break
    return floor


def _first_mention(doc: TextIndex, floor: int, stop: int):
    """The subject of a sentence: its first name or pronoun."""
    floor = _past_introduction(doc, floor, stop)
    for k in range(floor, min(stop, floor + 30)):
        if doc.inside(doc.starts[k]):
            continue  # a word quoted at the sentence start is not its subject
        if doc.lower[k] in C.PRONOUNS:
            return ("pronoun", doc.lower[k], k, k)
        if doc.cap(k) and doc.lower[k] not in C.NAME_STOPWORDS:
            return ("name", k, run_forward(doc, k, stop))
    return None


def _sentence_subject(doc: TextIndex, floor: int, stop: int):
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


def _with_subject(doc: TextIndex, cue: Cue, floor: int):
    """'..., with Chinese analysts saying ...': the participle has its own subject. A name when
    the words end in one, else False (a group such as "analysts" is nobody in particular)."""
    for w in range(cue.first - 1, max(floor, cue.first - 5) - 1, -1):
        if doc.sep(w).strip():
            return None
        if doc.lower[w] == "with":
            last = cue.first - 1
            return ("name", run_back(doc, last, w + 1), last) if last > w and doc.cap(last) else False
    return None


def _role_of(doc: TextIndex, cue: Cue) -> str | None:
    """The role a named speaker is given around the cue: "spokesperson Tan Kefei said",
    "Tan Kefei, a spokesperson for the ministry, said"; later "the spokesperson" is that person."""
    if not cue.subject:
        return None
    a, b = cue.subject
    # Before the name, or a title inside its run: "Fed Chair Jerome Powell".
    near = [k for k in (a - 1, a - 2) if k >= 0 and not doc.sep(k).strip()] + list(range(a, b))
    if b + 1 < cue.first and doc.sep(b).strip() == ",":
        near += range(b + 1, min(cue.first, b + 20))
    return next((_ROLE_SYNONYMS.get(doc.lower[k], doc.lower[k]) for k in near
                 if doc.lower[k] in C.ROLE_NOUNS), None)


def _main_clause_speaker(doc: TextIndex, idx: int, floor: int, back: int):
    """The speaker of the nearest verb cue among the `back` cues before cue idx, in its sentence."""
    for prev in reversed(doc.cues[max(0, idx - back):idx]):
        if prev.kind in ("verb", "claim") and prev.first >= floor and prev.speaker:
            return ("speaker", prev.speaker, prev.person)
    return None


def _subject(doc: TextIndex, idx: int):
    cue = doc.cues[idx]
    sent = doc.sentence_start(doc.starts[cue.first])
    floor = bisect_left(doc.starts, max(sent, doc.starts[cue.first] - C.CUE_WINDOW))
    if cue.kind == "source":
        cue.after = True
        return _mention_after(doc, cue.last) or _source_phrase(doc, cue.last)
    if cue.kind == "noun":
        return ("name", run_back(doc, cue.first - 1, floor), cue.first - 1)
    if cue.kind == "participle":
        if (with_ := _with_subject(doc, cue, floor)) is not None:
            return with_ or None
        return _main_clause_speaker(doc, idx, floor, 5) or _first_mention(doc, floor, cue.first)
    if cue.first > floor and doc.lower[cue.first - 1] in ("and", "but") and not doc.sep(cue.first - 1).strip():
        # "He added that ..., but warned that ...": the verb shares the subject of the cue before it
        if (shared := _main_clause_speaker(doc, idx, floor, 3) or _sentence_subject(doc, floor, cue.first)):
            return shared
    found = _mention_before(doc, cue, floor)
    if found == "open":
        cue.after = True
        return _mention_after(doc, cue.last)
    return found


def resolve_cues(doc: TextIndex) -> None:
    """Give every cue its speaker, in text order, tracking who "he" and "the spokesman" are."""
    last_person: str | None = None
    last_person_pos = -1
    last_any: str | None = None
    roles: dict[str, str] = {}
    for idx, cue in enumerate(doc.cues):
        mention = _subject(doc, idx)
        if mention and mention[0] != "speaker":
            cue.subject = (mention[-2], mention[-1])
        pos = doc.starts[cue.first]
        speaker, person = None, False
        if mention is None:
            pass
        elif mention[0] == "speaker":
            speaker, person = mention[1], mention[2]
        elif mention[0] == "group":
            speaker = doc.text[doc.starts[mention[1]]:doc.ends[mention[2]]]
        elif mention[0] == "pronoun" and mention[1] == "they":
            speaker = last_any
        elif mention[0] == "pronoun":
            speaker = antecedent(doc, pos, last_person, last_person_pos)
            person = speaker is not None
        elif mention[0] == "role":
            role = _ROLE_SYNONYMS.get(mention[1], mention[1])
            speaker = roles.get(role)
            if speaker is None:
                # Nobody introduced as "the minister": the person in view, unless that person
                # came with another role (a senator is not "the minister").
                speaker = antecedent(doc, pos, last_person, last_person_pos)
                held = {r for r, who in roles.items() if who == speaker}
                if held and role not in C.GENERIC_ROLES:
                    # somebody unnamed is in view now: a "she" after this is not the last
                    # person named either
                    speaker, last_person, last_person_pos = None, None, pos
                elif speaker is not None and role not in C.GENERIC_ROLES:
                    roles[role] = speaker
            person = speaker is not None
        else:
            speaker, person = _resolve_name(doc, mention[1], mention[2], last_person)
            role = _role_of(doc, cue) if person else None
            if role:
                roles[role] = speaker
        cue.speaker, cue.person = speaker, person
        if speaker and cue.kind != "noun":
            last_any = speaker
            if person or _spoken_for(doc, cue):
                last_person, last_person_pos = speaker, pos


def _spoken_for(doc: TextIndex, cue: Cue) -> bool:
    """'A spokeswoman for the administrators, Grant & Moss, said': a body speaking through a
    person, who is the "she" of the next quote."""
    if not cue.subject:
        return False
    k0 = bisect_left(doc.starts, doc.sentence_start(doc.starts[cue.first]))
    for k in range(k0, min(k0 + 3, cue.subject[0], len(doc.lower) - 1)):
        if doc.lower[k] in C.ROLE_NOUNS:
            return doc.lower[k + 1] in ("for", "at", "of")
    return False


def _resolve_name(doc: TextIndex, a: int, b: int, last_person: str | None) -> tuple[str | None, bool]:
    name, count, titled = clean_name(doc, a, b)
    if name is None:
        return (last_person, last_person is not None) if titled else (None, False)
    if count == 1 and _opening_adverb(doc, b):
        return None, False  # "Quickly said the mayor ...": the adverb is no speaker
    if count >= 3 and name.upper() == name:
        return None, False  # a headline in capitals ("RED STATES OUTNUMBER BLUE") speaks for nobody
    if count == 1:
        name = expand_surname(doc, name, doc.starts[a])
        count = len(name.split())
    return name, person_like(name, count, titled)


def _opening_adverb(doc: TextIndex, k: int) -> bool:
    """Token k is an "-ly" word capitalised only because it opens its sentence, not a part of a
    person's name seen in the text ("Kelly said" after "Megyn Kelly" is a name)."""
    return (doc.lower[k].endswith("ly") and doc.sentence_start(doc.starts[k]) == doc.starts[k]
            and doc.words[k] not in doc.full_names)


