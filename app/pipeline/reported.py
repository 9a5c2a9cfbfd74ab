"""Reported speech: statements attributed without quotation marks.

"Tan said China and Russia's relationship was not like the alliances of the Cold War" carries a
claim and a speaker as surely as a quotation does, and outlets often paraphrase where others quote.
Every record is anchored on a speech cue whose speaker the cue index already resolved (or, when
it names nobody, an unnamed source written before the verb: "47 percent said", "the poll showed",
see written_subject), in one of these shapes (the span is the content only, never the cue or
"that"):

- cue, then content: "X said (on Monday) (that) <clause>", "X told reporters <clause>",
  "X warned that <clause>", "X told voters at the rally that <clause>", "..., adding that
  <clause>", "according to X, <clause>";
- content, then cue, closing the sentence: "<clause>, X said on Monday.", "<clause>, said the
  spokesman.", "<clause>, according to X.";
- a position: "X urged the board to <do something>", "X called for <what is wanted>".

Cues come from the lists in constants.py (partly learned from PolNeAR train by
scripts/learn_cues.py), and any verb shaped like one right before "that" ("X conceded that").
Precision first, because a wrong record becomes a wrong claim: a speaker must be known; verbs other
than say/tell/add/write/state need "that" or a clause with its own verb ("Tan warned of ...",
"Tan vowed to ..." are not statements); a bare clause must show a finite verb ("told the story
of ..." is not one); passives ("he was told", "it is said"), questions (and whatever follows a
verb of asking but a request), denials, Title Case headlines and short lines without a full stop
(headlines, captions, bullets) are skipped; content that opens with a quotation mark is a direct
quote, left to the quote finder; at most one record per stretch of text (a later cue in the same
sentence cuts the earlier content short).
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from pathlib import Path

from app.pipeline import constants as C
from app.pipeline.name_runs import DATELINE, antecedent
from app.pipeline.speakers import Cue, TextIndex

_MARKS = frozenset("\u201c\u201d\u201e\u00ab\u00bb\"\u2018\u2019")
_DETERMINERS = frozenset({"a", "an", "the", "its", "his", "her", "their", "this"})
_CLAUSE_OPENERS = frozenset({"but", "and", "yet", "however", "also", "still", "so", "meanwhile"})
_TAIL_OPENERS = C.APPOSITION_OPENERS | frozenset(C.CUE_PARTICIPLES) | {"citing", "as", "which"}
_THIRD_PERSON = frozenset({"he", "she", "it"})
_CLAUSE_SUBJECTS = frozenset({"he", "she", "it", "they", "we", "i"})
_AUXILIARIES = frozenset({
    "is", "are", "was", "were", "will", "would", "should", "could", "can", "must", "might", "may",
    "has", "have", "had", "won't", "can't", "cannot", "wouldn't", "isn't", "wasn't", "aren't",
    "weren't", "didn't", "doesn't", "don't", "hasn't", "haven't", "shouldn't", "couldn't",
    "won\u2019t", "can\u2019t", "wouldn\u2019t", "isn\u2019t", "wasn\u2019t", "aren\u2019t",
    "didn\u2019t", "doesn\u2019t", "don\u2019t", "hasn\u2019t", "haven\u2019t",
})
_HEADLINE_SHARE = 0.6

def find_reported(doc: TextIndex, *, gate: dict | None | bool = True, candidates: list | None = None,
                  cue_words=None) -> list[tuple[int, int, Cue, str | None, bool]]:
    """(start, end, cue, speaker, states) of every reported statement, in text order, never
    overlapping. The speaker is the cue's, else the subject as written before the verb (see
    written_subject); None only for words a channel relays from somebody unnamed (see _relayed).
    A cue with a speaker that the rules turn down gets a second, looser reading
    kept when the learned gate says so (see gate_candidate; `gate`: False for the rules alone, or
    parameters other than the shipped ones). `states` is False for such a reading that holds no
    clause ("criticized the plan as a giveaway", "warned of long delays"): an attribution an
    analyst may see, but no statement to make a claim of. `candidates`, when given, collects
    every loose reading as (start, end, features) whatever the gate says (for training it);
    `cue_words`: the gate's own cue words, when not the parameters'."""
    params = (_GATE if gate is True else gate) or None
    found: list[tuple[int, int, Cue, str, bool]] = []
    last_end = -1
    loose_on = params is not None or candidates is not None
    if cue_words is None:
        cue_words = (params or {}).get("cue_words", ())
    for idx, cue, extra in _with_gate_words(doc, cue_words if loose_on else ()):
        if extra:
            speaker, loose_subject = _gate_word_speaker(doc, cue)
            if speaker and doc.starts[cue.first] >= last_end and (
                    read := _gate_reading(doc, idx, speaker, loose_subject, cue, last_end, params,
                                          candidates)):
                found.append((read[0], read[1], cue, speaker, read[2]))
                last_end = read[1]
            continue
        phrase = " ".join(doc.lower[cue.first:cue.last])
        states = True
        strict = not (cue.kind == "noun" or _passive(doc, cue) or (
            not cue.shaped and phrase not in C.REPORTING_BARE and phrase not in C.REPORTING_THAT))
        if not strict and not loose_on:
            continue
        speaker = cue.speaker or (None if cue.after or cue.subject else written_subject(doc, cue))
        loose_subject = False
        if not speaker and loose_on and not cue.after and not cue.subject:
            speaker, loose_subject = written_subject(doc, cue, heads=False), True
        if not speaker:
            continue
        span = _reported_span(doc, idx, phrase) if strict and not loose_subject else None
        if span is None and loose_on and doc.starts[cue.first] >= last_end and (
                read := _gate_reading(doc, idx, speaker, loose_subject, None, last_end, params, candidates)):
            span, states = read[:2], read[2]
        relayed = _relayed(doc, idx, span, speaker) if span else None
        if isinstance(relayed, Cue):
            # a channel relaying somebody nothing in view names: the words, with no speaker
            span, speaker, relayed = _unnamed_words(doc, span, relayed), None, None
        if span and span[0] >= last_end and relayed is None:
            found.append((span[0], span[1], cue, speaker, states))
            last_end = span[1]
    return found


#: Verbs of a source that passes on what somebody else said: "..., TASS reported", "Xinhua quoted".
_RELAY_VERBS = frozenset({"reported", "reports", "reporting", "quoted", "quotes", "quoting", "cited",
                          "cites", "citing"})


_QUOTING = frozenset({"quoted", "quoting", "cited", "citing"})
_CLOSING = frozenset(',"\u201d\u2019')   # "“...,” Li said": a quotation closes before the subject


def _relayed(doc: TextIndex, idx: int, span: tuple[int, int], speaker: str) -> bool | Cue | None:
    """The cue names a channel ("according to Reuters", "..., TASS reported", "Xinhua quoted")
    whose words are another speaker's attribution ("said", "told", "as saying"), opening with its
    subject or closing with its verb: "According to the AP, the governor said the dam had held",
    "CNN quoted an American witness as saying ...", "“...,” Li said, according to TASS". The
    channel only reports them, and makes no statement of its own. True: the words are the other
    speaker's (their own cue reads them); that speaker's cue when nothing in view names them
    ("the governor" with no governor introduced): the words are kept with no speaker rather
    than given to the channel (see _unnamed_words); None: the channel's own report."""
    cue = doc.cues[idx]
    phrase = " ".join(doc.lower[cue.first:cue.last])
    if cue.person and phrase not in _QUOTING or cue.kind != "source" and phrase not in _RELAY_VERBS:
        return None   # (a person "reported that Ruiz said ...": their own statement about it;
        # whoever "quoted X as saying" only passes on X's words)
    first, last = bisect_left(doc.starts, span[0]), bisect_left(doc.starts, span[1]) - 1
    inner = [c for c in doc.cues[bisect_left(doc.cue_firsts, first):bisect_left(doc.cue_firsts, last + 1)]
             if c is not cue and c.speaker != speaker and c.subject
             and " ".join(doc.lower[c.first:c.last]) in C.REPORTING_BARE
             and ((c.subject[0] == first or c.subject[0] == first + 1 and doc.lower[first] in _DETERMINERS)
                  and c.first - c.subject[1] <= 2   # "the governor said ...", "an American witness as saying"
                  or c.last - 1 == last and c.subject[0] > 0 and doc.sep(c.subject[0] - 1).strip()[-1:] in _CLOSING)]
    # ('“...,” Li said' or '..., the governor said, according to the AP': a comma or a closing
    # mark before the subject)
    if not inner:
        return None
    return True if any(c.speaker for c in inner) else inner[0]


