"""The five seed articles (hand annotation in gold.json): the figures `claimtracker eval` prints,
as rows beside the other data sets. The seeds were tuned on; they guard against regressions only."""
from __future__ import annotations

from pathlib import Path

from bench.common import Report, Row, ratio

NAME = "seeds"


def run(seeds: Path, quick: bool = False) -> Report:
    from app.domain.evaluation import evaluate_scores

    _, scores, claims, counts = evaluate_scores(seeds)
    found = sum(1 for c in claims if c["found"])
    mentions = sum(c["mentions"] for c in claims)
    right = sum(c["right_stance"] for c in claims)
    return Report(rows=[
        Row(NAME, "quote F1 (word overlap)", scores.overlap_f1, target="1.000"),
        Row(NAME, "speaker accuracy", scores.speaker_accuracy, target="1.000"),
        Row(NAME, "cross-outlet claims found (of 11)", float(found), target=">= 10"),
        Row(NAME, "gold mentions linked/suggested, gold stance", ratio(right, mentions), target=">= 0.90",
            note=f"{right} of {mentions}"),
        Row(NAME, "suggestions made (on a gold span)", float(counts["suggested"]),
            note=f"{counts['suggested_on_gold']} on a gold span"),
        Row(NAME, "mentions linked (on a gold span)", float(counts["extracted"]),
            note=f"{counts['extracted_on_gold']} on a gold span"),
    ])
