"""Scoring quotes against a gold annotation: overlap rule, required quotes, speaker rule."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from app.pipeline.evaluate import load_gold, score_quotes, spans_match
from app.pipeline.quotes import QuoteCandidate

GOLD = {"articles": [
    {"file": "a.txt", "quotes": [
        {"text": "x" * 100, "start": 0, "end": 100, "speaker": "Ana Ortiz", "required": True},
        {"text": "y" * 100, "start": 200, "end": 300, "speaker": "Ben Cole", "required": True},
        {"text": "scare", "start": 400, "end": 405, "speaker": None, "required": False},
    ]},
    {"file": "b.txt", "quotes": [
        {"text": "z" * 50, "start": 10, "end": 60, "speaker": None, "required": True},
    ]},
]}


def cand(start: int, end: int, speaker: str | None = None) -> QuoteCandidate:
    return QuoteCandidate(start, end, "t" * (end - start), speaker, None, "direct")


def test_overlap_must_cover_half_of_both_spans():
    assert spans_match((0, 100), (40, 100))
    assert not spans_match((0, 100), (60, 100))  # covers 40% of the gold span
    assert not spans_match((0, 300), (0, 100))  # prediction three times too long
    assert not spans_match((0, 10), (10, 20))


def test_perfect_predictions_score_one():
    pred = {"a.txt": [cand(0, 100, "Ana Ortiz"), cand(200, 300, "ben cole"), cand(400, 405)],
            "b.txt": [cand(10, 60)]}
    s = score_quotes(pred, GOLD)
    assert (s.predicted, s.gold_required, s.exact_matched) == (4, 3, 3)
    assert s.overlap_precision == s.overlap_recall == s.overlap_f1 == 1.0
    assert s.exact_precision == s.exact_recall == 1.0
    assert (s.speaker_accuracy, s.speakers_judged) == (1.0, 2)


def test_misses_false_positives_and_surname_only_speakers():
    pred = {"a.txt": [cand(0, 90, "Ortiz"), cand(500, 600, "Nobody")], "b.txt": []}
    s = score_quotes(pred, GOLD)
    assert s.overlap_precision == 0.5 and s.overlap_recall == pytest.approx(1 / 3)
    assert s.overlap_f1 == pytest.approx(0.4)
    assert s.exact_matched == 0 and s.exact_precision == 0.0
    assert (s.speaker_accuracy, s.speakers_judged) == (0.0, 1)


def test_optional_gold_quote_is_neither_required_nor_a_false_positive():
    s = score_quotes({"a.txt": [cand(400, 405)]}, GOLD)
    assert (s.predicted, s.overlap_precision, s.overlap_recall) == (1, 1.0, 0.0)


def test_accepts_rows_with_speaker_name_and_dicts_and_ignores_unknown_files():
    row = SimpleNamespace(start=0, end=100, speaker_name="Ana Ortiz")
    pred = {"a.txt": [row, {"start": 200, "end": 300, "speaker": "Ben Cole"}],
            "other.txt": [cand(0, 5)]}
    s = score_quotes(pred, GOLD)
    assert s.predicted == 2 and s.speaker_accuracy == 1.0 and s.speakers_judged == 2


def test_nothing_predicted_scores_zero_without_dividing_by_zero():
    s = score_quotes({}, GOLD)
    assert (s.predicted, s.overlap_precision, s.overlap_f1, s.speaker_accuracy) == (0, 0.0, 0.0, 0.0)


def test_load_gold_reads_utf8_json(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD | {"about": "“curly”"}, ensure_ascii=False), encoding="utf-8")
    assert load_gold(path)["about"] == "“curly”"
    assert score_quotes({}, load_gold(path)).gold_required == 3


def test_eval_says_why_each_gold_mention_misses():
    """`claimtracker eval` names, for each gold mention not on the best claim with its gold stance,
    whether the claim has it with another stance, another claim has it, or nothing was proposed."""
    from app.domain.evaluation import _misses

    golds = [{"file": "a.txt", "start": 0, "end": 10, "stance": "repeats"},
             {"file": "a.txt", "start": 20, "end": 30, "stance": "discusses"},
             {"file": "b.txt", "start": 0, "end": 10, "stance": "repeats"},
             {"file": "b.txt", "start": 40, "end": 50, "stance": "contradicts"}]
    # (start, end, claim_id, stance, origin) of the stored mentions, by file
    mentions = {"a.txt": [(0, 10, 7, "repeats", "extracted"), (18, 28, 7, "repeats", "suggested")],
                "b.txt": [(2, 9, 9, "repeats", "extracted")]}
    best = {0: (True, True), 1: (False, False)}
    assert [(m["start"], m["why"]) for m in _misses(golds, mentions, 7, best)] == [
        (20, "on the claim as repeats"), (0, "on other claims [9]"), (40, "nothing proposed")]