def _unnamed_words(doc: TextIndex, span: tuple[int, int], inner: Cue) -> tuple[int, int] | None:
    """The words of a relayed span without the attribution inside it: after "the governor said
    (that)" when it opens the span, before '..., the governor said' when it closes it."""
    a, b = span
    if doc.starts[inner.first] - a < b - doc.ends[inner.last - 1]:
        k = inner.last + (inner.last < len(doc.lower) and doc.lower[inner.last] == "that")
        a = doc.starts[k] if k < len(doc.starts) else b
    else:
        b = doc.ends[inner.subject[0] - 1] if inner.subject[0] > 0 else a
        while b > a and doc.text[b - 1] in ",;:\u201d\"\u2019 ":
            b -= 1
    return (a, b) if b - a > 1 else None


def _gate_reading(doc: TextIndex, idx: int, speaker: str, loose_subject: bool, cue: Cue | None,
                  last_end: int, params: dict | None, candidates: list | None) -> tuple[int, int, bool] | None:
    """(start, end, states) of the gate's reading of a cue when the gate keeps it (see
    gate_candidate); every reading goes to `candidates` when given."""
    loose = gate_candidate(doc, idx, speaker, loose_subject, cue=cue)
    if loose is None:
        return None
    if candidates is not None:
        candidates.append(loose)
    if params is None or loose[0] < last_end or gate_score(loose[2], params) < params["threshold"]:
        return None
    return loose[0], loose[1], "finite" in loose[2] and "not_claim_verb" not in loose[2]


def _with_gate_words(doc: TextIndex, words) -> list[tuple[int, Cue, bool]]:
    """(index of the last cue before, cue, is a gate word) in text order: the cue index's cues,
    and the gate's learned cue words ("criticized", "sought") that no list holds, as cues
    of their own for the gate alone."""
    out = [(i, c, False) for i, c in enumerate(doc.cues)]
    if not words:
        return out
    words = words if isinstance(words, frozenset) else frozenset(words)
    extra = [k for k, w in enumerate(doc.lower) if w in words]
    if not extra:
        return out
    taken = {k for c in doc.cues for k in range(c.first, c.last)}
    for k in extra:
        if (k > 0 and k not in taken and doc.sep(k - 1) == " " and not doc.cap(k)
                and not doc.inside(doc.starts[k])):
            out.append((bisect_left(doc.cue_firsts, k) - 1, Cue(k, k + 1, "claim"), True))
    out.sort(key=lambda item: item[1].first)
    return out


def _gate_word_speaker(doc: TextIndex, cue: Cue) -> tuple[str | None, bool]:
    """Who a gate cue word's subject is: "he"/"she" the person in focus, "they" the last
    speaker, a person named earlier in the sentence, else the subject as written."""
    k = cue.first - 1
    while k > 0 and (doc.lower[k] in C.SUBJECT_FILLERS or doc.lower[k] in _AUXILIARIES
                     or doc.lower[k].endswith("ly")) and doc.sep(k) == " ":
        k -= 1
    sent = doc.sentence_start(doc.starts[cue.first])
    i = bisect_left(doc.cue_firsts, cue.first)
    earlier = [c for c in doc.cues[max(0, i - 8):i] if c.speaker]
    if doc.lower[k] in ("he", "she") and doc.sep(k) == " ":
        person = next((c for c in reversed(earlier) if c.person), None)
        pos = doc.starts[person.first] if person else -1
        return antecedent(doc, doc.starts[k], person.speaker if person else None, pos), False
    if doc.lower[k] == "they" and doc.sep(k) == " ":
        return (earlier[-1].speaker if earlier else None), False
    i = bisect_left(doc.mention_pos, doc.starts[cue.first]) - 1
    if i >= 0 and doc.mention_pos[i] >= sent:
        return doc.mention_names[i], False
    subject = written_subject(doc, cue, heads=False)
    return subject, subject is not None


_SUBJECT_GAPS = frozenset({" ", "-", "/", "\u00a0"})
_SUBJECT_STOPS = frozenset({
    "that", "which", "who", "whom", "whose", "and", "but", "or", "nor", "when", "if", "because",
    "as", "while", "after", "before", "since", "where", "than", "though", "although", "so", "yet",
    "then", "not", "to", "of", "in", "on", "at", "for", "with", "by", "from", "what", "how",
    "why",
})
_BOUNDARY_WORDS = frozenset({"and", "but", "while", "that", "after", "as", "because", "so", "yet",
                             "whereas", "though", "although", "when"})
