"""How a passage relates to a claim: it repeats it, contradicts it, or discusses it (reports it
without vouching for it: "reportedly", "may have", "..., officials say", a question).

Why a learned model over cues rather than a rule: polarity alone reads "No joke" as a denial and
"is a hoax" as a repeat, and never sees a hedge. Each cue is weak and they interact (a hedge beside
a debunk word, a question that doubts), so a multinomial logistic regression weighs them; its
probabilities are calibrated enough to hold a link back when unsure. No bag of words: on Emergent,
grouped by claim, the passage's own words and bigrams added under 0.003 accuracy and their
weights were the training stories' names, which say nothing about the next story. The weights are a data file (data/stance.json) made by scripts/train_stance.py;
predicting is a sparse dot product, no library.

Beside the hand lexicons, a learned one: the words a passage adds to the claim ("boasts",
"analyst", "website"), each with how much more often it stood in a passage of each stance than the
stances' shares, counted once per training claim so no single story makes a cue (see
stance_train.learn_lexicon); a passage's means over its words are three features. Where a hedge or
refute word stands matters too: "Video purportedly shows X" doubts X, "X, a fan could say" does not,
so the distance from a cue to the nearest word shared with the claim is read (Ferreira & Vlachos's
distance to the root, without a parser). Who the passage says says it ("..., dad says", "...:
report") is read against the claim's speaker, which ingest knows and Emergent does not: "X says"
of a claim nobody is known to have made, or by another named person, passes it on; the claim's
own speaker (or his office, "the ministry said") restates it (see _attribution).

Features are named strings with values, so another measure (a sentence-embedding cosine) can be
passed in as `extra` later; a name the parameters do not know weighs nothing.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from app.pipeline.claims import match_words
from app.pipeline.constants import (
    DENIAL_VERBS,
    MATCH_STOPWORDS,
    STANCE_AFFIRMING_NO,
    STANCE_CONFIRM_CUES,
    STANCE_HEDGE_CUES,
    STANCE_REFUTE_CUES,
    STANCE_TELLERS,
    STANCE_TELLING_VERBS,
)
from app.pipeline.matching import content_words, negated, score_match, stem
from app.pipeline.person_names import fold, parse_person

LABELS = ("repeats", "contradicts", "discusses")
PARAMETERS = Path(__file__).parent / "data" / "stance.json"

# Characters of a long passage read either side of where it aligns with the claim (see _window).
_REACH_LEFT, _REACH_RIGHT = 50, 40
# Verbs that attribute: a claim holding one is a report of what someone says, and a passage's
# "claims" or "reportedly" passes on that same report rather than doubting it.
_SAYING = frozenset({"say", "says", "said", "saying", "claim", "claims", "claimed", "claiming", "tell",
                     "tells", "told", "alleges", "alleged", "reportedly", "reports", "reported"})
# Words of attribution the learned lexicon leaves to the hand features: on Emergent "says" and
# "according to" mostly pass on a rumour, in a news sentence they name the claim's own speaker
# ("..., the minister said"), and only the hand features tell a named source from "sources say".
ATTRIBUTION_WORDS = _SAYING | {"according", "adding", "added", "stated", "states", "announced"}
_DENIALS = frozenset(DENIAL_VERBS)
# The lexicon's mean counts this many neutral words beside those it knows (see lexicon_features).
_LEXICON_PRIOR = 2
# A hedge or refute word at most this many words from a word shared with the claim bears on it.
_NEAR = 2
# "no-show", "no-fly": one word, not a "no" (match_words splits at hyphens, so join first).
_NO_COMPOUND = re.compile(r"\b([Nn]o)-(?=[^\W\d_])")
# A quoted name that opens with "no" and qualifies the noun after it (a 'no limits' partnership,
# its 'no first use' pledge) names a thing and negates nothing: one word, as its hyphenated
# spelling is. Quoted speech (said 'no deal'., 'no way' to the plan) stays a "no".
_QUOTED_NO = re.compile("(?<=[\"\u201c\u2018'])([Nn]o)[ -](?=[^\\W\\d_][\\w'\u2019-]*(?: [^\\W\\d_][\\w'\u2019-]*){0,2}"
                        "[\"\u201d\u2019'] (?!(?:to|and|or|but|the|a|an|from|for|on|in|at|with|by|as|when|if|that)\\b)[a-z])")
_TELLERS = "(?:" + "|".join(STANCE_TELLERS) + ")"
_TELLER_RE = re.compile(rf"\b{_TELLERS}\s+(?:{'|'.join(STANCE_TELLING_VERBS)})\b"
                        rf"|\baccording to (?:\w+ ){{0,2}}{_TELLERS}\b", re.IGNORECASE)


# A passage that opens with a short label and a colon gives someone's words: "Congressman: ...",
# "US officials: ...", "Tim Cook: ..." (not a time, "10:30", nor a long clause).
_LABELLED = re.compile(r"\s*(?:[^\W\d_][\w.'\u2019-]*\s+){0,3}[^\W\d_][\w.'\u2019-]*:\s")

# A passage that says who says it: "X says", "said X", "according to X", "X told reporters". The
# four words either side of the verb are its possible subject.
_ATTRIBUTING = re.compile(r"\b(?:says|said|say|saying|tells|told|according to)\b", re.IGNORECASE)
_SUBJECT_REACH = 60   # characters either side of the verb where its subject is looked for
# A headline that names its source after a colon at its end: "... to split in two: report",
# "...: Pentagon" (the wire style for "X says").
_LABEL_AFTER = re.compile(r":\s+((?:[^\W\d_][\w.'\u2019-]*\s+){0,2}[^\W\d_][\w.'\u2019-]*)\s*$")
_POSSESSIVE = re.compile(r"['\u2019]s?$")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"})


@dataclass(frozen=True, slots=True)
class StanceResult:
    """label is the likeliest stance, prob its probability (0..1); probs are all three by LABELS."""

    label: str
    prob: float
    probs: tuple[float, ...] = ()


def _clean(text: str) -> str:
    return _NO_COMPOUND.sub(r"\1", _QUOTED_NO.sub(r"\1", text))


def _affirmed(joined: str) -> str:
    """The joined words with affirming "no" phrases cut, so their "no" negates nothing."""
    for phrase in STANCE_AFFIRMING_NO:
        joined = joined.replace(f" {phrase} ", f" {phrase.split()[-1]} ")
    return joined


def _cues(joined: str, cues: tuple[str, ...]) -> set[str]:
    words, phrases = _split_cues(cues)
    return words.intersection(joined.split()) | {c for c in phrases if f" {c} " in joined}


@lru_cache(maxsize=8)
def _split_cues(cues: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """One-word cues are looked up in the passage's word set; only phrases are searched for."""
    return frozenset(c for c in cues if " " not in c), tuple(c for c in cues if " " in c)


