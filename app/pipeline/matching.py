"""How well a passage of an article carries a stored claim: the pure half of matching across outlets.

Why two measures: outlets repeat a statement either word for word (a long quotation, a trimmed
one) or in their own words ("deepen military mutual trust", "build trust between their
militaries"). Coverage of the claim's content words catches both and says which words are shared,
which is the reason an analyst sees; a fuzzy partial ratio over the normalized words rewards the
passages that keep the claim's wording and order, so a verbatim repeat outranks a loose echo.

Polarity is judged apart: a passage on the same subject that denies what the claim asserts (or
asserts what it denies) is a possible contradiction, never a repeat.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from rapidfuzz import fuzz

from app.pipeline.claims import match_words
from app.pipeline.constants import (
    CONTRAST_CUES,
    CUE_VERBS,
    DENIAL_PHRASES,
    DENIAL_VERBS,
    MATCH_STEM_CHARS,
    MATCH_STOPWORDS,
    MIN_TERM_WEIGHT,
    MONTHS,
    NEGATION_CUES,
    NOT_NEGATIONS,
)
from app.pipeline.quote_marks import MARK_RE, find_spans, paragraphs
from app.pipeline.words import HYPHENS, PREFIXES, WORD_CHAR

_NEGATION_WORDS = frozenset(c for c in NEGATION_CUES if " " not in c)
# Contractions of a stopword ("he'd", "we're", "they've", "i'm", "that's") are stopwords too; a
# word ending in "n't" is a negation (_negated counts every one), never content.
_CONTRACTED = frozenset(f"{w}'{end}" for w in MATCH_STOPWORDS if "'" not in w
                        for end in ("s", "re", "ve", "ll", "d", "m")) | {"let's", "here's", "y'all"}
# A prefix standing alone ("t.co" links, "re: ...", "non aligned") says nothing: its hyphenated
# spelling is joined to its word (pipeline.words), the rest is no content.
_NOT_CONTENT = MATCH_STOPWORDS | _NEGATION_WORDS | _CONTRACTED | frozenset(PREFIXES)
_NEGATION_PHRASES = tuple(c for c in NEGATION_CUES if " " in c)
# A word that can start a cue: no negation can be counted in a text without one of these.
_NEGATION_OPENERS = _NEGATION_WORDS | {p.split()[0] for p in _NEGATION_PHRASES}
# Characters left of the aligned window still read for negation ("has denied that ..."), and
# how much further left a denial verb governing the window through "that" is looked for.
_NEGATION_REACH = 24
_DENIAL_REACH = 100
_DENIALS = frozenset(DENIAL_VERBS)
_DENIAL_GAP = 6   # words at most between the verb and its "that" ("disputed the ... claim that")
_SPEECH = frozenset(w for w in CUE_VERBS if " " not in w)   # "denied X, said that": not its clause


_SUFFIXES = ("ing", "ed", "es", "s", "ly")
# How the score weighs its three measures (they sum to 1).
_W_COVERAGE, _W_CONTAINMENT, _W_SIMILARITY = 0.55, 0.15, 0.30


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, language-light stem: possessive and one inflection dropped ("serving" ~ "serve",
    "militaries" ~ "military", "cutting" ~ "cut"), then the first MATCH_STEM_CHARS letters. Cheap, needs no model, and
    serves the search index as a prefix query."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 5 and word.endswith("ies"):
        word = word[:-3] + "y"
    else:
        for suffix in _SUFFIXES:
            if len(word) - len(suffix) >= 4 and word.endswith(suffix) and not word.endswith("ss"):
                word = word[:-len(suffix)]
                # "cutting" ~ "cut", "planned" ~ "plan": a consonant doubled before -ing/-ed
                if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] not in "aeiouylsz":
                    word = word[:-1]
                break
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word[:MATCH_STEM_CHARS]


def content_words(text: str) -> list[str]:
    """Normalized words that carry the subject: no stopwords, no negations (those are polarity)."""
    return _content(match_words(text))


def _content(words: list[str]) -> list[str]:
    """The content words among `words` (match_words': "multi-polar" is "multipolar" there, as
    both search indexes hold it, see pipeline.words)."""
    return [w for w in words if w not in _NOT_CONTENT and (len(w) > 1 or w.isdigit()) and not w.endswith("n't")]


def stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def claim_stems(claim_text: str, kept: str | None = None) -> frozenset[str]:
    """The stems a claim is scored on: its kept stems (claims.stems, see kept_claim_stems), when
    the caller read them with the claim and they are of this version, else made from its text
    (cached: see _claim_stems_of). The same set either way, its members in the same order."""
    if kept is not None and (kept == CLAIM_STEMS_VERSION or kept.startswith(_KEPT_PREFIX)):
        return _kept_stems(kept)
    return _claim_stems_of(claim_text)


@lru_cache(maxsize=16384)
def _kept_stems(kept: str) -> frozenset[str]:
    """Pure, so cached: a candidate comes back for window after window of an article."""
    return frozenset(kept.split(" ")[1:])


def query_terms(text: str, limit: int) -> list[str]:
    """The stems to ask the search index for: distinct, longest first (longer words are rarer)."""
    ordered = sorted(stems(text), key=lambda s: (-len(s), s))
    return ordered[:limit]


def negated(text: str) -> bool:
    """Does the text deny or negate (odd number of cues counts as negated; "not ... no" cancels)?"""
    return _negated(match_words(text))


def _negated(words: list[str]) -> bool:
    # Most passages hold no cue at all: one pass over the words says so without building strings.
    if not any(w in _NEGATION_OPENERS or w.endswith("n't") for w in words):
        return False
    count = sum(1 for w in words if w in _NEGATION_WORDS or w.endswith("n't"))
    joined = " " + " ".join(words) + " "
    count += sum(joined.count(f" {p} ") for p in _NEGATION_PHRASES)
    # "no signs" also counted "no": phrases that start with a negation word add one too many.
    count -= sum(joined.count(f" {p} ") for p in _NEGATION_PHRASES if p.split()[0] in _NEGATION_WORDS)
    # "not only ... but also" affirms twice; "no doubt" affirms.
    count -= sum(joined.count(f" {p} ") for p in NOT_NEGATIONS)
    return count % 2 == 1


@dataclass(frozen=True, slots=True)
class MatchScore:
    """score is what thresholds compare (0..1); shared are the claim's words found in the passage."""

    score: float
    coverage: float
    similarity: float
    shared: tuple[str, ...]
    polarity_differs: bool
    semantic: float | None = None   # cosine of sentence embeddings, when they are switched on
    claim_words: int = 0            # the claim's distinct content stems
    query_share: float = 0.0        # the passage's word weight the claim carries (coverage seen from the passage)
    lexical: float = 0.0            # the hand-weighted blend of coverage, containment and similarity
    semantic_best: float | None = None   # the best cosine among the same text's candidates
    headline: float | None = None   # the score against the claim's fact-check headline, when it counted

    @property
    def reason(self) -> str:
        return f"score {self.score:.2f}: {self.evidence}"

    @property
    def evidence(self) -> str:
        """The measures behind the score, without the score itself (a card that shows the score
        once beside them)."""
        words = ", ".join(self.shared[:12]) + (" ..." if len(self.shared) > 12 else "")
        return (f"{len(self.shared)} shared words ({words}); "
                f"wording similarity {self.similarity:.2f}"
                + (f"; meaning similarity {self.semantic:.2f}" if self.semantic is not None else "")
                + (f"; fact-check headline {self.headline:.2f}" if self.headline is not None else "")
                + ("; polarity differs (one side denies)" if self.polarity_differs else ""))


