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
from collections import Counter
from dataclasses import dataclass

from app.pipeline import constants as C

_TOKEN_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENT_END_RE = re.compile(r"[.?!\u2026]+[\"\u201d\u2019)\]]*\s+")
DETERMINERS = frozenset({"the", "this", "that"})

def _build_cue_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First word -> (phrase words, kind), longest phrase first, nouns before same-word verbs."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    groups = (("noun", C.SPEECH_NOUNS), ("source", C.CUE_SOURCE_FIRST),
              ("participle", C.CUE_PARTICIPLES), ("verb", C.CUE_VERBS))
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
        self.cues = _find_cues(self)
        self.cue_firsts = [c.first for c in self.cues]
        self.best_names: dict[str, tuple[list[int], list[str]]] = {}
        self.full_names, runs = _full_name_index(self)
        self.mention_pos, self.mention_names = _person_mentions(self, runs)

    def inside(self, pos: int) -> bool:
        i = bisect_right(self.opens, pos) - 1
        return i >= 0 and self.quoted[i][0] < pos < self.quoted[i][1]

    def sentence_start(self, pos: int) -> int:
        return self.sentences[bisect_right(self.sentences, pos) - 1]

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
            if not (nxt.isupper() or nxt.isdigit() or nxt in "[\"\u201c\u2018("):
                continue
            before = self.text[max(0, m.start() - 8):m.start()].split()
            word = before[-1].lower().lstrip("(\"\u201c") if before else ""
            if word in C.ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            starts.add(b)
        return sorted(starts)


def _find_cues(doc: TextIndex) -> list[Cue]:
    """Every speech cue outside quotation marks, in text order."""
    cues, lw, n, i = [], doc.lower, len(doc.lower), 0
    while i < n:
        options = _CUE_INDEX.get(lw[i])
        hyphenated = i > 0 and doc.sep(i - 1) == "-"  # "so-called" is not a speech cue
        if options and not hyphenated and not doc.inside(doc.starts[i]):
            for words, kind in options:
                k = len(words)
                if tuple(lw[i:i + k]) != words:
                    continue
                if kind == "noun" and not (i > 0 and doc.cap(i - 1) and doc.possessive(i - 1)):
                    continue
                cues.append(Cue(i, i + k, kind))
                i += k - 1
                break
        i += 1
    return cues


# --- Names ---------------------------------------------------------------------------------------

def _name_part(doc: TextIndex, k: int) -> bool:
    """Capitalised, or a particle inside a name ("Ursula von der Leyen")."""
    return doc.cap(k) or doc.words[k] in C.NAME_PARTICLES


def _run_back(doc: TextIndex, k: int, floor: int) -> int:
    """First token of the capitalised run ending at token k ("Xi Jinping", "Jean-Pierre")."""
    a = k
    while (a - 1 >= floor and _name_part(doc, a - 1) and not doc.possessive(a - 1)
           and doc.sep(a - 1) in (" ", "-")):
        a -= 1
    while a < k and not doc.cap(a):
        a += 1
    return a


def _run_forward(doc: TextIndex, a: int, limit: int) -> int:
    b = a
    while (b + 1 < limit and not doc.possessive(b) and _name_part(doc, b + 1)
           and doc.sep(b) in (" ", "-")):
        b += 1
    while b > a and not doc.cap(b):
        b -= 1
    return b


def _clean_name(doc: TextIndex, a: int, b: int) -> tuple[str | None, int, bool]:
    """Strip leading stopwords and titles; return (name, token count, had a title)."""
    while a <= b and doc.lower[a] in C.NAME_STOPWORDS:
        a += 1
    titled = False
    for k in range(b - 1, a - 1, -1):
        if doc.lower[k] in C.TITLES:
            a, titled = k + 1, True
            break
    if a > b:
        return None, 0, titled
    name = doc.text[doc.starts[a]:doc.ends[b]]
    if doc.possessive(b):
        name = re.sub(r"['\u2019]s?$", "", name)
    return name, b - a + 1, titled


def _person_like(name: str, count: int) -> bool:
    """Two or more plain capitalised words with no organisation word: a person's name."""
    words = name.replace("-", " ").split()
    return (count >= 2 and not any(w.lower() in C.ORG_WORDS for w in words)
            and not any(len(w) > 1 and w.isupper() for w in words))


