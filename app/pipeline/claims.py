"""Pure helpers that turn quotes into claim statements and decide when two texts state one claim.

Why word-level: outlets re-punctuate, swap curly for straight marks, cut with "..." and insert
"[and]"; none of that changes what was said, so comparison happens on normalized words.

Bracketed text is dropped by `normalize_words`: "[The CCP] is progressing" becomes
"is progressing". Words in brackets are the reporter's insertion, not the speaker's, so they must
neither create a match between outlets nor break one (one outlet writes "[the military]", another
"it"). The raw quote text, brackets and all, stays on the record for display.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.pipeline.constants import (
    CLAUSE_JOINS,
    MIN_CLAIM_WORDS,
    MIN_CLAUSE_WORDS,
    MIN_SHARED_RUN,
    NAME_LIST_JOINERS,
)
from app.pipeline.diff import ADDED, REMOVED, word_diff
from app.pipeline.words import MARKS, MAY_HOLD_MARK, join_prefixes

_BRACKETED = re.compile(r"\[[^\[\]]{0,200}\]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# The matcher's words (match_words): combining marks stay in their word (pipeline.words).
_MATCH_RUN = r"(?>[^\W_]+|[" + MARKS + "]+)+"
_MATCH_WORD = re.compile(_MATCH_RUN + "(?:'" + _MATCH_RUN + ")*")
# Where a long quote is cut: sentence ends, and ellipses with an optional "[and]"-style join.
_SENTENCE_END = re.compile(r"(?<=[.?!])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(\[]?[^\W\d_])")
_ELLIPSIS_JOIN = re.compile(
    r"\s*(?:\.\s?\.\s?\.|\u2026|\[\s*(?:\.\.\.|\u2026)\s*\])\s*(?:\[(?:and|or|but|then)\]\s*)?")
_CLAUSE_JOIN = re.compile(
    r"\s*;\s+|,?\s+(?:and|but)\s+that\s+"
    r"|\s+(?:and|but)\s+(?=(?:it|we|they|he|she|i)\s+(?:will|would|is|are|was|were|has|have|had|can|could|must|should|cannot|won't)\s)"
    r"|,\s+(?:"
    + "|".join(sorted((re.escape(j).replace(r"\ ", r"\s+") for j in CLAUSE_JOINS), key=len, reverse=True))
    + r")\s+", re.IGNORECASE)
_TRIM = " \t\r\n,.;:!?\u2026\"'\u201c\u201d\u2018\u2019-\u2013\u2014"
_ABBREV_END = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Prof|Jr|U\.S|U\.K|U\.N)\.$")


def normalize_words(text: str) -> list[str]:
    """Lowercase words with punctuation, quote marks, ellipses and [bracketed] insertions removed.

    Dashes and hyphens separate words ("no-limits" == "no limits"); curly and straight
    apostrophes are one character, so "China’s" == "China's".
    """
    text = _BRACKETED.sub(" ", text).translate(_APOSTROPHES).lower()
    return _WORD.findall(text)


def match_words(text: str) -> list[str]:
    """normalize_words as the matcher and the search indexes read words (pipeline.words): a
    hyphenated prefix joined to its word ("multi-polar" -> "multipolar") and combining marks kept
    in theirs ("हिन्दी" one word). normalize_words itself stays as it was: its words make the
    stored keys and shingle hashes."""
    text = _BRACKETED.sub(" ", join_prefixes(text)).translate(_APOSTROPHES).lower()
    # Most texts hold no mark, and _WORD reads them 3x faster than _MATCH_WORD.
    return (_MATCH_WORD if MAY_HOLD_MARK.search(text) else _WORD).findall(text)


def normalized_key(text: str) -> str:
    """One string per wording, for equality lookups (hash it to index)."""
    return " ".join(normalize_words(text))


def shingles(words: list[str], n: int = MIN_SHARED_RUN) -> set[str]:
    """Every run of n consecutive words; texts sharing one share a long verbatim stretch."""
    if n <= 0:
        return set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def same_claim(a: str, b: str) -> bool:
    """Same normalized words, or a shared run of MIN_SHARED_RUN words: eight words in a row
    rarely coincide by chance, while trimmed and extended quotations of one statement do."""
    wa, wb = normalize_words(a), normalize_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    return not shingles(wa).isdisjoint(shingles(wb))


@dataclass(frozen=True, slots=True)
class Statement:
    """One claimable piece of a quote; start/end are offsets into the quote text."""

    start: int
    end: int
    text: str


def _pieces(quote_text: str) -> list[tuple[int, int]]:
    """Cut points: after sentence ends and around ellipsis joins, kept as (start, end) pairs."""
    cuts: list[tuple[int, int]] = []
    for m in _ELLIPSIS_JOIN.finditer(quote_text):
        cuts.append((m.start(), m.end()))
    for m in _SENTENCE_END.finditer(quote_text):
        if not _ABBREV_END.search(quote_text[max(0, m.start() - 5):m.start()]):
            cuts.append((m.start(), m.end()))
    cuts.sort()
    pieces, pos = [], 0
    for a, b in cuts:
        if a >= pos:
            pieces.append((pos, a))
            pos = b
    pieces.append((pos, len(quote_text)))
    return [clause for a, b in pieces for clause in _clauses(quote_text, a, b)]


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut text[start:end] where a comma and a join word (or a semicolon) open a new clause,
    keeping a cut only when MIN_CLAUSE_WORDS words stand on both sides of it."""
    out, pos = [], start
    for m in _CLAUSE_JOIN.finditer(text, start, end):
        left, right = text[pos:m.start()], text[m.end():end]
        if len(normalize_words(left)) >= MIN_CLAUSE_WORDS and len(normalize_words(right)) >= MIN_CLAUSE_WORDS:
            out.append((pos, m.start()))
            pos = m.end()
    out.append((pos, end))
    return out