NO_MATCH = MatchScore(0.0, 0.0, 0.0, (), False)


def with_headline(text_match: MatchScore, headline_match: MatchScore, scorer=None) -> MatchScore:
    """A known claim's text and its fact-check's headline are two wordings of one claim, and a
    passage that restates either restates the claim. With a scorer (app/pipeline/scorer.py) its
    learned odds join the two scores (its semantic model read the headline's measures with the
    text's, so its score stands); without, the hand blends are no probabilities and the higher
    counts. The measures shown are the stronger match's; the meaning similarity stays the text's
    (the headline is not embedded)."""
    if headline_match.score <= 0:
        return text_match
    stronger = text_match if text_match.score >= headline_match.score else headline_match
    a, b = text_match.score, headline_match.score
    if scorer is None:
        score = max(a, b)
    else:
        score = a if scorer.reads_headline(text_match) else scorer.either(a, b)
    return replace(stronger, score=score, headline=round(b, 4),
                   semantic=text_match.semantic, semantic_best=text_match.semantic_best)


def union_measures(passage_stems: frozenset[str], claim: frozenset[str], headline: frozenset[str],
                   weights: Mapping[str, float] | None) -> tuple[float, float]:
    """How much of a passage's word weight a claim's text and its fact-check headline carry
    together, and how much of theirs the passage carries: the two wordings read as one document,
    as a search over both would (a post echoing a word of the headline and two of the text)."""
    union = claim | headline
    shared = _weight(weights, union & passage_stems)
    return (round(shared / max(1e-9, _weight(weights, passage_stems)), 4),
            round(shared / max(1e-9, _weight(weights, union)), 4))


