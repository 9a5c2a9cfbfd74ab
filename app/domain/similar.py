"""`similar`: the stored claims closest to one text, for `claimtracker similar`, the JSON API and
the benchmarks. The passage path of ingest (app/domain/matching.py: same candidates, scorer and
embeddings), asked for more candidates, since a person looking up one text waits for one query,
and ranked as a list (MatchConfig.rank_as_list): the odds that each is THE claim the text restates."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from app.domain.match_types import ScoredClaim
from app.domain.matching import MatchConfig, claims_by_id, scored_candidates


def similar_claims(session: Session, text: str, top: int, config: MatchConfig | None = None) -> list[ScoredClaim]:
    """The stored claims closest to a text, best first, scored as ingest scores a passage."""
    return scored_candidates(session, text, similar_config(config, top), floor=0.0)[:top]


def similar_config(config: MatchConfig | None, top: int) -> MatchConfig:
    """The matching `similar` runs: ingest's, asked for more candidates, each read against the
    others on its list (the text is taken to restate one claim: which?)."""
    config = config or MatchConfig()
    if config.embedder is not None:
        return replace(config, candidates=max(SIMILAR_CANDIDATES, top * 2), rank_as_list=True)
    return replace(config, candidates=max(LEXICAL_SIMILAR_CANDIDATES, top * 2), rank_as_list=True,
                   candidate_terms=LEXICAL_SIMILAR_TERMS)


# Candidates `similar` scores: on CheckThat! dev, MAP@5 0.711 / 0.817 at 12, 0.740 / 0.825 at 60.
SIMILAR_CANDIDATES = 60
# Without embeddings the search index is the only way in, so it is asked wider: 100 candidates
# from the text's 24 rarest words. With the list model reading what the shared words are
# (pipeline.scorer.EVIDENCE_LIST_FEATURES), CheckThat! dev MAP@5 0.819 / 0.923 at 60 from 12 words
# -> 0.827 / 0.925 (right claims among the candidates 0.899 / 0.950 -> 0.955 / 0.960); 60 from 24:
# 0.829 / 0.918; 100 from 12: 0.820 / 0.925; 150 from 24: 0.828 / 0.925. With embeddings (the
# nearest vectors bring the rest) it stays at 60 from 12, as its list model was trained.
LEXICAL_SIMILAR_CANDIDATES = 100
LEXICAL_SIMILAR_TERMS = 24


def similar_out(session: Session, text: str, top: int, config: MatchConfig | None = None) -> list[dict]:
    """similar_claims as plain records (status included) for the CLI and the JSON API."""
    hits = similar_claims(session, text, top, config)
    claims = claims_by_id(session, {h.claim_id for h in hits})
    return [{"id": h.claim_id, "text": h.text, "status": claims[h.claim_id].status,
             "speaker": claims[h.claim_id].speaker.name if claims[h.claim_id].speaker else None,
             "score": h.match.score, "coverage": h.match.coverage, "similarity": h.match.similarity,
             "shared": list(h.match.shared), "polarity_differs": h.match.polarity_differs,
             "reason": h.match.reason} for h in hits]
