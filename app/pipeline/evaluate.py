"""Score extracted quotes against a hand annotation (gold.json), without any storage.

Matching rule (documented because the figures depend on it): a predicted span and a gold span
match when their character overlap covers at least half of EACH of them. Half of both, not half
of one, so a prediction swallowing three gold quotes (or a one-word sliver of a long quote) does
not count. Character overlap is used rather than word overlap because offsets are what we store;
on prose the two agree to within a word.

- precision: share of predictions matching any gold quote, required or not (finding a quote the
  annotator marked optional is not a false positive);
- recall: share of REQUIRED gold quotes matched by some prediction;
- exact: identical start and end;
- speaker accuracy: over matched required gold quotes with a gold speaker, the share whose best
  matching prediction names that speaker (case-insensitive, whole name: "Tan" is not "Tan Kefei").
Files absent from the gold are ignored: nobody annotated them, so nothing can be judged there.

Only quotations in marks are judged (kinds direct and partial): the gold annotates direct quotes
only, so reported speech (kind "reported", no marks) is neither right nor wrong against it. Those
records are counted apart in `reported_found`, so a report can say how many were found.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MIN_OVERLAP_SHARE = 0.5


@dataclass(frozen=True)
class QuoteScores:
    predicted: int
    gold_required: int
    exact_matched: int  # required gold quotes with an exact-span prediction
    overlap_precision: float
    overlap_recall: float
    overlap_f1: float
    exact_precision: float
    exact_recall: float
    speaker_accuracy: float
    speakers_judged: int
    reported_found: int = 0  # kind "reported": not judged, counted (see module docstring)


def load_gold(path: str | Path) -> dict:
    """The annotation as stored: {"articles": [{"file", "quotes": [...]}, ...], "claims": [...]}."""
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _gold_by_file(gold: Mapping[str, Any]) -> dict[str, list[dict]]:
    """Accept the whole gold document or an already keyed {file: [quotes]} mapping."""
    if "articles" in gold:
        return {a["file"]: list(a.get("quotes", [])) for a in gold["articles"]}
    return {name: list(v.get("quotes", []) if isinstance(v, Mapping) else v) for name, v in gold.items()}


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _speaker(item: Any) -> str | None:
    """QuoteCandidate has .speaker; the stored Quote row keeps the string in .speaker_name."""
    value = _field(item, "speaker")
    if not isinstance(value, str):
        value = _field(item, "speaker_name")
    return value if isinstance(value, str) else None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_match(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when the overlap covers at least MIN_OVERLAP_SHARE of both spans."""
    shared = _overlap(a, b)
    if shared <= 0:
        return False
    return shared >= MIN_OVERLAP_SHARE * (a[1] - a[0]) and shared >= MIN_OVERLAP_SHARE * (b[1] - b[0])


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


@dataclass
class _Tally:
    predicted: int = 0
    precise: int = 0
    exact_predicted: int = 0
    required: int = 0
    recalled: int = 0
    exact_required: int = 0
    judged: int = 0
    right_speaker: int = 0
    reported: int = 0


def _score_file(preds: Iterable[Any], golds: list[dict], t: _Tally) -> None:
    preds = list(preds)
    judged = [p for p in preds if _field(p, "kind") != "reported"]
    t.reported += len(preds) - len(judged)
    spans = [(_field(p, "start"), _field(p, "end"), _speaker(p)) for p in judged]
    gold_spans = [(g["start"], g["end"]) for g in golds]
    for start, end, _ in spans:
        t.predicted += 1
        t.precise += any(spans_match((start, end), g) for g in gold_spans)
        t.exact_predicted += (start, end) in gold_spans
    for g in golds:
        if not g.get("required", True):
            continue
        t.required += 1
        gspan = (g["start"], g["end"])
        hits = [p for p in spans if spans_match((p[0], p[1]), gspan)]
        if not hits:
            continue
        t.recalled += 1
        t.exact_required += any((p[0], p[1]) == gspan for p in hits)
        if g.get("speaker"):
            best = max(hits, key=lambda p: _overlap((p[0], p[1]), gspan))
            t.judged += 1
            t.right_speaker += (best[2] or "").strip().casefold() == g["speaker"].strip().casefold()


def score_quotes(predicted: Mapping[str, Iterable[Any]], gold: Mapping[str, Any]) -> QuoteScores:
    """Score predictions keyed by file name (objects or dicts with start, end, speaker)."""
    t = _Tally()
    for name, golds in _gold_by_file(gold).items():
        _score_file(predicted.get(name, ()), golds, t)
    precision, recall = _ratio(t.precise, t.predicted), _ratio(t.recalled, t.required)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return QuoteScores(
        predicted=t.predicted, gold_required=t.required, exact_matched=t.exact_required,
        overlap_precision=precision, overlap_recall=recall, overlap_f1=f1,
        exact_precision=_ratio(t.exact_predicted, t.predicted),
        exact_recall=_ratio(t.exact_required, t.required),
        speaker_accuracy=_ratio(t.right_speaker, t.judged), speakers_judged=t.judged,
        reported_found=t.reported)