_NOBODY = frozenset({"i", "you", "we", "it", "this", "that", "there", "one", "what", "which", "who",
                     "he", "she", "they", "me", "us", "him", "them", "here", "these", "those"})
_MAX_SUBJECT_WORDS = 7
_SOURCE_HEADS = C.SOURCE_HEADS | C.ROLE_NOUNS | C.ORG_WORDS


_SUBJECT_ADVERBS = frozenset({"here", "there", "today", "now", "too", "themselves", "itself", "all",
                              "both", "alike", "instead"})
_OF_WORDS = frozenset({"of", "on", "for", "at", "in", "from", "with"})


def _run_start(doc: TextIndex, b: int) -> int:
    """First token of the plain run of words ending at token b (at most _MAX_SUBJECT_WORDS); a
    plural possessive belongs to it ("Sanders’ aides", "the voters' verdict")."""
    a = b
    while (a > 0 and b - a < _MAX_SUBJECT_WORDS - 1 and doc.lower[a - 1] not in _SUBJECT_STOPS
           and doc.lower[a - 1] not in C.CUE_VERBS
           and (doc.sep(a - 1) in _SUBJECT_GAPS
                or (doc.sep(a - 1) in _PLURAL_POSSESSIVE and doc.lower[a - 1].endswith("s")))):
        a -= 1
    return a


_PLURAL_POSSESSIVE = frozenset({"\u2019 ", "' "})
#: Verbs that report speech whatever their subject: before them a plural description ("The
#: retired pilots say", "Sanders’ aides say") is a source as surely as a learned head is.
_DESCRIBED_SOURCE_VERBS = frozenset({"said", "says", "say", "told", "tells"})


def _described(doc: TextIndex, a: int, b: int, cue: Cue) -> bool:
    """Tokens a..b are a group described: a determiner or a possessive, then lowercase words to a
    plural head; and the cue is a plain verb of saying right after it. A singular description
    ("the operator said", "the billionaire magnate says") is a person met before, not a source
    as written (PolNeAR train: singular heads too would add 0.0006 recall, but as speakers they
    are roles, not names)."""
    opener = doc.lower[a]
    possessive = opener.endswith(("\u2019s", "'s")) or (a < b and doc.sep(a) in _PLURAL_POSSESSIVE)
    return (" ".join(doc.lower[cue.first:cue.last]) in _DESCRIBED_SOURCE_VERBS
            and (opener in ("the", "a", "an") or possessive) and b > a
            and doc.words[b].isalpha() and doc.words[b].islower() and len(doc.words[b]) > 2
            and doc.lower[b].endswith("s") and not doc.lower[b].endswith("ss"))


def written_subject(doc: TextIndex, cue: Cue, heads: bool = True) -> str | None:
    """'A news report published Wednesday said ...', '47 percent said ...', 'The latest poll
    showed ...': when the cue index names nobody (no person, body or role it knows), the subject
    as written: a short run of words right before the verb, with no punctuation in it, opening
    its clause, ending in a word that heads sources ("poll", "percent", "officials": learned
    from PolNeAR train by scripts/learn_cues.py, with the role and body words). Never a pronoun
    or "it" (who those are is the cue index's business). `heads=False` takes any such subject
    (the learned gate's reading, which weighs the head word itself)."""
    b = cue.first - 1
    while b >= 0 and doc.sep(b) == " " and doc.lower[b] not in _SUBJECT_STOPS and (
            doc.lower[b] in C.SUBJECT_FILLERS or doc.lower[b] in _SUBJECT_ADVERBS
            or (doc.lower[b].endswith("ly") and not doc.cap(b))):
        b -= 1  # "Her campaign workers here said", "The party today agrees"
    if b < 0 or doc.sep(b) != " " or doc.lower[b] in _SUBJECT_STOPS or doc.inside(doc.starts[b]):
        return None
    a = _run_start(doc, b)
    head = b
    if (a > 1 and doc.lower[a - 1] in _OF_WORDS and doc.sep(a - 1) == " " and doc.sep(a - 2) == " "
            and doc.lower[a - 2] not in _SUBJECT_STOPS):
        head = a - 2  # "Supporters of the law hope", "few on either side of the debate think"
        a = _run_start(doc, head)
    opens = (a == 0 or doc.sentence_start(doc.starts[a]) == doc.starts[a]
             or doc.sep(a - 1).strip()[-1:] in (",", ";", ":", "\u2014", "\u2013", "(")
             or doc.lower[a - 1] in _BOUNDARY_WORDS)
    words = doc.lower[a:b + 1]
    if (not opens or doc.cap(cue.first) or words[0] in _NOBODY
            or (heads and doc.lower[head] not in _SOURCE_HEADS and not _described(doc, a, head, cue))
            or (not heads and (doc.lower[b] in _DETERMINERS or doc.lower[b] in _SUBJECT_STOPS
                               or not (doc.lower[head] in _SOURCE_HEADS or doc.lower[head].endswith("s"))
                               or any(len(w) > 4 and w.endswith("ed") for w in words)))
            or any(w in C.FINITE_HINTS or w in C.CUE_VERBS for w in words)):
        return None  # a capital "Says" is a headline's; "The only hope" is no source
    return doc.text[doc.starts[a]:doc.ends[b]]


def _passive(doc: TextIndex, cue: Cue) -> bool:
    """"He was told ...": the subject is the listener; "it is said": nobody speaks. (But "he is
    saying that ...", "they are warning that ..." speak: a form in -ing is no passive.)"""
    k = cue.first - 1
    return (k >= 0 and doc.lower[k] in C.PASSIVE_MARKERS and doc.sep(k) == " "
            and "quoted" not in doc.lower[cue.first:cue.last]
            and not doc.lower[cue.first].endswith("ing"))


def _reported_span(doc: TextIndex, idx: int, phrase: str) -> tuple[int, int] | None:
    cue = doc.cues[idx]
    pos = doc.starts[cue.first]
    sent, end = doc.sentence_start(pos), doc.sentence_end(pos)
    if end - sent > C.MAX_REPORTED_CHARS:
        return None  # not a sentence of prose (and bounds the work on a huge unpunctuated text)
    closing = doc.text[sent:end].rstrip().rstrip("\u201d\"\u2019)")
    if closing.endswith("?"):
        return None
    if _unpunctuated_line(doc, pos):
        return None  # a headline, caption or summary line, never a claim
    limit = bisect_left(doc.starts, end)
    if cue.kind == "source":
        return _source_first(doc, cue, sent, limit) or _content_first(doc, cue, phrase, sent, limit)
    if not cue.after or cue.kind == "participle":
        span = _cue_first(doc, idx, phrase, end, limit)
        if span or cue.kind == "participle" and doc.lower[cue.first - 1] != "as":
            return span   # (but "..., Li was quoted by TASS as saying." closes its content)
    return _content_first(doc, cue, phrase, sent, limit)


