"""The lexical bridge: words a post writes for a claim's words ("wounded" for "injured"), so a
paraphrase that shares few words with a claim still counts for something without embeddings.

A translation table t(claim stem | passage stem) (Berger & Lafferty 1999; IBM model 1), learned
by scripts/learn_match_bridge.py from the CheckThat! train pairs in ../shared/devdata and kept in
app/pipeline/data/match_bridge.json; nothing here reads the data sets. Matching reads it as a
measure (how much of a claim's word weight the passage carries in other words: `bridged`), which
the learned scorer weighs beside the shared words.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PARAMS = Path(__file__).with_name("data") / "match_bridge.json"


@dataclass(frozen=True, slots=True)
class Bridge:
    """claim stem -> {passage stem: t(claim stem | passage stem)}."""

    to_claim: Mapping[str, Mapping[str, float]]

    def strength(self, claim_stem: str, passage_stems: frozenset[str]) -> float:
        """The best t(claim_stem | p) over the passage's stems, 0 when none writes it."""
        partners = self.to_claim.get(claim_stem)
        if not partners:
            return 0.0
        return max((v for p, v in partners.items() if p in passage_stems), default=0.0)

    def bridged(self, claim_stems: Iterable[str], passage_stems: frozenset[str],
                weights: Mapping[str, float] | None) -> float:
        """The word weight of the claim's stems that the passage does not carry but writes in
        other words, each counted at its translation probability (at most 1)."""
        total = 0.0
        for c in claim_stems:
            if c in passage_stems:
                continue
            v = self.strength(c, passage_stems)
            if v > 0.0:
                total += min(1.0, v) * (1.0 if weights is None else weights.get(c, 1.0))
        return total


def from_table(table: Mapping[str, Mapping[str, float]]) -> Bridge:
    """A Bridge from the file's table (passage stem -> {claim stem: probability})."""
    inverse: dict[str, dict[str, float]] = {}
    for p, row in table.items():
        for c, v in row.items():
            inverse.setdefault(c, {})[p] = float(v)
    return Bridge(inverse)


def load_bridge(path: Path = PARAMS) -> Bridge:
    return from_table(json.loads(path.read_text(encoding="utf-8"))["table"])


@lru_cache(maxsize=1)
def default_bridge() -> Bridge:
    return load_bridge() if PARAMS.exists() else Bridge({})
