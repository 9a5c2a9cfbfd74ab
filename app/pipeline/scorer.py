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
# The same model without the cosine's gap to the best candidate of the same text, for ingest, where
# each stored claim is judged alone (MatchScore.semantic_best None): the gap says how a claim
# stands against the text's nearest one, which for a lookup (a post making one claim) is telling,
# but a sentence of an article may carry two stored claims, and the nearest claim to it is most
# often the claim made from that very sentence or an earlier outlet's copy of it (cosine ~0.99):
# every other claim it carries then lost 4 to 10 logits to the gap (weight ~19), and on the seeds
# the embeddings path proposed 33 of 40 gold mentions against 36 without embeddings.
SEMANTIC_ALONE_FEATURES = tuple(f for f in SEMANTIC_FEATURES if f != "semantic_gap")
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


def features(match: MatchScore, semantic: bool, headline: MatchScore | None = None,
             alone: bool = False) -> list[float]:
    """The measures the model weighs, in the order of LEXICAL_FEATURES / SEMANTIC_FEATURES
    (SEMANTIC_ALONE_FEATURES with `alone`; with `headline`, the passage's match against the
    claim's fact-check headline, if it has one)."""
    row = _lexical_row(match)
    if semantic:
        cos = max(0.0, match.semantic or 0.0)
        row += [cos, cos * cos]
        if not alone:
            best = match.semantic_best if match.semantic_best is not None else cos
            row.append(cos - max(best, cos))
        if headline is not None and len(headline.shared) >= 2:
            row += _lexical_row(headline) + [1.0]
        else:
            row += [0.0] * len(HEADLINE_MEASURES)
    return row


# The list model: the pointwise odds above judge each candidate alone, but whether a claim is THE
# claim a text restates shows best against the others on its list (a second-best at 0.4 behind a
# 0.9 is less likely right than a lone 0.4; a claim that leads on its text and on its headline is
# likelier than one that leads on either). A second logistic regression reads each candidate's
# pointwise odds with where it stands on its list, and its output replaces the score: odds again,
# calibrated on the candidates' lists of the train posts (scripts/train_match_scorer.py).
# CheckThat! dev MAP@5: see README (Matching).
LIST_FEATURES = ("logit", "gap_to_best", "margin_over_next", "rank", "index_rank", "text_rank",
                 "headline_rank", "has_headline", "text_and_headline_lead", "lexical_rank",
                 "lexical_of_best", "union_share", "union_share_of_best", "union_share_rank",
                 "union_coverage", "union_both")
# Both list models also read what the shared words are (pipeline.matching.union_evidence): how
# much of their weight is calendar words (a post's signature carries its date, and dated claims of
# other stories shared it), whether the claim shares the post's most telling word, how much of it
# stands only in a post's signature, and how much of the post's own words the claim carries (last
# in each row). CheckThat! dev MAP@5 without embeddings 0.798 / 0.920 -> 0.819 / 0.923, and
# 0.827 / 0.925 with similar's wider lexical pool; with embeddings 0.903 / 0.958 -> 0.908 / 0.961
# (see README, Quality). A learned word bridge (IBM model 1 over the train pairs) was tried here
# too and added nothing (0.798 / 0.917 alone); the share of the post's three most telling words
# the claim carries added 0.0004 / 0.
EVIDENCE_LIST_FEATURES = ("date_share", "rarest", "rarest_rank", "signature_share", "body_share",
                          "body_share_rank")