@lru_cache(maxsize=4096)
def _read(claim_text: str, passage_text: str) -> tuple[str, str]:
    """The claim's words and the passage's (where it carries the claim, see _window), each joined
    with a space either side, affirming "no" phrases cut."""
    claim, passage = _clean(claim_text), _clean(passage_text)
    cj = _affirmed(" " + " ".join(match_words(claim)) + " ")
    pj = _affirmed(" " + _window(" ".join(match_words(claim)), " ".join(match_words(passage))) + " ")
    return cj, pj


def added_words(claim_text: str, passage_text: str) -> set[str]:
    """The passage's words (where it carries the claim) that the claim lacks, but for words of
    attribution (see ATTRIBUTION_WORDS) and stopwords: headlines drop "the" and "of" that every
    news sentence has, so what they lean to on Emergent is the headline style, not a stance."""
    cj, pj = _read(claim_text, passage_text)
    return set(pj.split()).difference(cj.split(), ATTRIBUTION_WORDS, MATCH_STOPWORDS)


@lru_cache(maxsize=4096)
def features(claim_text: str, passage_text: str, speaker: str | None = None) -> tuple[tuple[str, float], ...]:
    """(name, value) pairs describing the passage against the claim (see the module docstring).
    A cue counts only when the claim lacks it: "X could close" restates "X could close"."""
    claim, passage = _clean(claim_text), _clean(passage_text)
    cj, pj = _read(claim_text, passage_text)
    out: dict[str, float] = {"bias": 1.0}
    for kind, cues in (("hedge", STANCE_HEDGE_CUES), ("refute", STANCE_REFUTE_CUES),
                       ("confirm", STANCE_CONFIRM_CUES)):
        found = _cues(pj, cues) - _cues(cj, cues)
        if kind == "hedge" and not _SAYING.isdisjoint(cj.split()):
            found -= _SAYING   # "X says Y" told as "X claims Y": the claim's own attribution
        out.update((f"{kind}={cue}", 1.0) for cue in sorted(found))
        out[f"{kind} cues"] = min(len(found), 3) / 3
        if kind != "confirm" and found:
            out.update(_cue_distance(kind, found, claim_text, pj))
    out.update(_shape(claim_text, cj, pj))
    if not _DENIALS.isdisjoint(pj.split()) and _DENIALS.isdisjoint(cj.split()):
        out["denial verb"] = 1.0   # "denied", "refuted", "disputed": one feature for the rarer forms
    out.update(_attribution(claim, passage, speaker))
    if _TELLER_RE.search(pj) and not _TELLER_RE.search(cj):
        out["teller"] = 1.0
    if "?" in passage and "?" not in claim:
        out["question"] = 1.0
    if _LABELLED.match(passage) and not _LABELLED.match(claim):
        out["labelled source"] = 1.0   # "Analyst: Apple Watch to cost $950" passes a word on
    label = _LABEL_AFTER.search(passage)
    if label and not _LABEL_AFTER.search(claim) and not (speaker and _names(label.group(1), speaker)):
        out["labelled after"] = 1.0   # "...: report", unless the label is the claim's speaker
    p_neg, c_neg = negated(pj.strip()), negated(cj.strip())
    out.update(_overlap(claim, passage, p_neg != c_neg))
    if p_neg:
        out["passage negated"] = 1.0
    if c_neg:
        out["claim negated"] = 1.0
    return tuple(out.items())