@lru_cache(maxsize=1)
def _date_stems() -> frozenset[str]:
    return frozenset(stem(m) for m in MONTHS)


def _is_date(s: str) -> bool:
    """A month, a year or a day of the month: words a post and a claim share by the calendar (a
    post's signature carries its date), not by what they say (other numbers, "$200 million", do)."""
    if s.isdecimal() and s.isascii():
        return int(s) <= 31 or (len(s) == 4 and s[:2] in ("19", "20"))
    return s in _date_stems()


def union_evidence(passage_stems: frozenset[str], claim: frozenset[str], headline: frozenset[str],
                   weights: Mapping[str, float] | None, signature: frozenset[str] = frozenset()
                   ) -> tuple[float, float, float, float]:
    """What the words a passage shares with a claim's text and headline (read as one) are: the
    share of their weight that is dates and numbers; the weight of the rarest of them over the
    passage's rarest word's (a claim that shares the passage's most telling word, a name or a coined
    word, against one that shares only common ones); the share of their weight that stands only in
    the post's signature (`signature`: stems of its poster and date alone, see
    social.post_signature); and how much of the passage's own words' weight (the signature aside)
    the claim carries."""
    shared = (claim | headline) & passage_stems
    if not shared or not passage_stems:
        return 0.0, 0.0, 0.0, 0.0
    weight = (lambda s: 1.0) if weights is None else (lambda s: weights.get(s, 1.0))
    total = sum(map(weight, shared))
    dates = sum(weight(s) for s in shared if _is_date(s))
    signed = sum(weight(s) for s in shared & signature)
    body = passage_stems - signature
    body_weight = sum(map(weight, body))
    return (round(dates / max(1e-9, total), 4),
            round(max(map(weight, shared)) / max(1e-9, max(map(weight, passage_stems))), 4),
            round(signed / max(1e-9, total), 4),
            round((total - signed) / body_weight, 4) if body_weight else 0.0)


@dataclass(frozen=True, slots=True)
class Passage:
    """A passage prepared once and scored against many candidate claims. `normalized` and
    `negated` None: not worked out yet (a stored article's window, whose stems were kept when it
    was ingested: score_match works its words out only for a window it aligns)."""

    text: str
    stems: frozenset[str]
    normalized: str | None
    negated: bool | None = None


def passage_stems(passage: str) -> frozenset[str]:
    """The stems of prepare(passage), alone."""
    return frozenset(map(stem, _content(match_words(passage))))


@lru_cache(maxsize=8192)
def prepare(passage: str) -> Passage:
    """Pure, and cached: matching back prepares the same stored articles' sentences for each new
    claim on their subject."""
    words = match_words(passage)
    return Passage(passage, frozenset(stem(w) for w in _content(words)), " ".join(words), _negated(words))


def idf_weights(doc_counts: Mapping[str, int], total: int) -> dict[str, float]:
    """How telling each stem is in a store of `total` claims, `doc_counts` of which hold it: a
    word every claim on the story carries ("china", "talks") says little about which claim a
    passage restates; a rare one says much. Never below MIN_TERM_WEIGHT, so no word counts for
    nothing."""
    return {s: idf(n, total) for s, n in doc_counts.items()}


def idf(n: int, total: int) -> float:
    """The weight of one stem held by `n` of `total` claims (see idf_weights)."""
    return max(MIN_TERM_WEIGHT, math.log((total + 1) / (n + 0.5)))


def _weight(weights: Mapping[str, float] | None, stems) -> float:
    if weights is None:
        return float(len(stems))
    try:
        return sum(map(weights.__getitem__, stems))   # every stem weighed: the usual case, fast
    except KeyError:
        return sum(weights.get(s, 1.0) for s in stems)


