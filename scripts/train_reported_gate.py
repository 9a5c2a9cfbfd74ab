"""Train the reported-speech gate (app/pipeline/data/reported_gate.json), which
app/pipeline/reported.py loads: a logistic regression over the loose readings of cues the rules
turn down (reported.gate_candidate), trained on ../shared/devdata/polnear_train.jsonl (PolNeAR,
Newell et al., LREC 2018, TRAIN split only; never dev). Only feature names and weights leave the
data: no text is copied. Deterministic: the same data gives the same file.

The target of a candidate span is the share of its words that PolNeAR annotates as attributed
content (any type: direct, mixed, indirect), each span weighted by its length in words, so the
model estimates word precision. The threshold is chosen by 5-fold cross-validation over train
documents: the lowest one at which all records (the rules' and the gate's, word overlap with every
annotated attribution, as bench/polnear.py scores them) keep a precision of at least
MIN_PRECISION, a margin above the 0.90 the benchmark holds them to (claims are made from them;
the estimate counts overlapping candidates twice, so the records' real precision is about 0.01
higher).

    .venv/bin/python scripts/train_reported_gate.py [--devdata ../shared/devdata] [--out PATH]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.pipeline.quotes import _prepare, extract_quotes  # noqa: E402
from app.pipeline.reported import _GATE_PATH, find_reported  # noqa: E402
from bench.polnear import covered, token_starts  # noqa: E402
from bench.common import read_jsonl  # noqa: E402

FILE = "polnear_train.jsonl"
MIN_FEATURE_COUNT = 3
L2 = 1.0
STEPS = 600
FOLDS = 5
MIN_PRECISION = 0.91
MIN_WORD_CUES = 8
MIN_WORD_SHARE = 0.25


def collect(docs: list[dict], words: list[str]) -> tuple[list[dict], Counter]:
    """Per candidate: features, words, words in gold content, words new to the rules' records
    and of those the ones in gold; with the document's number (for folds). And the rules' own
    word counts: predicted, right, gold."""
    rows, base = [], Counter()
    for n, doc in enumerate(docs):
        text = doc["text"]
        starts = token_starts(text)
        gold = covered(starts, [s for g in doc["quotes"] for s in g["content_spans"]])
        ruled = covered(starts, [(q.start, q.end) for q in extract_quotes(text, gate=False)])
        base.update({"predicted": len(ruled), "right": len(ruled & gold), "gold": len(gold)})
        index, _, _ = _prepare(text, False)
        cands: list = []
        find_reported(index, gate=False, candidates=cands, cue_words=words)
        for start, stop, feats in cands:
            toks = covered(starts, [(start, stop)])
            if not toks:
                continue
            new = toks - ruled
            rows.append({"doc": n, "feats": feats, "words": len(toks), "right": len(toks & gold),
                         "new": len(new), "new_right": len(new & gold)})
    return rows, base


def gate_words(docs: list[dict]) -> list[str]:
    """Words annotated as the last word of a cue at least MIN_WORD_CUES times, in at least
    MIN_WORD_SHARE of their uses, that no cue list holds and that are no question, denial or
    word learn_cues.py keeps out ("reads", "titled", "complaints"):
    candidates of the gate's own ("criticized", "sought"; the gate weighs each)."""
    from app.pipeline import constants as C

    cued, seen = Counter(), Counter()
    for doc in docs:
        for w in re.findall(r"[a-z]+", doc["text"].lower()):
            seen[w] += 1
        for q in doc["quotes"]:
            words = re.findall(r"[a-z]+", (q.get("cue") or "").lower())
            if words:
                cued[words[-1]] += 1
    listed = {w for group in (C.CUE_VERBS, C.CUE_PARTICIPLES, C.CLAIM_CUE_VERBS, C.SPEECH_NOUNS)
              for p in group for w in p.split()}
    return sorted(w for w, n in cued.items()
                  if n >= MIN_WORD_CUES and n >= MIN_WORD_SHARE * seen[w] and len(w) > 3
                  and w.endswith(("ed", "s", "ing")) and w not in listed
                  and w not in C.QUESTION_VERBS and w not in C.DENIAL_VERBS
                  and w.removesuffix("ing") + "ed" not in C.DENIAL_VERBS
                  and w not in C.LEARNED_NOT_SPEECH)


