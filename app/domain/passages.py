"""Passages copied from article to article without quotation marks: wire copy, shared talking
points, an outlet reusing its own framing. No quote makes them claims, yet they travel.

Every sentence of an article's own text (not already carrying a claim) leaves its hashed 8-word
runs in passage_shingles. When a later sentence shares such a run with one stored earlier, the
sentence becomes a claim with a mention in both articles. Between two outlets that is a link; within
one outlet it may be boilerplate (a byline, a newsletter footer), so it waits as a suggestion.
"""
from __future__ import annotations

import json
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.domain.linking import add_mention, index_claim_text, stable_hash, text_hashes
from app.domain.matching import linked_spans, matchable_sentences
from app.domain.write_steps import STEP_ROWS, STEP_WINDOWS, WriteSteps
from app.pipeline.claims import normalize_words, shingles
from app.pipeline.constants import MIN_SHARED_RUN
from app.storage.lookups import MEMBERS, driver_insert_many, driver_rows
from app.storage.models import Article, Claim, PassageShingle

# Every stored run of the article's sentences, in other articles: read once an article, and the
# earlier sentence sharing most runs with each new one counted here (see _best_shared). One query
# a sentence, through the ORM, was a sixth of an article's ingest.
_RUNS = ("SELECT hash, article_id, start, \"end\" FROM passage_shingles "
         "WHERE hash {members} AND article_id != :article_id")
MAX_CLAIM_CHARS = 600


class _Coverage:
    """The characters of a text that linked spans cover, one byte each: whether a sentence overlaps
    any of them is one scan of the sentence's range, not a walk over every span (an article of
    50,000 quotes holds 100,000 spans, and each of its 1,500 matched sentences walked them all)."""

    def __init__(self, length: int, spans) -> None:
        self.marks = bytearray(length)
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if end > start:
            self.marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Some span shares a character with text[start:end] (min(e, end) > max(s, start))."""
        return end > start and self.marks.find(1, start, end) != -1


def link_repeated_passages(steps: WriteSteps, session: Session, article: Article) -> tuple[int, int]:
    """(links, suggestions) for this article's copied passages; stores its runs. The earlier
    sentence each one shares runs with is looked up by reading only, and the pairs found are
    written a stretch of sentences at a time (as article_linking.link_sentences does): what this
    phase writes is never what it reads (its own runs are stored last, and the lookup leaves its
    article out)."""
    taken = _Coverage(len(article.text), (span for spans in linked_spans(session, article.id).values()
                                          for span in spans))
    rows: dict[int, tuple[int, int]] = {}
    sentences: list[tuple[tuple[int, int], set[int]]] = []
    for start, end in matchable_sentences(article.text):
        if taken.overlaps(start, end) or end - start > MAX_CLAIM_CHARS:
            continue
        hashes = sentence_runs(article.text, start, end)
        if not hashes:
            continue
        for h in hashes:
            rows.setdefault(h, (start, end))
        sentences.append(((start, end), hashes))
    stored = _stored_runs(session, article.id, rows)
    pairs: list = []
    made = [0, 0]    # links, suggestions
    looked = 0
    for span, hashes in sentences:
        hit = _best_shared(stored, hashes)
        looked += 1
        if hit is not None:
            pairs.append((span, hit))
        if len(pairs) >= STEP_ROWS or (pairs and looked >= STEP_WINDOWS):
            _write_pairs(steps, session, article, pairs, made)
            pairs, looked = [], 0
    _write_pairs(steps, session, article, pairs, made)
    # Plain rows in one executemany a step: an ORM object a run (flushed one by one through the
    # unit of work) cost a tenth of an article's ingest, and nothing reads them back here.
    runs = [{"hash": h, "article_id": article.id, "start": s, "end": e} for h, (s, e) in rows.items()]
    for at in range(0, len(runs), STEP_ROWS * 10):
        # The last stretch is committed with the recount that follows it (steps.finish).
        with steps.write(then_write=at + STEP_ROWS * 10 >= len(runs)):
            driver_insert_many(session, PassageShingle.__table__, runs[at:at + STEP_ROWS * 10])
    return made[0], made[1]


class SharedRun(NamedTuple):
    """The earlier sentence a new one shares runs with: its article, its span, how many runs."""

    article_id: int
    start: int
    end: int
    n: int


def _stored_runs(session: Session, article_id: int, hashes) -> dict[int, list[tuple[int, int, int]]]:
    """hash -> (article, start, end) of every stored run among `hashes` outside this article."""
    if not hashes:
        return {}
    dialect = session.get_bind().dialect.name
    value = json.dumps(sorted(hashes)) if dialect == "sqlite" else sorted(hashes)
    out: dict[int, list[tuple[int, int, int]]] = {}
    for h, other, start, end in driver_rows(session, _RUNS.format(members=MEMBERS[dialect]),
                                            {"hashes": value, "article_id": article_id}):
        out.setdefault(h, []).append((other, start, end))
    return out


def _best_shared(stored: dict, hashes: set[int]) -> SharedRun | None:
    """The stored sentence sharing most of `hashes` (ties: the lowest article id, then start)."""
    counts: dict[tuple[int, int, int], int] = {}
    for h in hashes:
        for key in stored.get(h, ()):
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return None
    key = min(counts, key=lambda k: (-counts[k], k))
    return SharedRun(*key, counts[key])


def _write_pairs(steps: WriteSteps, session: Session, article: Article, pairs: list, made: list[int]) -> None:
    if not pairs:
        return
    with steps.write(recount=True) as touched:
        there = steps.stored_articles(hit.article_id for _, hit in pairs)
        for span, hit in pairs:
            pair = _link_pair(session, article, span, hit) if hit.article_id in there else None
            if pair is not None:
                origin, claim_id = pair
                made[0] += origin == "extracted"
                made[1] += origin == "suggested"
                touched.add(claim_id)


def sentence_runs(text: str, start: int, end: int) -> set[int]:
    """The hashed 8-word runs of text[start:end], as passage_shingles stores them."""
    return {stable_hash(s) for s in shingles(normalize_words(text[start:end]), MIN_SHARED_RUN)}


def passage_rows(text: str, spans) -> dict[int, tuple[int, int]]:
    """hash -> (start, end) of the sentence first holding it: the passage_shingles rows of an
    article whose linked spans are `spans` and that links no copied passage of its own (what
    link_repeated_passages stores for it then; the bulk loader writes these)."""
    taken = _Coverage(len(text), spans)
    rows: dict[int, tuple[int, int]] = {}
    for start, end in matchable_sentences(text):
        if taken.overlaps(start, end) or end - start > MAX_CLAIM_CHARS:
            continue
        for h in sentence_runs(text, start, end):
            rows.setdefault(h, (start, end))
    return rows


def _link_pair(session: Session, article: Article, span: tuple[int, int], hit) -> tuple[str, int] | None:
    """Make the new sentence a claim mentioned in both articles: (origin, claim id), or None."""
    other = session.get(Article, hit.article_id)
    if other is None:
        return None
    origin = "extracted" if other.outlet_id != article.outlet_id else "suggested"
    text = article.text[span[0]:span[1]].strip()
    claim = Claim(text=text, norm_hash=text_hashes(text)[0])
    session.add(claim)
    session.flush()
    index_claim_text(session, claim.id, text)
    added = [add_mention(session, claim, other, hit.start, hit.end, origin=origin, quoted=False),
             add_mention(session, claim, article, *span, origin=origin, quoted=False)]
    return (origin, claim.id) if any(added) else None
