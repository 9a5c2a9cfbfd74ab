"""`similar`: the stored claims closest to one text, for `claimtracker similar`, the JSON API and
the benchmarks. The passage path of ingest (app/domain/matching.py: same candidates, scorer and
embeddings), asked for more candidates, since a person looking up one text waits for one query,
and ranked as a list (MatchConfig.rank_as_list): the odds that each is THE claim the text restates."""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from app.domain.matching import MatchConfig, ScoredClaim, claims_by_id, scored_candidates


def similar_claims(session: Session, text: str, top: int, config: MatchConfig | None = None) -> list[ScoredClaim]:
    """The stored claims closest to a text, best first, scored as ingest scores a passage."""
    return scored_candidates(session, text, similar_config(config, top), floor=0.0)[:top]


def similar_config(config: MatchConfig | None, top: int) -> MatchConfig:
    """The matching `similar` runs: ingest's, asked for more candidates, each read against the
    others on its list (the text is taken to restate one claim: which?)."""
    return replace(config or MatchConfig(), candidates=max(SIMILAR_CANDIDATES, top * 2), rank_as_list=True)


# Candidates `similar` scores: on CheckThat! dev, MAP@5 0.711 / 0.817 at 12, 0.740 / 0.825 at 60.
SIMILAR_CANDIDATES = 60


def similar_out(session: Session, text: str, top: int, config: MatchConfig | None = None) -> list[dict]:
    """similar_claims as plain records (status included) for the CLI and the JSON API."""
    hits = similar_claims(session, text, top, config)
    claims = claims_by_id(session, {h.claim_id for h in hits})
    return [{"id": h.claim_id, "text": h.text, "status": claims[h.claim_id].status,
             "speaker": claims[h.claim_id].speaker.name if claims[h.claim_id].speaker else None,
             "score": h.match.score, "coverage": h.match.coverage, "similarity": h.match.similarity,
             "shared": list(h.match.shared), "polarity_differs": h.match.polarity_differs,
             "reason": h.match.reason} for h in hits]