def _full_name_index(doc: TextIndex) -> tuple[dict[str, list[tuple[int, str]]], list]:
    """Map first and last name words to the full names seen, so "Tan" can become "Tan Kefei";
    also return every cleaned capitalised run as (offset, name, word count)."""
    index: dict[str, list[tuple[int, str]]] = {}
    runs: list[tuple[int, str, int]] = []
    k, n = 0, len(doc.words)
    while k < n:
        if not doc.cap(k):
            k += 1
            continue
        b = _run_forward(doc, k, n)
        name, count, _ = _clean_name(doc, k, b)
        if name:
            runs.append((doc.starts[k], name, count))
        if name and 2 <= count <= 4 and _person_like(name, count):
            parts = name.replace("-", " ").split()
            for key in {parts[0], parts[-1]}:
                index.setdefault(key, []).append((doc.starts[k], name))
        k = b + 1
    return index, runs


def _person_mentions(doc: TextIndex, runs: list) -> tuple[list[int], list[str]]:
    """Where people are named outside quotes, surnames expanded: candidates for "he" and "she"."""
    positions, names = [], []
    for pos, name, count in runs:
        if doc.inside(pos):
            continue
        if count == 1:
            name = _expand_surname(doc, name, pos)
            count = len(name.split())
        if _person_like(name, count):
            positions.append(pos)
            names.append(name)
    return positions, names


def _antecedent(doc: TextIndex, pos: int, last_speaker: str | None, speaker_pos: int) -> str | None:
    """Who "he", "she" or "the spokesman" is at pos: the last person quoted, unless a later
    sentence names someone -- then that sentence's first person (its subject, roughly)."""
    i = bisect_left(doc.mention_pos, pos) - 1
    if i < 0:
        return last_speaker
    sent = doc.sentence_start(doc.mention_pos[i])
    if last_speaker and speaker_pos >= sent:
        return last_speaker
    return doc.mention_names[bisect_left(doc.mention_pos, sent)]


def _best_full_names(seen: list[tuple[int, str]]) -> tuple[list[int], list[str]]:
    """Keep only the most frequent names for a word: "Putin" means "Vladimir Putin", not a
    headline fragment like "How Putin"."""
    counts = Counter(name for _, name in seen)
    best = max(counts.values())
    kept = [(p, name) for p, name in seen if counts[name] == best]
    return [p for p, _ in kept], [name for _, name in kept]


def _expand_surname(doc: TextIndex, word: str, pos: int) -> str:
    """The most frequent full name with this first/last word; the latest before pos breaks ties."""
    if word not in doc.best_names:
        seen = doc.full_names.get(word)
        doc.best_names[word] = _best_full_names(seen) if seen else ([], [])
    positions, names = doc.best_names[word]
    if not names:
        return word
    i = bisect_left(positions, pos) - 1
    return names[i] if i >= 0 else names[0]


# --- Subjects of cues ----------------------------------------------------------------------------

def _mention_at(doc: TextIndex, k: int, floor: int):
    """What token k names when it is a cue's subject: a name run, a pronoun or "the <role>"."""
    if doc.cap(k) and doc.lower[k] not in C.PRONOUNS:
        return ("name", _run_back(doc, k, floor), k)
    if doc.lower[k] in C.PRONOUNS:
        return ("pronoun", doc.lower[k])
    if doc.lower[k] in C.ROLE_NOUNS and k - 1 >= floor and doc.lower[k - 1] in DETERMINERS:
        return ("role", doc.lower[k])
    return None


def _apposition(doc: TextIndex, k: int, floor: int):
    """'Tan Kefei, a spokesperson for ..., said': the name before ', a|an|the|who'."""
    for i in range(k - 1, max(floor, k - 80) - 1, -1):
        opener = doc.lower[i + 1]
        if doc.cap(i) and doc.sep(i).strip() == "," and (opener in C.APPOSITION_OPENERS or opener.isdigit()):
            return ("name", _run_back(doc, i, floor), i)
    return None


