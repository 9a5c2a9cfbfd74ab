"""Who speaks: speech cues in news text and the people or bodies they point to.

Why separate from quote finding: the same cue index serves quotes and, later, reported speech
("Tan said China and Russia ...") that the claims layer may want to attribute. Everything works on
regex tokens with bisect lookups, so cost grows linearly with the text.

Pronouns and "the spokesman" resolve to the last person named as a speaker (not merely the last
name mentioned: "Tan criticised Stoltenberg's remarks ... “...,” he said" is Tan); a lone surname
resolves to the full name it abbreviates that its title fits ("Tan" -> "Tan Kefei", "Mrs. Varga" ->
"Ellen Varga", not her husband; see name_runs.expand_surname). Who "the Texas governor" or "the
US envoy" is (the person introduced with that office, the person in view, or the office as
written) is read in offices.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from app.pipeline import constants as C
from app.pipeline.name_runs import (  # canonical_speaker, speaker_aliases: the public name rules
    antecedent,
    byline_spans,
    canonical_speaker,
    clean_name,
    expand_surname,
    full_name_index,
    person_like,
    office_name,
    person_mentions,
    run_back,
    speaker_aliases,
    surname_aliases,
    title_words,
)
from app.pipeline.offices import (
    ROLE_SYNONYMS,
    introduced,
    office_holder,
    other_office,
    place_words,
    role_holders,
    role_word,
)
from app.pipeline.subjects import (
    DETERMINERS,
    first_mention,
    last_clause_subject,
    infinitive_subject,
    mention_after,
    mention_before,
    sentence_subject,
    source_phrase,
    with_subject,
)

__all__ = ["Cue", "TextIndex", "resolve_cues", "canonical_speaker", "speaker_aliases",
           "surname_aliases", "DETERMINERS"]

_TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENT_END_RE = re.compile(r"[.?!\u2026]+[\"\u201d\u2019)\]]*\s+")
_NOUN_DETERMINERS = frozenset({"the", "a", "an", "these", "those", "its", "their", "his", "her",
                               "our", "my", "your", "such", "many", "some", "all", "both"})

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
    shaped: bool = False  # no listed cue: a verb-shaped word before "that" (see _shaped_cue)



class TextIndex:
    """The text with its tokens, quoted regions and sentence starts, for bisect lookups.

    `quoted` holds (opening mark, closing mark or paragraph end) pairs in text order;
    `para_starts` the offsets where paragraphs begin (always sentence starts).
    """

    def __init__(self, text: str, para_starts: list[int], quoted: list[tuple[int, int]]) -> None:
        self.text = text.replace("\u00a0", " ")  # a no-break space between names is a space (same length)
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
        self.bylines = byline_spans(text, para_starts)
        self.byline_starts = [a for a, _ in self.bylines]
        # a byline's words are no speech ("By Jane Doe, who covers the council"): no cue there
        self.cues = [c for c in _find_cues(self) if not self.in_byline(self.starts[c.first])]
        self.cue_firsts = [c.first for c in self.cues]
        # Cues that may attribute a quotation in marks: not "claim" verbs ("denied", "showed")
        self.quote_cues = [c for c in self.cues if c.kind != "claim" and not c.shaped]
        self.quote_cue_firsts = [c.first for c in self.quote_cues]
        self.best_names: dict[str, list] = {}   # a surname's people (name_runs.expand_surname)
        self.honorifics: dict[str, list] | None = None   # "Obama" -> [(pos, "mr")] (name_runs.speaker_sex)
        self.pronouns: dict[str, list[str]] = {}   # speaker -> the "he"/"she" cues resolved to them
        self.lowercase_words: set[str] | None = None
        self.full_names, runs = full_name_index(self)
        self.mention_pos, self.mention_names = person_mentions(self, runs)
        self.introductions: list | None = None   # people named with a role (see _introductions)

    def inside(self, pos: int) -> bool:
        i = bisect_right(self.opens, pos) - 1
        return i >= 0 and self.quoted[i][0] < pos < self.quoted[i][1]

    def in_byline(self, pos: int) -> bool:
        """pos lies in a byline paragraph ("By Jane Doe, Reuters"): its writers never speak."""
        if not self.bylines:
            return False
        i = bisect_right(self.byline_starts, pos) - 1
        return i >= 0 and pos < self.bylines[i][1]

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
        if not options and not (i + 1 < n and lw[i + 1] == "that"):
            i += 1  # most words: no cue, and no verb before "that" (see _shaped_cue)
            continue
        hyphenated = i > 0 and doc.sep(i - 1) == "-"  # "so-called" is not a speech cue
        shouted = len(doc.words[i]) > 1 and doc.words[i].isupper()  # a headline in capitals
        if options and not hyphenated and not shouted and not doc.inside(doc.starts[i]):
            for words, kind in options:
                k = len(words)
                if tuple(lw[i:i + k]) != words:
                    continue
                if kind == "noun" and not (i > 0 and doc.cap(i - 1) and doc.possessive(i - 1)):
                    continue
                if (kind in ("verb", "claim") and i > 0 and lw[i - 1] in _NOUN_DETERMINERS
                        and doc.sep(i - 1) == " "):
                    continue  # "the states", "his claims", "the reports": a noun, not a verb
                    # (not '... at all,” said Hale': a quote's last word is no determiner)
                if kind in ("verb", "claim") and _in_name_run(doc, i):
                    continue  # "the United States has ...", "Trump Says": a name's word
                cues.append(Cue(i, i + k, kind))
                i += k - 1
                break
            else:
                if i + 1 < n and lw[i + 1] == "that" and (shaped := _shaped_cue(doc, i)) is not None:
                    cues.append(shaped)
        elif (not options and i + 1 < n and lw[i + 1] == "that" and not hyphenated and not shouted
              and (shaped := _shaped_cue(doc, i))):
            cues.append(shaped)
        i += 1
    return cues


def _in_name_run(doc: TextIndex, i: int) -> bool:
    """Token i is capitalised and follows a capitalised word across a plain space: a word of a
    name ("United States", "Reports" in "Consumer Reports") or of a Title Case headline, never
    a verb of speech."""
    return i > 0 and doc.cap(i) and doc.cap(i - 1) and doc.sep(i - 1) == " "


def _shaped_cue(doc: TextIndex, i: int) -> Cue | None:
    """A verb no list holds, told by its shape and the "that" after it: "Hale conceded that",
    "..., suggesting that", "the board later clarified that". Reported speech only (never a
    quote's cue); the clause after "that" must still look like one (app/pipeline/reported.py)."""
    w = doc.lower[i]
    if (i + 1 >= len(doc.lower) or doc.lower[i + 1] != "that" or doc.sep(i) != " " or doc.cap(i)
            or len(w) < 6 or not w.endswith(("ed", "ing")) or w in C.NOT_SHAPED_CUES
            or w in C.NOT_CLAIM_VERBS or w in C.DENIAL_VERBS
            or (i > 0 and doc.lower[i - 1] in _NOUN_DETERMINERS) or doc.inside(doc.starts[i])):
        return None
    if w.endswith("ing") and not (doc.sep(i - 1).strip() == "," or doc.lower[i - 1] in _ING_AUXILIARIES):
        return None  # ", suggesting that", "is suggesting that"; not "a ruling that"
    return Cue(i, i + 1, "participle" if w.endswith("ing") else "claim", shaped=True)


_ING_AUXILIARIES = frozenset({"is", "are", "was", "were", "been", "he's", "she's", "he\u2019s",
                              "she\u2019s", "they're", "they\u2019re", "also", "now", "still"})


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
    return next((ROLE_SYNONYMS.get(doc.lower[k], doc.lower[k]) for k in near
                 if doc.lower[k] in C.ROLE_NOUNS), None)


_QUOTING = frozenset({"quoted", "cited", "quoting", "citing"})


def _quoted_as(doc: TextIndex, cue: Cue, floor: int):
    """'Xinhua quoted Li Wen as saying', 'citing Li Wen as saying', 'Li Wen was quoted by TASS
    as saying': the person quoted speaks, not the agency or paper quoting them."""
    j = cue.first - 1
    if j - 1 < floor or doc.lower[j] != "as" or doc.sep(j) != " " or doc.sep(j - 1) != " ":
        return None
    k = j - 1
    if doc.cap(k) and (a := run_back(doc, k, floor)) - 1 >= floor and doc.lower[a - 1] == "by":
        k = a - 2   # "was quoted by TASS as saying": past the agency
    if k >= floor and doc.cap(k) and not doc.possessive(k):
        a = run_back(doc, k, floor)
        if a - 1 >= floor and doc.lower[a - 1] in _QUOTING and doc.sep(a - 1) == " ":
            return mention_before(doc, Cue(k + 1, k + 2, "verb"), floor)  # "quoted Li Wen as"
        return None
    if k - 1 >= floor and doc.lower[k] in _QUOTING and doc.lower[k - 1] in C.PASSIVE_MARKERS:
        # "Li Wen was quoted as saying": the subject of "was quoted"
        return mention_before(doc, Cue(k - 1, k, "verb"), floor)
    return _quoted_phrase(doc, k, floor)


def _quoted_phrase(doc: TextIndex, k: int, floor: int):
    """'CNN quoted an American witness as saying', 'citing a local official as saying': somebody
    named in plain words between the quoting verb and "as" (token k, the phrase's last) speaks,
    as written ("a"), or as the role in view ("the spokesman"); never the outlet quoting them."""
    for d in range(k - 1, max(floor, k - 6) - 1, -1):
        if doc.sep(d) != " " or doc.inside(doc.starts[d]):
            return None
        if doc.lower[d] in ("a", "an", "the", "one"):
            if d - 1 < floor or doc.lower[d - 1] not in _QUOTING or doc.sep(d - 1) != " ":
                continue   # ("quoted one of the aides as saying": on to "one")
            if doc.lower[d] == "the" and doc.lower[k] in C.ROLE_NOUNS and k == d + 1:
                return ("role", doc.lower[k], d, k)
            # somebody unnamed, as written ("one of Carson's aides"): no "he" after it is them
            return ("group", d if doc.lower[d] == "one" else d + 1, k)
    return None


def _main_clause_speaker(doc: TextIndex, idx: int, floor: int, back: int):
    """The speaker of the nearest verb cue among the `back` cues before cue idx, in its sentence."""
    for prev in reversed(doc.cues[max(0, idx - back):idx]):
        if prev.kind in ("verb", "claim") and prev.first >= floor and prev.speaker:
            return ("speaker", prev.speaker, prev.person)
    return None


# Words between "and" and a verb that share the subject before "and": "... and has also said".
_AUXILIARY_FILLERS = C.SUBJECT_FILLERS - {"which", "who"}


def _subject(doc: TextIndex, idx: int):
    cue = doc.cues[idx]
    sent = doc.sentence_start(doc.starts[cue.first])
    floor = bisect_left(doc.starts, max(sent, doc.starts[cue.first] - C.CUE_WINDOW))
    if cue.kind == "source":
        cue.after = True
        return mention_after(doc, cue.last) or source_phrase(doc, cue.last)
    if cue.kind == "noun":
        return ("name", run_back(doc, cue.first - 1, floor), cue.first - 1)
    if cue.kind == "participle":
        if (quoted := _quoted_as(doc, cue, floor)) is not None:
            return quoted
        if (with_ := with_subject(doc, cue, floor)) is not None:
            return with_ or None
        # the subject of the last clause before the participle, unless a speech verb with its
        # own speaker stands after it ("Ryan and Trump will meet, Spicer said, adding ...")
        after = max((c.last for c in doc.cues[max(0, idx - 5):idx]
                     if c.kind in ("verb", "claim") and c.first >= floor and c.speaker), default=-1)
        clause = last_clause_subject(doc, max(floor, after), cue.first)
        return clause or _main_clause_speaker(doc, idx, floor, 5) or first_mention(doc, floor, cue.first)
    j = cue.first - 1
    if j >= floor and doc.lower[j] == "to" and not doc.sep(j).strip():
        # "Hale was prompted to say", "..., but went on to say": the subject of the verb chain
        if (found := infinitive_subject(doc, cue, floor) or _main_clause_speaker(doc, idx, floor, 3)):
            return found
    while j > floor and doc.lower[j] in _AUXILIARY_FILLERS and not doc.sep(j).strip():
        j -= 1   # "Dayton has been a supporter and has pledged that ..."
    if j >= floor and doc.lower[j] in ("and", "but") and not doc.sep(j).strip():
        # "He added that ..., but warned that ...": the verb shares the subject of the cue before it
        if (shared := _main_clause_speaker(doc, idx, floor, 3) or sentence_subject(doc, floor, cue.first)):
            return shared
    found = mention_before(doc, cue, floor)
    if found == "open":
        cue.after = True
        return mention_after(doc, cue.last)
    return found


def resolve_cues(doc: TextIndex) -> None:
    """Give every cue its speaker, in text order, tracking who "he" and "the spokesman" are."""
    last_person: str | None = None
    last_person_pos = -1
    last_any: str | None = None
    roles: dict[str, str] = {}
    for idx, cue in enumerate(doc.cues):
        mention = _subject(doc, idx)
        if (mention and mention[0] == "name" and mention[1] == mention[2] and mention[1] > 0
                and doc.lower[mention[1]] in C.DESCRIPTOR_ADJECTIVES
                and doc.lower[mention[1] - 1] in DETERMINERS):
            # "the Republican said" is the person in view (a role); "the French said" nobody
            word = doc.lower[mention[1]]
            mention = ("role", word, mention[1] - 1, mention[1]) if word in C.PARTY_WORDS else None
        elif (mention and mention[0] == "name" and mention[1] < mention[2] and mention[1] > 0
              and doc.lower[mention[2]] in C.PARTY_WORDS and doc.lower[mention[1] - 1] in DETERMINERS
              and not doc.possessive(mention[2])):
            # "the New York Democrat told reporters", "the Louisiana Republican": the person in view
            mention = ("role", doc.lower[mention[2]], mention[1] - 1, mention[2])
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
        elif mention[0] == "office" and mention[1] > mention[2]:
            # "the governor of Texas said": the person introduced with that office ("Texas Gov.
            # Greg Abbott", "Greg Abbott, the governor of Texas,"), else the office as written,
            # somebody unnamed now in view (the "he" after it, not the last person named)
            speaker = office_holder(doc, mention[2], place_words(doc, mention[1], mention[4]), pos)
            person = speaker is not None
            if speaker is None:
                speaker = doc.text[doc.starts[mention[3]]:doc.ends[mention[4]]]
                last_person, last_person_pos = speaker, pos
        elif mention[0] == "pronoun" and mention[1] == "they":
            speaker = last_any
        elif mention[0] == "pronoun":
            speaker = antecedent(doc, pos, last_person, last_person_pos)
            person = speaker is not None
            if speaker is not None:   # "she said" tells the speaker's sex (name_runs.speaker_sex)
                doc.pronouns.setdefault(speaker, []).append(mention[1])
        elif mention[0] in ("role", "office"):
            word = mention[1] if mention[0] == "role" else doc.lower[mention[2]]
            role = role_word(word)
            holders = [] if role in _ANY_PERSON_ROLES else role_holders(doc, role, pos)
            placed = None
            if mention[0] == "office":
                # "the Texas governor": the person introduced as governor of Texas, else a
                # role like "the governor" (no governor of another place, though)
                place = place_words(doc, mention[1], mention[2] - 1)
                placed = next((name for name, words in holders if words and (words <= place or place <= words)), None)
                holders = [(name, words) for name, words in holders if not words]
            speaker = placed or roles.get(role)
            if speaker is None and mention[0] == "office":
                # "the Texas governor" with nobody introduced as governor of Texas: one
                # introduced as governor of no place ("Gov. Ana Ruiz"), the one in view first;
                # else the person in view, as news writes ("Rubio said ... the Florida senator
                # said"), unless the text gave them another office ("President Joe Biden said
                # ... the Texas governor said" is not Biden); else the office as written (below)
                # (before the office's words and their "the": "The New York mayor said" names
                # nobody in view, though "New York" reads like a name)
                first = mention[3] - 1 if mention[3] > 0 and doc.lower[mention[3] - 1] in DETERMINERS else mention[3]
                in_view = antecedent(doc, min(pos, doc.starts[first]), last_person, last_person_pos)
                speaker = next((name for name, _ in holders if name == in_view),
                               holders[0][0] if holders else None)
                if speaker is None and in_view is not None and not other_office(doc, in_view, role, place, pos):
                    speaker = in_view
                if speaker is not None:
                    roles[role] = speaker
            elif speaker is None:
                # Nobody introduced as "the minister" by a cue: the person in view, unless that
                # person came with another role (a senator is not "the minister"); then the
                # latest named with this role anywhere ("Sen. Ana Ruiz" ... "the senator")
                # (in view before the role's words: "the South Carolina senator", "the New York
                # Democrat" name no person in view themselves)
                at = min(pos, doc.starts[mention[2] if mention[0] == "role" else mention[3]])
                speaker = antecedent(doc, at, last_person, last_person_pos)
                held = {r for r, who in roles.items() if who == speaker}
                if holders and speaker not in (name for name, _ in holders) and (
                        speaker is None or held or introduced(doc, speaker, pos)):
                    speaker = holders[0][0]
                    roles[role] = speaker
                elif held and role not in _ANY_PERSON_ROLES:
                    # somebody unnamed is in view now: a "she" after this is not the last
                    # person named either
                    speaker, last_person, last_person_pos = None, None, pos
                elif speaker is not None and role not in _ANY_PERSON_ROLES:
                    roles[role] = speaker
            person = speaker is not None
            if speaker is None and mention[0] == "office":
                speaker = doc.text[doc.starts[mention[3]]:doc.ends[mention[4]]]   # as written
                last_person, last_person_pos = speaker, pos
        else:
            speaker, person = _resolve_name(doc, mention[1], mention[2], last_person)
            role = _role_of(doc, cue) if person else None
            if role:
                roles[role] = speaker
        cue.speaker, cue.person = speaker, person
        if speaker and cue.kind != "noun" and not _inside_report(doc, idx):
            last_any = speaker
            if person or _spoken_for(doc, cue):
                last_person, last_person_pos = speaker, pos


#: Roles any named speaker may be called later whatever introduced them: "the Fed chief", "the
#: Republican" (see C.GENERIC_ROLES).
_ANY_PERSON_ROLES = C.GENERIC_ROLES | C.PARTY_WORDS
def _inside_report(doc: TextIndex, idx: int) -> bool:
    """Cue idx is a verb that no list of speech holds ("show", "believes") after a speech verb
    with its speaker in the same sentence: 'Ryan said the onus is on Trump to show that he ...'
    is Ryan's statement; Trump, its subject, does not become the person in view."""
    cue = doc.cues[idx]
    if cue.kind != "claim" and not cue.shaped:
        return False
    sent = doc.sentence_start(doc.starts[cue.first])
    return any(c.kind == "verb" and c.speaker and doc.starts[c.first] >= sent
               for c in doc.cues[max(0, idx - 3):idx])


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
    if name is None and _opens_subject(doc, a) and (office := office_name(doc, a, b)):
        return office, False   # "the Secretary of State said": the office, not the last person
    if name is None:
        return (last_person, last_person is not None) if titled else (None, False)
    if count == 1 and (_opening_adverb(doc, b) or _opening_common_word(doc, b)):
        return None, False  # "Quickly said the mayor ...", "Having announced that ...", "Hours
        # later, ... telling": the sentence's first word is no speaker
    if count >= 3 and name.upper() == name:
        return None, False  # a headline in capitals ("RED STATES OUTNUMBER BLUE") speaks for nobody
    if count == 1:
        name = expand_surname(doc, name, doc.starts[a], title_words(doc, a, b - 1))
        count = len(name.split())
    return name, person_like(name, count, titled)


def _opens_subject(doc: TextIndex, a: int) -> bool:
    """Token a opens a subject: its sentence starts there, or a determiner or comma is before it
    (not "offered him a job as Secretary of Defense, then says")."""
    return (a == 0 or doc.sentence_start(doc.starts[a]) == doc.starts[a]
            or doc.lower[a - 1] in ("the", "a", "an") or doc.sep(a - 1).strip()[-1:] in (",", ";", ":")
            or doc.lower[a] in ("the", "a", "an"))


def _opening_common_word(doc: TextIndex, k: int) -> bool:
    """Token k opens its sentence and is capitalised only for that: a participle ("Having",
    "Speaking") or a time word ("Hours", "Days") never seen as part of a name in the text."""
    w = doc.lower[k]
    return (doc.sentence_start(doc.starts[k]) == doc.starts[k] and doc.words[k] not in doc.full_names
            and (w.endswith("ing") or w.removesuffix("s") in _OPENING_TIMES))


_OPENING_TIMES = C.TIME_NOUNS | {"hour", "minute", "moment", "decade", "second"}


def _opening_adverb(doc: TextIndex, k: int) -> bool:
    """Token k is an "-ly" word capitalised only because it opens its sentence, not a part of a
    person's name seen in the text ("Kelly said" after "Megyn Kelly" is a name)."""
    return (doc.lower[k].endswith("ly") and doc.sentence_start(doc.starts[k]) == doc.starts[k]
            and doc.words[k] not in doc.full_names)