LEXICAL_LIST_FEATURES = LIST_FEATURES + EVIDENCE_LIST_FEATURES
SEMANTIC_LIST_FEATURES = LIST_FEATURES + ("semantic_rank", "semantic_gap") + EVIDENCE_LIST_FEATURES


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One candidate as the list model reads it, in the order the candidates were found (the search
    index's best first, then the nearest vectors)."""

    score: float                    # the pointwise odds (text and headline joined)
    text_score: float               # the odds on the claim's text
    headline_score: float | None    # the odds on its fact-check headline (None: none, or no match)
    lexical: float                  # the hand blend of the text's measures
    union_share: float              # the passage's word weight the claim's text and headline carry together
    union_coverage: float           # the text and headline's word weight the passage carries
    semantic: float | None = None   # the cosine, with embeddings
    date_share: float = 0.0         # the share of the shared words' weight that is dates and numbers
    rarest: float = 0.0             # the rarest shared word's weight over the passage's rarest word's
    signature_share: float = 0.0    # the share of the shared words' weight only in a post's signature
    body_share: float = 0.0         # the post's own words' weight (its signature aside) the claim carries


def _ranks(values: list[float]) -> list[int]:
    """0 for the highest; ties keep the list's order."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0] * len(values)
    for k, i in enumerate(order):
        out[i] = k
    return out


def list_features(entries: list[ListEntry], semantic: bool) -> list[list[float]]:
    """Each entry's row of LEXICAL_LIST_FEATURES (SEMANTIC_LIST_FEATURES with `semantic`), read
    against the others on its list."""
    if not entries:
        return []
    z = [_logit(e.score) for e in entries]
    best = max(z)
    top = sorted(z, reverse=True)
    second = top[1] if len(top) > 1 else _logit(0.0)
    rank = _ranks(z)
    text_rank = _ranks([e.text_score for e in entries])
    with_head = [i for i, e in enumerate(entries) if e.headline_score is not None]
    head_rank = dict(zip(sorted(with_head, key=lambda i: -entries[i].headline_score), range(len(with_head))))
    lexical = [e.lexical for e in entries]
    lexical_best = max(lexical) or 1.0
    lexical_rank = _ranks(lexical)
    share = [e.union_share for e in entries]
    share_best = max(share) or 1.0
    share_rank = _ranks(share)
    cos = [max(0.0, e.semantic or 0.0) for e in entries]
    cos_best, cos_rank = max(cos), _ranks(cos)
    rarest_rank = _ranks([e.rarest for e in entries])
    body_rank = _ranks([e.body_share for e in entries])
    rows = []
    for i, e in enumerate(entries):
        has_head = i in head_rank
        row = [z[i], z[i] - best, z[i] - second if rank[i] == 0 else 0.0, math.log1p(rank[i]), math.log1p(i),
               math.log1p(text_rank[i]), math.log1p(head_rank[i]) if has_head else 0.0, float(has_head),
               float(has_head and text_rank[i] == 0 and head_rank[i] == 0),
               math.log1p(lexical_rank[i]), e.lexical / lexical_best,
               e.union_share, e.union_share / share_best, math.log1p(share_rank[i]),
               e.union_coverage, e.union_coverage * e.union_share]
        if semantic:
            row += [math.log1p(cos_rank[i]), cos[i] - cos_best]
        row += [e.date_share, e.rarest, math.log1p(rarest_rank[i]), e.signature_share, e.body_share,
                    math.log1p(body_rank[i])]
        rows.append(row)
    return rows


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
    its headline odds; one that also reads the embeddings' cosine and the headline's measures
    (`semantic`, with the cosine's gap to the text's best, for a match that carries it;
    `semantic_alone`, without, for one judged alone: see SEMANTIC_ALONE_FEATURES)."""

    lexical: LogisticModel
    semantic: LogisticModel | None
    headline_lexical: LogisticModel | None = None
    list_lexical: LogisticModel | None = None
    list_semantic: LogisticModel | None = None
    semantic_alone: LogisticModel | None = None

    def rerank(self, entries: list[ListEntry], semantic: bool) -> list[float] | None:
        """The list model's odds for each entry (see LIST_FEATURES), or None without one for this
        path (the pointwise odds then stand)."""
        model = self.list_semantic if semantic else self.list_lexical
        if model is None or not entries:
            return None
        return [round(model.probability(row), 4) for row in list_features(entries, semantic)]

    def either(self, text_score: float, headline_score: float) -> float:
        """The lexical odds that a passage restates a claim, from its odds against the claim's text
        and against the claim's fact-check headline. Without a trained model: the chance that
        either is right, read as independent (which over-trusts two weak matches)."""
        model = self.headline_lexical
        if model is None:
            return round(1.0 - (1.0 - text_score) * (1.0 - headline_score), 4)
        return round(model.probability(headline_features(text_score, headline_score)), 4)

    def _model(self, match: MatchScore) -> tuple[LogisticModel, bool, bool]:
        """(the model for `match`, whether it reads the cosine, whether without its gap): a match
        with no best cosine of its text (semantic_best None) is judged alone, by semantic_alone
        where the file has one (else the gapped model reads a gap of 0, as it always did)."""
        if match.semantic is None or self.semantic is None:
            return self.lexical, False, False
        if match.semantic_best is None and self.semantic_alone is not None:
            return self.semantic_alone, True, True
        return self.semantic, True, False

    def reads_headline(self, match: MatchScore) -> bool:
        """Whether `score` weighs the headline's measures itself (the semantic model) for this match."""
        return self._model(match)[1]

    def score(self, match: MatchScore, headline: MatchScore | None = None) -> float:
        model, with_semantic, alone = self._model(match)
        odds = round(model.probability(features(match, with_semantic, headline, alone)), 4)
        if alone:
            # Judged alone (ingest), the meaning adds to what the words show and never takes it
            # away: the models learned a cosine from posts that each make one claim, where the
            # right claim is close in meaning, but a news sentence carrying two statements is
            # half as close to each (a claim sharing five telling words of one clause, odds 0.96
            # by the words, fell to 0.01 at its cosine of 0.39). The words' odds are the lexical
            # path's: the text's, joined with the headline's as that path joins them.
            words = round(self.lexical.probability(features(match, False)), 4)
            if headline is not None and headline.score > 0:
                words = self.either(words, headline.score)
            odds = max(odds, words)
        return odds

    def ceiling(self, match: MatchScore) -> float:
        """The most `match` could score whatever its wording similarity (the score is monotone in
        it): the floor test that spares the wording alignment for candidates no decision could take."""
        model, with_semantic, alone = self._model(match)
        row = features(match, with_semantic, alone=alone)
        at = LEXICAL_FEATURES.index("similarity")
        row[at] = 1.0
        high = model.probability(row)
        row[at] = 0.0
        return round(max(high, model.probability(row)), 4)


def load_params(path: Path = PARAMS) -> MatchScorer:
    data = json.loads(path.read_text(encoding="utf-8"))
    optional = {k: LogisticModel.from_dict(data[k]) if data.get(k) else None
                for k in ("semantic", "headline_lexical", "list_lexical", "list_semantic", "semantic_alone")}
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
