"""Where a span sits in its text: the sentence around an excerpt and highlight segments for a page."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.pipeline.constants import WINDOW_OPENING_JOINS

_SENTENCE_END = ".!?\n"
# A sentence ends at . ! ? (and any closing marks after it) followed by space, or at a line break.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*(?P<gap>[ \t]+)(?=[^a-z\s])|(?P<line>\s*\n\s*)")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Prof|Jr|Lt|Col|No|U\.S|U\.K|U\.N))\.$")
_STRIP = " \t\r\n"
# Where a long sentence may be cut into clause windows for matching.
_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[\u2014\u2013-]\s+|\u2014")
_WORDS = re.compile(r"[^\W_]+")
_OPENING_JOIN = re.compile(r"(?:" + "|".join(sorted((re.escape(j) for j in WINDOW_OPENING_JOINS),
                                                    key=len, reverse=True)) + r")\s+", re.IGNORECASE)


def _sentence_starts_at(text: str, i: int) -> bool:
    before = text[i - 1]
    return before == "\n" or (before in ".!?" and text[i].isspace())


def sentence_bounds(text: str, start: int, end: int, limit: int = 400) -> tuple[int, int]:
    """Widen [start, end) to the sentence (or paragraph) around it, at most `limit` chars each side."""
    lo = start
    floor = max(0, start - limit)
    while lo > floor and not _sentence_starts_at(text, lo):
        lo -= 1
    hi = end
    ceil = min(len(text), end + limit)
    if not (end > start and text[end - 1] in ".!?"):
        while hi < ceil and text[hi] not in _SENTENCE_END:
            hi += 1
        if hi < len(text) and text[hi] in ".!?":
            hi += 1
    # Closing quote marks belong to the sentence they close.
    while hi < len(text) and text[hi] in "\"”’'":
        hi += 1
    while lo < start and text[lo].isspace():
        lo += 1
    return lo, hi


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    marks: tuple[int, ...]   # indexes of the spans covering this piece; empty for plain text


def segments(text: str, spans: list[tuple[int, int]]) -> list[Segment]:
    """Cut text at every span boundary so a template can wrap covered pieces (overlaps allowed)."""
    n = len(text)
    cuts = {0, n}
    for s, e in spans:
        cuts.add(max(0, min(n, s)))
        cuts.add(max(0, min(n, e)))
    points = sorted(cuts)
    out: list[Segment] = []
    for a, b in zip(points, points[1:]):
        if a == b:
            continue
        covering = tuple(i for i, (s, e) in enumerate(spans) if s <= a and b <= e)
        out.append(Segment(text[a:b], covering))
    return out


@lru_cache(maxsize=8)
def sentence_spans(text: str, max_chars: int = 1200) -> tuple[tuple[int, int], ...]:
    """(start, end) of every sentence, for matching an article passage by passage.

    Abbreviations ("U.S.", "Gen.") and a lowercase next word do not end a sentence; an overlong
    run without an end (a list, a table) is cut every `max_chars` so no passage is unbounded.
    Cached: matching, copied-passage detection and the ingest event each ask for one article's."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_BREAK.finditer(text):
        gap = "line" if m.group("line") is not None else "gap"
        end = m.start(gap)
        if gap == "gap" and _ABBREVIATION.search(text[max(0, m.start() - 5):m.start()]):
            continue
        spans.extend(_cut(text, pos, end, max_chars))
        pos = m.end()
    spans.extend(_cut(text, pos, len(text), max_chars))
    return tuple(spans)


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return [(a, min(a + max_chars, end)) for a in range(start, end, max_chars)]