def score_match(claim_text: str, passage: str | Passage,
                weights: Mapping[str, float] | None = None, floor: float = 0.0,
                scorer=None, lexical_floor: float = 0.0, *, passage_weight: float | None = None,
                claim_weight: float | None = None, stems: frozenset[str] | None = None) -> MatchScore:
    """Score a passage against a claim. Fewer than two shared content words is no match at all
    (one shared noun is a topic, not a statement), so a claim of one content word ("I didn't have
    any this year") matches nothing: any passage with that word would carry it whole.
    With `weights` (see idf_weights) coverage and containment count each word by how telling it
    is; without, every word counts one. A claim that cannot reach `floor` even with identical
    wording is no match either: the wording alignment, most of the cost, is not computed for it.
    With a `scorer` (app/pipeline/scorer.py) `score` is its learned odds, `floor` bounds them and
    `lexical_floor` the blend, which `lexical` keeps (both tests are made before the alignment).
    `passage_weight` / `claim_weight`: passage_weight_of(weights, passage) and claim_weight_of(
    weights, claim_text), worked out once by a caller scoring one passage against many claims (or
    one claim against many passages): weighing them again for every pair was half of scoring.
    `stems`: claim_stems(claim_text, kept), given by a caller that read the claim's kept stems with
    it (a candidate of the search: domain.matching.candidate_measures)."""
    p = passage if isinstance(passage, Passage) else prepare(passage)
    # the claim's stems first, the rest of its side only if it may score
    claim_stems_ = stems if stems is not None else _claim_stems_of(claim_text)
    if not claim_stems_:
        return NO_MATCH
    common = claim_stems_ & p.stems
    if len(common) < 2:
        return NO_MATCH
    shared_weight = _weight(weights, common)
    if claim_weight is None:
        claim_weight = _weight(weights, claim_stems_)
    coverage = shared_weight / claim_weight
    if passage_weight is None:
        passage_weight = _weight(weights, p.stems)
    containment = shared_weight / max(1e-9, min(claim_weight, passage_weight))
    query_share = shared_weight / max(1e-9, passage_weight)
    lexical_ceiling = round(_W_COVERAGE * coverage + _W_CONTAINMENT * containment + _W_SIMILARITY, 4)
    if lexical_ceiling < lexical_floor or (scorer is None and lexical_ceiling < floor):
        return NO_MATCH
    claim = _claim_side(claim_text)
    shared = tuple(dict.fromkeys(w for w, s in claim.words if s in common))
    best = MatchScore(0.0, round(coverage, 4), 1.0, shared, False, claim_words=len(claim.stems),
                      query_share=round(query_share, 4))
    if scorer is not None and scorer.ceiling(best) < floor:
        return NO_MATCH
    normalized = p.normalized if p.normalized is not None else prepare(p.text).normalized
    aligned = fuzz.partial_ratio_alignment(claim.normalized, normalized)
    similarity = aligned.score / 100.0
    lexical = round(_W_COVERAGE * coverage + _W_CONTAINMENT * containment + _W_SIMILARITY * similarity, 4)
    match = MatchScore(lexical, best.coverage, round(similarity, 4), shared,
                       _polarity_differs(claim.normalized, normalized, aligned),
                       claim_words=best.claim_words, query_share=best.query_share, lexical=lexical)
    return match if scorer is None else replace(match, score=scorer.score(match))


# How far below the exact bar shared_weight_bar sets its bar: far above the float error of a sum
# of weights taken in another order (~1e-15 of it) and above score_match's rounding to 4 places.
_BAR_MARGIN = 1e-3


def shared_weight_bar(claim_weight: float, lexical_floor: float, floor: float = 0.0,
                      scorer=None) -> float:
    """The least weight of shared stems (weighed as score_match weighs them) a passage must hold
    of a claim weighing `claim_weight` for score_match(..., floor, scorer, lexical_floor) to score
    it above 0, whatever the passage's own weight: containment is at most 1 (the shared stems are
    the passage's too), so the lexical ceiling is at most 0.55 coverage + 0.45, and below the
    lexical floor (without a scorer, below `floor` too) it is no match. A caller testing one claim
    against many passages rules out those under the bar before scoring them (matching back, where
    three quarters of the pairs sharing two stems share only common words); the bar is set
    _BAR_MARGIN lower, so what it rules out score_match would have ruled out: no decision changes.
    0 when every passage sharing two stems may score (embeddings: no lexical floor)."""
    bar = lexical_floor if scorer is not None else max(lexical_floor, floor)
    need = (bar - _W_CONTAINMENT - _W_SIMILARITY - _BAR_MARGIN) / _W_COVERAGE
    return max(0.0, need * claim_weight)