def _unpunctuated_line(doc: TextIndex, pos: int) -> bool:
    """The paragraph holding pos is short and ends with no full stop (or ! ? … or a closing
    mark): a headline ("China says it's open to more drills"), a caption or a bullet, not prose."""
    p = bisect_right(doc.para_starts, pos) - 1
    a, b = doc.para_starts[p], doc.para_ends[p]
    if b - a > C.MAX_HEADLINE_CHARS:
        return False  # a paragraph of prose, however it ends (and no copy of a huge one)
    return not doc.text[a:b].rstrip().endswith(_LINE_ENDS)


_LINE_ENDS = tuple(".!?\u2026\"\u201d\u2019')]:;")


# --- Cue first: "X said (that) <clause>" ---------------------------------------------------------

def _cue_first(doc: TextIndex, idx: int, phrase: str, end: int, limit: int) -> tuple[int, int] | None:
    cue = doc.cues[idx]
    j = cue.last
    if (wanted := _position(doc, cue, limit)) is not None:
        stop = _content_end(doc, idx, doc.starts[wanted], end)
        for k in range(wanted, bisect_left(doc.starts, stop) - 1):
            if doc.sep(k).strip()[:1] in (",", ";", "\u2014", "\u2013") and not _in_number(doc, k):
                stop = doc.ends[k]  # what is wanted ends at the first comma: "..., which ..."
                break
        return _checked(doc, doc.starts[wanted], stop, finite=False)
    if phrase in C.QUESTION_VERBS:
        return None  # "asked Ruiz whether the pier would close": a question is no claim
    if (j < limit and (doc.lower[j] in C.ADJUNCT_PREPOSITIONS or doc.lower[j - 1] in C.TELL_VERBS)
            and (later := _that_ahead(doc, j, limit)) is not None):
        j = later  # "told their allies in the party that ...", "complained to CBS News that ..."
    else:
        if phrase in ("told", "tells", "telling"):
            j = skip_object(doc, j, limit)
            if j is None:
                return None
            if j < limit and doc.lower[j] != "that" and (later := _that_ahead(doc, j, limit)):
                j = later  # "told her supporters that ..."
        j = _skip_adjuncts(doc, j, limit)
    that = j < limit and doc.lower[j] == "that" and not doc.sep(j - 1).strip(" ,")
    if that:
        j += 1
        if cue.shaped and not _bare_clause(doc, j, limit):
            return None  # "ridiculed that assessment": "that" is no conjunction here
    elif phrase not in C.REPORTING_BARE and not _bare_clause(doc, j, limit):
        return None  # "warned of ...", "vowed to ...": but "warned it would retaliate" is a clause
    if j >= limit or doc.sep(j - 1).strip(" ,") or doc.inside(doc.starts[j]):
        return None  # a colon or a mark: what follows is a direct quote or a list
    stop = _content_end(doc, idx, doc.starts[j], end)
    conditional = (doc.lower[j] == "if" and phrase in _CONDITIONAL_VERBS
                   and doc.lower[cue.first - 1] not in _NEGATIONS)
    return _checked(doc, doc.starts[j], stop, finite=not that, conditional=conditional)


#: "Hale said if the pier closed, the ferries would stop": after a plain verb of saying, "if"
#: opens a conditional claim (after "asked", or "would not say if", a question).
_CONDITIONAL_VERBS = frozenset({"said", "says", "say"})
_NEGATIONS = frozenset({"not", "never", "n't", "won't", "wouldn't", "didn't", "doesn't", "don't",
                        "won\u2019t", "wouldn\u2019t", "didn\u2019t", "doesn\u2019t", "don\u2019t",
                        "cannot", "can't", "can\u2019t"})


def _position(doc: TextIndex, cue: Cue, limit: int) -> int | None:
    """Where a request or a proposal starts: what a speaker wants done is their position as
    surely as a clause is their claim. 'urged the board to close the pier' and 'called on the
    board to close it' (an object of a few words, then "to" and a verb: from the object), 'called
    for a ban on night flights', 'proposed closing the pier' (from what is called for)."""
    j, verb = cue.last, doc.lower[cue.last - 1]
    if j >= limit or doc.sep(j - 1) != " ":
        return None
    if verb in C.POSITION_FOR_VERBS and doc.lower[j] == "for" and j + 1 < limit and doc.sep(j) == " ":
        nxt = doc.lower[j + 1]
        return None if nxt in C.TIME_NOUNS or nxt.rstrip("s") in C.TIME_NOUNS or nxt.isdigit() else j + 1
    if verb in C.POSITION_NP_VERBS and doc.lower[j] not in C.CONTENT_BAD_STARTS | {"that"} | _AUXILIARIES:
        return j
    if verb in C.POSITION_ON_VERBS and doc.lower[j] in ("on", "upon") and doc.sep(j) == " ":
        j += 1
    elif verb not in C.POSITION_TO_VERBS:
        return None
    if j >= limit or doc.lower[j] in C.CONTENT_BAD_STARTS or doc.lower[j] in ("whether", "if"):
        return None
    for k in range(j + 1, min(limit - 1, j + C.POSITION_OBJECT_WORDS + 1)):
        w = doc.lower[k]
        if doc.sep(k - 1) != " " or w in _CLAUSE_SUBJECTS or w in C.FINITE_HINTS or (
                len(w) > 4 and w.endswith("ed")):
            return None  # "told Politico he planned to stay neutral": a clause, not a request
        if doc.lower[k] == "to" and doc.sep(k) == " " and not doc.cap(k + 1) and (
                doc.lower[k + 1] not in _DETERMINERS):
            return j
    return None


def _that_ahead(doc: TextIndex, j: int, limit: int) -> int | None:
    """The "that" opening the content a few words on, past whom and where a speaker told it
    ("told voters here on Sunday that", "complained to a radio host that"): after a verb of
    telling or from a preposition on, only plain words between, no verb, no punctuation ("said
    the report that ..." is left alone: "that" may open a relative clause there)."""
    for k in range(j, min(limit, j + C.THAT_REACH + 1)):
        w = doc.lower[k]
        if w == "that":
            after = doc.sep(k).strip()
            return k if k > j and (not after or after[-1] in _MARKS) else None
        if (doc.sep(k).strip() or w in C.FINITE_HINTS or w in C.CUE_VERBS or w in _AUXILIARIES
                or w in C.CONTENT_BAD_STARTS and w not in C.ADJUNCT_PREPOSITIONS
                or (len(w) > 4 and w.endswith("ed"))):
            return None
    return None


