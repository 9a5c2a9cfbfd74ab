"""Claim vectors: stored when ingest creates claims with embeddings on, backfilled by `embed`,
searched for candidates the full-text index cannot find, dropped when a claim's text changes."""
from __future__ import annotations

import numpy as np
from sqlalchemy import func, select

from app.domain.articles import ingest_article
from app.domain.known_claims import import_known_claims
from app.domain.matching import MatchConfig
from app.domain.review import edit_text
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
