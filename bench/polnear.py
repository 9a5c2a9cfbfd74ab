"""PolNeAR (Newell et al., LREC 2018): quote extraction and speaker attribution on US political news
nobody here wrote, beside simple baselines. Reads ../shared/devdata/polnear_{dev,train}.jsonl at
run time and never copies it; the figures are for the DEV split.

What is run: `extract_quotes(text)` from app/pipeline/quotes.py with its defaults, exactly what
`claimtracker extract` and ingest run (quotations in marks plus reported speech).

How it is scored (the figures depend on these choices):

- Words are `[^\\W_]+` tokens; a token is covered by a span when it lies inside it. Scores are
  micro-averaged over tokens of the whole split (word-overlap precision, recall and F1).
- Gold `type` is re-derived where the converter missed a mark: a quote typed `indirect` whose
  content is wrapped in two apostrophes (''...'', the New York Times archive's double quotation
  mark) is `direct`, and `mixed` when such marks sit only inside it. A quote typed `indirect`
  whose content starts right after a double mark opening its paragraph (after a transcript label
  such as "REED:", if any) and left open to the paragraph's end (a quotation running over
  paragraphs) is `mixed`: its marks do not pair inside the span, and the converter only looked
  inside the span for them.
- Direct quotes: our records in quotation marks (kinds "direct" and "partial") against the
  `content_spans` of gold quotes of type `direct`. Gold `mixed` attributions (a quotation inside a
  paraphrase, or a block quote whose marks do not pair inside the span) are neutral: tokens inside
  their content are neither rewarded nor punished, whoever covers them. Quoted words nobody
  annotated (titles of works, scare quotes of four words or more) count against precision.
- Speaker accuracy: over gold `direct` quotes whose source is written as a name (the head before
  a comma or parenthesis ends in a capitalised word and does not open with a determiner or a
  pronoun: "Trump", "Rep. Gwen Moore (D-Wis.)", "Trump campaign spokesman Jason Miller"; not "he",
  "the president", "a Democratic source"), the share where our record overlapping it most has a
  speaker with the same surname: the last words agree (Jr./Sr./II dropped), or a one-word gold
  name is one of our speaker's words ("Mr. Trump" = "Donald Trump"). A gold quote we miss counts
  as WRONG; the note says how many of the wrong were missed.
- Reported speech: all our records (any kind) against the content of every gold attribution of any
  type (direct, mixed, indirect), word overlap. The issue's target is recall >= 0.70 at
  precision >= 0.90. Same speaker rule over attributions with a named source, as a further row.

Baselines: the quotes are a bare regex, paired double marks around >= BASELINE_MIN_WORDS (4) words
on one line; their speaker is the capitalised run (not a pronoun or sentence opener) nearest to a speech
verb (said, says, told, added, asked, wrote, according) outside the quote in the sentences
holding the quote, else in the next sentence; no pronoun resolution.

    .venv/bin/python -m bench.quality --only polnear
    .venv/bin/python -m bench.polnear_failures --split train   # failure lists for development
"""
from __future__ import annotations

import random
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Report, Row, f1, ratio, read_jsonl

NAME = "polnear"
QUICK_DOCS = 20
#: The regex baseline's shortest quote: fixed, so the baseline stays one figure whatever the
#: pipeline's own minimum (app/pipeline/constants.py MIN_QUOTE_WORDS) becomes.
BASELINE_MIN_WORDS = 4
_WORD = re.compile(r"[^\W_]+")
_MARKED = ("direct", "partial")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_NAME_OPENERS = frozenset({
    "the", "a", "an", "his", "her", "their", "its", "this", "that", "these", "those", "another",
    "one", "some", "many", "several", "other", "our", "my", "your", "both", "two", "three", "who",
    "which", "it", "he", "she", "they", "i", "we", "you", "said", "says",
})
# Titles dropped from a gold name before comparing surnames ("Prince Alwaleed" is one name word).
_GOLD_TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "sen", "senator", "rep", "gov", "governor", "president", "prince",
    "gen", "adm", "lt", "col", "rev", "secretary", "speaker", "judge", "justice", "former",
})
_BASE_QUOTE = re.compile(r"[\u201c\"]([^\u201c\u201d\"\n]+)[\u201d\"]")
_BASE_VERB = re.compile(r"\b(?:said|says|told|added|asked|wrote|according)\b")
_BASE_SENT = re.compile(r"(?<=[.!?])[\"\u201d\u2019]?\s+|\n+")
_BASE_RUN = re.compile(r"[A-Z][\w'\u2019.-]*(?:\s+[A-Z][\w'\u2019.-]*)*")
_BASE_STOP = frozenset({"The", "A", "An", "He", "She", "They", "It", "I", "We", "But", "And",
                        "In", "On", "At", "This", "That", "When", "If", "As", "So", "Mr.", "Ms."})