def reads_speaker(passage_text: str) -> bool:
    """Does the claim's speaker change how this passage is read (it names a source: see
    _attribution)? A caller may skip looking the speaker up when it does not."""
    return bool(_ATTRIBUTING.search(passage_text) or _LABEL_AFTER.search(passage_text))


def _attribution(claim: str, passage: str, speaker: str | None) -> dict[str, float]:
    """Whether the passage says who says it ("..., dad says", "Lawmaker says ...", "according to
    X"), and whether that is the claim's own speaker. Without a speaker (a rumour, a fact-checked
    claim) any attribution passes the claim on without vouching for it. With one, "Tan said ..."
    restates Tan's claim, and so does "the ministry said" or "he said" (the passage names nobody
    else); only another named person ("Biden said" of a Trump claim) reports it second-hand. A
    claim that is itself a report ("X says Y") is passed on by any "says" (nothing is read)."""
    if _ATTRIBUTING.search(claim):
        return {}
    found = list(_ATTRIBUTING.finditer(passage))
    if not found:
        return {}
    if speaker is None:
        return {"attributed": 1.0}
    subjects = [(passage[max(0, m.start() - _SUBJECT_REACH):m.start()].split()[-4:],
                 passage[m.end():m.end() + _SUBJECT_REACH].split()[:4]) for m in found]
    if any(_names(" ".join(before + after), speaker) for before, after in subjects):
        return {}
    for before, after in subjects:
        for run in (_capitalised_run(reversed(before))[::-1], _capitalised_run(after)):
            if run and _is_person(" ".join(run)):
                return {"attributed": 1.0}
    return {}


def _names(words: str, speaker: str) -> bool:
    """Do `words` name the speaker (any word of the name but initials: "Tan", "Mr. Tan's")?"""
    own = {w for w in _folded(speaker) if len(w) > 1 and w not in MATCH_STOPWORDS}
    return not own.isdisjoint(_folded(words))


@lru_cache(maxsize=4096)
def _folded(words: str) -> frozenset[str]:
    return frozenset({fold(_POSSESSIVE.sub("", w.strip(".,;:!?\"()\u201c\u201d"))) for w in words.split()})


@lru_cache(maxsize=4096)
def _is_person(name: str) -> bool:
    return parse_person(name) is not None


def _capitalised_run(words) -> list[str]:
    """The capitalised words at the head of `words`, up to the first other word."""
    out = []
    for w in words:
        if not w[:1].isupper() or w.lower() in _PRONOUNS:
            break
        out.append(w.strip(",;:"))
    return out


def _cue_distance(kind: str, found: set[str], claim_text: str, pj: str) -> dict[str, float]:
    """How far (in words) the passage's one-word cues of a kind stand from the nearest word it
    shares with the claim: near, far, and the distance (0..1, 1 at 8 words or none shared)."""
    # counted over content words and cues ("denied that the tunnel": one word apart)
    words = [w for w in pj.split() if w in found or w not in MATCH_STOPWORDS]
    stems = {stem(w) for w in content_words(claim_text)}
    shared = [i for i, w in enumerate(words) if stem(w) in stems]
    at = [i for i, w in enumerate(words) if w in found]
    if not at:   # phrases only ("made up"): counted, not placed
        return {}
    gap = min((abs(i - j) for i in at for j in shared), default=8)
    return {f"{kind} near" if gap <= _NEAR else f"{kind} far": 1.0, f"{kind} distance": min(gap, 8) / 8}