def _bare_clause(doc: TextIndex, j: int, limit: int) -> bool:
    """A clause without "that" after a verb that needs one: a pronoun and its verb ("warned it
    would retaliate"), or a short subject and an auxiliary within five words, nothing between
    ("believes the plan will fail", "admits the war didn't work"; not "praised the plan")."""
    if j + 1 < limit and doc.lower[j] in _CLAUSE_SUBJECTS and doc.lower[j + 1] in C.FINITE_HINTS:
        return True
    if j >= limit or doc.lower[j] in C.CONTENT_BAD_STARTS or doc.lower[j] in C.ADJUNCT_PREPOSITIONS:
        return False
    for k in range(j + 1, min(limit, j + C.BARE_CLAUSE_REACH)):
        if doc.sep(k - 1).strip():
            return False
        w = doc.lower[k].replace("\u2019", "'")
        if w in _QUESTION_WORDS:
            return False  # "told them why the pier closed": a question or a topic, not a claim
        if w in _AUXILIARIES or w in C.FINITE_HINTS or w.endswith(_CONTRACTED):
            return True
    return False


_QUESTION_WORDS = frozenset({"whether", "if", "why", "how", "what", "when", "where", "who", "which"})


def skip_object(doc: TextIndex, j: int, limit: int) -> int | None:
    """Past whom a speaker told: "reporters", "state media", "the BBC", "Reuters"."""
    if j >= limit or doc.sep(j - 1) != " ":
        return None
    if doc.lower[j] in C.TOLD_OBJECTS:
        return j + 1
    k = j + 1 if doc.lower[j] in _DETERMINERS else j
    first = k
    while (k < limit and k - first < 5 and doc.sep(k - 1) == " "
           and (doc.cap(k) or doc.lower[k] in C.EVENT_WORDS or doc.lower[k] in C.TOLD_OBJECTS)):
        k += 1
    k = _described_person(doc, k, limit)   # "told host Dana Ruiz", "told CNN anchor Jake Tapper"
    return k if k > first else None


def _described_person(doc: TextIndex, k: int, limit: int) -> int:
    """Past lowercase words describing a person and the name after them ("host Dana Ruiz"), when
    token k opens them; else k."""
    d = k
    while d < limit and d - k < 3 and doc.sep(d) == " " and not doc.cap(d) and doc.lower[d] in _TOLD_DESCRIBED:
        d += 1
    if d == k or d >= limit or not doc.cap(d):
        return k
    while d < limit and doc.cap(d) and doc.sep(d - 1) == " " and d - k < 7:
        d += 1
    return d


_TOLD_DESCRIBED = C.TOLD_DESCRIPTIONS | C.ROLE_NOUNS | C.TITLES


def _skip_adjuncts(doc: TextIndex, j: int, limit: int) -> int:
    """Past "on Monday", "in a statement", "at a regular press briefing in Beijing", "later"."""
    for _ in range(6):
        if j >= limit or doc.sep(j - 1).strip(" ,"):
            break
        k = _adjunct(doc, j, limit)
        if k == j:
            break
        j = k
    return j


_ORDINALS = frozenset({"first", "second", "third", "last", "only"})


def _adjunct(doc: TextIndex, j: int, limit: int) -> int:
    w = doc.lower[j]
    if (w == "for" and j + 3 < limit and doc.lower[j + 1] == "the" and doc.lower[j + 2] in _ORDINALS
            and doc.lower[j + 3] == "time" and doc.sep(j) == doc.sep(j + 1) == doc.sep(j + 2) == " "):
        return j + 4   # "acknowledged for the first time Friday that"
    if w in C.ADJUNCT_WORDS:
        return j + 1 + (j + 1 < limit and doc.lower[j + 1] in C.TIME_NOUNS and doc.sep(j) == " ")
    if w in ("last", "this", "next", "late", "early") and j + 1 < limit and doc.sep(j) == " ":
        nxt = doc.lower[j + 1]
        if nxt in C.TIME_NOUNS or nxt in C.MONTHS or nxt in C.ADJUNCT_WORDS:
            return j + 2
    if w in C.ADJUNCT_PREPOSITIONS and j + 1 < limit and doc.sep(j) == " ":
        return _prep_object(doc, j + 1, limit) or j
    return j


def _prep_object(doc: TextIndex, k: int, limit: int) -> int | None:
    """End of a preposition's object: a date, "a statement", "the Financial Times", "Beijing"."""
    w = doc.lower[k]
    if w in C.ADJUNCT_WORDS or w in C.MONTHS or w.isdigit():
        k += 1
        while k < limit and (doc.lower[k] in C.MONTHS or doc.lower[k] in C.TIME_NOUNS
                             or doc.lower[k].isdigit()) and doc.sep(k - 1) in (" ", ", "):
            if doc.sep(k - 1) == ", " and not doc.lower[k].isdigit():
                break
            k += 1
        return k
    m = k + 1 if w in _DETERMINERS else k
    n = m
    while n < limit and n - m < 5 and doc.sep(n - 1) == " " and (
            doc.lower[n] in C.EVENT_WORDS or doc.lower[n] in C.TIME_NOUNS):
        n += 1
    if n > m:
        return n
    if m < limit and doc.sep(m - 1) == " " and doc.cap(m) and doc.lower[m] not in C.NAME_STOPWORDS:
        n = m + 1
        while n < limit and n - m < 5 and doc.sep(n - 1) == " " and doc.cap(n):
            n += 1
        return n
    return None


def _content_end(doc: TextIndex, idx: int, start: int, end: int) -> int:
    """The sentence end, or the comma before a later cue of the same sentence ("..., adding",
    "..., the ministry said"), or a colon that opens a quotation."""
    for later in doc.cues[idx + 1:idx + 6]:
        k = later.first
        if doc.starts[k] >= end:
            break
        if later.kind in ("verb", "claim", "participle", "source") and not _passive(doc, later):
            lead = _lead(doc, later)
            if lead and doc.ends[lead - 1] >= start:
                return doc.ends[lead - 1]
    colon = doc.text.find(":", start, end)
    if colon >= 0 and doc.text[colon + 1:colon + 3].strip()[:1] in _MARKS:
        return colon
    return end


# --- Content first: "<clause>, X said." and "according to X, <clause>" ----------------------------

