"""Claim vectors: stored when ingest creates claims with embeddings on, backfilled by `embed`,
searched for candidates the full-text index cannot find, dropped when a claim's text changes."""
from __future__ import annotations

import zlib

import numpy as np
import pytest
from sqlalchemy import delete, func, insert, select, update

from app.domain import vectors

from app.domain.articles import ingest_article
from app.domain.known_claims import import_known_claims
from app.domain.matching import MatchConfig
from app.domain.review import edit_text, merge_claims
from app.domain.similar import similar_claims
from app.domain.vectors import claims_without_vector, embed_missing, nearest_claims
from app.pipeline.known_claims import KnownClaim
from app.storage.models import Claim, ClaimVector
from tests.test_domain_embeddings import ORIGINAL, STATEMENT, SynonymEmbedder

MODEL = "synonyms"


def _config() -> MatchConfig:
    return MatchConfig(embedder=SynonymEmbedder(), embedder_model=MODEL)


def _vector_count(session) -> int:
    return session.scalar(select(func.count()).select_from(ClaimVector))


def test_ingest_with_embeddings_stores_a_vector_for_each_new_claim(session):
    ingest_article(session, ORIGINAL, "tester", matching=_config())
    session.commit()
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    row = session.get(ClaimVector, claim.id)
    assert row is not None and row.model == MODEL
    assert np.frombuffer(row.vector, dtype=np.float32).shape == (7,)


def test_ingest_without_embeddings_stores_none(session):
    ingest_article(session, ORIGINAL, "tester")
    session.commit()
    assert _vector_count(session) == 0


def test_embed_missing_backfills_imported_claims_and_the_index_finds_words_it_never_shared(session):
    import_known_claims(session, [KnownClaim(text=STATEMENT), KnownClaim(text="Bakers will sell bread at cost")],
                        "tester", "test")
    session.commit()
    assert len(claims_without_vector(session, MODEL, 10)) == 2
    assert embed_missing(session, SynonymEmbedder(), MODEL) == 2
    assert claims_without_vector(session, MODEL, 10) == []
    # shares no word with the claim: only the vector index can propose it
    text = "The agency plans to lift the barriers before the downpours"
    hits = similar_claims(session, text, 3, _config())
    assert [h.text for h in hits][:1] == [STATEMENT]
    assert hits[0].match.semantic > 0.7 and hits[0].match.shared == ()
    assert similar_claims(session, text, 3, MatchConfig()) == []   # lexical alone finds nothing


def test_nearest_claims_sees_new_vectors_and_forgets_an_edited_claim(session):
    import_known_claims(session, [KnownClaim(text=STATEMENT)], "tester", "test")
    session.commit()
    embed_missing(session, SynonymEmbedder(), MODEL)
    query = SynonymEmbedder().encode(["lift the barriers"])[0]
    [(first, _)] = nearest_claims(session, MODEL, query, 5)
    import_known_claims(session, [KnownClaim(text="The agency will lift the barriers")], "tester", "test")
    session.commit()
    embed_missing(session, SynonymEmbedder(), MODEL)
    assert len(nearest_claims(session, MODEL, query, 5)) == 2
    claim = session.get(Claim, first)
    edit_text(session, claim.id, "Bakers will sell bread at cost", "tester", claim.version)
    session.commit()
    assert first not in {cid for cid, _ in nearest_claims(session, MODEL, query, 5)}


# --- the code index behind nearest_claims: same answers as exact search, follows every change ---

WORDS = ("harbour pier cargo bridge tunnel school clinic budget river flood road rail tax wage "
         "farm water power grid port ferry").split()


class WordEmbedder:
    """64 dimensions, a fixed random direction per word summed: texts sharing words are near."""

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = []
        for text in texts:
            v = np.zeros(64, dtype=np.float32)
            for word in text.lower().split():
                v += np.random.default_rng(zlib.crc32(word.encode())).standard_normal(64).astype(np.float32)
            rows.append(v / max(float(np.linalg.norm(v)), 1e-12))
        return np.array(rows, dtype=np.float32).reshape(len(texts), 64)


def _texts(count: int, seed: int = 3) -> list[str]:
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=4, replace=False)) + f" plan {i}" for i in range(count)]


def _store(session, texts: list[str]) -> dict[str, int]:
    import_known_claims(session, [KnownClaim(text=t) for t in texts], "tester", "test")
    session.commit()
    embed_missing(session, WordEmbedder(), MODEL)
    return dict(session.execute(select(Claim.text, Claim.id).where(Claim.text.in_(texts))).all())


def _exact(session, query, k: int) -> list[tuple[int, float]]:
    rows = session.execute(select(ClaimVector.claim_id, ClaimVector.vector).where(ClaimVector.model == MODEL)).all()
    sims = sorted(((cid, float(np.frombuffer(blob, dtype=np.float32) @ query)) for cid, blob in rows),
                  key=lambda hit: (-hit[1], hit[0]))
    return sims[:k]


def _ids(hits) -> list[int]:
    return [cid for cid, _ in hits]


