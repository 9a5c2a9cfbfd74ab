"""Training the stance model (app/pipeline/stance.py): a multinomial logistic regression with an
L2 penalty, fitted by full-batch Adam in plain Python.

Why here and in plain Python: scripts/train_stance.py (the shipped parameters) and the Emergent
benchmark (retrained on each fold) must fit with the same code, and a few thousand sparse
examples need no numerical library. Full-batch steps in a fixed order make a fit a pure function
of its examples: the same examples give the same file, byte for byte.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from app.pipeline.stance import LABELS, features

# Features that are always kept whatever their count (the rest need min_count examples).
_DENSE = ("bias", "hedge cues", "refute cues", "confirm cues", "coverage", "similarity", "score")


@dataclass(frozen=True, slots=True)
class TrainSettings:
    l2: float = 1.0            # penalty per weight, against the summed (not mean) log loss
    epochs: int = 150
    learning_rate: float = 0.1
    min_count: int = 5         # a cue's own feature needs this many training passages


def _vocabulary(rows: list[dict[str, float]], min_count: int) -> list[str]:
    counts = Counter(name for row in rows for name in row)
    return sorted(n for n, c in counts.items() if c >= min_count or n in _DENSE)


def train(examples: Sequence[tuple[str, str, str]], settings: TrainSettings = TrainSettings()) -> dict:
    """Parameters for stance.stance() from (claim, passage, label) examples."""
    rows = [dict(features(c, p)) for c, p, _ in examples]
    names = _vocabulary(rows, settings.min_count)
    index = {n: i for i, n in enumerate(names)}
    data = [([index[n] for n in row if n in index], [v for n, v in row.items() if n in index],
             LABELS.index(label)) for row, (_, _, label) in zip(rows, examples)]
    weights = _fit(data, len(names), settings)
    return {"labels": list(LABELS), "settings": asdict(settings), "examples": len(examples),
            "weights": {n: [round(w, 6) for w in weights[i]] for i, n in enumerate(names)
                        if any(abs(w) >= 5e-7 for w in weights[i])}}


def _fit(data: list[tuple[list[int], list[float], int]], size: int,
         settings: TrainSettings) -> list[list[float]]:
    k = len(LABELS)
    w = [[0.0] * k for _ in range(size)]
    m = [[0.0] * k for _ in range(size)]
    v = [[0.0] * k for _ in range(size)]
    b1, b2, eps = 0.9, 0.999, 1e-8
    for step in range(1, settings.epochs + 1):
        grad = [[settings.l2 * x for x in row] for row in w]
        for idx, vals, y in data:
            z = [sum(w[i][c] * x for i, x in zip(idx, vals)) for c in range(k)]
            top = max(z)
            e = [math.exp(t - top) for t in z]
            total = sum(e)
            for c in range(k):
                d = e[c] / total - (c == y)
                for i, x in zip(idx, vals):
                    grad[i][c] += d * x
        lr = settings.learning_rate * math.sqrt(1 - b2 ** step) / (1 - b1 ** step)
        for i in range(size):
            wi, mi, vi, gi = w[i], m[i], v[i], grad[i]
            for c in range(k):
                mi[c] = b1 * mi[c] + (1 - b1) * gi[c]
                vi[c] = b2 * vi[c] + (1 - b2) * gi[c] * gi[c]
                wi[c] -= lr * mi[c] / (math.sqrt(vi[c]) + eps)
    return w


def predictor(params: dict):
    """A function (claim, passage) pairs -> labels, for the benchmark."""
    from app.pipeline.stance import stance

    return lambda pairs: [stance(c, p, params=params).label for c, p in pairs]
