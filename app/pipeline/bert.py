"""The forward pass of a BERT encoder (as in Hugging Face's BertModel) in plain numpy, float32.

Why numpy: sentence embeddings on a CPU need only a few matrix products per layer; PyTorch would
add a gigabyte or more to the install for them. Nothing here reads files: the caller hands in the
tensors (by their Hugging Face names) and the model's config.json as a dict.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

# erf(z) ~ z * P(z^2) / Q(z^2) on [-4, 4]; beyond, erf is +-1 to float32 precision. The
# coefficients of the float32 erf in Eigen and XLA, highest power first. Evaluated in float64 the
# form is within 7e-8 of math.erf; in float32 it drifted to 4e-7.
_ERF_NUMERATOR = (-2.72614225801306e-10, 2.77068142495902e-08, -2.10102402082508e-06,
                  -5.69250639462346e-05, -7.34990630326855e-04, -2.95459980854025e-03,
                  -1.60960333262415e-02)
_ERF_DENOMINATOR = (-1.45660718464996e-05, -2.13374055278905e-04, -1.68282697438203e-03,
                    -7.37332916720468e-03, -1.42647390514189e-02)
_ERF_LIMIT = 4.0
# Elements per step of gelu: small enough that the two dozen passes of the polynomials stay in
# the CPU cache (on the whole array at once they ran ten times slower).
_CHUNK = 16384


def _in_x_squared(coefficients: tuple[float, ...], scale: float) -> tuple[float, ...]:
    """P(z^2) with z = x / sqrt 2 as a polynomial in x^2 (times `scale`), so that GELU needs no
    pass to divide x by sqrt 2."""
    degree = len(coefficients) - 1
    return tuple(c * 0.5 ** (degree - i) * scale for i, c in enumerate(coefficients))


# GELU(x) = x * (1/2 + x * N(x^2) / D(x^2)), i.e. x * (1 + erf(x / sqrt 2)) / 2.
_GELU_NUMERATOR = _in_x_squared(_ERF_NUMERATOR, 0.5 / math.sqrt(2.0))
_GELU_DENOMINATOR = _in_x_squared(_ERF_DENOMINATOR, 1.0)
_GELU_LIMIT = _ERF_LIMIT * math.sqrt(2.0)


def _horner(y: np.ndarray, coefficients: tuple[float, ...], out: np.ndarray) -> np.ndarray:
    np.multiply(y, coefficients[0], out=out)
    out += coefficients[1]
    for c in coefficients[2:]:
        out *= y
        out += c
    return out


def gelu_inplace(h: np.ndarray) -> np.ndarray:
    """The exact GELU of Hugging Face's BERT (erf, not the tanh approximation), written over the
    contiguous float32 array `h`. numpy has no erf, scipy is a large dependency for one function,
    and math.erf through np.vectorize was ~60x slower than this rational form."""
    flat = h.reshape(-1)
    x, y, numerator, denominator = (np.empty(min(_CHUNK, flat.size)) for _ in range(4))
    for start in range(0, flat.size, _CHUNK):
        part = flat[start:start + _CHUNK]
        n = part.size
        np.clip(part, -_GELU_LIMIT, _GELU_LIMIT, out=x[:n])
        np.multiply(x[:n], x[:n], out=y[:n])
        factor = _horner(y[:n], _GELU_NUMERATOR, numerator[:n])
        factor *= x[:n]
        factor /= _horner(y[:n], _GELU_DENOMINATOR, denominator[:n])
        factor += 0.5
        part *= factor
    return h


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    centred *= 1.0 / np.sqrt(variance + np.float32(eps))
    centred *= weight
    centred += bias
    return centred


@dataclass(frozen=True)
class EncoderLayer:
    """One transformer layer, weights transposed for `x @ w` and query, key and value stacked so
    that one matrix product makes all three; the query side carries the 1/sqrt(head size)."""
    qkv_w: np.ndarray
    qkv_b: np.ndarray
    attention_out_w: np.ndarray
    attention_out_b: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    ffn_in_w: np.ndarray
    ffn_in_b: np.ndarray
    ffn_out_w: np.ndarray
    ffn_out_b: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


def _f32(tensor: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(tensor, dtype=np.float32)


def _layer(t: Callable[[str], np.ndarray], prefix: str, head_size: int) -> EncoderLayer:
    scale = np.float32(1.0 / math.sqrt(head_size))
    a = f"{prefix}.attention"
    qkv_w = np.concatenate([t(f"{a}.self.query.weight") * scale, t(f"{a}.self.key.weight"),
                            t(f"{a}.self.value.weight")], axis=0)
    qkv_b = np.concatenate([t(f"{a}.self.query.bias") * scale, t(f"{a}.self.key.bias"),
                            t(f"{a}.self.value.bias")])
    return EncoderLayer(
        qkv_w=_f32(qkv_w.T), qkv_b=_f32(qkv_b),
        attention_out_w=_f32(t(f"{a}.output.dense.weight").T),
        attention_out_b=_f32(t(f"{a}.output.dense.bias")),
        attention_norm=(_f32(t(f"{a}.output.LayerNorm.weight")), _f32(t(f"{a}.output.LayerNorm.bias"))),
        ffn_in_w=_f32(t(f"{prefix}.intermediate.dense.weight").T),
        ffn_in_b=_f32(t(f"{prefix}.intermediate.dense.bias")),
        ffn_out_w=_f32(t(f"{prefix}.output.dense.weight").T),
        ffn_out_b=_f32(t(f"{prefix}.output.dense.bias")),
        output_norm=(_f32(t(f"{prefix}.output.LayerNorm.weight")), _f32(t(f"{prefix}.output.LayerNorm.bias"))),
    )


@dataclass(frozen=True)
class BertEncoder:
    word_embeddings: np.ndarray
    position_embeddings: np.ndarray
    token_type_embedding: np.ndarray   # type 0: single sentences never use type 1
    embedding_norm: tuple[np.ndarray, np.ndarray]
    layers: tuple[EncoderLayer, ...]
    heads: int
    eps: float

    @classmethod
    def from_tensors(cls, t: Callable[[str], np.ndarray], config: dict) -> BertEncoder:
        """`t` gives a tensor by its name in BertModel's checkpoint, one at a time, so that only
        the rearranged copies stay in memory."""
        heads = int(config["num_attention_heads"])
        head_size = int(config["hidden_size"]) // heads
        return cls(
            word_embeddings=_f32(t("embeddings.word_embeddings.weight")),
            position_embeddings=_f32(t("embeddings.position_embeddings.weight")),
            token_type_embedding=_f32(t("embeddings.token_type_embeddings.weight")[0]),
            embedding_norm=(_f32(t("embeddings.LayerNorm.weight")), _f32(t("embeddings.LayerNorm.bias"))),
            layers=tuple(_layer(t, f"encoder.layer.{i}", head_size)
                         for i in range(int(config["num_hidden_layers"]))),
            heads=heads, eps=float(config.get("layer_norm_eps", 1e-12)))

    @property
    def max_positions(self) -> int:
        return self.position_embeddings.shape[0]

    def hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last layer's token vectors (batch x length x hidden) for padded token ids; `mask` is
        1 for real tokens and 0 for padding, which no token attends to."""
        batch, length = ids.shape
        x = self.word_embeddings[ids] + self.position_embeddings[:length] + self.token_type_embedding
        x = layer_norm(x.reshape(batch * length, -1), *self.embedding_norm, self.eps)
        padding = np.where(mask.astype(bool), np.float32(0.0), np.finfo(np.float32).min)
        padding = padding.astype(np.float32)[:, None, None, :]
        for layer in self.layers:
            attended = self._attention(layer, x, padding, batch, length)
            x = layer_norm(attended + x, *layer.attention_norm, self.eps)
            inner = gelu_inplace(x @ layer.ffn_in_w + layer.ffn_in_b)
            x = layer_norm(inner @ layer.ffn_out_w + layer.ffn_out_b + x, *layer.output_norm, self.eps)
        return x.reshape(batch, length, -1)

    def _attention(self, layer: EncoderLayer, x: np.ndarray, padding: np.ndarray,
                   batch: int, length: int) -> np.ndarray:
        hidden = x.shape[-1]
        qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(batch, length, 3, self.heads, hidden // self.heads)
        query, key, value = qkv.transpose(2, 0, 3, 1, 4)      # each batch x heads x length x head
        scores = query @ key.transpose(0, 1, 3, 2)
        scores += padding
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch * length, hidden)
        return context @ layer.attention_out_w + layer.attention_out_b


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average of the real tokens' vectors, then unit length: sentence-transformers' Pooling
    (mean tokens) and Normalize modules, with their clamps (1e-9 tokens, 1e-12 norm)."""
    weights = mask.astype(np.float32)[:, :, None]
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.maximum(weights.sum(axis=1), np.float32(1e-9))
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, np.float32(1e-12))).astype(np.float32)
