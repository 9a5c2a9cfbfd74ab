"""How a passage relates to a claim: it repeats it, contradicts it, or discusses it (reports it
without vouching for it: "reportedly", "may have", "..., officials say", a question).

Why a learned model over cues rather than a rule: polarity alone reads "No joke" as a denial and
"is a hoax" as a repeat, and never sees a hedge. Each cue is weak and they interact (a hedge beside
a debunk word, a question that doubts), so a multinomial logistic regression weighs them; its
probabilities are calibrated enough to hold a link back when unsure. No bag of words: on Emergent,
grouped by claim, the passage's own words and bigrams added under 0.003 accuracy and their
weights were the training stories' names, which say nothing about the next story. The weights are a data file (data/stance.json) made by scripts/train_stance.py;
predicting is a sparse dot product, no library.

Features are named strings with values, so another measure (a sentence-embedding cosine) can be
passed in as `extra` later; a name the parameters do not know weighs nothing.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from app.pipeline.claims import normalize_words
from app.pipeline.constants import (
    STANCE_AFFIRMING_NO,
    STANCE_CONFIRM_CUES,
    STANCE_HEDGE_CUES,
    STANCE_REFUTE_CUES,
    STANCE_TELLERS,
    STANCE_TELLING_VERBS,
)
from app.pipeline.matching import negated, score_match

LABELS = ("repeats", "contradicts", "discusses")
PARAMETERS = Path(__file__).parent / "data" / "stance.json"

# Characters of a long passage read either side of where it aligns with the claim (see _window).
_REACH_LEFT, _REACH_RIGHT = 50, 40
# "no-show", "no-fly": one word, not a "no" (normalize_words splits at hyphens, so join first).
_NO_COMPOUND = re.compile(r"\b([Nn]o)-(?=[^\W\d_])")
_TELLERS = "(?:" + "|".join(STANCE_TELLERS) + ")"
_TELLER_RE = re.compile(rf"\b{_TELLERS}\s+(?:{'|'.join(STANCE_TELLING_VERBS)})\b"
                        rf"|\baccording to (?:\w+ ){{0,2}}{_TELLERS}\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class StanceResult:
    """label is the likeliest stance, prob its probability (0..1); probs are all three by LABELS."""

    label: str
    prob: float
    probs: tuple[float, ...] = ()


def _clean(text: str) -> str:
    return _NO_COMPOUND.sub(r"\1", text)


def _affirmed(joined: str) -> str:
    """The joined words with affirming "no" phrases cut, so their "no" negates nothing."""
    for phrase in STANCE_AFFIRMING_NO:
        joined = joined.replace(f" {phrase} ", f" {phrase.split()[-1]} ")
    return joined


def _cues(joined: str, cues: tuple[str, ...]) -> set[str]:
    words, phrases = _split_cues(cues)
    return words.intersection(joined.split()) | {c for c in phrases if f" {c} " in joined}


@lru_cache(maxsize=8)
def _split_cues(cues: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """One-word cues are looked up in the passage's word set; only phrases are searched for."""
    return frozenset(c for c in cues if " " not in c), tuple(c for c in cues if " " in c)


@lru_cache(maxsize=4096)
def features(claim_text: str, passage_text: str) -> tuple[tuple[str, float], ...]:
    """(name, value) pairs describing the passage against the claim (see the module docstring).
    A cue counts only when the claim lacks it: "X could close" restates "X could close"."""
    claim, passage = _clean(claim_text), _clean(passage_text)
    cj = _affirmed(" " + " ".join(normalize_words(claim)) + " ")
    pj = _affirmed(" " + _window(" ".join(normalize_words(claim)), " ".join(normalize_words(passage))) + " ")
    out: dict[str, float] = {"bias": 1.0}
    for kind, cues in (("hedge", STANCE_HEDGE_CUES), ("refute", STANCE_REFUTE_CUES),
                       ("confirm", STANCE_CONFIRM_CUES)):
        found = _cues(pj, cues) - _cues(cj, cues)
        out.update((f"{kind}={cue}", 1.0) for cue in sorted(found))
        out[f"{kind} cues"] = min(len(found), 3) / 3
    if _TELLER_RE.search(pj) and not _TELLER_RE.search(cj):
        out["teller"] = 1.0
    if "?" in passage and "?" not in claim:
        out["question"] = 1.0
    p_neg, c_neg = negated(pj.strip()), negated(cj.strip())
    out.update(_overlap(claim, passage, p_neg != c_neg))
    if p_neg:
        out["passage negated"] = 1.0
    if c_neg:
        out["claim negated"] = 1.0
    return tuple(out.items())


def _window(claim: str, passage: str) -> str:
    """The passage's words where it carries the claim, with a few words either side (where
    "reportedly", "denied that" and ", officials say" stand). A headline is read whole; a long
    sentence's "not" about something else says nothing about the claim."""
    if len(passage) <= len(claim) + _REACH_LEFT + _REACH_RIGHT:
        return passage
    aligned = fuzz.partial_ratio_alignment(claim, passage)
    start = max(0, aligned.dest_start - _REACH_LEFT)
    start = passage.rfind(" ", 0, start) + 1 if start else 0
    end = passage.find(" ", min(len(passage), aligned.dest_end + _REACH_RIGHT))
    return passage[start:end if end >= 0 else len(passage)]


def _overlap(claim: str, passage: str, whole_polarity_differs: bool) -> dict[str, float]:
    """How much of the claim the passage carries, and whether their polarity differs where they
    align (pipeline.matching's measure; the whole texts when they share under two words)."""
    match = score_match(claim, passage)
    out = {"coverage": match.coverage, "similarity": match.similarity, "score": match.score}
    if not match.shared:
        out["few shared"] = 1.0
    differs = match.polarity_differs if match.shared else whole_polarity_differs
    if differs:
        out["polarity differs"] = 1.0
    return out


def probabilities(weights: Mapping[str, list[float]], feats) -> list[float]:
    """Softmax over LABELS of the weighted feature sums."""
    z = [0.0] * len(LABELS)
    for name, value in feats:
        w = weights.get(name)
        if w is not None:
            for k in range(len(z)):
                z[k] += w[k] * value
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = sum(e)
    return [v / total for v in e]


@lru_cache(maxsize=4)
def load_parameters(path: Path = PARAMETERS) -> dict:
    params = json.loads(path.read_text(encoding="utf-8"))
    if tuple(params["labels"]) != LABELS:
        raise ValueError(f"{path}: labels {params['labels']} are not {LABELS}")
    return params


def stance(claim_text: str, passage_text: str, extra: Mapping[str, float] | None = None,
           params: Mapping | None = None) -> StanceResult:
    """The passage's stance on the claim, with its probability. `extra` adds named features (a
    name the parameters do not know weighs nothing); `params` overrides the shipped file."""
    if extra is None and params is None:
        return _shipped_stance(claim_text, passage_text)
    params = params or load_parameters()
    feats = features(claim_text, passage_text)
    if extra:
        feats = feats + tuple(extra.items())
    probs = probabilities(params["weights"], feats)
    best = max(range(len(LABELS)), key=probs.__getitem__)
    return StanceResult(LABELS[best], round(probs[best], 4), tuple(round(p, 4) for p in probs))


@lru_cache(maxsize=8192)
def _shipped_stance(claim_text: str, passage_text: str) -> StanceResult:
    """The shipped model's reading, cached: a claim meets the same stored sentences again at each
    article on its subject."""
    return stance(claim_text, passage_text, params=load_parameters())

