"""Word-level diff of an outlet's rendering against a claim's canonical text.

Why a diff of words and not of characters: outlets re-punctuate, swap curly for straight marks and
change case; an analyst wants to see which *words* a rendering cuts, adds or changes. Alignment runs
on normalized words (the same normalization as `app.pipeline.claims.normalize_words`), but every op
carries the ORIGINAL surface text, punctuation included, so the page shows what the outlet wrote.

Kinds of op, in the order an excerpt is read (words the excerpt lacks come before what stands in
their place, as diffs usually show them):

- `same`: words of the canonical text, as the excerpt writes them. Words the excerpt has where the
  canonical text has a reporter's [bracketed] insertion also count as same: the speaker's own words.
- `removed`: canonical words the excerpt leaves out (a cut; the text is the canonical wording).
- `added`: excerpt words the canonical text does not have (an addition or a change). Words placed
  before or after the claim that repeat words cut from inside it are a move, so they are added too.
- `replaced`: canonical words the reporter replaced by a [bracketed] insertion ("it" -> "[the
  harbour]"). Neutral: brackets are the reporter's clarification, not a change of the speaker's words.
  A bracket stands in for at most one word more than it holds; a longer gap is a cut (`removed`).
- `bracket`: the reporter's [bracketed] insertion itself. Neutral.
- `ellipsis`: "...", ". . .", "…", "[...]", "[…]": the mark of a cut. Neutral; the cut words are the
  `removed` op beside it.
- `context`: excerpt words before the claim's first word or after its last one, when the excerpt
  carries that end of the claim: a longer quotation around the claim. Neutral.

Concatenating the excerpt-side ops (all but `removed` and `replaced`) with their original spacing
gives the excerpt back; ops hold their text stripped, and a page joins them with spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, ADDED, REMOVED, REPLACED = "same", "added", "removed", "replaced"
BRACKET, ELLIPSIS, CONTEXT = "bracket", "ellipsis", "context"
DIFF_KINDS = (SAME, ADDED, REMOVED, REPLACED, BRACKET, ELLIPSIS, CONTEXT)
#: Kinds that come from the canonical text rather than from the excerpt.
CANONICAL_KINDS = frozenset({REMOVED, REPLACED})

# Same apostrophes and word pattern as claims.normalize_words (kept equal by a test); every mapping
# is one character to one, so offsets in the translated text are offsets in the original.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_TOKEN = re.compile(
    r"(?P<ellipsis>\[\s*(?:\.\s?\.\s?\.|\u2026)\s*\]|\.\s?\.\s?\.|\u2026)"
    r"|(?P<bracket>\[[^\[\]]{0,200}\])"
    r"|(?P<word>[^\W_]+(?:'[^\W_]+)*)")
_INNER_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class DiffOp:
    """A run of consecutive words of one kind; `text` is the surface text, stripped of spaces."""

    kind: str
    text: str


def _surface_start(text: str, prev_end: int, start: int) -> int:
    """Where a token's surface begins: after the last space before it, else at the token."""
    spaces = [m.end() for m in _SPACE.finditer(text, prev_end, start)]
    return spaces[-1] if spaces else start


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str        # "word", BRACKET or ELLIPSIS
    norm: str        # lowercase word; "" for marks
    weight: int      # for a bracket, the number of words it holds