def test_nearest_claims_is_exact_search_on_a_small_store(session):
    _store(session, _texts(60))
    for query in WordEmbedder().encode(["harbour cargo flood", "school budget wage tax", "rail"]):
        hits = nearest_claims(session, MODEL, query, 5)
        assert _ids(hits) == _ids(_exact(session, query, 5))
        np.testing.assert_allclose([s for _, s in hits], [s for _, s in _exact(session, query, 5)], rtol=1e-6)


def test_a_short_list_by_code_still_finds_the_claim_itself(session, monkeypatch):
    """Only 12 of 60 claims re-ranked: the Hamming step has to pick them (distance 0 for the
    claim's own vector), or the exact best is missed."""
    ids = _store(session, _texts(60))
    monkeypatch.setattr(vectors, "RERANK_MIN", 12)
    monkeypatch.setattr(vectors, "RERANK_FACTOR", 1)
    for text in list(ids)[::7]:
        query = WordEmbedder().encode([text])[0]
        hits = nearest_claims(session, MODEL, query, 3)
        assert hits[0][0] == ids[text] and hits[0][1] == pytest.approx(1.0, abs=1e-5)


def test_the_index_follows_adds_edits_merges_and_deletes(session):
    ids = _store(session, _texts(20))
    embedder, config = WordEmbedder(), MatchConfig(embedder=WordEmbedder(), embedder_model=MODEL)
    query = embedder.encode(["ferry tunnel grid water"])[0]
    nearest_claims(session, MODEL, query, 5)              # the index is loaded
    added = _store(session, ["ferry tunnel grid water"])["ferry tunnel grid water"]
    assert nearest_claims(session, MODEL, query, 1)[0][0] == added
    edit_text(session, added, "bread bakers cost", "tester", session.get(Claim, added).version)
    session.commit()
    assert added not in _ids(nearest_claims(session, MODEL, query, 30))
    embed_missing(session, embedder, MODEL)               # the new text's vector: far from the query
    assert added not in _ids(nearest_claims(session, MODEL, query, 5))
    assert _ids(nearest_claims(session, MODEL, embedder.encode(["bread bakers cost"])[0], 1)) == [added]
    # a merged claim's id may come back from the index; what callers show is the live claim
    source, target = list(ids.values())[:2]
    merge_claims(session, source, target, "tester")
    session.commit()
    text = session.get(Claim, source).text
    assert source not in {h.claim_id for h in similar_claims(session, text, 5, config)}
    # a row gone behind this process's back (another process, a cascade) is never an answer
    gone = list(ids.values())[5]
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id == gone))
    session.commit()
    gone_query = embedder.encode([session.get(Claim, gone).text])[0]
    assert gone not in _ids(nearest_claims(session, MODEL, gone_query, 30))


def test_vectors_written_by_another_process_are_seen_at_the_next_recheck(session, monkeypatch):
    _store(session, _texts(10))
    embedder = WordEmbedder()
    query = embedder.encode(["clinic river power port"])[0]
    monkeypatch.setattr(vectors, "RECHECK_SECONDS", 1e9)
    nearest_claims(session, MODEL, query, 3)
    import_known_claims(session, [KnownClaim(text="clinic river power port")], "tester", "test")
    claim = session.scalar(select(Claim).where(Claim.text == "clinic river power port"))
    # written as another process would: not through this process's store_vectors
    session.execute(insert(ClaimVector).values(claim_id=claim.id, model=MODEL, vector=query.tobytes(),
                                               code=vectors.vector_code(query)))
    session.commit()
    assert claim.id not in _ids(nearest_claims(session, MODEL, query, 3))   # not looked yet
    monkeypatch.setattr(vectors, "RECHECK_SECONDS", 0.0)
    assert _ids(nearest_claims(session, MODEL, query, 1)) == [claim.id]


def test_a_restart_reads_the_index_back_and_embed_stores_codes_the_old_vectors_lack(session):
    ids = _store(session, _texts(15))
    session.execute(update(ClaimVector).values(code=None))    # vectors stored before the codes were
    session.commit()
    vectors._INDEXES.clear()                                  # a new process
    query = WordEmbedder().encode([next(iter(ids))])[0]
    assert nearest_claims(session, MODEL, query, 1)[0][0] == next(iter(ids.values()))
    assert embed_missing(session, WordEmbedder(), MODEL) == 0
    codes = session.execute(select(ClaimVector.vector, ClaimVector.code)).all()
    assert len(codes) == 15 and all(code == vectors.vector_code(np.frombuffer(v, dtype=np.float32))
                                    for v, code in codes)
    assert len(codes[0][1]) == 8                               # 64 dimensions, one bit each


def test_the_popcount_without_numpy_2_counts_the_same_bits(monkeypatch):
    words = np.random.default_rng(5).integers(0, 2**63, size=50, dtype=np.uint64)
    expected = vectors._popcount(words)
    monkeypatch.delattr(np, "bitwise_count")
    assert vectors._popcount(words).tolist() == expected.tolist()
    assert expected.tolist() == [bin(int(w)).count("1") for w in words]
