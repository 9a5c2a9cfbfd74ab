"""Failure lists on PolNeAR for development: what bench/polnear.py counts wrong, one line each, with
the text around it, so a fix can aim at a pattern (look at TRAIN, confirm on dev). Prints the
third-party text to the terminal only; nothing is written to the repository.

    .venv/bin/python -m bench.polnear_failures --split train --what speakers --limit 60
    --what: speakers (direct quotes), all-speakers, direct-fp, direct-fn, reported-fp, reported-fn,
            reported-why (attributions we miss whole, by what the cue index made of their cue)
"""
from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path

from bench.polnear import Scores, covered, gold_type, load, ours, score_doc, token_starts


def _ctx(text: str, s: int, e: int, pad: int = 120) -> str:
    return (text[max(0, s - pad):s] + "[[" + text[s:e] + "]]" + text[e:e + pad]).replace("\n", " / ")


def _speakers(scores_tally, limit: int) -> None:
    for f in scores_tally.failures[:limit]:
        doc, g, mine = f["doc"], f["gold"], f["ours"]
        s, e = g["content_spans"][0][0], g["content_spans"][-1][1]
        who = "MISSED" if mine is None else repr(mine.speaker)
        print(f"- gold {g['speaker']!r} cue {g['cue']!r} | ours {who}\n    {_ctx(doc['text'], s, e, 200)}")


def _spans(docs: list[dict], kinds: set[str], marked: bool, false_pos: bool, limit: int) -> None:
    shown, sizes = 0, Counter()
    for doc in docs:
        text = doc["text"]
        golds = [{**g, "type": gold_type(text, g)} for g in doc["quotes"]]
        starts = token_starts(text)
        gold = covered(starts, [s for g in golds if g["type"] in kinds for s in g["content_spans"]])
        neutral = covered(starts, [s for g in golds if g["type"] == "mixed" for s in g["content_spans"]]) \
            if marked else set()
        preds = [p for p in ours(text) if not marked or p.kind in ("direct", "partial")]
        if false_pos:
            items = [(p.start, p.end, f"{p.kind} {p.speaker!r}") for p in preds]
            bad = lambda t: t - gold - neutral
        else:
            mine = covered(starts, [(p.start, p.end) for p in preds])
            items = [(s, e, f"{g['type']} {g['speaker']!r} cue {g['cue']!r}")
                     for g in golds if g["type"] in kinds for s, e in g["content_spans"]]
            bad = lambda t: t - mine
        for s, e, label in items:
            wrong = bad(covered(starts, [(s, e)]))
            if wrong:
                sizes[label.split()[0]] += len(wrong)
                if shown < limit:
                    shown += 1
                    print(f"- {len(wrong)} tokens, {label}\n    {_ctx(text, s, e)}")
    print("tokens by kind:", dict(sizes))


def _why(docs: list[dict], limit: int) -> None:
    """Attributions we miss whole, grouped by what became of the annotated cue: no cue found
    there (a verb no list holds), a cue without a speaker, or a cue whose content was rejected."""
    from app.pipeline.quotes import _prepare
    from app.pipeline.reported import written_subject

    tokens, shown = Counter(), Counter()
    for doc in docs:
        text = doc["text"]
        starts = token_starts(text)
        mine = covered(starts, [(p.start, p.end) for p in ours(text)])
        index, _, _ = _prepare(text, False)
        for g in doc["quotes"]:
            gold = covered(starts, g["content_spans"])
            if not gold or gold & mine or g.get("cue_start") is None:
                continue
            a, b = g["cue_start"], g["cue_end"]
            cue = next((c for c in index.cues if a <= index.starts[c.first] < b), None)
            speaker = cue and (cue.speaker or (None if cue.after or cue.subject
                                               else written_subject(index, cue)))
            kind = ("no cue" if cue is None else "cue, no speaker" if not speaker
                    else f"cue ({cue.kind}), content rejected")
            tokens[kind] += len(gold)
            if shown[kind] < limit:
                shown[kind] += 1
                print(f"- {kind}: cue {g['cue']!r}, source {g['speaker']!r}\n"
                      f"    {_ctx(text, g['start'], g['end'])}")
    print("missed tokens by what became of the cue:", dict(tokens))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=Path("../shared/devdata"))
    parser.add_argument("--split", default="train", choices=("train", "dev"))
    parser.add_argument("--what", default="speakers")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--docs", type=int, default=0, help="a random sample of this many documents")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    docs = load(args.devdata / f"polnear_{args.split}.jsonl", quick=False)
    if args.docs:
        docs = random.Random(args.seed).sample(docs, min(args.docs, len(docs)))
    if args.what == "reported-why":
        _why(docs, args.limit)
    elif args.what in ("speakers", "all-speakers"):
        scores = Scores()
        for doc in docs:
            score_doc(doc, ours(doc["text"]), scores)
        tally = scores.direct_speakers if args.what == "speakers" else scores.all_speakers
        print(f"{tally.right} of {tally.judged} right, {tally.missed} missed")
        _speakers(tally, args.limit)
    else:
        everything = {"direct", "mixed", "indirect"}
        kinds, marked = ({"direct"}, True) if args.what.startswith("direct") else (everything, False)
        _spans(docs, kinds, marked, args.what.endswith("fp"), args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