@dataclass(slots=True)
class Record:
    """One extracted span: the prediction format both our pipeline and the baselines give."""

    start: int
    end: int
    speaker: str | None
    kind: str


@dataclass(slots=True)
class Tally:
    """Token counts for one figure, summed over documents."""

    predicted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0

    def add(self, pred: set[int], gold: set[int], neutral: set[int] = frozenset()) -> None:
        pred = pred - (neutral - gold)
        self.predicted += len(pred)
        self.correct += len(pred & gold)
        self.gold += len(gold)
        self.found += len(gold & pred)

    @property
    def prf(self) -> tuple[float, float, float]:
        p, r = ratio(self.correct, self.predicted), ratio(self.found, self.gold)
        return p, r, f1(p, r)


@dataclass(slots=True)
class SpeakerTally:
    judged: int = 0
    right: int = 0
    missed: int = 0
    failures: list[dict] = field(default_factory=list)


# --- Tokens and names ------------------------------------------------------------------------------

def token_starts(text: str) -> list[int]:
    return [m.start() for m in _WORD.finditer(text)]


def covered(starts: list[int], spans: Iterable[tuple[int, int]]) -> set[int]:
    """Indexes of the tokens starting inside any of the spans."""
    out: set[int] = set()
    for s, e in spans:
        out.update(range(bisect_left(starts, s), bisect_left(starts, e)))
    return out


def name_head(speaker: str | None) -> list[str]:
    """The words of a gold source written as a name, else []: "Rep. Gwen Moore (D-Wis.), head of
    ..." -> [Rep., Gwen, Moore]; "Sen. Tom Carper of Delaware" -> [Sen., Tom, Carper] (a name
    ends before "of" once a word that is not a title was seen; "Secretary of State John Kerry"
    keeps its "of");
    "the president", "he", "a source close to him" -> []."""
    if not speaker:
        return []
    head = re.split(r"[,(]| who ", speaker, maxsplit=1)[0]
    words = [w.strip("\"'\u201c\u201d\u2018\u2019") for w in head.split()]
    words = [w for w in words if w]
    for i, w in enumerate(words):
        named = [x for x in words[:i] if x.lower().strip(".") not in _GOLD_TITLES and x[:1].isupper()]
        if w == "of" and named:
            words = words[:i]
            break
    if not words or words[0].lower() in _NOT_NAME_OPENERS:
        return []
    while words and words[-1].lower().strip(".") in _SUFFIXES:
        words.pop()
    return words if words and words[-1][:1].isupper() else []


def _surname_words(name: str) -> list[str]:
    words = [re.sub(r"['\u2019]s$", "", w).strip(".,").lower() for w in name.split()]
    while words and words[-1] in _SUFFIXES:
        words.pop()
    return [w for w in words if w]


def same_person(ours: str | None, gold_words: list[str]) -> bool:
    """Our speaker and the gold name share a surname (see the module docstring)."""
    mine = _surname_words(ours or "")
    gold = _surname_words(" ".join(gold_words))
    gold = [w for w in gold[:-1] if w not in _GOLD_TITLES] + gold[-1:]  # "Mr. Prince" keeps Prince
    if not mine or not gold:
        return False
    return mine[-1] == gold[-1] or (len(gold) == 1 and gold[0] in mine)


# --- Predictions -----------------------------------------------------------------------------------

