"""A synthetic news archive at a chosen size, as JSON lines for `claimtracker bulk-load`.

Why generated: the scale benchmark needs a store of 10k to 1M claims with the shape of the real
thing (a few hundred outlets, thousands of speakers, articles of about 4 KB, a Zipf vocabulary, a
few claims repeated by hundreds or thousands of articles and most by one or two), and no public
archive of that size is linked. Every word is made up here from syllables; nothing is copied.

Shape, for N claims: N/10 articles (at least 50), about three mentions a claim (mentions per claim
drawn from a Zipf law with exponent 2.2, capped; 80 % of claims have one or two), claim 0 repeated
by 2,000 articles (or half of them when there are fewer), claim 1 by exactly 50, claims 2-11 by
a few hundred; 200 outlets (fewer for small stores), N/5 speakers up to 20,000.

Suggestions waiting for an analyst: each of the most repeated claims (claim 0 and claims 2-11) has
about SUGGESTED_SHARE of its later mentions (never its first) loaded as
`origin: suggested`, with a matching score, as ingest leaves a match it was not sure of; the
analyst's claim page of a big claim then shows its queue as it does on a desk that keeps up with it.
Drawn from a generator of their own, so the rest of the archive is the same as without them.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["an", "el", "or", "ix", "um"]
OUTLET_KINDS = ("Herald", "Times", "Post", "Gazette", "Tribune", "Daily", "Observer", "Chronicle",
                "Courier", "Ledger", "Monitor", "Record")
STATUS_SHARE = (("unreviewed", 0.90), ("verified", 0.04), ("disputed", 0.03), ("false", 0.02),
                ("misleading", 0.01))
BIG_MENTIONS, MEDIUM_MENTIONS = 2000, 50
HUNDREDS = (900, 700, 500, 400, 300, 250, 200, 150, 120, 100)
TEXT_CHARS = 4000
SUGGESTED_SHARE = 0.05


@dataclass(frozen=True)
class Shape:
    claims: int
    articles: int
    outlets: int
    speakers: int
    vocabulary: int

    @classmethod
    def for_claims(cls, claims: int) -> Shape:
        articles = max(50, claims // 10)
        return cls(claims, articles, min(200, max(5, articles // 5)), min(20_000, max(20, claims // 5)),
                   min(50_000, max(2_000, claims // 4)))


@dataclass
class Generated:
    """What the benchmark needs to know about the file: its shape and the keys to look up."""

    shape: dict
    mentions: int
    words: dict[str, str]          # "rare" / "medium" / "common" -> a word and its claim count
    word_counts: dict[str, int]
    big_claim: str                 # key of the claim with the most mentions
    medium_claim: str              # key of the claim with MEDIUM_MENTIONS
    filter_outlet: str
    filter_status: str
    suggested: int = 0             # of `mentions`, the suggestions awaiting an analyst (0: an older store)


def make_words(n: int, rng: np.random.Generator) -> list[str]:
    """n distinct pronounceable words of 2 to 4 syllables."""
    out, seen = [], set()
    while len(out) < n:
        k = int(rng.integers(2, 5))
        w = "".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), k))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def zipf_p(n: int, s: float) -> np.ndarray:
    p = 1.0 / np.arange(1, n + 1) ** s
    return p / p.sum()


def mention_counts(shape: Shape, rng: np.random.Generator) -> np.ndarray:
    cap = max(2, min(1000, shape.articles // 4))
    k = np.arange(1, cap + 1)
    counts = rng.choice(k, size=shape.claims, p=zipf_p(cap, 2.2))
    counts[0] = min(BIG_MENTIONS, max(2, shape.articles // 2))
    counts[1] = min(MEDIUM_MENTIONS, shape.articles)
    for i, n in enumerate(HUNDREDS, start=2):
        if i < shape.claims:
            counts[i] = min(n, shape.articles // 3)
    return counts


def place_mentions(shape: Shape, counts: np.ndarray, rng: np.random.Generator) -> list[list[int]]:
    """article index -> claim indexes it carries: a claim's first article is where it is born
    (i * articles / claims), the rest are later articles picked at random."""
    per_article: list[list[int]] = [[] for _ in range(shape.articles)]
    born = (np.arange(shape.claims) * shape.articles) // shape.claims
    for i in range(shape.claims):
        b, k = int(born[i]), int(counts[i])
        per_article[b].append(i)
        later = shape.articles - b - 1
        if k > 1 and later > 0:
            picks = rng.choice(later, size=min(k - 1, later), replace=False) if k > 8 else \
                np.unique(rng.integers(0, later, k - 1))
            for a in picks:
                per_article[b + 1 + int(a)].append(i)
    return per_article


class _Writer:
    def __init__(self, shape: Shape, rng: np.random.Generator) -> None:
        self.shape, self.rng = shape, rng
        self.words = make_words(shape.vocabulary, rng)
        # Cumulative, so a sentence is drawn by bisection: rng.choice(p=...) sums the whole
        # vocabulary again on every call (most of the generation time at 100k claims).
        self.word_cdf = np.cumsum(zipf_p(shape.vocabulary, 1.05))
        names = make_words(shape.speakers // 2 + 500, rng)
        first, last = names[:500], names[500:]
        chosen: dict[str, None] = {}
        while len(chosen) < shape.speakers:   # some share a surname, as people do
            i, j = rng.integers(0, len(first)), rng.integers(0, len(last))
            chosen[f"{first[i].title()} {last[j].title()}"] = None
        self.speakers = list(chosen)
        self.speaker_p = zipf_p(len(self.speakers), 0.8)
        outlet_words = make_words(shape.outlets, rng)
        self.outlets = [f"The {w.title()} {OUTLET_KINDS[i % len(OUTLET_KINDS)]}" for i, w in enumerate(outlet_words)]
        self.outlet_p = zipf_p(shape.outlets, 0.7)
        self.claim_word_ids: dict[int, np.ndarray] = {}

    def sentence(self, lo: int, hi: int) -> tuple[str, np.ndarray]:
        ids = np.searchsorted(self.word_cdf, self.rng.random(int(self.rng.integers(lo, hi))) * self.word_cdf[-1])
        text = " ".join(self.words[i] for i in ids)
        return text[0].upper() + text[1:], ids

    def filler(self) -> str:
        return self.sentence(8, 20)[0] + "."


def generate(path: Path, claims: int, seed: int = 13) -> Generated:
    """Write the archive to `path`; return its shape and the keys the benchmark looks up."""
    shape = Shape.for_claims(claims)
    rng = np.random.default_rng(seed)
    w = _Writer(shape, rng)
    counts = mention_counts(shape, rng)
    per_article = place_mentions(shape, counts, rng)
    statuses = [s for s, _ in STATUS_SHARE]
    claim_status = rng.choice(len(statuses), size=shape.claims, p=[p for _, p in STATUS_SHARE])
    claim_speaker = rng.choice(len(w.speakers), size=shape.claims, p=w.speaker_p)
    article_outlet = rng.choice(shape.outlets, size=shape.articles, p=w.outlet_p)
    texts: dict[int, str] = {}
    df = np.zeros(shape.vocabulary, dtype=np.int64)
    defined = 0
    start = date(2023, 1, 1)
    mentions = 0
    suggest = Suggester([0, *range(2, 2 + len(HUNDREDS))], np.random.default_rng(seed + 2))
    with open(path, "w", encoding="utf-8") as f:
        for a, carried in enumerate(per_article):
            while defined < shape.claims and (defined * shape.articles) // shape.claims <= a:
                text, ids = w.sentence(10, 17)
                texts[defined] = text
                df[np.unique(ids)] += 1
                f.write(json.dumps({"type": "claim", "key": f"c{defined}", "text": text + ".",
                                    "speaker": w.speakers[claim_speaker[defined]],
                                    "status": statuses[claim_status[defined]]}) + "\n")
                defined += 1
            record = _article(w, a, carried, texts, article_outlet[a], claim_speaker,
                              start + timedelta(days=a * 730 // shape.articles), rng)
            suggest(record["mentions"])
            mentions += len(record["mentions"])
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    words, word_counts = _search_words(w.words, df, shape.claims)
    return Generated(asdict(shape), mentions, words, word_counts, "c0", "c1",
                     w.outlets[0], "unreviewed", suggest.made)


class Suggester:
    """Marks some later mentions of the big claims (`big`: their indexes) as suggestions awaiting an
    analyst (SUGGESTED_SHARE of them), with a score below the linking threshold."""

    def __init__(self, big: list[int], rng: np.random.Generator) -> None:
        self.big = {f"c{i}" for i in big}
        self.seen: set[str] = set()
        self.rng, self.made = rng, 0

    def __call__(self, mentions: list[dict]) -> None:
        for m in mentions:
            key = m["claim"]
            if key not in self.big:
                continue
            if key in self.seen and self.rng.random() < SUGGESTED_SHARE:
                m.update(origin="suggested", score=round(float(self.rng.uniform(0.55, 0.8)), 3))
                self.made += 1
            self.seen.add(key)


def _article(w: _Writer, a: int, carried: list[int], texts: dict[int, str], outlet: int,
             claim_speaker: np.ndarray, published: date, rng: np.random.Generator) -> dict:
    title = w.sentence(5, 9)[0]
    parts, quotes, mentions = [title, "\n\n"], [], []
    pos = len(title) + 2
    for n, c in enumerate(carried):
        if n % 2 == 0:
            filler = w.filler() + " "
            parts.append(filler)
            pos += len(filler)
        excerpt = texts[c]
        roll = rng.random()
        if roll < 0.1 and excerpt.count(" ") > 8:       # trimmed: the last two words cut
            excerpt = excerpt.rsplit(" ", 2)[0]
        stance = "contradicts" if roll > 0.96 else "discusses" if roll > 0.93 else "repeats"
        speaker = w.speakers[claim_speaker[c]]
        opening = "“"
        parts.append(opening)
        pos += len(opening)
        quotes.append({"start": pos, "end": pos + len(excerpt), "speaker": speaker, "cue": "said",
                       "kind": "direct"})
        mentions.append({"claim": f"c{c}", "start": pos, "end": pos + len(excerpt),
                         "quote": len(quotes) - 1, "stance": stance})
        closing = f",” {speaker} said. "
        parts += [excerpt, closing]
        pos += len(excerpt) + len(closing)
    while pos < TEXT_CHARS:
        filler = w.filler() + (" " if rng.random() < 0.8 else "\n\n")
        parts.append(filler)
        pos += len(filler)
    outlet_name = w.outlets[outlet]
    return {"type": "article", "outlet": outlet_name, "title": title, "text": "".join(parts).rstrip() + "\n",
            "published": published.isoformat(), "url": f"https://news{outlet}.example/{a}",
            "quotes": quotes, "mentions": mentions}


def _search_words(words: list[str], df: np.ndarray, claims: int) -> tuple[dict[str, str], dict[str, int]]:
    """A rare word (in about 3 claims), a medium one (about 1 %) and a common one (about 10 %),
    none of them the prefix of another word (search matches the last word as a prefix)."""
    order = sorted(words)
    prefixed = {order[i] for i in range(len(order) - 1) if order[i + 1].startswith(order[i])}
    out, counts = {}, {}
    for label, target in (("rare", 3), ("medium", max(5, claims // 100)), ("common", max(20, claims // 10))):
        best = min((i for i in range(len(words)) if words[i] not in prefixed and df[i] > 0),
                   key=lambda i: abs(int(df[i]) - target))
        out[label], counts[label] = words[best], int(df[best])
    return out, counts


def ingest_articles(claims: int, stored: list[tuple[str, str]], count: int, seed: int = 13,
                    picks: list[int] | None = None) -> list[str]:
    """Texts for the ingest measure, in the store's own vocabulary and speakers (the same seed
    makes the same ones): each quotes two new statements and repeats one stored claim (text,
    speaker) by its speaker: `stored[picks[i]]` for article i when `picks` is given (popular_picks),
    else the stored claims in turn."""
    w = _Writer(Shape.for_claims(claims), np.random.default_rng(seed))
    w.rng = rng = np.random.default_rng(seed + 1)
    out = []
    for i in range(count):
        parts = [w.sentence(5, 9)[0], "\n\n"]
        for n in range(3):
            parts.append(w.filler() + " ")
            speaker = w.speakers[int(rng.integers(len(w.speakers)))]
            quoted = w.sentence(10, 17)[0]
            if n == 2:
                quoted, speaker = stored[picks[i] if picks is not None else i % len(stored)]
                quoted = quoted.rstrip(".")
            parts.append(f"“{quoted},” {speaker} said. ")
        while sum(map(len, parts)) < TEXT_CHARS:
            parts.append(w.filler() + " ")
        out.append("".join(parts).rstrip() + "\n")
    return out


def popular_picks(weights: list[int], count: int, seed: int = 13) -> list[int]:
    """Which stored claim each of `count` articles repeats, drawn in proportion to `weights` (the
    claims' confirmed mentions): news repeats what it already repeats, so the store's biggest claims
    (hundreds or thousands of mentions) are repeated by a share of the new articles as they are by
    the archive's, and most articles repeat a claim of one or two mentions."""
    p = np.asarray(weights, dtype=float)
    return [int(i) for i in np.random.default_rng(seed + 3).choice(len(p), size=count, p=p / p.sum())]