def stems_weight(weights: Mapping[str, float] | None, stems) -> float:
    """What score_match weighs a set of stems at (the shared ones, say)."""
    return _weight(weights, stems)


def passage_weight_of(weights: Mapping[str, float] | None, passage: str | Passage) -> float:
    """What score_match weighs a passage's stems at (its `passage_weight`)."""
    return _weight(weights, (passage if isinstance(passage, Passage) else prepare(passage)).stems)


def claim_weight_of(weights: Mapping[str, float] | None, claim_text: str) -> float:
    """What score_match weighs a claim's stems at (its `claim_weight`)."""
    return _weight(weights, _claim_stems_of(claim_text))


def _polarity_differs(claim: str, passage: str, aligned) -> bool:
    """Compare polarity where the two texts align, not over their whole length: a long sentence
    that also says "no" about something else does not deny the claim. The passage's window
    reaches a few words further left, where "denied that", "not" and "no signs that" stand; so
    does the claim's, where its own "not" or "instead of" stands."""
    claim_part = claim[_word_start(claim, aligned.src_start - _NEGATION_REACH):aligned.src_end].split()
    reach = _word_start(passage, aligned.dest_start - _NEGATION_REACH)
    passage_part = passage[reach:aligned.dest_end].split()
    if reach and _denial_before(passage[max(0, reach - _DENIAL_REACH):reach].split(), passage_part):
        passage_part.insert(0, "denied")
    return _polarity(claim_part, passage_part) != _polarity(passage_part, claim_part)


def _word_start(text: str, i: int) -> int:
    """i moved left to the start of the word it falls in: a reach that cut "not" to "ot" or
    "cast doubt" to "st doubt" would miss the cue."""
    if i <= 0:
        return 0
    return text.rfind(" ", 0, i) + 1 if text[i - 1] != " " else i


def _denial_before(left: list[str], near: list[str]) -> bool:
    """A denial verb in `left` (beyond the negation reach) governing the window through a "that"
    after it: "disputed the regional government's claim that ...", "rejected suggestions that
    ..."; `near` are the words after `left`, the window's among them."""
    words = left + near
    for i, w in enumerate(left):
        if w in _DENIALS or (w == "doubt" and i and f"{left[i - 1]} doubt" in DENIAL_PHRASES):
            between = words[i + 1:i + 2 + _DENIAL_GAP]
            if "that" in between and not _SPEECH.intersection(between[:between.index("that")]):
                return True
    return False


def _polarity(words: list[str], other_words: list[str]) -> bool:
    """Is this side negated, as far as the other side's statement goes? "A rather than B" denies B
    only: the side is read from the part of it that holds more of the other side's words (their
    stems, worked out only when a contrast is there), negated once more when that is the B part."""
    joined = " " + " ".join(words) + " "
    for cue in CONTRAST_CUES:
        at = joined.find(f" {cue} ")
        if at >= 0:
            other = {stem(w) for w in _content(other_words)}
            before = joined[:at].split()
            after = joined[at + len(cue) + 2:].split()
            held_before = sum(1 for w in _content(before) if stem(w) in other)
            held_after = sum(1 for w in _content(after) if stem(w) in other)
            # a tie goes to the denied side: the passage names what the contrast rules out
            return _negated(before) if held_before > held_after else not _negated(after)
    return _negated(words)


@dataclass(frozen=True, slots=True)
class _ClaimSide:
    words: tuple[tuple[str, str], ...]   # (content word, its stem)
    stems: frozenset[str]
    normalized: str


@lru_cache(maxsize=65536)
def _claim_side(claim_text: str) -> _ClaimSide:
    """A claim is scored against many passages: its half of the work is done once (pure, so cached)."""
    all_words = match_words(claim_text)
    content = _content(all_words)
    claim_stems = list(map(stem, content))   # map: no Python frame a word (a miss here is per candidate)
    # (the set _claim_stems_of makes of the same list, member for member)
    return _ClaimSide(tuple(zip(content, claim_stems)), frozenset(claim_stems), " ".join(all_words))


