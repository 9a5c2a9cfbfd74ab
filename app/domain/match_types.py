"""What the matcher's steps hand each other: a stored claim scored against a passage (ScoredClaim),
what the matcher wants done with it there (Decision), and how telling each stem is (match_weights).
Apart from domain.matching so that its list-item step (domain.clause_matching), which
matching.window_decisions calls, uses them without importing matching back."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.pipeline.matching import MatchScore
from app.storage.search import term_weight_table


@dataclass(frozen=True, slots=True)
class ScoredClaim:
    claim_id: int
    text: str
    match: MatchScore


@dataclass(frozen=True, slots=True)
class Decision:
    """What the matcher wants done with one claim at one passage."""

    claim_id: int
    stance: str
    origin: str          # "extracted" (linked) or "suggested"
    match: MatchScore


def match_weights(session: Session, stems: set[str]) -> Mapping[str, float]:
    """How telling each stem is among the stored claims (see pipeline.matching.idf_weights), in
    a read-only mapping that may hold other stems too (storage.search.term_weight_table)."""
    return term_weight_table(session, stems)