def _mention_before(doc: TextIndex, cue: Cue, floor: int):
    """Subject written before the verb; "open" when the verb starts its clause ("..., said X")."""
    k = cue.first - 1
    while k >= floor and doc.lower[k] in C.SUBJECT_FILLERS and not doc.sep(k).strip():
        k -= 1
    if k < floor or doc.inside(doc.starts[k]):
        return "open"
    gap = doc.sep(k).strip()
    if gap == ",":  # "Tan Kefei, a spokesman, said" or "the governor, Ana Ruiz, said"
        found = _apposition(doc, k + 1, floor)
        if found is None and doc.cap(k):
            found = ("name", _run_back(doc, k, floor), k)
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
        return ("pronoun", doc.lower[j])
    if doc.lower[j] in DETERMINERS and j + 1 < n and doc.lower[j + 1] in C.ROLE_NOUNS:
        return ("role", doc.lower[j + 1])
    a, limit = j, min(n, j + 10)
    while a < limit and not doc.cap(a) and not doc.sep(a).strip():
        a += 1
    if a >= limit or not doc.cap(a):
        return None
    b = _run_forward(doc, a, limit)
    c = b + 1  # a title chain: "Nato secretary general Jens Stoltenberg"
    while c < limit and not doc.sep(c - 1).strip() and doc.lower[c] in C.TITLES | C.ROLE_NOUNS:
        c += 1
    if c < limit and c > b + 1 and doc.cap(c) and not doc.sep(c - 1).strip():
        a, b = c, _run_forward(doc, c, limit)
    return ("name", a, b)


def _first_mention(doc: TextIndex, floor: int, stop: int):
    """The subject of a sentence: its first name or pronoun."""
    for k in range(floor, min(stop, floor + 30)):
        if doc.lower[k] in C.PRONOUNS:
            return ("pronoun", doc.lower[k])
        if doc.cap(k) and doc.lower[k] not in C.NAME_STOPWORDS:
            return ("name", k, _run_forward(doc, k, stop))
    return None


def _subject(doc: TextIndex, idx: int):
    cue = doc.cues[idx]
    sent = doc.sentence_start(doc.starts[cue.first])
    floor = bisect_left(doc.starts, max(sent, doc.starts[cue.first] - C.CUE_WINDOW))
    if cue.kind == "source":
        return _mention_after(doc, cue.last)
    if cue.kind == "noun":
        return ("name", _run_back(doc, cue.first - 1, floor), cue.first - 1)
    if cue.kind == "participle":
        for prev in reversed(doc.cues[max(0, idx - 5):idx]):
            if prev.kind == "verb" and prev.first >= floor and prev.speaker:
                return ("speaker", prev.speaker, prev.person)
        return _first_mention(doc, floor, cue.first)
    found = _mention_before(doc, cue, floor)
    return _mention_after(doc, cue.last) if found == "open" else found


def resolve_cues(doc: TextIndex) -> None:
    """Give every cue its speaker, in text order, tracking who "he" and "the spokesman" are."""
    last_person: str | None = None
    last_person_pos = -1
    last_any: str | None = None
    for idx, cue in enumerate(doc.cues):
        mention = _subject(doc, idx)
        pos = doc.starts[cue.first]
        speaker, person = None, False
        if mention is None:
            pass
        elif mention[0] == "speaker":
            speaker, person = mention[1], mention[2]
        elif mention[0] == "pronoun" and mention[1] == "they":
            speaker = last_any
        elif mention[0] in ("pronoun", "role"):
            speaker = _antecedent(doc, pos, last_person, last_person_pos)
            person = speaker is not None
        else:
            speaker, person = _resolve_name(doc, mention[1], mention[2], last_person)
        cue.speaker, cue.person = speaker, person
        if speaker and cue.kind != "noun":
            last_any = speaker
            if person:
                last_person, last_person_pos = speaker, pos


def _resolve_name(doc: TextIndex, a: int, b: int, last_person: str | None) -> tuple[str | None, bool]:
    name, count, titled = _clean_name(doc, a, b)
    if name is None:
        return (last_person, last_person is not None) if titled else (None, False)
    if count == 1:
        name = _expand_surname(doc, name, doc.starts[a])
        count = len(name.split())
    return name, _person_like(name, count)


