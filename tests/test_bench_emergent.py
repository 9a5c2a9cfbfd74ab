"""The Emergent benchmark's cross-validation (bench/emergent.py) on rows written here: a claim
never straddles folds, whatever cut of the folds is asked for, and another cut is another split."""
from __future__ import annotations

from bench.emergent import CUTS, cross_validate, fold_of

ROWS = [{"claim": f"Claim {c}", "text": f"Headline {c}-{h}", "claim_id": f"id-{c}",
         "label": ("repeats", "contradicts", "discusses")[h % 3]} for c in range(40) for h in range(3)]


def _fold_learner(seen: list):
    """A trainer that records the claims each fold trained on and answers 'repeats'."""
    def trainer(train):
        seen.append({claim for claim, _, _ in train})
        return lambda pairs: [("repeats", claim) for claim, _ in pairs]
    return trainer


def test_every_cut_predicts_each_row_with_a_model_that_never_saw_its_claim():
    for cut in CUTS:
        seen: list = []
        predicted = cross_validate(ROWS, _fold_learner(seen), cut=cut)
        assert len(seen) == 5 and all(p is not None for p in predicted)
        for row in ROWS:
            fold = fold_of(row["claim_id"], 5, cut)
            assert row["claim"] not in seen[fold]
            assert all(row["claim"] in seen[k] for k in range(5) if k != fold)


def test_another_cut_puts_claims_in_other_folds():
    first = [fold_of(r["claim_id"]) for r in ROWS]
    assert first == [fold_of(r["claim_id"], 5, "") for r in ROWS]   # the default cut is the old one
    assert any(first != [fold_of(r["claim_id"], 5, cut) for r in ROWS] for cut in CUTS[1:])
