"""The learned query map: q -> q + qA at unit length, read from the file made for the model,
applied to the text looked up (never to the stored claim vectors)."""
from __future__ import annotations

import numpy as np

from app.domain.known_claims import import_known_claims
from app.domain.matching import MatchConfig
from app.domain.similar import similar_claims
from app.domain.vectors import embed_missing
from app.pipeline.embeddings import BUNDLED
from app.pipeline.known_claims import KnownClaim
from app.pipeline.query_adapter import adapt, adapt_query, adapter_path, fitting, load_adapter
from tests.test_domain_embeddings import GROUPS, SynonymEmbedder

MODEL = "synonyms"


def test_adapt_maps_and_keeps_unit_length():
    q = np.array([0.6, 0.8, 0.0], dtype=np.float32)
    assert adapt(q, None) is q
    a = np.array([[0, 0, 1], [0, 0, 0], [0, 0, 0]], dtype=np.float32)
    out = adapt(q, a)
    assert np.isclose(np.linalg.norm(out), 1.0)
    assert np.allclose(out, np.array([0.6, 0.8, 0.6]) / np.linalg.norm([0.6, 0.8, 0.6]))


def test_a_model_without_a_file_is_used_as_it_is():
    q = np.array([1.0, 0.0], dtype=np.float32)
    assert load_adapter("no-such-model") is None
    assert load_adapter("/some/model/directory") is None
    assert adapt_query("no-such-model", q) is q


def test_the_bundled_model_has_a_square_finite_map():
    a = load_adapter(BUNDLED)
    assert adapter_path(BUNDLED).exists()
    assert a.shape == (384, 384) and np.isfinite(a).all()


def test_similar_ranks_by_the_mapped_query(session):
    near_gates = "The river authority will open the gates"
    near_rains = "Spring rains arrive up north"
    import_known_claims(session, [KnownClaim(text=near_gates), KnownClaim(text=near_rains)], "tester", "test")
    session.commit()
    embed_missing(session, SynonymEmbedder(), MODEL)
    config = MatchConfig(embedder=SynonymEmbedder(), embedder_model=MODEL)
    text = "Crews lift the barriers"      # no word shared with either claim: vectors alone
    assert [h.text for h in similar_claims(session, text, 2, config)][:1] == [near_gates]
    # a map sending the open/gates directions to rains/north: q + qA = the moved vector
    a = -np.eye(len(GROUPS), dtype=np.float32)
    a[0, 2] = a[1, 6] = 1.0
    a[2:, 2:] += np.eye(len(GROUPS) - 2, dtype=np.float32)
    with fitting(MODEL, a):
        assert [h.text for h in similar_claims(session, text, 2, config)][:1] == [near_rains]
    assert [h.text for h in similar_claims(session, text, 2, config)][:1] == [near_gates]