def ours(text: str) -> list[Record]:
    from app.pipeline.quotes import extract_quotes

    return [Record(q.start, q.end, q.speaker, q.kind) for q in extract_quotes(text)]


def _sentence_bounds(text: str) -> list[int]:
    return [0] + [m.end() for m in _BASE_SENT.finditer(text)] + [len(text)]


def _nearest_run(text: str, a: int, b: int, quote: tuple[int, int], verb: int) -> str | None:
    best, dist = None, None
    for m in _BASE_RUN.finditer(text, a, b):
        if quote[0] - 1 <= m.start() < quote[1] + 1:
            continue
        words = m.group().split()
        while words and words[0] in _BASE_STOP:
            words = words[1:]
        if not words:
            continue
        d = min(abs(m.start() - verb), abs(m.end() - verb))
        if dist is None or d < dist:
            best, dist = " ".join(words).rstrip(".,"), d
    return best


def baseline(text: str, min_words: int | None = None) -> list[Record]:
    """The regex quotes and the nearest-name speaker heuristic of the module docstring."""
    if min_words is None:
        min_words = BASELINE_MIN_WORDS
    bounds = _sentence_bounds(text)
    found = []
    for m in _BASE_QUOTE.finditer(text):
        if len(m.group(1).split()) < min_words:
            continue
        i = max(0, bisect_left(bounds, m.start() + 1) - 1)
        j = min(len(bounds) - 1, bisect_left(bounds, m.end()))
        speaker = None
        for a, b in ((bounds[i], bounds[j]), (bounds[j], bounds[min(j + 1, len(bounds) - 1)])):
            verbs = [v.start() for v in _BASE_VERB.finditer(text, a, b)
                     if not m.start() <= v.start() < m.end()]
            if verbs:
                speaker = _nearest_run(text, a, b, m.span(), verbs[0])
                break
        found.append(Record(m.start(1), m.end(1), speaker, "direct"))
    return found


# --- Scoring ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class Scores:
    direct: Tally = field(default_factory=Tally)
    every: Tally = field(default_factory=Tally)
    direct_speakers: SpeakerTally = field(default_factory=SpeakerTally)
    all_speakers: SpeakerTally = field(default_factory=SpeakerTally)


def _judge_speaker(tally: SpeakerTally, doc: dict, gold: dict, starts: list[int],
                   preds: list[tuple[Record, set[int]]]) -> None:
    words = name_head(gold.get("speaker"))
    if not words:
        return
    toks = covered(starts, gold["content_spans"])
    best = max(preds, key=lambda p: len(p[1] & toks), default=None)
    tally.judged += 1
    if best is None or not best[1] & toks:
        tally.missed += 1
        tally.failures.append({"doc": doc, "gold": gold, "ours": None})
    elif same_person(best[0].speaker, words):
        tally.right += 1
    else:
        tally.failures.append({"doc": doc, "gold": gold, "ours": best[0]})


_OPENS_PARAGRAPH = re.compile(r"(?:^|\n)[ \t]*[\"\u201c](?:[A-Z][A-Z .'\u2019-]*:[ \t]*)?$")
_CLOSING_DOUBLE = re.compile(r"[\"\u201d]")


def _left_open(text: str, start: int) -> bool:
    """text[start:] opens right after a double mark opening its paragraph, left open to the
    paragraph's end: a quotation running over paragraphs."""
    if not _OPENS_PARAGRAPH.search(text[max(0, start - 60):start]):
        return False
    end = text.find("\n", start)
    return not _CLOSING_DOUBLE.search(text, start, len(text) if end < 0 else end)


def gold_type(text: str, gold: dict, open_paragraphs: bool = True) -> str:
    """The quote's type, reading '' as a double quotation mark and (unless `open_paragraphs` is
    off: the converter's own reading) seeing the open mark of a quotation running over paragraphs
    (see the module docstring)."""
    if gold["type"] != "indirect":
        return gold["type"]
    if open_paragraphs and _left_open(text, gold["content_spans"][0][0]):
        return "mixed"
    pieces = [text[s:e].strip() for s, e in gold["content_spans"]]
    if not any("''" in p for p in pieces):
        return "indirect"
    wrapped = all(p.startswith(("''", '"')) and p.rstrip('.,"').endswith("''") for p in pieces)
    return "direct" if wrapped else "mixed"