def _lead(doc: TextIndex, cue: Cue) -> int | None:
    """First token of the ", <speaker> said" tail that closes a clause: the token after a plain
    comma, at most eight words before the cue ("..., Russian news agency TASS reported")."""
    verb = cue.kind in ("verb", "claim") or (   # "..., Li was quoted by TASS as saying."
        cue.kind == "participle" and cue.subject is not None and doc.lower[cue.first - 1] == "as")
    k = cue.first if cue.after or not verb else (cue.subject[0] if cue.subject else cue.first)
    for _ in range(8 if verb and not cue.after else 1):
        if k <= 0:
            return None
        sep = doc.sep(k - 1)
        if sep.strip() == "," and not _in_number(doc, k - 1):
            return _described_lead(doc, k) if verb and not cue.after else k
        if sep.strip():
            return None  # '”,' would mean the content is a direct quote
        k -= 1
    return None


def _described_lead(doc: TextIndex, k: int) -> int:
    """'..., the Chinese defense minister, Wei Fenghe, said': the speaker's description before
    the comma at token k belongs to the tail too (a determiner, at most three words, a role),
    when a comma also opens it; else k."""
    r = k - 1
    if r < 1 or doc.lower[r] not in C.ROLE_NOUNS:
        return k
    for d in range(r - 1, max(0, r - 4) - 1, -1):
        if doc.sep(d) != " ":
            return k
        if doc.lower[d] in ("the", "a", "an"):
            return d if d > 0 and "," in doc.sep(d - 1) else k
    return k


def _announces_quote(doc: TextIndex, cue: Cue, lead: int) -> bool:
    """'..., and Harbour News responded:': a clause of its own ("and", "but"), its verb before a
    colon that opens a quotation; the clause before it is nobody's statement."""
    return doc.sep(cue.last - 1).strip()[:1] == ":" and doc.lower[lead] in ("and", "but")


def _content_first(doc: TextIndex, cue: Cue, phrase: str, sent: int, limit: int):
    lead = _lead(doc, cue)
    if not lead or _announces_quote(doc, cue, lead):
        return None
    comma = doc.ends[lead - 1] + doc.sep(lead - 1).index(",")
    j = cue.last
    if cue.after and cue.subject:
        j = max(j, cue.subject[1] + 1)
    if phrase in ("told", "tells"):
        j = skip_object(doc, j, limit) or j
    j = _skip_adjuncts(doc, j, limit)
    if cue.kind != "source" and j < limit and not ("," in doc.sep(j - 1) and (
            doc.lower[j] in _TAIL_OPENERS or (doc.lower[j].endswith("ing") and not doc.cap(j)))):
        return None  # the sentence goes on: the cue does not close it ("..., killing three");
        # but "..., according to a report released on Friday by the board" is all source
    return _checked(doc, sent, comma, finite=True, opening=True)


def _source_first(doc: TextIndex, cue: Cue, sent: int, limit: int) -> tuple[int, int] | None:
    """'According to X, <clause>' with the cue opening its sentence (or after "But")."""
    k0 = bisect_left(doc.starts, sent)
    if not cue.subject or any(doc.lower[t] not in _CLAUSE_OPENERS for t in range(k0, cue.first)):
        return None
    u = cue.subject[1]
    while u < min(limit - 1, cue.subject[1] + 25):
        sep = "" if _in_number(doc, u) else doc.sep(u).strip()
        if sep and sep != "," and sep.strip(_IN_NAME_MARKS):
            return None  # but "the U.S. Census Bureau", "a Reuters/Ipsos poll" go on
        if sep == ",":
            skip = _apposition_end(doc, u + 1, limit)
            if skip is None:
                if _speaks_within(doc, u + 1, limit):
                    return None  # "According to the media, ..., Li said that ...": Li's words
                return _checked(doc, doc.starts[u + 1], doc.sentence_end(doc.starts[u + 1]),
                                finite=True, opening=True)
            u = skip
            continue
        u += 1
    return None


_IN_NAME_MARKS = "./-&'\u2019"


def _speaks_within(doc: TextIndex, a: int, b: int) -> bool:
    """A speech verb with a speaker of its own among tokens [a, b): the words there are that
    speaker's, not the source's that introduces the sentence."""
    i = bisect_left(doc.cue_firsts, a)
    while i < len(doc.cues) and doc.cues[i].first < b:
        c = doc.cues[i]
        if c.speaker and c.kind in ("verb", "claim") and not c.after:
            return True
        i += 1
    return False


def _apposition_end(doc: TextIndex, k: int, limit: int) -> int | None:
    """'Tan Kefei, a spokesperson for the ministry, ...': the token before the apposition's
    closing comma, when k opens one (no finite verb before that comma)."""
    if doc.lower[k] not in C.APPOSITION_OPENERS and doc.lower[k] != "which":
        return None  # "according to the union, which represents 2,400 pilots, ..."
    for v in range(k, min(limit - 1, k + 12)):
        if doc.sep(v).strip() == "," and not _in_number(doc, v):
            return None if _has_finite_verb(doc, k, v + 1) else v
    return None


def _in_number(doc: TextIndex, v: int) -> bool:
    """The separator after token v is inside a number: "2,400", "1.5"."""
    return (doc.sep(v) in (",", ".") and v + 1 < len(doc.words)
            and doc.words[v].isdigit() and doc.words[v + 1].isdigit())


# --- Is it a clause? -------------------------------------------------------------------------------

def _checked(doc: TextIndex, start: int, stop: int, *, finite: bool,
             opening: bool = False, conditional: bool = False) -> tuple[int, int] | None:
    """(start, stop) trimmed when text[start:stop] reads as a statement. `opening`: the content
    opens a sentence ("In all, the senator has raised ...", "About 270 people have ...", "But
    ..."), so its first word may be one that never follows "said" ("said in ...", "said about");
    `conditional`: it is a claim opening on "if" ("said if the pier closed, ...")."""
    text = doc.text
    while start < stop and text[start].isspace():
        start += 1
    if (dateline := DATELINE.match(text, start, stop)) is not None:
        start = dateline.end()
    while stop > start and (text[stop - 1].isspace() or text[stop - 1] in ".,;:!\u2026"):
        stop -= 1
    if start >= stop or (text[start] in _MARKS and not _quote_then_more(doc, start, stop)):
        return None
    a, b = bisect_left(doc.starts, start), bisect_left(doc.starts, stop)
    bad_start = finite and not opening and not conditional and doc.lower[a] in C.CONTENT_BAD_STARTS
    if b - a < C.MIN_REPORTED_WORDS or (bad_start and not (
            doc.lower[a] in ("more", "less", "fewer") and doc.lower[a + 1] == "than")):
        return None  # "said more about it" is no statement; "said more than 200 cases had ..." is
    if doc.lower[a] in C.CUE_PARTICIPLES or doc.lower[a] in C.CUE_VERBS:
        return None
    if sum(doc.cap(k) for k in range(a + 1, b)) > _HEADLINE_SHARE * (b - a - 1):
        return None  # Title Case: a headline, not a sentence
    if finite and not _has_finite_verb(doc, a, min(b, a + 25)):
        return None
    if b - a < C.MIN_GATE_WORDS and not _short_clause(doc, a, b):
        return None  # "engineers found cracks in its supports": a short object, not a clause
    return start, stop


