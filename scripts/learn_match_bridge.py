"""Learn the lexical bridge (app/pipeline/bridge.py) and write app/pipeline/data/match_bridge.json.

A translation table in the style of Berger & Lafferty (1999): t(claim stem | post stem), the
chance that a claim's word is written as a given word in a post that restates the claim
("wounded" for "injured", "aircraft" for "jetliner"), learned with IBM model 1 (EM) over the
words a post and its claim do NOT share, from the CheckThat! 2020 and 2021 TRAIN splits in
../shared/devdata (a post -> the fact-checked claim(s) it makes; the claim is its text and its
fact-check headline). The dev splits and the seeds are never read.

Only associations that generalise are kept: both words seen in at least MIN_PAIRS distinct
(post, claim) pairs together, on distinct claims (many train posts restate one viral claim, and
a pair seen only there says what that story is about, not how words are paraphrased); no numbers;
no names (a stem written capitalised inside a sentence in most of its train occurrences); no
stopwords; a probability of at least MIN_PROBABILITY.

    .venv/bin/python scripts/learn_match_bridge.py [--devdata ../shared/devdata] [--out FILE]

Deterministic: the same data and code give the same file (sorted iteration, no randomness).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EDITIONS = ("2020", "2021")
ITERATIONS = 10
MIN_PAIRS = 3           # distinct claims on which both words stood, unshared, in a post and its claim
MIN_PROBABILITY = 0.02  # t(claim stem | post stem) after EM
MIN_DICE = 0.12         # 2 * pairs together / (pairs with the post word alone + with the claim word alone)
MIN_STORIES = 3         # distinct stories among those pairs (see _stories)
STORY_WORDS = 3
MAX_PER_STEM = 4        # partners kept a post stem, best first
NULL = ""

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"\u201c]\s+)$")


def name_stems(texts: Iterable[str]) -> frozenset[str]:
    """Stems written capitalised inside a sentence in most of their occurrences: names."""
    from app.pipeline.matching import stem

    capital, total = Counter(), Counter()
    for text in texts:
        for m in _WORD.finditer(text):
            word = m.group(0)
            if _SENTENCE_START.search(text[max(0, m.start() - 3):m.start()]) or m.start() == 0:
                continue   # a sentence's first word says nothing
            s = stem(word.lower().replace("\u2019", "'"))
            total[s] += 1
            capital[s] += word[0].isupper()
    return frozenset(s for s, n in total.items() if capital[s] * 2 > n)


def train_pairs(devdata: Path) -> list[tuple[str, str, str]]:
    """(claim key, post, claim text and headline) for each train post and each claim it makes."""
    from bench.common import read_jsonl

    out = []
    for edition in EDITIONS:
        claims = {c["id"]: c for c in read_jsonl(devdata / f"checkthat{edition}_vclaims.jsonl")}
        for q in read_jsonl(devdata / f"checkthat{edition}_train.jsonl"):
            for cid in q["positives"]:
                if cid in claims:
                    c = claims[cid]
                    out.append((f"{edition}:{cid}", q["query"], c["text"] + " . " + (c.get("title") or "")))
    return out


def _usable(s: str, names: frozenset[str]) -> bool:
    return len(s) >= 3 and s.isalpha() and s not in names


def _stories(keys: list[str], words: dict[str, frozenset[str]], pair: set[str]) -> int:
    """How many distinct stories the pairs `keys` tell: a pair whose words (the two words of the
    association aside) share fewer than STORY_WORDS stems with every one counted before is a new one."""
    kept: list[frozenset[str]] = []
    for key in keys:
        here = words[key] - pair
        if all(len(here & other) < STORY_WORDS for other in kept):
            kept.append(here)
    return len(kept)


def learn(pairs: list[tuple[str, str, str]]) -> dict[str, dict[str, float]]:
    """post stem -> {claim stem: t(claim stem | post stem)} kept (see the module's doc)."""
    from app.pipeline.matching import passage_stems
    from app.pipeline.social import clean_post

    names = name_stems([t for _, post, claim in pairs for t in (post, claim)])
    sentences: list[tuple[str, list[str], list[str]]] = []
    words: dict[str, frozenset[str]] = {}
    for key, post, claim in pairs:
        p, c = passage_stems(clean_post(post)), passage_stems(claim)
        words[key] = words.get(key, frozenset()) | p | c
        src = sorted(s for s in p - c if _usable(s, names))
        tgt = sorted(s for s in c - p if _usable(s, names))
        if src and tgt:
            sentences.append((key, src, tgt))
    # IBM model 1: t(c | p), with a NULL source word for claim words nothing in the post explains.
    t: dict[str, dict[str, float]] = defaultdict(dict)
    for _, src, tgt in sentences:
        for p in [NULL, *src]:
            for c in tgt:
                t[p][c] = 1.0
    for _ in range(ITERATIONS):
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for _, src, tgt in sentences:
            sources = [NULL, *src]
            for c in tgt:
                z = sum(t[p][c] for p in sources)
                for p in sources:
                    counts[p][c] += t[p][c] / z
        t = defaultdict(dict)
        for p in sorted(counts):
            total = sum(counts[p].values())
            t[p] = {c: v / total for c, v in sorted(counts[p].items())}
    together: dict[tuple[str, str], set[str]] = defaultdict(set)
    alone_post, alone_claim = Counter(), Counter()
    for key, src, tgt in sentences:
        alone_post.update(src)
        alone_claim.update(tgt)
        for p in src:
            for c in tgt:
                together[(p, c)].add(key)

    def general(p: str, c: str) -> bool:
        keys = together[(p, c)]
        if len(keys) < MIN_PAIRS or 2 * len(keys) / (alone_post[p] + alone_claim[c]) < MIN_DICE:
            return False
        return _stories(sorted(keys), words, {p, c}) >= MIN_STORIES

    out: dict[str, dict[str, float]] = {}
    for p in sorted(t):
        if p == NULL:
            continue
        kept = sorted(((c, v) for c, v in t[p].items() if v >= MIN_PROBABILITY and general(p, c)),
                      key=lambda cv: (-cv[1], cv[0]))[:MAX_PER_STEM]
        if kept:
            out[p] = {c: round(v, 4) for c, v in kept}
    return out


def main(argv: list[str] | None = None) -> int:
    from app.pipeline.bridge import PARAMS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=ROOT.parent / "shared" / "devdata")
    parser.add_argument("--out", type=Path, default=PARAMS)
    args = parser.parse_args(argv)
    pairs = train_pairs(args.devdata)
    table = learn(pairs)
    result = {"trained_on": "CheckThat! 2020 and 2021 train splits (../shared/devdata), "
                            "by scripts/learn_match_bridge.py",
              "pairs": len(pairs), "min_pairs": MIN_PAIRS, "min_probability": MIN_PROBABILITY,
              "min_dice": MIN_DICE, "min_stories": MIN_STORIES,
              "table": table}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(pairs)} train pairs; {sum(len(v) for v in table.values())} associations "
          f"of {len(table)} post stems; written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