@lru_cache(maxsize=65536)
def _claim_stems_of(claim_text: str) -> frozenset[str]:
    """_claim_side(claim_text).stems alone, made as it makes them (the same set, the same order of
    its members, so sums over it are the same floats): most candidates of a passage fail
    score_match's weight tests, which read only these, and their words and wording are never
    worked out (at 100,000 claims a window's candidates were ~280 claims an article not seen before).
    A search's candidates come with their kept stems (claims.stems), read instead (claim_stems)."""
    return frozenset(_stem_list(claim_text))


def _stem_list(claim_text: str) -> list[str]:
    return list(map(stem, _content(match_words(claim_text))))


# claims.stems (migration 0032): a claim's content stems, kept when it is stored, so scoring a
# candidate the cache above has lost does not cut and stem its text again (at 1,000,000 claims
# nearly every candidate; at 100,000 about 280 an article): the search reads them with the
# candidates, and scoring is handed them (claim_stems, score_match's `stems`). The first word is this format's
# version: stems kept by another version (a change to stem() or to the words) are ignored and
# worked out from the text. The stems follow in the order the text first has them, so the set
# made of them is the one _claim_stems_of makes from the text, member for member in its order
# (a set's order follows the order its distinct members were added in).
CLAIM_STEMS_VERSION = "s2"
_KEPT_PREFIX = CLAIM_STEMS_VERSION + " "


def kept_claim_stems(claim_text: str) -> str:
    """claims.stems for a claim's text: the version, then its distinct stems in first order."""
    return " ".join([CLAIM_STEMS_VERSION, *dict.fromkeys(_stem_list(claim_text))])


# A phrase both texts put in quotation marks names one coined thing (a 'no-limits' partnership,
# the "multipolar world order"): two to QUOTED_PHRASE_MAX_WORDS words, one of them a content word.
# Longer marked runs are quotations of speech, which the word measures already weigh.
QUOTED_PHRASE_MAX_WORDS = 6


@lru_cache(maxsize=65536)
def quoted_phrases(text: str) -> frozenset[str]:
    """The short phrases `text` puts in quotation marks, normalized ("no-limits" = "no limits",
    "multi-polar" = "multipolar"). Most texts hold no mark: no pairing is done for them."""
    if not MARK_RE.search(text):
        return frozenset()
    spans, nested = find_spans(text, paragraphs(text), True)
    out = set()
    for span in spans + nested:
        words = match_words(text[span.start:span.end])
        if 2 <= len(words) <= QUOTED_PHRASE_MAX_WORDS and _content(words):
            out.add(" ".join(words))
    return frozenset(out)


def shares_quoted_phrase(claim_text: str, passage: str) -> bool:
    """Do the claim and the passage put the same short phrase in quotation marks (see
    quoted_phrases)? An outlet that writes the claim's coined name in marks refers to the thing
    the claim is about, however few of the claim's other words it keeps."""
    claim = quoted_phrases(claim_text)
    return bool(claim) and not claim.isdisjoint(quoted_phrases(passage))


def highlight_spans(passage: str, claim_text: str) -> list[tuple[int, int]]:
    """Offsets of the passage's words that share a stem with the claim: the reason, shown in place."""
    wanted = stems(claim_text)
    return [(m.start(), m.end()) for m in _HIGHLIGHT_WORD.finditer(passage)
            if m.group(0).lower() not in MATCH_STOPWORDS
            and stem(_unhyphened(m.group(0).lower().replace("\u2019", "'"))) in wanted]


# A word as highlight_spans shows it: a hyphenated prefix stays on its word (see pipeline.words).
_HIGHLIGHT_WORD = re.compile(r"(?:(?:" + "|".join(PREFIXES) + ")[" + "".join(HYPHENS) + "](?=" + WORD_CHAR + "))?"
                             + WORD_CHAR + "+(?:['\u2019]" + WORD_CHAR + "+)*", re.IGNORECASE)
_NO_HYPHENS = {ord(h): None for h in HYPHENS}


def _unhyphened(word: str) -> str:
    return word.translate(_NO_HYPHENS)