#: Words after which a word that could be a verb ("supports", "plans", "claims") is a noun.
_NOUN_AFTER = _DETERMINERS | {"our", "my", "your", "these", "those",
                              "in", "of", "on", "at", "for", "with", "by", "from", "to"}


def _short_clause(doc: TextIndex, a: int, b: int) -> bool:
    """A content under MIN_GATE_WORDS words is a statement only with a finite verb that no
    determiner, possessive or preposition makes a noun: "they were angry", not "cracks in its
    supports" (the object of "engineers found")."""
    run = a
    for k in range(a, b + 1):
        if k == b or (k > a and doc.lower[k - 1] in _NOUN_AFTER):
            if k > run and _has_finite_verb(doc, run, k):
                return True
            run = k + 1
    return False


def _quote_then_more(doc: TextIndex, start: int, stop: int) -> bool:
    """Content opening with a quotation that closes early and goes on unquoted ('“We are
    horrified” by the shooting at the harbour, Hale said'): a paraphrase holding a quote, not a
    direct quote (those are left to the quote finder)."""
    i = bisect_left(doc.opens, start)
    if i >= len(doc.opens) or doc.opens[i] != start:
        return False
    close = doc.quoted[i][1]
    return close < stop and bisect_left(doc.starts, stop) - bisect_left(doc.starts, close) >= 3


_CONTRACTED = ("'d", "'ll", "'re", "'ve", "'m", "n't")
_MODIFIED_AFTER = _DETERMINERS | {"our", "my", "your", "these", "those"}
_PRONOUN_IS = frozenset({"he's", "she's", "it's", "that's", "there's", "what's", "who's"})


def _has_finite_verb(doc: TextIndex, a: int, b: int) -> bool:
    for k in range(a, b):
        w = doc.lower[k].replace("\u2019", "'")
        if k > a and ((doc.cap(k) and w not in _PRONOUN_IS) or doc.lower[k - 1] in _MODIFIED_AFTER):
            continue  # a name ("an accord in May", "Ahmed"), or a word a determiner makes a
            # noun or its modifier ("a shared accord", "the proposed lease"): no verb of a clause
        if (w in C.FINITE_HINTS or (len(w) > 4 and w.endswith("ed")) or w.endswith(_CONTRACTED)
                or w in _PRONOUN_IS):
            return True  # "aren’t", "he’d", "they’re", "it’s"
        if k > a and doc.lower[k - 1] in _CLAUSE_SUBJECTS and not w.endswith("ly") and doc.sep(k - 1) == " ":
            return True  # a pronoun and the word after it: "they want", "we need"
        if (k > a and len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))
                and "'" not in w and "\u2019" not in w
                and (doc.cap(k - 1) or doc.lower[k - 1] in _THIRD_PERSON)):
            return True
    return False


# --- The learned gate: a second reading of cues the rules above turned down ------------------------
#
# The rules are precise but narrow: PolNeAR annotates as attribution much that they reject on one
# check ("X criticized the plan as ...", "X, he said, Y", a "that" clause with no auxiliary). For a
# cue with a speaker whose content the rules rejected, `gate_candidate` reads a looser span (the
# rest of the sentence after the cue, or the clause before its ", X said" tail) and describes it by
# features: the cue word, which checks failed, the words around, the shape of the span. A logistic
# regression trained on PolNeAR train (scripts/train_reported_gate.py, parameters in
# data/reported_gate.json) keeps the span when the share of its words PolNeAR annotates as
# attributed content is likely high. Questions, headlines, captions, datelines and spans opening
# on a quotation mark never reach it (the same checks as the rules').

_PARTICLES = frozenset({"out", "up", "back", "on"})
_GATE_PATH = Path(__file__).with_name("data") / "reported_gate.json"
_FUNCTION_NEXT = frozenset({
    "that", "to", "for", "about", "of", "on", "in", "at", "with", "by", "as", "the", "a", "an",
    "his", "her", "their", "its", "he", "she", "they", "it", "we", "i", "there", "this", "what",
    "how", "why", "whether", "if", "when", "not", "no", "more", "up", "out", "back", "him", "them",
    "reporters", "and", "but", "from", "over", "against", "into", "during", "after", "before",
})


