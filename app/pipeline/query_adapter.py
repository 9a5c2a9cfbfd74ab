"""A learned map on the sentence embedding of a text looked up against the stored claims.

Why: all-MiniLM-L6-v2 was trained on general sentence pairs, and a post that makes a fact-checked
claim is worded unlike the claim (first person, a signature, a reaction: "I ain't dead" against
"X was shot and killed"). A linear map of the query's vector, q -> q + qA, learned from the
CheckThat! train pairs (a post -> its claim, the other claims nearest by cosine as the wrong
answers), moves a post's vector toward the claim it makes. Only the query is mapped: the stored
claim vectors stay as the model made them, so the store, its sign-bit index and `claimtracker
embed` are unchanged, and the cost is one 384 x 384 product a lookup.

The parameters are a data file made by scripts/train_query_adapter.py from ../shared/devdata
(train splits only), named after the model they were learned for; a model without one is used
as it is.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

DATA = Path(__file__).with_name("data")


def adapter_path(model: str) -> Path:
    return DATA / f"query_adapter_{model}.npy"


@lru_cache(maxsize=4)
def load_adapter(model: str):
    """The learned matrix A for `model` (float32, dimensions x dimensions), or None without one
    (another model, or a directory given as the setting)."""
    path = adapter_path(model) if model and "/" not in model and "\\" not in model else None
    if path is None or not path.exists():
        return None
    import numpy as np

    return np.load(path, allow_pickle=False)


def adapt(vector: np.ndarray, matrix) -> np.ndarray:
    """q + qA at unit length (the stored claim vectors are unit length: the product is a cosine)."""
    import numpy as np

    if matrix is None:
        return vector
    mapped = vector + vector @ matrix
    norm = float(np.linalg.norm(mapped))
    return (mapped / norm).astype(np.float32) if norm > 0 else vector


# A matrix used instead of the file's while fitting (see fitting).
_FITTING: dict[str, object] = {}


@contextmanager
def fitting(model: str, matrix):
    """Use `matrix` for `model` within the block: scripts/train_match_scorer.py scores each train
    post with the map fitted without that post's fold, so the scorer learns from cosines as
    unseen posts get them (the map fitted on all train posts flatters its own posts)."""
    _FITTING[model] = matrix
    try:
        yield
    finally:
        _FITTING.pop(model, None)


def adapt_query(model: str, vector: np.ndarray) -> np.ndarray:
    """The query vector as matching compares it with stored claim vectors of `model`."""
    return adapt(vector, _FITTING[model] if model in _FITTING else load_adapter(model))