class _Side:
    """One text cut into tokens, with where each token's surface text begins.

    A token's surface runs to the next token's: punctuation right after a word stays with it, and
    an opening mark after a space ("“The") goes with the word it opens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[_Token] = []
        self.bounds: list[int] = []
        prev_end = 0
        for m in _TOKEN.finditer(text.translate(_APOSTROPHES)):
            kind = m.lastgroup or "word"
            inner = len(_INNER_WORD.findall(m.group())) if kind == BRACKET else 0
            self.tokens.append(_Token(kind, m.group().lower() if kind == "word" else "", inner))
            self.bounds.append(_surface_start(text, prev_end, m.start()) if self.bounds else 0)
            prev_end = m.end()
        self.bounds.append(len(text))
        self.word_at = [i for i, t in enumerate(self.tokens) if t.kind == "word"]
        self.words = [self.tokens[i].norm for i in self.word_at]

    def gap_tokens(self, lo: int, hi: int) -> range:
        """Token indices after word lo-1 and before word hi (the marks around words lo..hi-1)."""
        first = self.word_at[lo - 1] + 1 if lo > 0 else 0
        last = self.word_at[hi] if hi < len(self.words) else len(self.tokens)
        return range(first, last)

    def marks(self, lo: int, hi: int, kind: str) -> int:
        """How many marks of `kind` stand between words lo-1 and hi; for brackets, their weight + 1."""
        found = [self.tokens[i] for i in self.gap_tokens(lo, hi) if self.tokens[i].kind == kind]
        return sum(t.weight + 1 for t in found) if kind == BRACKET else len(found)

    def surface(self, first: int, last: int) -> str:
        return self.text[self.bounds[first]:self.bounds[last + 1]].strip()


def word_diff(canonical: str, excerpt: str) -> tuple[DiffOp, ...]:
    """The excerpt read against the canonical text, as merged runs of same, cut and added words."""
    canon, exc = _Side(canonical), _Side(excerpt)
    labels = [t.kind for t in exc.tokens]          # marks keep their own kind unless relabelled
    cut_at: dict[int, tuple[str, int, int]] = {}  # excerpt word index -> canonical token run
    blocks = SequenceMatcher(None, canon.words, exc.words, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in blocks:
        if tag == "equal":
            for j in range(j1, j2):
                labels[exc.word_at[j]] = SAME
            continue
        if i2 > i1:
            stands_in = not exc.marks(j1, j2, ELLIPSIS) and i2 - i1 <= exc.marks(j1, j2, BRACKET)
            cut_at[j1] = (REPLACED if stands_in else REMOVED, canon.word_at[i1], canon.word_at[i2 - 1])
        if j2 > j1:
            speakers_own = 0 < j2 - j1 <= canon.marks(i1, i2, BRACKET)
            for j in range(j1, j2):
                labels[exc.word_at[j]] = SAME if speakers_own else ADDED
    _mark_context(blocks, canon, exc, labels, cut_at)
    return _merge(canon, exc, labels, cut_at)


def _mark_context(blocks, canon: _Side, exc: _Side, labels: list[str],
                  cut_at: dict[int, tuple[str, int, int]]) -> None:
    """Relabel words outside the claim as context, where the excerpt carries that end of the claim.

    Words there that repeat a run cut from inside the claim were moved, so they stay added."""
    equal = [b for b in blocks if b[0] == "equal"]
    if not equal:
        return
    cut_runs = [" ".join(canon.tokens[k].norm for k in range(a, b + 1) if canon.tokens[k].norm)
                for kind, a, b in cut_at.values() if kind == REMOVED]
    regions = []
    if equal[0][1] == 0 and equal[0][3] > 0:
        regions.append(range(0, exc.word_at[equal[0][3]]))
    if equal[-1][2] == len(canon.words) and equal[-1][4] < len(exc.words):
        regions.append(range(exc.word_at[equal[-1][4] - 1] + 1, len(exc.tokens)))
    for region in regions:
        words = " " + " ".join(exc.tokens[i].norm for i in region if exc.tokens[i].norm) + " "
        if not any(f" {run} " in words for run in cut_runs):
            for i in region:
                if labels[i] != SAME:
                    labels[i] = CONTEXT


def _merge(canon: _Side, exc: _Side, labels: list[str],
           cut_at: dict[int, tuple[str, int, int]]) -> tuple[DiffOp, ...]:
    """Walk the excerpt, putting each cut before the marks and words that stand where it was."""
    runs: list[list] = []   # [kind, side, first token, last token]

    def push(kind: str, side: _Side, first: int, last: int) -> None:
        if runs and runs[-1][0] == kind and runs[-1][1] is side and runs[-1][3] + 1 == first:
            runs[-1][3] = last
        else:
            runs.append([kind, side, first, last])

    for j in range(len(exc.words) + 1):
        if j in cut_at:
            kind, first, last = cut_at[j]
            push(kind, canon, first, last)
        for i in exc.gap_tokens(j, j):
            push(labels[i], exc, i, i)
        if j < len(exc.words):
            push(labels[exc.word_at[j]], exc, exc.word_at[j], exc.word_at[j])
    return tuple(DiffOp(kind, side.surface(first, last)) for kind, side, first, last in runs)
