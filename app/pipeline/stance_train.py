"""Training the stance model (app/pipeline/stance.py): a multinomial logistic regression with an
L2 penalty, fitted by full-batch Adam in numpy (predicting needs no library).

Why here: scripts/train_stance.py (the shipped parameters) and the Emergent benchmark (retrained
on each fold) must fit with the same code. Full-batch steps in a fixed order make a fit a pure
function of its examples: the same examples give the same file, byte for byte.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from app.pipeline.stance import LABELS, added_words, features, lexicon_features

# Features that are always kept whatever their count (the rest need min_count examples).
_DENSE = ("bias", "hedge cues", "refute cues", "confirm cues", "coverage", "similarity", "score",
          "added share")


@dataclass(frozen=True, slots=True)
class TrainSettings:
    l2: float = 1.0            # penalty per weight, against the summed (not mean) log loss
    epochs: int = 150
    learning_rate: float = 0.1
    min_count: int = 5         # a cue's own feature needs this many training passages
    lexicon_min_claims: int = 3   # a learned lexicon word stood in passages on this many claims
    lexicon_smoothing: float = 1.0   # pseudo-claims at the stances' shares (add-alpha)
    lexicon_folds: int = 5     # the lexicon features the fit sees come from the other folds


def _vocabulary(rows: list[dict[str, float]], min_count: int) -> list[str]:
    counts = Counter(name for row in rows for name in row)
    return sorted(n for n, c in counts.items() if c >= min_count or n in _DENSE)


def _fold(claim: str, folds: int) -> int:
    return int(hashlib.sha1(claim.encode("utf-8")).hexdigest(), 16) % folds


def learn_lexicon(examples: Sequence[tuple[str, str, str]], min_claims: int = 3,
                  smoothing: float = 1.0) -> dict[str, list[float]]:
    """word -> per label, the log of how much more often the word stands among the words a passage
    adds to its claim for that label than the label's share of passages. Counted in claims, not
    passages (a word in ten headlines on one story is one claim's word), kept only when it stood on
    min_claims claims, and smoothed toward the shares; words with digits (prices, dates, scores)
    belong to their story and are left out."""
    claims: dict[str, list[set[str]]] = defaultdict(lambda: [set() for _ in LABELS])
    shares = Counter(LABELS.index(label) for _, _, label in examples)
    for claim, passage, label in examples:
        for word in added_words(claim, passage):
            if not any(ch.isdigit() for ch in word):
                claims[word][LABELS.index(label)].add(claim)
    total = sum(shares.values())
    prior = [(shares[k] + 1) / (total + len(LABELS)) for k in range(len(LABELS))]   # none is 0
    out = {}
    for word in sorted(claims):
        per_label = claims[word]
        if len(set().union(*per_label)) < min_claims:
            continue
        counts = [len(s) for s in per_label]
        n = sum(counts)
        out[word] = [round(math.log((counts[k] + smoothing * prior[k] * len(LABELS))
                                    / (n + smoothing * len(LABELS)) / prior[k]), 4)
                     for k in range(len(LABELS))]
    return out


def _lexicon_rows(examples: Sequence[tuple[str, str, str]], settings: TrainSettings) -> list[dict[str, float]]:
    """Each example's lexicon features from a lexicon learned without its claim (claims split in
    lexicon_folds by a hash): read on its own passages, the lexicon would echo their labels and
    the fit would trust it more than an unseen story deserves."""
    out: list[dict[str, float]] = [{} for _ in examples]
    folds = [_fold(c, settings.lexicon_folds) for c, _, _ in examples]
    for k in range(settings.lexicon_folds):
        lexicon = learn_lexicon([e for e, f in zip(examples, folds) if f != k],
                                settings.lexicon_min_claims, settings.lexicon_smoothing)
        for i, (claim, passage, _) in enumerate(examples):
            if folds[i] == k:
                out[i] = dict(lexicon_features(lexicon, claim, passage))
    return out


def train(examples: Sequence[tuple[str, str, str]], settings: TrainSettings = TrainSettings()) -> dict:
    """Parameters for stance.stance() from (claim, passage, label) examples: the learned lexicon
    and the weights."""
    rows = [dict(features(c, p)) for c, p, _ in examples]
    for row, lexical in zip(rows, _lexicon_rows(examples, settings)):
        row.update(lexical)
    names = _vocabulary(rows, settings.min_count)
    index = {n: i for i, n in enumerate(names)}
    data = [([index[n] for n in row if n in index], [v for n, v in row.items() if n in index],
             LABELS.index(label)) for row, (_, _, label) in zip(rows, examples)]
    weights = _fit(data, len(names), settings)
    return {"labels": list(LABELS), "settings": asdict(settings), "examples": len(examples),
            "lexicon": learn_lexicon(examples, settings.lexicon_min_claims, settings.lexicon_smoothing),
            "weights": {n: [round(w, 6) for w in weights[i]] for i, n in enumerate(names)
                        if any(abs(w) >= 5e-7 for w in weights[i])}}


def _fit(data: list[tuple[list[int], list[float], int]], size: int,
         settings: TrainSettings) -> list[list[float]]:
    import numpy as np

    k = len(LABELS)
    x = np.zeros((len(data), size))
    for row, (idx, vals, _) in enumerate(data):
        x[row, idx] = vals
    target = np.eye(k)[[y for _, _, y in data]]
    w, m, v = np.zeros((size, k)), np.zeros((size, k)), np.zeros((size, k))
    b1, b2, eps = 0.9, 0.999, 1e-8
    for step in range(1, settings.epochs + 1):
        z = x @ w
        e = np.exp(z - z.max(axis=1, keepdims=True))
        grad = x.T @ (e / e.sum(axis=1, keepdims=True) - target) + settings.l2 * w
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        w = w - settings.learning_rate * math.sqrt(1 - b2 ** step) / (1 - b1 ** step) * m / (np.sqrt(v) + eps)
    return w.tolist()


def predictor(params: dict):
    """A function (claim, passage) pairs -> labels, for the benchmark."""
    from app.pipeline.stance import stance

    return lambda pairs: [stance(c, p, params=params).label for c, p in pairs]
