"""Find quotations in news text and attribute each one to a speaker.

Why rules and not a model: the records must be explainable to an analyst ("found because of
'Tan said' right after the quote"), cheap enough to run on every ingest, and deterministic.
Everything is one pass over regex tokens plus bisects, so a 2 MB article stays linear-ish;
no regex here can backtrack catastrophically (no nested quantifiers over the same characters).

How a speaker is found, in order: a cue right after the closing mark ("..., Tan said"), else the
last cue before the quote in its sentence ("Xinhua said “...”"), else the speaker of the previous
quote when this one continues it (same paragraph, or a paragraph that is only a quotation).
Pronouns and "the spokesman" resolve to the last person named as a speaker; a lone surname
resolves to the full name it abbreviates.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from app.pipeline import constants as C
from app.pipeline.name_runs import (
    aside_start,
    clean_name,
    comma_after,
    expand_surname,
    past_of_place,
    run_forward,
    speaker_sex,
)
from app.pipeline.quote_marks import MARK_RE, SINGLES, Span, doubled_as_marks, find_spans, paragraphs
from app.pipeline.reported import find_reported, skip_object
from app.pipeline.speakers import DETERMINERS, Cue, TextIndex, _resolve_name, resolve_cues
from app.pipeline.subjects import described_name


@dataclass(frozen=True, slots=True)
class QuoteCandidate:
    """One quotation: offsets of the text inside the marks, and who said it if known."""

    start: int
    end: int
    text: str
    speaker: str | None
    cue: str | None
    kind: str  # "direct", "partial", "reported" (stored); "scare" only from scare_quotes()
    states: bool = True  # False: reported words that hold no clause, to show but make no claim of
    sex: str | None = None  # "f"/"m": what the article tells of the speaker's sex (name_runs.speaker_sex)


# Between the halves of a split quotation: the first half closes on a comma, a short attribution
# with no sentence end follows, then a comma: ',” Lopez said,' before the second half's mark.
_SPLIT_GAP = re.compile(r',[\u201d"\u2019\u00bb]\s+[^.?!\u201c\u201d"\u00ab\u00bb]{1,60},$')
# The same gap read from the first half's closing mark to the second half's opening mark.
_SPLIT_BETWEEN = re.compile(r'[\u201d"\u2019\u00bb]\s+[^.?!\u201c\u201d"\u00ab\u00bb\n]{1,60},\s*[\u201c"\u2018\u00ab]')
_AFTER_QUOTE_TRIGGER = frozenset(",?!\u2014\u2013-")
_SUBJECT_WORDS = C.SUBJECT_FILLERS | C.PRONOUNS | C.ROLE_NOUNS | C.TITLES | DETERMINERS


# --- Attribution -----------------------------------------------------------------------------------

def _cue_after(doc: TextIndex, span: Span) -> Cue | None:
    """'“...,” Tan said' / '“...,” according to TASS': a cue just after a quote ending in a comma;
    also after a long apposition ('“...,” Lena Marsh, director of research at the Harbour
    Institute, said'), and after a quote closed by a full stop or by nothing when the cue closes
    its own short sentence ('“... for the vote.” Hale said.')."""
    if not span.closed:
        return None
    t0 = bisect_left(doc.starts, span.limit + 1)
    if t0 >= len(doc.starts) or "\n" in doc.text[span.limit:doc.starts[t0]]:
        return None
    i = bisect_left(doc.quote_cue_firsts, t0)
    while i < min(len(doc.quote_cues), bisect_left(doc.quote_cue_firsts, t0) + 3) and not (
            _short_gap(doc, span.limit + 1, t0, doc.quote_cues[i].first)
            or _apposition_gap(doc, t0, doc.quote_cues[i].first)):
        i += 1  # a cue word inside the aside is not the attribution ("..., one of the states suing")
    if i >= len(doc.quote_cues) or not (_short_gap(doc, span.limit + 1, t0, doc.quote_cues[i].first)
                                        or _apposition_gap(doc, t0, doc.quote_cues[i].first)):
        return None
    tail = doc.text[span.limit + 1:span.limit + 3].lstrip(" ")
    last = doc.text[span.start:span.end].rstrip("\u2019'\"\u201d ")[-1:]  # past an inner quote's close
    if (last not in _AFTER_QUOTE_TRIGGER and not tail[:1] in (",", "\u2014")
            and not _closes_sentence(doc, doc.quote_cues[i])):
        return None
    return doc.quote_cues[i]


# Full stops that end no sentence between a quote and its cue: a title or initial ("Gov. Ana
# Ruiz", "Tom J. Hale") and a party-and-state tag ("Rep. Tom Hale (D-Ore.) said").
_TAG = re.compile(r"\([^()\n]{0,40}\)")
_ABBREVIATED = re.compile(r"\b([A-Za-z]{1,5})\.")


def _sentence_marks(doc: TextIndex, a: int, b: int) -> bool:
    """Whether text[a:b] holds a mark that ends a clause, ignoring abbreviations and tags."""
    between = _TAG.sub(" ", doc.text[a:b])
    between = _ABBREVIATED.sub(lambda m: m.group(1) if len(m.group(1)) == 1 or m.group(1).lower()
                               in C.ABBREVIATIONS or m.group(1) in C.STATE_ABBREVIATIONS
                               else m.group(), between)
    return any(ch in between for ch in ".;:?!")


def _short_gap(doc: TextIndex, after: int, t0: int, first: int) -> bool:
    """A few words name the speaker between quote and cue ('Gov. Ana Ruiz replied')."""
    if first > t0 + 7:
        return False
    if sum(not doc.cap(k) and doc.lower[k] not in _SUBJECT_WORDS for k in range(t0, first)) > 3:
        return False  # too many plain words: the cue belongs to a later clause
    return not _sentence_marks(doc, after, doc.starts[first])


def _apposition_gap(doc: TextIndex, t0: int, first: int) -> bool:
    """'Name, <who they are>, said': a name run, then an aside closed by a comma before the cue."""
    if not t0 < first <= t0 + C.MAX_APPOSITION_WORDS or not doc.cap(t0):
        return False
    _, b = described_name(doc, t0, run_forward(doc, t0, first), first)  # "Texas delegate Bill Eastland, ..."
    aside = aside_start(doc, past_of_place(doc, b, first))  # "Tom Cole of Ohio, an ally ..., said"
    return (aside is not None and comma_after(doc, first - 1) and aside < first
            and not _sentence_marks(doc, doc.starts[t0], doc.starts[first])
            and not _holds_mark(doc.text, doc.starts[t0], doc.starts[first]))


def _holds_mark(text: str, a: int, b: int) -> bool:
    """A quotation mark in text[a:b], not counting apostrophes: "Florida’s", "the Hales' dog"."""
    for m in MARK_RE.finditer(text, a, b):
        i = m.start()
        if text[i] in "'\u2019" and i > 0 and text[i - 1].isalnum() and (
                text[i + 1:i + 2].isalnum() or text[i - 1] == "s" and text[i + 1:i + 2] == " "):
            continue
        return True
    return False


def _closes_sentence(doc: TextIndex, cue: Cue) -> bool:
    """The cue's clause is only speaker, verb and a short adjunct: 'Hale said on Tuesday.'"""
    last = max(cue.last, cue.subject[1] + 1 if cue.subject else 0)
    end = bisect_left(doc.starts, doc.sentence_end(doc.starts[cue.first]))
    rest = doc.lower[last:end]
    return (len(rest) <= 8 and not any(w in C.FINITE_HINTS or w == "that" for w in rest)
            and not MARK_RE.search(doc.text, doc.starts[cue.first], doc.starts[end - 1] if rest else
                                    doc.ends[cue.last - 1]))


def _cue_before(doc: TextIndex, span: Span) -> Cue | None:
    """The last cue before the quote in its own sentence: 'Xinhua said “...”'."""
    floor = max(doc.sentence_start(span.open), span.open - C.CUE_WINDOW)
    i = bisect_left(doc.quote_cue_firsts, bisect_left(doc.starts, span.open)) - 1
    if i >= 0 and doc.starts[doc.quote_cues[i].first] >= floor:
        return doc.quote_cues[i]
    return None


def _cue_close_before(doc: TextIndex, cue: Cue, span: Span) -> bool:
    """The quote follows its cue within a short object, punctuation aside: 'called it “a total
    disaster”', 'Hale said: “Not this year.”', 'called the plan “a giveaway”'."""
    k = bisect_left(doc.starts, span.open)
    return cue.last <= k <= cue.last + C.SHORT_QUOTE_REACH and not _sentence_marks(
        doc, doc.ends[cue.last - 1], span.open)


def _cue_text(doc: TextIndex, cue: Cue) -> str:
    """The cue as written, with whom a speaker told: "told reporters", "told MPs", "told the BBC"."""
    last = cue.last
    if doc.lower[cue.last - 1] in ("told", "tells", "telling"):
        last = skip_object(doc, last, len(doc.words)) or last
    return doc.text[doc.starts[cue.first]:doc.ends[last - 1]]


def _kind(doc: TextIndex, span: Span) -> str:
    """Direct when a whole statement is quoted: it starts a sentence or follows a cue or colon."""
    first = doc.text[span.start]
    before = doc.text[max(0, span.open - 80):span.open].rstrip()
    if not (first.isupper() or first in "[(" or first.isdigit()):
        # The second half of a split quotation: '“We will rebuild,” Lopez said, “and we will ...”'
        return "direct" if _SPLIT_GAP.search(before) else "partial"
    if _opens_paragraph(doc, span) or before[-1:] in ".:,?!" or before.endswith(("\u201d", '"')):
        return "direct"
    words = before.split()
    return "direct" if words and words[-1].lower() in C.CUE_VERBS + C.CUE_PARTICIPLES else "partial"


def _opens_paragraph(doc: TextIndex, span: Span) -> bool:
    ps = doc.para_starts[span.para]
    return not doc.text[ps:span.open].strip()


def _inherits(doc: TextIndex, span: Span, prev: Span | None) -> bool:
    """An unattributed quote continues the previous one: same paragraph, or a quote-only
    paragraph right after the paragraph holding the previous quote."""
    if prev is None:
        return False
    if prev.para == span.para:
        return True
    gap = doc.text[doc.para_starts[prev.para + 1]:doc.para_starts[span.para]]
    return _opens_paragraph(doc, span) and not gap.strip()


def _prepare(text: str, single: bool) -> tuple[TextIndex, list[Span], list[Span]]:
    text = doubled_as_marks(text)
    paras = paragraphs(text)
    spans, nested = find_spans(text, paras, single)
    doc = TextIndex(text, [ps for ps, _ in paras], [(s.open, s.limit) for s in spans])
    resolve_cues(doc)
    return doc, spans, nested


def extract_quotes(text: str, *, min_words: int = C.MIN_QUOTE_WORDS, single_quotes: bool = False,
                   reported: bool = True, gate: bool = True) -> list[QuoteCandidate]:
    """All quotations in text, in order, each with its speaker and cue when found.

    Fragments under `min_words` words are scare quotes or labels; short ones with no speaker
    are terms being mentioned ("the “community of common destiny” is ..."), so both are dropped
    (see scare_quotes). `single_quotes` also reads ‘...’ as quotation (off by default: ’ is mostly
    an apostrophe). `reported` adds statements reported without marks (kind "reported", see
    app/pipeline/reported.py); a reported clause holding a partial quote yields both records.
    `gate=False` keeps the rules' reported speech only, without the learned gate's second reading.
    """
    if not text:
        return []
    doc, spans, _ = _prepare(text, single_quotes)
    clauses = find_reported(doc, gate=gate) if reported else []
    clause_starts = [a for a, *_ in clauses]
    results: list[QuoteCandidate] = []
    prev: Span | None = None
    prev_speaker: str | None = None
    for span in spans:
        after = _cue_after(doc, span)
        cue = after or _cue_before(doc, span)
        close = after is not None or (cue is not None and _cue_close_before(doc, cue, span))
        speaker = cue.speaker if cue else (prev_speaker if _inherits(doc, span, prev) else None)
        if cue is None and (signed := _dash_speaker(doc, span)):
            speaker = signed
        elif speaker is None and cue is None:
            speaker = (_colon_speaker(doc, span) or _closing_cue_before(doc, span)
                       or _tail_speaker(doc, span))
        if (label := _TRANSCRIPT_LABEL.match(text, span.start, span.end)) is not None:
            # '"WALLACE: Let's start with ...' in a quoted transcript: the label speaks, and is
            # no part of what was said
            cue, speaker = None, _label_speaker(doc, label.group(1), span.start)
            span = Span(span.open, span.limit, label.end(), span.end, span.closed, span.para)
        prev, prev_speaker = span, speaker
        if not single_quotes and doc.text[span.open] in SINGLES and cue is None:
            continue  # single marks read on their own: only a span with a cue is a quotation
        if speaker is None:
            # A partial quote inside a reported clause is that clause's speaker's: 'The Fed will
            # hold rates "for as long as it takes", the chair said.'
            clause = _enclosing(clauses, clause_starts, span)
            if clause is not None:
                cue, speaker = clause
        words = len(text[span.start:span.end].split())
        if words < min_words or (speaker is None and words < C.MIN_UNATTRIBUTED_WORDS):
            continue
        if words < C.SHORT_QUOTE_WORDS and not (close and speaker is not None):
            continue  # a term in marks inside somebody's sentence ("a “multipolar world order”")
        if _title_case(text, span.start, span.end) or _cited_headline(doc, span):
            continue  # the name of a book, show, slogan or article ("Crippled America")
        results.append(QuoteCandidate(
            start=span.start, end=span.end, text=text[span.start:span.end], speaker=speaker,
            cue=_cue_text(doc, cue) if cue else None, kind=_kind(doc, span)))
    if clauses:
        results += [QuoteCandidate(start=a, end=b, text=text[a:b], speaker=speaker,
                                   cue=_cue_text(doc, cue), kind="reported", states=states)
                    for a, b, cue, speaker, states in clauses]
        results.sort(key=lambda q: (q.start, q.end))
    return _with_sex(doc, results)


def _with_sex(doc: TextIndex, quotes: list[QuoteCandidate]) -> list[QuoteCandidate]:
    """Each quote with what the article tells of its speaker's sex, read once a speaker."""
    sexes: dict[str, str | None] = {}
    for q in quotes:
        if q.speaker and q.speaker not in sexes:
            sexes[q.speaker] = speaker_sex(doc, q.speaker)
    return [replace(q, sex=sex) if q.speaker and (sex := sexes[q.speaker]) else q for q in quotes]


_TITLE_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# A headline cited with its byline, as link digests do: 'TOWN HALL—"Port to close its night
# shift," by the Herald's Ana Ruiz: ...'. The marks open the paragraph (after a label in
# capitals and a dash, if any) and close after a comma, then "by" and a capitalised source.
_DIGEST_LABEL = re.compile(r"[^a-z\u201c\u201d\"\n]{0,60}?(?:[\u2014\u2013-]+|:)?\s*")
_BYLINE_AFTER = re.compile(r"\s+by\s+(?:the\s+)?[A-Z]")


def _cited_headline(doc: TextIndex, span: Span) -> bool:
    """The span is an article's headline cited with its byline (see _DIGEST_LABEL), not words
    somebody said."""
    if not span.closed or doc.text[span.end - 1:span.end] != ",":
        return False
    ps = doc.para_starts[span.para]
    return (_DIGEST_LABEL.fullmatch(doc.text, ps, span.open) is not None
            and _BYLINE_AFTER.match(doc.text, span.limit + 1) is not None)


def _title_case(text: str, a: int, b: int) -> bool:
    """text[a:b] is a title set in marks, not words somebody said: short, every word capitalised
    but the small ones ("The Art of the Deal", "This Week With George Stephanopoulos")."""
    if b - a > C.MAX_TITLE_CHARS:
        return False
    words = [w for w in _TITLE_WORD.findall(text, a, b) if w.lower() not in C.TITLE_SMALL_WORDS]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def continues(text: str, first: QuoteCandidate, second: QuoteCandidate) -> bool:
    """`second` is the rest of `first`'s sentence, the attribution set between them: '“If the
    port does not pay,” Lopez said, “the night shift will go.”' is one statement, not two."""
    return (first.kind != "reported" and second.kind != "reported" and first.speaker is not None
            and first.speaker == second.speaker and first.text.rstrip().endswith(",")
            and second.text[:1].islower()
            and _SPLIT_BETWEEN.fullmatch(text, first.end, second.start) is not None)


def _closing_cue_before(doc: TextIndex, span: Span) -> str | None:
    """'Dianne Bystrom agreed. “...”': the sentence right before the quote, in its paragraph,
    ends on a cue whose speaker is known (at most three words after the verb), and the quote
    follows it directly: that speaker's words."""
    sent = doc.sentence_start(span.open)
    if sent != span.open or sent == doc.para_starts[span.para] or sent < 2:
        return None
    prev = doc.sentence_start(sent - 2)
    if prev < doc.para_starts[span.para]:
        return None
    i = bisect_left(doc.quote_cue_firsts, bisect_left(doc.starts, sent)) - 1
    if i < 0 or doc.starts[doc.quote_cues[i].first] < prev:
        return None
    cue = doc.quote_cues[i]
    end = bisect_left(doc.starts, sent)
    rest = end - max(cue.last, cue.subject[1] + 1 if cue.subject else 0)
    if not cue.speaker or rest > 3 or MARK_RE.search(doc.text, prev, sent):
        return None
    return cue.speaker


def _tail_speaker(doc: TextIndex, span: Span) -> str | None:
    """'“...,” Hale beamed.', '“...?” questioned Tom Hale, the mayor.', '“...,” Hale pointed
    out.': a quote closed on a comma, question or exclamation mark, then a clause of a name and
    one lowercase verb no cue list holds (either order, a particle after the verb), ending the
    sentence or followed by a comma: that position makes the verb a speech verb and the name
    the speaker (a name the text resolves, see name_runs)."""
    if not span.closed:
        return None
    last = doc.text[span.start:span.end].rstrip("\u2019'\"\u201d ")[-1:]
    if last not in ",?!":
        return None
    t0 = bisect_left(doc.starts, span.limit + 1)
    if t0 >= len(doc.starts) or doc.text[span.limit + 1:doc.starts[t0]].strip():
        return None  # '”, Hale ...' or a new line: not this shape
    verb = None
    k = t0
    while k < len(doc.starts) and k < t0 + 7:
        w = doc.words[k]
        if w.islower():
            if verb is not None and not (k == verb + 1 and doc.lower[k] in _TAIL_PARTICLES):
                return None
            if verb is None:
                if not (len(w) > 3 and w.isalpha() and w.endswith(("ed", "s"))) or w in C.FINITE_HINTS:
                    return None
                verb = k
        sep = doc.sep(k)
        if sep.strip():
            break
        k += 1
    else:
        return None
    if verb is None or verb == k and verb == t0 or sep.strip()[:1] not in (".", ","):
        return None
    if sep.strip()[:1] == "." and k + 1 < len(doc.starts) and doc.starts[k + 1] < doc.sentence_end(
            doc.starts[k]) and not doc.cap(k + 1):
        return None  # an abbreviation inside, not the end of the clause
    i = bisect_left(doc.mention_pos, doc.starts[t0])
    if i < len(doc.mention_pos) and doc.mention_pos[i] <= doc.starts[k]:
        return doc.mention_names[i]
    a, b = (verb + 1, k + 1) if verb == t0 else (t0, verb)
    while a < b and doc.lower[a] in _TAIL_PARTICLES:
        a += 1
    if a >= b or not all(doc.cap(j) for j in range(a, b)):
        return None
    name, _ = _resolve_name(doc, a, b - 1, None)  # "Hale": the surname of one named in full before
    return name


_TAIL_PARTICLES = frozenset({"out", "up", "back", "in", "on", "off"})


def _colon_speaker(doc: TextIndex, span: Span) -> str | None:
    """'Maria Santos put it bluntly: “...”' (also with the quote in the next paragraph): no speech
    cue, but the sentence that opens the quote with a colon names its speaker: the first person
    it names (its subject, roughly, as for "he" in name_runs.antecedent)."""
    lead = doc.text[max(0, span.open - 4):span.open]
    if ":" not in lead or lead[lead.rindex(":") + 1:].strip():
        return None
    colon = span.open - len(lead) + lead.rindex(":")
    k = bisect_left(doc.starts, colon) - 1  # the word before the colon
    c = bisect_left(doc.quote_cue_firsts, k + 1) - 1
    if k >= 0 and c >= 0 and doc.quote_cues[c].last == k + 1 and doc.quote_cues[c].speaker:
        return doc.quote_cues[c].speaker  # "..., and Harbour News responded:" then the quote
    i = bisect_left(doc.mention_pos, doc.sentence_start(colon))
    return doc.mention_names[i] if i < len(doc.mention_pos) and doc.mention_pos[i] < colon else None


# A speaker's name in capitals and a colon opening a line of a transcript: "PENCE: Well, ...".
_TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z'\u2019.-]+(?: [A-Z][A-Z'\u2019.-]+){0,2}):[ \t\u00a0]+(?=\S)")