def _shape(claim_text: str, cj: str, pj: str) -> dict[str, float]:
    """How much the passage says besides the claim: the share of its words the claim lacks, and
    how much of it follows the last word it shares with the claim ("X was killed, his family
    says" trails; "X was killed" does not). Not its length: Emergent's headlines are short
    whatever their stance, news sentences long, and a length weight learned on one would push
    every sentence of the other toward one stance."""
    words = pj.split()
    if not words:
        return {}
    out = {"added share": len(set(words).difference(cj.split())) / len(set(words))}
    stems = {stem(w) for w in content_words(claim_text)}
    passage = [stem(w) for w in content_words(pj)]
    shared = [i for i, s in enumerate(passage) if s in stems]
    if shared:
        out["trailing"] = (len(passage) - 1 - shared[-1]) / len(passage)
    return out


def _window(claim: str, passage: str) -> str:
    """The passage's words where it carries the claim, with a few words either side (where
    "reportedly", "denied that" and ", officials say" stand). A headline is read whole; a long
    sentence's "not" about something else says nothing about the claim."""
    if len(passage) <= len(claim) + _REACH_LEFT + _REACH_RIGHT:
        return passage
    aligned = fuzz.partial_ratio_alignment(claim, passage)
    start = max(0, aligned.dest_start - _REACH_LEFT)
    start = passage.rfind(" ", 0, start) + 1 if start else 0
    end = passage.find(" ", min(len(passage), aligned.dest_end + _REACH_RIGHT))
    return passage[start:end if end >= 0 else len(passage)]


def _overlap(claim: str, passage: str, whole_polarity_differs: bool) -> dict[str, float]:
    """How much of the claim the passage carries, and whether their polarity differs where they
    align (pipeline.matching's measure; the whole texts when they share under two words)."""
    match = score_match(claim, passage)
    out = {"coverage": match.coverage, "similarity": match.similarity, "score": match.score}
    if not match.shared:
        out["few shared"] = 1.0
    differs = match.polarity_differs if match.shared else whole_polarity_differs
    if differs:
        out["polarity differs"] = 1.0
    return out


def lexicon_features(lexicon: Mapping[str, list[float]], claim_text: str,
                     passage_text: str) -> tuple[tuple[str, float], ...]:
    """The learned lexicon's reading: per label, the mean over the words the passage adds to the
    claim of how much each word leans to that label (nothing when no added word is known). A mean,
    not a sum: a news sentence adds many more words to its claim than a headline does, and a sum
    would grow with them; shrunk toward 0 by _LEXICON_PRIOR words, so one known word alone (a
    "statement" in a long sentence) does not speak for the whole passage."""
    known = [lexicon[w] for w in sorted(added_words(claim_text, passage_text)) if w in lexicon]
    if not known:
        return ()
    return tuple((f"lexicon {label}", round(sum(v[k] for v in known) / (len(known) + _LEXICON_PRIOR), 6))
                 for k, label in enumerate(LABELS))


def probabilities(weights: Mapping[str, list[float]], feats) -> list[float]:
    """Softmax over LABELS of the weighted feature sums."""
    z = [0.0] * len(LABELS)
    for name, value in feats:
        w = weights.get(name)
        if w is not None:
            for k in range(len(z)):
                z[k] += w[k] * value
    top = max(z)
    e = [math.exp(v - top) for v in z]
    total = sum(e)
    return [v / total for v in e]


@lru_cache(maxsize=4)
def load_parameters(path: Path = PARAMETERS) -> dict:
    params = json.loads(path.read_text(encoding="utf-8"))
    if tuple(params["labels"]) != LABELS:
        raise ValueError(f"{path}: labels {params['labels']} are not {LABELS}")
    return params


def stance(claim_text: str, passage_text: str, extra: Mapping[str, float] | None = None,
           params: Mapping | None = None, speaker: str | None = None) -> StanceResult:
    """The passage's stance on the claim, with its probability. `speaker` is the claim's speaker's
    name, None when it has none (a rumour, a fact-checked claim without a claimant): it tells
    "Tan said ..." restating Tan's claim from a second-hand report (see _attribution). `extra`
    adds named features (a name the parameters do not know weighs nothing); `params` overrides
    the shipped file."""
    if extra is None and params is None:
        return _shipped_stance(claim_text, passage_text, speaker)
    params = params or load_parameters()
    feats = features(claim_text, passage_text, speaker) + lexicon_features(params.get("lexicon", {}),
                                                                   claim_text, passage_text)
    if extra:
        feats = feats + tuple(extra.items())
    probs = probabilities(params["weights"], feats)
    best = max(range(len(LABELS)), key=probs.__getitem__)
    return StanceResult(LABELS[best], round(probs[best], 4), tuple(round(p, 4) for p in probs))


@lru_cache(maxsize=8192)
def _shipped_stance(claim_text: str, passage_text: str, speaker: str | None) -> StanceResult:
    """The shipped model's reading, cached: a claim meets the same stored sentences again at each
    article on its subject."""
    return stance(claim_text, passage_text, params=load_parameters(), speaker=speaker)

