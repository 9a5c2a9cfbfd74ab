"""Learn speech-cue verbs from PolNeAR TRAIN: writes app/pipeline/data/cue_verbs.json, which
app/pipeline/constants.py reads into the cue lists.

Produced from ../shared/devdata/polnear_train.jsonl (PolNeAR, Newell et al., LREC 2018, train
split only; never dev). Only words and counts leave the data: no text is copied.

Why learned: real reporting attributes quotes with verbs a hand list misses ("interjected",
"boasted", "chanted"), and a verb that is a cue in one sentence ("calls") is plain prose in
another. A word is kept when, in train,
- it is annotated as (part of) a cue at least MIN_CUES times, in at least MIN_CUE_SHARE of all its
  occurrences (so "said" qualifies, "called" in "a man called Smith" mostly not);
- it cues a quotation in marks at least MIN_QUOTE_CUES times, in at least MIN_QUOTE_SHARE of its
  occurrences within QUOTE_REACH characters of a quotation mark (the pipeline uses these words to
  attribute quotes, so precision is judged where quotes are);
- it looks like a finite verb or participle (-ed, -s, -ing, or one of the irregular past forms
  in IRREGULAR_PAST; other irregular forms come from the hand list in constants.py).
A second, wider list ("that_verbs") reports a claim only with a "that" clause ("the poll showed
that ...", "Hale denied that ..."): words cued at least MIN_THAT_CUES times in at least
MIN_THAT_SHARE of their occurrences, any attribution type, same shape rule, no participles; and
the plain form of a kept "-s" verb ("shows" -> "show", "believes" -> "believe": "polls show
that ...") when it is cued MIN_BASE_CUES times in MIN_BASE_SHARE of its uses (a plain form is
also a noun or an infinitive, hence the lower share; "that" keeps it precise).
A third list ("source_heads") holds the last words of unnamed sources ("the poll", "47 percent",
"many Republicans", "a campaign aide"): the head of every annotated source that opens with a
lowercase word or a determiner and ends in a lowercase word or a plural, kept when seen MIN_HEAD_COUNT times and not a pronoun or a
function word (NOT_HEADS). The pipeline takes a subject written before a reporting verb as the
speaker only when its last word is one of these (app/pipeline/reported.py written_subject).
Words ending in -ing become participles (they take the main clause's subject), the rest verbs.
NOT_SPEECH drops verbs that pass the counts but introduce a text or a name rather than a person's
words ("the memo reads", "a column titled", "dubbed the plan", "credited him with"), and nouns.

    .venv/bin/python scripts/learn_cues.py [--devdata ../shared/devdata]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

MIN_CUES = 3
MIN_CUE_SHARE = 0.4
MIN_QUOTE_CUES = 3
MIN_QUOTE_SHARE = 0.3
QUOTE_REACH = 150
MIN_THAT_CUES = 5
MIN_THAT_SHARE = 0.15
MIN_BASE_CUES = 5
MIN_BASE_SHARE = 0.05
#: Past forms without "-ed" that pass the shape rule ("a poll found that ...", "he thought").
IRREGULAR_PAST = frozenset({"found", "thought", "knew", "felt", "saw", "heard", "meant", "understood",
                            "taught", "held", "foresaw", "forgot", "swore"})
MIN_HEAD_COUNT = 5
_HEAD_SPLIT = re.compile(r"[,(]| (?:who|that|which|of|from|at|in|for|with|on|to|about|whose) ")
_DETERMINER_OPENERS = frozenset({"the", "a", "an", "some", "many", "most", "several", "one", "two",
                                 "three", "four", "five", "other", "another", "few", "both", "all"})
NOT_HEADS = frozenset({
    "he", "she", "who", "they", "his", "which", "some", "it", "that", "one", "you", "we", "her",
    "those", "most", "him", "others", "two", "their", "both", "said", "another", "me", "whose",
    "self", "involved", "familiar", "week", "this", "these", "there", "them", "us", "our", "its",
    "i", "my", "your", "all", "many", "few", "several", "other", "three", "four", "five", "a",
    "an", "the", "and", "or", "but", "not", "what", "close", "month", "year", "day",
})
NOT_SPEECH = frozenset({
    "reads", "titled", "dubbed", "credited",
    # nouns ("the allegations that ...", "questions that remain") and verbs of doing, not saying
    "complaints", "accusations", "allegations", "concern", "concerns", "consensus", "question",
    "questions", "details", "focus", "focuses", "focused", "look", "looks", "put", "puts", "follows",
    "turns", "opened", "covered", "watched", "designed", "intended", "interested", "impassioned",
    "devoted", "emerged", "picked", "fired", "hired", "filed", "booed", "rattled", "knocked", "sided",
    "adopted", "appointed", "launched", "introduced", "delivered", "sponsored", "blocked", "avoided",
    "tried", "attempted", "aimed", "required", "allowed", "allow", "allows", "plan", "plans",
})
_WORD = re.compile(r"[A-Za-z]+")
_MARKS = re.compile("[\u201c\u201d\"]")
OUT = Path(__file__).resolve().parent.parent / "app" / "pipeline" / "data" / "cue_verbs.json"


def count(path: Path) -> tuple[Counter, Counter, Counter, Counter]:
    cues, quote_cues, seen, near_quotes = Counter(), Counter(), Counter(), Counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            text = doc["text"]
            for q in doc["quotes"]:
                for w in {m.group().lower() for m in _WORD.finditer(q.get("cue") or "")}:
                    cues[w] += 1
                    quote_cues[w] += q["type"] in ("direct", "mixed")
            marks = [m.start() for m in _MARKS.finditer(text)]
            j = 0
            for m in _WORD.finditer(text):
                w = m.group().lower()
                seen[w] += 1
                while j < len(marks) and marks[j] < m.start() - QUOTE_REACH:
                    j += 1
                near_quotes[w] += j < len(marks) and marks[j] <= m.end() + QUOTE_REACH
    return cues, quote_cues, seen, near_quotes


def source_heads(path: Path) -> list[str]:
    """Heads of unnamed annotated sources (see the module docstring)."""
    heads: Counter = Counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            for q in json.loads(line)["quotes"]:
                words = _HEAD_SPLIT.split(q.get("speaker") or "", maxsplit=1)[0].split()
                if not words or (words[0][:1].isupper() and words[0].lower() not in _DETERMINER_OPENERS):
                    continue  # a name ("Trump", "Sen. Ruiz"): the cue index finds those
                head = words[-1].strip(".,\"'\u2019\u201c\u201d")
                # lowercase ("poll", "officials") or a plural ("Republicans", "Democrats"): not a
                # name or a day
                if head.isalpha() and len(head) > 2 and (head.islower() or head.endswith("s")):
                    heads[head.lower()] += 1
    return sorted(w for w, n in heads.items() if n >= MIN_HEAD_COUNT and w not in NOT_HEADS)


def _verb_shaped(w: str) -> bool:
    return ((len(w) > 3 and w.endswith(("ed", "s", "ing")) and not w.endswith("ss")) or w in IRREGULAR_PAST) \
        and w not in NOT_SPEECH


def learn(path: Path) -> dict:
    cues, quote_cues, seen, near_quotes = count(path)
    kept = sorted(
        w for w, n in cues.items()
        if n >= MIN_CUES and n >= MIN_CUE_SHARE * seen[w]
        and quote_cues[w] >= MIN_QUOTE_CUES and quote_cues[w] >= MIN_QUOTE_SHARE * near_quotes[w]
        and _verb_shaped(w))
    that = {w for w, n in cues.items()
            if n >= MIN_THAT_CUES and n >= MIN_THAT_SHARE * seen[w] and _verb_shaped(w)}
    for w in list(that | set(kept)):
        if w.endswith("s") and not w.endswith("ss"):
            base = w[:-1] if w[:-1] in seen else w[:-2]  # "notes" -> "note", "pushes" -> "push"
            if cues[base] >= MIN_BASE_CUES and cues[base] >= MIN_BASE_SHARE * seen[base]:
                that.add(base)
    that = sorted(that - set(kept) - NOT_SPEECH)
    return {
        "source": "PolNeAR train (scripts/learn_cues.py); counts only, no text",
        "not_speech": sorted(NOT_SPEECH),
        "thresholds": {"min_cues": MIN_CUES, "min_cue_share": MIN_CUE_SHARE,
                       "min_quote_cues": MIN_QUOTE_CUES, "min_quote_share": MIN_QUOTE_SHARE,
                       "quote_reach": QUOTE_REACH, "min_that_cues": MIN_THAT_CUES,
                       "min_that_share": MIN_THAT_SHARE,
                       "min_base_cues": MIN_BASE_CUES, "min_base_share": MIN_BASE_SHARE,
                       "min_head_count": MIN_HEAD_COUNT},
        "verbs": [w for w in kept if not w.endswith("ing")],
        "participles": [w for w in kept if w.endswith("ing")],
        "that_verbs": [w for w in that if not w.endswith("ing")],
        "source_heads": source_heads(path),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=Path("../shared/devdata"))
    args = parser.parse_args(argv)
    learned = learn(args.devdata / "polnear_train.jsonl")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(learned, indent=1) + "\n", encoding="utf-8")
    print(f"{len(learned['verbs'])} verbs, {len(learned['participles'])} participles -> {OUT}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
