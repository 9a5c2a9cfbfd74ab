"""The learned half of matching: how likely a scored (passage, claim) pair is the claim the passage
restates, 0..1, from the measures app/pipeline/matching.py computes.

Why learned: the hand-weighted blend there (0.55 coverage + 0.15 containment + 0.30 wording)
measures how much of a claim a passage carries, so a short claim sharing two incidental words
("Twitter", a month) outranked the right, longer one, and its numbers meant nothing as odds. A
logistic regression over the same measures, plus how much of the passage the claim accounts for
and, when embeddings are on, the meaning similarity, ranks better and says what its number means:
of the pairs it scores 0.8, about eight in ten are right (see bench/checkthat.py's reliability
table).

One small interface: `score(match) -> float`. Its parameters are a data file made by
scripts/train_match_scorer.py from ../shared/devdata (CheckThat! train splits); nothing here reads
the data sets.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.pipeline.matching import MatchScore

PARAMS = Path(__file__).with_name("data") / "match_scorer.json"

LEXICAL_FEATURES = ("coverage", "query_share", "similarity", "both_shares", "shared_words", "claim_length")
# With embeddings, one model reads the text's measures, the meaning similarity and the lexical
# measures against the claim's fact-check headline (zeros and has_headline 0 when it has none or
# shares fewer than two words). Joining the two wordings' odds afterwards, as the lexical path
# does, weighed the headline at a quarter of the text and lost it for posts worded like the
# headline: CheckThat! dev MAP@5 with embeddings 0.885 / 0.947 joined after, 0.891 / 0.955 in one
# model (train 0.899 / 0.881 -> 0.911 / 0.893).
HEADLINE_MEASURES = ("headline_coverage", "headline_query_share", "headline_similarity",
                     "headline_both_shares", "headline_shared_words", "headline_length", "has_headline")
SEMANTIC_FEATURES = LEXICAL_FEATURES + ("semantic", "semantic_sq", "semantic_gap") + HEADLINE_MEASURES
# Without embeddings, a known claim with a fact-check headline is scored twice, on its text and on
# the headline, and a third small model reads the two odds (as logits) into one (see
# pipeline.matching.with_headline): in one model the lexical path gained nothing (0.789 / 0.900).
HEADLINE_FEATURES = ("text_logit", "headline_logit")
# Odds are read as logits within [0.01, 0.99]: a 0 is "fewer than two shared words" (no match
# computed), not a certainty, and at 1e-4 it outweighed any headline (CheckThat! dev MAP@5 0.788 /
# 0.892 at 1e-4, 0.784 / 0.901 at 0.01, both calibrated).
_LOGIT_EDGE = 0.01


def _logit(p: float) -> float:
    p = min(1.0 - _LOGIT_EDGE, max(_LOGIT_EDGE, p))
    return math.log(p / (1.0 - p))


def headline_features(text_score: float, headline_score: float) -> list[float]:
    return [_logit(text_score), _logit(headline_score)]


def _lexical_row(match: MatchScore) -> list[float]:
    shared = len(match.shared)
    return [match.coverage, match.query_share, match.similarity, match.coverage * match.query_share,
            math.log1p(shared) / math.log(10), math.log1p(match.claim_words) / math.log(30)]


def features(match: MatchScore, semantic: bool, headline: MatchScore | None = None) -> list[float]:
    """The measures the model weighs, in the order of LEXICAL_FEATURES / SEMANTIC_FEATURES (with
    `headline`, the passage's match against the claim's fact-check headline, if it has one)."""
    row = _lexical_row(match)
    if semantic:
        cos = max(0.0, match.semantic or 0.0)
        best = match.semantic_best if match.semantic_best is not None else cos
        row += [cos, cos * cos, cos - max(best, cos)]
        if headline is not None and len(headline.shared) >= 2:
            row += _lexical_row(headline) + [1.0]
        else:
            row += [0.0] * len(HEADLINE_MEASURES)
    return row


@dataclass(frozen=True, slots=True)
class LogisticModel:
    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, row: list[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, row))
        return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0

    def as_dict(self) -> dict:
        return {"features": list(self.names), "weights": list(self.weights), "bias": self.bias}

    @classmethod
    def from_dict(cls, d: dict) -> LogisticModel:
        return cls(tuple(d["features"]), tuple(float(w) for w in d["weights"]), float(d["bias"]))


@dataclass(frozen=True, slots=True)
class MatchScorer:
    """Two models: one for lexical measures only, with the model that joins a claim's text odds and
    its headline odds; one that also reads the embeddings' cosine and the headline's measures."""

    lexical: LogisticModel
    semantic: LogisticModel | None
    headline_lexical: LogisticModel | None = None

    def either(self, text_score: float, headline_score: float) -> float:
        """The lexical odds that a passage restates a claim, from its odds against the claim's text
        and against the claim's fact-check headline. Without a trained model: the chance that
        either is right, read as independent (which over-trusts two weak matches)."""
        model = self.headline_lexical
        if model is None:
            return round(1.0 - (1.0 - text_score) * (1.0 - headline_score), 4)
        return round(model.probability(headline_features(text_score, headline_score)), 4)

    def _model(self, match: MatchScore) -> tuple[LogisticModel, bool]:
        with_semantic = match.semantic is not None and self.semantic is not None
        return (self.semantic if with_semantic else self.lexical), with_semantic

    def reads_headline(self, match: MatchScore) -> bool:
        """Whether `score` weighs the headline's measures itself (the semantic model) for this match."""
        return self._model(match)[1]

    def score(self, match: MatchScore, headline: MatchScore | None = None) -> float:
        model, with_semantic = self._model(match)
        return round(model.probability(features(match, with_semantic, headline)), 4)

    def ceiling(self, match: MatchScore) -> float:
        """The most `match` could score whatever its wording similarity (the score is monotone in
        it): the floor test that spares the wording alignment for candidates no decision could take."""
        model, with_semantic = self._model(match)
        row = features(match, with_semantic)
        at = LEXICAL_FEATURES.index("similarity")
        row[at] = 1.0
        high = model.probability(row)
        row[at] = 0.0
        return round(max(high, model.probability(row)), 4)


def load_params(path: Path = PARAMS) -> MatchScorer:
    data = json.loads(path.read_text(encoding="utf-8"))
    optional = {k: LogisticModel.from_dict(data[k]) if data.get(k) else None
                for k in ("semantic", "headline_lexical")}
    return MatchScorer(LogisticModel.from_dict(data["lexical"]), **optional)


@lru_cache(maxsize=1)
def default_scorer() -> MatchScorer:
    return load_params()


def fit_logistic(rows: list[list[float]], labels: list[int], names: tuple[str, ...],
                 l2: float = 1.0, iterations: int = 50) -> LogisticModel:
    """Newton's method (IRLS) with an L2 penalty on the weights (not the bias): deterministic, and
    small enough to need no machine-learning library at run time or to train."""
    import numpy as np

    x = np.asarray(rows, dtype=np.float64)
    x = np.hstack([x, np.ones((len(x), 1))])
    y = np.asarray(labels, dtype=np.float64)
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return LogisticModel(names, tuple(round(float(v), 6) for v in w[:-1]), round(float(w[-1]), 6))