def score_doc(doc: dict, preds: list[Record], scores: Scores, open_paragraphs: bool = True) -> None:
    text = doc["text"]
    golds = [{**g, "type": gold_type(text, g, open_paragraphs)} for g in doc["quotes"]]
    starts = token_starts(text)
    spans = lambda kinds: [s for g in golds if g["type"] in kinds for s in g["content_spans"]]
    marked = [(p, covered(starts, [(p.start, p.end)])) for p in preds if p.kind in _MARKED]
    everything = [(p, covered(starts, [(p.start, p.end)])) for p in preds]
    scores.direct.add(set().union(*(t for _, t in marked)), covered(starts, spans({"direct"})),
                      covered(starts, spans({"mixed"})))
    scores.every.add(set().union(*(t for _, t in everything)),
                     covered(starts, spans({"direct", "mixed", "indirect"})))
    for g in golds:
        if g["type"] == "direct":
            _judge_speaker(scores.direct_speakers, doc, g, starts, marked)
        _judge_speaker(scores.all_speakers, doc, g, starts, everything)


def load(path: Path, quick: bool) -> list[dict]:
    docs = list(read_jsonl(path))
    if quick:
        docs = random.Random(10).sample(docs, min(QUICK_DOCS, len(docs)))
    return docs


def evaluate(docs: list[dict], predict: Callable[[str], list[Record]]) -> tuple[Scores, Scores]:
    """The scores with the gold re-typed (see gold_type), and the direct quotes' with the
    converter's reading of quotations running over paragraphs (as unquoted text)."""
    scores, as_converted = Scores(), Scores()
    for doc in docs:
        preds = predict(doc["text"])
        score_doc(doc, preds, scores)
        score_doc(doc, preds, as_converted, open_paragraphs=False)
    return scores, as_converted


def _speaker_note(t: SpeakerTally) -> str:
    return f"{t.right} of {t.judged}; {t.missed} missed (counted wrong)"


def run(devdata: Path, quick: bool = False, split: str = "dev") -> Report:
    docs = load(devdata / f"polnear_{split}.jsonl", quick)
    (mine, mine_converted), (base, base_converted) = evaluate(docs, ours), evaluate(docs, baseline)
    rows = []
    for label, pick, target in (("direct quotes", lambda s: s.direct, (None, None, ">= 0.97")),
                                ("all attributions", lambda s: s.every, (">= 0.90", ">= 0.70", None))):
        for i, metric in enumerate(("precision", "recall", "F1")):
            rows.append(Row(NAME, f"{label} {metric} (word overlap)", pick(mine).prf[i],
                            "quote-mark regex", pick(base).prf[i], target[i] or ""))
    rows.append(Row(NAME, "direct quotes F1, open paragraphs as the converter typed them",
                    mine_converted.direct.prf[2], "quote-mark regex", base_converted.direct.prf[2], "",
                    "a quotation running over paragraphs scored as unquoted text (see gold_type)"))
    rows.append(Row(NAME, "speaker accuracy, direct quotes, named source",
                    ratio(mine.direct_speakers.right, mine.direct_speakers.judged),
                    "nearest name to a verb",
                    ratio(base.direct_speakers.right, base.direct_speakers.judged), ">= 0.92",
                    _speaker_note(mine.direct_speakers)))
    rows.append(Row(NAME, "speaker accuracy, all attributions, named source",
                    ratio(mine.all_speakers.right, mine.all_speakers.judged),
                    "nearest name to a verb",
                    ratio(base.all_speakers.right, base.all_speakers.judged), "",
                    _speaker_note(mine.all_speakers)))
    notes = [{"figure": r.metric, "note": r.note} for r in rows if r.note]
    notes.append({"figure": "documents", "note": f"{len(docs)} {split} documents"})
    return Report(rows=rows, tables={"polnear notes": notes})