def _label_speaker(doc: TextIndex, label: str, pos: int) -> str:
    """'PENCE' -> 'Mike Pence' when the text names him in full, else 'Pence'."""
    words = [w.capitalize() for w in label.split()]
    if len(words) == 1:
        return expand_surname(doc, words[0], pos)
    return " ".join(words)


_SIGNATURE_DASH = re.compile(r"[ \t\u00a0]*(?:[\u2015\u2014\u2013]|--?)[ \t\u00a0]*")


def _dash_speaker(doc: TextIndex, span: Span) -> str | None:
    """'“... for the vote.” ― Ana Ruiz' ending its line, or on a line of its own after the quote's
    ('“...”\n\n- Ana Ruiz'): a signed quotation (vox pops, epigraphs, debate fact checks)."""
    if not span.closed:
        return None
    dash = _SIGNATURE_DASH.match(doc.text, span.limit + 1)
    para_end = doc.para_ends[span.para]
    if dash is None and _line_rest_empty(doc.text, span.limit + 1, para_end, _BLANK_OR_STOP):
        nxt = _next_line(doc, span.para)
        dash = _SIGNATURE_DASH.match(doc.text, nxt[0]) if nxt else None
        if dash is not None:
            span = Span(span.open, span.limit, span.start, span.end, True, nxt[1])
    if dash is None or doc.in_byline(dash.end()):
        return None   # "— By Jane Doe": the writer's byline, not a signed quotation
    a = bisect_left(doc.starts, dash.end())
    if a >= len(doc.starts) or doc.starts[a] != dash.end() or not doc.cap(a):
        return None
    line_end = doc.para_ends[span.para]
    b = run_forward(doc, a, bisect_left(doc.starts, line_end))
    if not _line_rest_empty(doc.text, doc.ends[b], line_end, _BLANK_OR_STOP_OR_COMMA):
        return None  # more follows on the line: a dash inside a sentence, not a signature
    return clean_name(doc, a, b)[0]