def passage_windows(text: str, start: int, end: int, max_words: int = 32,
                    min_words: int = 12) -> list[tuple[int, int]]:
    """A sentence to match, as (start, end) windows: itself when it has at most `max_words` words,
    else runs of its clauses of at least `min_words` words each. A long sentence of news writing
    strings several statements together ("... will organize joint patrols, enhance exchanges ...,
    and further deepen mutual trust, reads the joint statement"): a window carries one or two of
    them, so the index is asked for that statement's words, the mention spans it and its polarity
    is judged on it alone."""
    if len(_WORDS.findall(text, start, end)) <= max_words:
        return [(start, end)]
    cuts = [m.end() for m in _CLAUSE_BREAK.finditer(text, start, end)]
    windows: list[tuple[int, int]] = []
    lo = start
    for cut in cuts + [end]:
        if len(_WORDS.findall(text, lo, cut)) >= min_words:
            windows.append((lo, cut))
            lo = cut
    if lo < end:
        if windows:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((lo, end))
    return [_trimmed(text, a, b) for a, b in windows]


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """The window without outer spaces and clause punctuation, nor the join word that opens it
    ("and officials confirmed ..." starts at "officials")."""
    while a < b and text[a] in _STRIP:
        a += 1
    m = _OPENING_JOIN.match(text, a, b)
    if m:
        a = m.end()
    while b > a and text[b - 1] in _STRIP + ",;:":
        b -= 1
    return a, b


# An enumeration's item separators, and the coordinator that joins its last item ("A, B, and C",
# "A, B as well as C"): see list_items.
_ITEM_BREAK = re.compile(r"[,;]\s+")
_JOINS = r"(?:as well as|and also|and|or)\s+"
_OPENING_ITEM_JOIN = re.compile(r"\b" + _JOINS, re.IGNORECASE)
_INNER_ITEM_JOIN = re.compile(r"\s+" + _JOINS, re.IGNORECASE)
# What ends a list's shared head ("The two sides will", "agreed to"): its items are the verb
# phrases after it.
_VERB_HEAD = re.compile(r"\b(?:to|will|would|shall|should|must|can|could|may|might)\s+(?=[a-z])")


def list_items(text: str, start: int, end: int, min_words: int = 3,
               max_words: int = 12) -> list[tuple[int, int]]:
    """The items of a list of verb phrases in the sentence text[start:end], as (start, end): after
    a head that ends in "to" or a modal ("the two sides will"), items cut at commas up to the one
    a coordinator joins ("will hold talks, share data and cut tariffs", "agreed to hold talks,
    share data, as well as cut tariffs": "hold talks", "share data", "cut tariffs"); the first
    item is read after each head in it ("would work together to build trust" holds "build
    trust"). A sentence that lists several statements may restate a short stored one in one
    item, and read whole it carries much more than that claim (domain.clause_matching.clause_match).

    Nothing for a sentence without such a list (most): the head must stand in the item before the
    commas (a list of names or places has none), and a coordinator opening a segment ("..., and
    C") must follow two commas after it ("he said he would stay, and left" lists nothing). Only
    pieces of `min_words` to `max_words` words, each once, in the text's order."""
    cuts = list(_ITEM_BREAK.finditer(text, start, end))
    if not cuts:
        return []
    segments = []
    lo = start
    for cut in cuts + [None]:
        segments.append((lo, end if cut is None else cut.start()))
        lo = end if cut is None else cut.end()
    head = None           # the index of the last segment so far with a verb head in it
    for i, (a, b) in enumerate(segments):
        if head is not None:
            join = _last_join(text, a, b, opening=i - head >= 2)
            if join is not None:
                break
        if _VERB_HEAD.search(text, a, b):
            head = i
    else:
        return []     # no list of verb phrases
    first = _trimmed(text, *segments[head])
    spans = [(h.end(), first[1]) for h in _VERB_HEAD.finditer(text, *first)]
    spans += [_trimmed(text, a, b) for a, b in segments[head + 1:i]]
    a, b = segments[i]
    if join.start() > a:
        spans.append(_trimmed(text, a, join.start()))
    spans.append(_trimmed(text, join.end(), b))
    out = []
    for a, b in dict.fromkeys(spans):
        if min_words <= len(_WORDS.findall(text, a, b)) <= max_words:
            out.append((a, b))
    return sorted(out)


def _last_join(text: str, a: int, b: int, opening: bool):
    """The coordinator that joins a list's last item in the segment text[a:b]: at its start
    ("..., and C", where `opening`: "A, B, and C"), or inside it ("A, B and C"); None without one."""
    while a < b and text[a] in _STRIP:
        a += 1
    m = _OPENING_ITEM_JOIN.match(text, a, b)
    if m is not None:
        return m if opening else None
    found = None
    for found in _INNER_ITEM_JOIN.finditer(text, a, b):
        pass
    return found