def _load_gate() -> dict | None:
    try:
        params = json.loads(_GATE_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    params["cue_words"] = frozenset(params.get("cue_words", ()))
    return params


_GATE = _load_gate()


def _word_shape(doc: TextIndex, k: int, limit: int) -> str:
    if k >= limit:
        return "END"
    w = doc.lower[k]
    if w in _FUNCTION_NEXT:
        return w
    if w.isdigit():
        return "NUM"
    if doc.cap(k):
        return "CAP"
    return "ing" if w.endswith("ing") else "ed" if w.endswith("ed") else "low"


def _length_bucket(n: int) -> str:
    return next(str(b) for b in (1, 2, 4, 8, 16, 32, 10 ** 9) if n <= b)


def gate_candidate(doc: TextIndex, idx: int, speaker: str | None, loose_subject: bool = False,
                   cue: Cue | None = None) -> tuple[int, int, list[str]] | None:
    """(start, stop, features) of the loose reading of cue idx (or of `cue`, a gate cue word
    before cue idx + 1), or None when nothing may be read there at all (a question, a headline
    line, a span opening on a quotation mark, a noun cue)."""
    gate_word = cue is not None
    cue = cue or doc.cues[idx]
    if cue.kind == "noun":
        return None
    pos = doc.starts[cue.first]
    sent, end = doc.sentence_start(pos), doc.sentence_end(pos)
    if end - sent > C.MAX_REPORTED_CHARS or _unpunctuated_line(doc, pos):
        return None
    if doc.text[sent:end].rstrip().rstrip("\u201d\"\u2019)").endswith("?"):
        return None
    limit = bisect_left(doc.starts, end)
    k0 = bisect_left(doc.starts, sent)
    phrase = " ".join(doc.lower[cue.first:cue.last])
    if (doc.lower[cue.last - 1] in C.QUESTION_VERBS or phrase in C.QUESTION_VERBS
            or (doc.cap(cue.first) and cue.kind != "source")
            or doc.lower[cue.last - 1] in C.DENIAL_VERBS
            or sum(doc.cap(k) for k in range(k0 + 1, limit)) > _HEADLINE_SHARE * (limit - k0 - 1)):
        return None  # a question ("asked whether ..."), or a headline ("Clinton Says ...")
    j = cue.last
    if cue.after and cue.subject:
        j = max(j, cue.subject[1] + 1)
    after_cue = j
    if phrase in ("told", "tells", "telling") and not cue.after:
        j = skip_object(doc, j, limit)
        if j is None:
            return None  # "told the story of ...": what was told, not to whom
    elif doc.lower[cue.last - 1] in C.TELL_VERBS:
        j = skip_object(doc, j, limit) or j
    j = _skip_adjuncts(doc, j, limit)
    if j + 1 < limit and doc.lower[j] in _PARTICLES and doc.lower[j + 1] == "that":
        j += 1  # "pointed out that", "held up that"
    if (j < limit and doc.lower[j] != "that" and not cue.after
            and (doc.lower[j] in C.ADJUNCT_PREPOSITIONS or doc.lower[cue.last - 1] in C.TELL_VERBS)
            and (later := _that_ahead(doc, j, limit))):
        j = later  # "told her supporters that ...", "complained to a radio host that ..."
    that = j < limit and doc.lower[j] == "that" and not doc.sep(j - 1).strip(" ,")
    if that:
        j += 1
        if cue.shaped and not _bare_clause(doc, j, limit):
            return None  # "ridiculed that assessment": "that" is no conjunction here
    lead = _lead(doc, cue)
    if lead is not None and _announces_quote(doc, cue, lead):
        return None
    tail_comma = j < limit and "," in doc.sep(j - 1)
    tail_words = limit - j
    if lead is not None and (tail_words <= 2 or tail_comma or cue.kind == "source" and cue.after):
        direction = "before"
        start, stop = sent, doc.ends[lead - 1] + doc.sep(lead - 1).index(",")
        if tail_comma and tail_words >= 3:
            if doc.text[doc.starts[j] - 1] in _MARKS or doc.inside(doc.starts[j]):
                return None  # "In a statement, X said, “...”": the quotation is the record
            direction, stop = "middle", end   # "It was, he said, one of the worst days"
    elif j < limit and not doc.sep(j - 1).strip(" ,"):
        direction = "after"
        start = doc.starts[j]
        stop = _content_end(doc, idx, start, end)
    else:
        return None
    while start < stop and doc.text[start].isspace():
        start += 1
    if (dateline := DATELINE.match(doc.text, start, stop)) is not None:
        start = dateline.end()
    while stop > start and (doc.text[stop - 1].isspace() or doc.text[stop - 1] in ".,;:!\u2026"):
        stop -= 1
    if start >= stop or (doc.text[start] in _MARKS and not _quote_then_more(doc, start, stop)):
        return None
    a, b = bisect_left(doc.starts, start), bisect_left(doc.starts, stop)
    if (b - a < C.MIN_GATE_WORDS or doc.lower[a] in _QUESTION_WORDS
            or doc.lower[a] in C.CUE_VERBS or doc.lower[a] in C.CUE_PARTICIPLES
            or (doc.lower[a] == "to" and direction == "after")
            or _speaks_within(doc, a, cue.first if direction == "middle" else b)):
        return None  # "explained why the polls were off": a topic or a question; "vowed to
        # rebuild the pier": an intention (requests and proposals are the rules', _position);
        # "According to the media, Li said that ...": Li's words, his cue's to read
    last = doc.lower[cue.last - 1]
    feats = [
        "bias", f"kind={cue.kind}", f"dir={direction}", f"cue={last}", f"first={doc.lower[cue.first]}",
        f"cuedir={last}|{direction}", f"next={_word_shape(doc, after_cue, limit)}",
        f"cuenext={last}|{_word_shape(doc, after_cue, limit)}",
        f"open={_word_shape(doc, a, b)}", f"len={_length_bucket(b - a)}",
        f"sentlen={_length_bucket(limit - k0)}",
    ]
    feats += [f"w1={doc.lower[a]}", f"w2={doc.lower[a + 1]}", f"kinddir={cue.kind}|{direction}",
              f"prev={_word_shape(doc, cue.first - 1, limit) if cue.first > k0 else 'START'}",
              f"commas={min(3, doc.text.count(',', start, stop))}"]
    if any(ch in doc.text[sent:end] for ch in "\u201c\u201d\""):
        feats.append("marks_in_sentence")
    if gate_word:
        feats.append("gate_word")
    if last in C.NOT_CLAIM_VERBS:
        feats.append("not_claim_verb")
    if cue.shaped:
        feats.append("shaped")
    if that:
        feats.append("that")
    if phrase in C.REPORTING_BARE:
        feats.append("bare_cue")
    if phrase in C.REPORTING_THAT:
        feats.append("that_cue")
    if _passive(doc, cue):
        feats.append("passive")
    if _has_finite_verb(doc, a, min(b, a + 25)):
        feats.append("finite")
    if _bare_clause(doc, a, b):
        feats.append("bare_clause")
    if doc.lower[a] in C.CONTENT_BAD_STARTS:
        feats.append("bad_start")
    if any(doc.inside(doc.starts[k]) for k in (a, b - 1)):
        feats.append("quoted_inside")
    if sum(doc.cap(k) for k in range(a + 1, b)) > _HEADLINE_SHARE * (b - a - 1):
        feats.append("title_case")
    if loose_subject:
        head = speaker.split()[-1].lower()
        feats += ["loose_subject", f"subject_head={head}", f"subject_len={_length_bucket(len(speaker.split()))}"]
    elif not speaker:
        feats.append("no_speaker")
    elif cue.person:
        feats.append("person")
    if cue.subject and doc.lower[cue.subject[0]] in _CLAUSE_SUBJECTS | {"him", "her", "they"}:
        feats.append("pronoun_subject")
    if doc.sentence_start(pos) == doc.para_starts[bisect_right(doc.para_starts, pos) - 1]:
        feats.append("para_first")
    if pos < 300:
        feats.append("doc_head")
    return start, stop, feats


def gate_score(feats: list[str], params: dict | None = None) -> float:
    """The gate's probability that the span is attributed content (0 without parameters)."""
    import math

    params = _GATE if params is None else params
    if not params:
        return 0.0
    w = params["weights"]
    z = sum(w.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