_BLANK_OR_STOP = re.compile(r"[ .\t\u00a0]*")
_BLANK_OR_STOP_OR_COMMA = re.compile(r"[ .,\t\u00a0]*")


def _line_rest_empty(text: str, a: int, b: int, blank: re.Pattern) -> bool:
    """Only blanks and stops in text[a:b], read without copying it (a one-paragraph text of
    many quotes would copy the rest of it once a quote)."""
    return a >= b or blank.match(text, a, b).end() == b


def _next_line(doc: TextIndex, para: int) -> tuple[int, int] | None:
    """(start, index) of the next non-empty paragraph after paragraph `para`."""
    for p in range(para + 1, min(para + 3, len(doc.para_starts))):
        line = doc.text[doc.para_starts[p]:doc.para_ends[p]]
        if line.strip():
            return doc.para_starts[p] + len(line) - len(line.lstrip()), p
    return None


def _enclosing(clauses: list[tuple[int, int, Cue, str, bool]], starts: list[int],
               span: Span) -> tuple[Cue, str] | None:
    """The cue and speaker of the reported clause holding the span, if any (clauses never
    overlap)."""
    i = bisect_right(starts, span.start) - 1
    if i >= 0 and span.end <= clauses[i][1]:
        return clauses[i][2], clauses[i][3]
    return None


def scare_quotes(text: str, *, single_quotes: bool = True) -> list[QuoteCandidate]:
    """Words set in marks for distance or as a label, not quoted from anyone: the “no-limits”
    partnership, the so-called ‘China challenge’ (also inside a quotation).

    Kind "scare" is not a stored quote kind: these are for display and analysis only, never
    for storage. A short fragment counts when no cue is attached to it (none right after it,
    no cue word or colon right before it), so 'he said “no”' is not a scare quote.
    Single marks are read by default here: a stray apostrophe costs little in a list nobody stores.
    """
    if not text:
        return []
    doc, spans, nested = _prepare(text, single_quotes)
    found = []
    for span in sorted(spans + nested, key=lambda s: s.start):
        words = text[span.start:span.end].split()
        if not 1 <= len(words) <= C.MAX_SCARE_WORDS or _cue_after(doc, span):
            continue
        before = text[max(0, span.open - 30):span.open].rstrip()
        last = before.split()[-1].lower() if before.split() else ""
        if before.endswith(":") or last in C.CUE_VERBS or last in C.CUE_PARTICIPLES:
            continue
        found.append(QuoteCandidate(start=span.start, end=span.end, text=text[span.start:span.end],
                                    speaker=None, cue=None, kind="scare"))
    return found