def split_statements(quote_text: str) -> list[Statement]:
    """Split a long quote into statements at sentence ends, "... [and]" joins and clause joins
    (", and serving ...", "; ..."; see CLAUSE_JOINS).

    Each piece is trimmed of spaces, trailing punctuation and stray quote marks. Pieces shorter
    than MIN_CLAIM_WORDS words are dropped (fragments), and so are questions (a reporter's "Will
    the ministry send weapons?" asserts nothing) and lists of names: none of them is a claim.
    """
    out: list[Statement] = []
    for a, b in _pieces(quote_text):
        if quote_text[a:b].rstrip(_CLOSERS).endswith("?"):
            continue
        while a < b and quote_text[a] in _TRIM:
            a += 1
        while b > a and quote_text[b - 1] in _TRIM:
            b -= 1
        piece = quote_text[a:b]
        if len(normalize_words(piece)) >= MIN_CLAIM_WORDS and not _name_list(piece):
            out.append(Statement(a, b, piece))
    return out


_CLOSERS = " \t\r\n\"'\u201d\u2019)"
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019.-][^\W_]+)*\.?|&")


def _name_list(piece: str) -> bool:
    """Only capitalised words and list joiners, with a comma or a joiner between names."""
    tokens = _TOKEN.findall(piece)
    if not tokens or not ("," in piece or any(t.lower() in ("and", "&", "or") for t in tokens)):
        return False
    return all(t[0].isupper() or t.lower() in NAME_LIST_JOINERS for t in tokens)


def joined_halves(first: str, second: str) -> tuple[str, int, int]:
    """The statement a quotation split by its attribution makes ('“We will rebuild,” Lopez said,
    “and we will not charge ...”'): the halves joined by a comma, with where the first half ends
    and the second begins in the joined text."""
    head = first.rstrip(" ,")
    return f"{head}, {second}", len(head), len(head) + 2


def fidelity(canonical: str, excerpt: str, quoted: bool = True) -> str:
    """How faithfully an excerpt renders the claim's canonical wording, read off the word diff.

    Why these four: an analyst must tell a faithful quotation from a doctored one at a glance.
    - "paraphrased": the outlet did not use quotation marks; it speaks in its own words, so the
      words are not held to the speaker's (fidelity judges quotations).
    - "verbatim": every word of the claim, in order, nothing added; also when a longer quotation
      carries the whole claim word for word, or when a [bracketed] insertion stands for a word.
    - "trimmed": words cut (with or without "...", "…", "[...]"), nothing added or changed.
    - "altered": inside quote marks, any word added, changed or moved.
    Reporters' [bracketed] insertions are neutral on both sides: see `app.pipeline.diff`.
    """
    if not quoted:
        return "paraphrased"
    if excerpt.strip(_TRIM) == canonical.strip(_TRIM):
        # The claim's own words, only its end marks differ (the quote drops the full stop): the
        # diff would align equal word lists, so nothing is added or cut. Stripped characters are
        # never a word's, nor a bracket's (tests/test_pipeline_claims.py checks against the diff);
        # most mentions are this, and the diff cost a bulk load a third of its time.
        return "verbatim"
    kinds = {op.kind for op in word_diff(canonical, excerpt)}
    if ADDED in kinds:
        return "altered"
    return "trimmed" if REMOVED in kinds else "verbatim"


def slugify(text: str, max_words: int = 8) -> str:
    """ASCII, lowercase, hyphen-joined first words: decoration for URLs, never an identifier.

    Returns "" when nothing usable remains (e.g. only CJK or punctuation); callers pick a fallback.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))
    return "-".join(words[:max(0, max_words)])