def fit(rows: list[dict], vocab: dict[str, int]) -> np.ndarray:
    """Weighted logistic regression with soft targets, full-batch gradient descent (Adam)."""
    n, d = len(rows), len(vocab)
    idx = [np.array([vocab[f] for f in r["feats"] if f in vocab], dtype=np.int64) for r in rows]
    lens = np.array([len(i) for i in idx])
    flat, owner = np.concatenate(idx), np.repeat(np.arange(n), lens)
    y = np.array([r["right"] / r["words"] for r in rows])
    sw = np.array([r["words"] for r in rows], dtype=float)
    sw /= sw.mean()
    w, m, v = np.zeros(d), np.zeros(d), np.zeros(d)
    for t in range(1, STEPS + 1):
        z = np.bincount(owner, weights=w[flat], minlength=n)
        p = 1 / (1 + np.exp(-np.clip(z, -30, 30)))
        g_row = sw * (p - y)
        grad = np.bincount(flat, weights=g_row[owner], minlength=d) / n + L2 * w / n
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad ** 2
        w -= 0.1 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w


def scores(rows: list[dict], vocab: dict[str, int], w: np.ndarray) -> np.ndarray:
    z = np.array([sum(w[vocab[f]] for f in r["feats"] if f in vocab) for r in rows])
    return 1 / (1 + np.exp(-np.clip(z, -30, 30)))


def build_vocab(rows: list[dict]) -> dict[str, int]:
    counts = Counter(f for r in rows for f in r["feats"])
    return {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= MIN_FEATURE_COUNT))}


def choose_threshold(rows: list[dict], p: np.ndarray, base: Counter) -> tuple[float, list[tuple]]:
    """Lowest threshold at which all records keep precision >= MIN_PRECISION (held-out scores):
    (threshold, precision, recall) rows. Overlapping candidates are counted once each, a slight
    overestimate of what they add."""
    table = []
    for t in np.arange(0.30, 0.91, 0.025):
        keep = p >= t
        new = sum(r["new"] for r, k in zip(rows, keep) if k)
        right = sum(r["new_right"] for r, k in zip(rows, keep) if k)
        table.append((round(float(t), 3), (base["right"] + right) / (base["predicted"] + new),
                      (base["right"] + right) / base["gold"]))
    ok = [row for row in table if row[1] >= MIN_PRECISION]
    return (ok[0][0] if ok else 1.0), table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=Path("../shared/devdata"))
    parser.add_argument("--out", type=Path, default=_GATE_PATH)
    args = parser.parse_args(argv)
    docs = list(read_jsonl(args.devdata / FILE))
    words = gate_words(docs)
    print(f"{len(words)} gate cue words: {' '.join(words)}")
    rows, base = collect(docs, words)
    held_out = np.zeros(len(rows))
    for fold in range(FOLDS):
        train = [r for r in rows if r["doc"] % FOLDS != fold]
        vocab = build_vocab(train)
        w = fit(train, vocab)
        test = [i for i, r in enumerate(rows) if r["doc"] % FOLDS == fold]
        held_out[test] = scores([rows[i] for i in test], vocab, w)
    threshold, table = choose_threshold(rows, held_out, base)
    print(f"rules alone: precision {base['right'] / base['predicted']:.3f}, "
          f"recall {base['right'] / base['gold']:.3f}")
    for t, prec, rec in table:
        print(f"threshold {t:.3f}: precision {prec:.3f}, recall {rec:.3f} (held out)")
    vocab = build_vocab(rows)
    w = fit(rows, vocab)
    params = {
        "trained_on": f"PolNeAR train ({FILE}) by scripts/train_reported_gate.py; weights only, no text",
        "candidates": len(rows), "threshold": threshold, "min_precision": MIN_PRECISION, "cue_words": words,
        "weights": {f: round(float(w[i]), 4) for f, i in sorted(vocab.items()) if abs(w[i]) >= 1e-4},
    }
    text = json.dumps({k: v for k, v in params.items() if k != "weights"}, indent=1)[:-2]
    rows_text = [f"  {json.dumps(f)}: {json.dumps(x)}" for f, x in params["weights"].items()]
    text += ',\n "weights": {\n' + ",\n".join(rows_text) + "\n }\n}\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(params['weights'])} weights from {len(rows)} candidates, threshold {threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
