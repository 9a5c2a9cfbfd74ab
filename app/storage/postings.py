"""The claims each search word reaches, kept in memory (SQLite): a matching candidate query ranked
here from the index's own answers, read once a word, instead of by SQLite every time.

Why: at 100,000 claims the candidate query of each sentence window (storage.search.claim_candidates)
was a quarter of an ingest, nearly all of it FTS5 reading the postings of the window's words
(about 560 rows a window, 22,000 an article, about a microsecond each). The words sent are the
rarest of a window, and a story's rare words come back: over 150 generated articles three
quarters of the postings asked for had been asked for before, over 1,000 articles 93 %. So each
word's postings (the ids of the claims the index reaches with it as a word prefix, merged ones
too: liveness is read after the ranking, as the query does it) are kept, and the window's ranking
(the summed weight of the words each claim holds, best first, ties by id) is made here, summing
in the query's order, so the same rows and scores come back.

Kept right: claims are never deleted and their ids only grow, so every use first looks at the
highest claim id the session sees; claims stored since the last look (by this process or another)
drop every kept word any of them may hold as a word prefix (storage.search.NewRows' test, an upper
bound of the index's), which is read again when next asked. A session that sees fewer claims than
the postings were brought up to (a read begun before another's commit) ranks without the ids it
cannot see, and what it reads is kept only when it sees them all. A rollback (a claim id may be
taken again) drops everything, and so does the commit of an edit of a stored claim's words (its
text or its fact-check headline) made in this process. Such an edit made by another process
reaches the lists when the cache is next dropped: every POSTINGS_TTL seconds, as the vocabulary's
counts and weights do (storage.term_counts). PostgreSQL keeps asking its own index (search._pruned).
"""
from __future__ import annotations

import threading
import time
from functools import lru_cache

import numpy as np
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.storage.models import Claim
from app.storage.term_counts import SNAPSHOT_TTL, bind_key

# How long kept postings are trusted at most (see the module docstring), and how many ids are kept
# at most in all (4 bytes each): past it everything is dropped and read again as asked.
POSTINGS_TTL = SNAPSHOT_TTL
MAX_POSTINGS = 20_000_000


# A window whose one or two search words reach more claims than this together is ranked by the
# index's boolean queries (boolean_top) the first time one of those words is asked for, instead of
# reading and keeping their postings (see ranked_rows_many). Measured at 1,000,000 claims: reading a pair
# of words reaching 57,000 and 55,000 claims cost 10.7 ms, its top 12 by AND / NOT queries 4-7 ms;
# 3,600 and 3,600 claims, 1.6 against 1.5 ms (the read then kept for the next asker).
BOOLEAN_REACH = 5_000


class ClaimPostings:
    """One database's kept postings: word (as sent to the index, e.g. 'harbour') -> sorted
    claim ids, current up to claim id `since`; `asked`: words of a wide reach ranked once by
    boolean_top and not read (read and kept when asked again)."""

    def __init__(self, since: int, now: float) -> None:
        self.since, self.born = since, now
        self.rows: dict[str, np.ndarray] = {}
        self.by_folded: dict[str, list[str]] = {}   # folded word -> the kept words folding to it
        self.size = 0
        self.asked: set[str] = set()

    def keep(self, term: str, ids: np.ndarray, folded: str) -> None:
        self.rows[term] = ids
        self.by_folded.setdefault(folded, []).append(term)
        self.size += len(ids)

    def forget_held(self, words) -> None:
        """Drop every kept word that is a prefix of one of `words` (folded index words)."""
        for word in words:
            for k in range(1, len(word) + 1):
                for term in self.by_folded.pop(word[:k], ()):
                    ids = self.rows.pop(term, None)
                    if ids is not None:
                        self.size -= len(ids)


_KEPT: dict[str, ClaimPostings] = {}
_LOCK = threading.Lock()


def kept_postings(session: Session, new_words) -> tuple[ClaimPostings, int]:
    """The database's kept postings, brought up to the highest claim id this session sees, and
    that id: `new_words(rows)` gives the folded index words of (text, review_title) rows
    (search.NewRows' cutting). A session may see less than the postings hold (a read begun
    before another session's commit): ranked_rows_many leaves out what it cannot see."""
    key, now = bind_key(session.get_bind()), time.monotonic()
    cursor = session.connection().connection.cursor()   # the driver's: this runs once a window
    try:
        total = cursor.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]
    finally:
        cursor.close()
    with _LOCK:
        kept = _KEPT.get(key)
        if kept is None or now - kept.born >= POSTINGS_TTL or kept.size > MAX_POSTINGS:
            kept = _KEPT[key] = ClaimPostings(total, now)
            return kept, total
        since = kept.since
    if total > since:
        rows = session.execute(select(Claim.text, Claim.review_title).where(Claim.id > since)).all()
        words = new_words(rows)
        with _LOCK:
            kept.forget_held(words)
            kept.since = max(kept.since, total)
    return kept, total


def ranked_rows_many(session: Session, asks: list[tuple[list[str], list[float], int]], limit: int,
                     folded) -> list[list[tuple[int, float]]]:
    """For each (terms, weights, reach) of `asks` (the windows of an article): (claim id, summed
    weight) of the `limit` best claims holding any of `terms` as a word prefix (merged ones too),
    best first, ties by id: the ranked part of search._ranked_sql for SQLite, the sums made in the
    same order (term by term), so they are the same floats. `folded(term)`: the term as NewRows
    compares it. `reach`: how many claims the terms reach together by the vocabulary's counts.
    Read together: the highest claim id looked at once, the postings of every word not kept yet
    read in one statement (a few), and the lists ranked in one pass; each list is the one the
    list would get alone.

    Postings not kept yet are read from the index and kept, unless a list has one or two terms
    reaching over BOOLEAN_REACH claims and one of those not kept was never asked for before: the
    index then answers that list's top itself (boolean_top) and nothing is read for it. Only a
    window of common words sends so few terms so wide (search._telling_terms sends at least two,
    then stops at its budget of reach), and at a million claims most such words came once: reading
    them was 8 % of an ingest's time there. A word asked for again is read and kept as any other."""
    from app.storage.search import NewRows   # noqa: PLC0415  (search imports this module)

    session.flush()       # the index (and the highest id) must hold the claims this transaction added
    kept, total = kept_postings(session, lambda rows: NewRows(rows).words)
    found: dict[str, np.ndarray] = {}
    reading: dict[str, None] = {}    # words to read, in the order first asked
    wide: list[int] = []
    with _LOCK:
        for i, (terms, _, reach) in enumerate(asks):
            for t in terms:
                if t not in found and (ids := kept.rows.get(t)) is not None:
                    found[t] = ids
            missing = [t for t in terms if t not in found and t not in reading]
            first_time = [t for t in missing if t not in kept.asked]
            if len(terms) <= 2 and reach > BOOLEAN_REACH and first_time:
                kept.asked.update(first_time)
                wide.append(i)
            else:
                reading.update(dict.fromkeys(missing))
    if reading:
        found |= _read_postings(session, list(reading))
        with _LOCK:
            if kept.since == total:       # read as the postings stand: kept for the next asker
                for term in reading:
                    kept.keep(term, found[term], folded(term))
    out: list[list[tuple[int, float]]] = [[] for _ in asks]
    for i in wide:
        out[i] = boolean_top(session, *asks[i][:2], limit)
    narrow = sorted(set(range(len(asks))) - set(wide))
    arrays, each, owner = [], [], []
    for i in narrow:
        terms, weights, _ = asks[i]
        for t, w in zip(terms, weights):
            a = found[t]
            if total < kept.since:      # kept from a later view than this session's: its newer claims out
                a = a[a <= total]
            if len(a):
                arrays.append(a)
                each.append(w)
                owner.append(i)
    if not arrays:
        return out
    sizes = [len(a) for a in arrays]
    # one key a (list, claim): the list's index in the high bits, the claim id in the low ones
    bits = max(total, kept.since, 1).bit_length()
    keys = (np.repeat(np.asarray(owner, dtype=np.int64), sizes) << bits) | np.concatenate(arrays).astype(np.int64)
    # A stable sort (the keys are runs already sorted: a term's ids) keeps a key's entries in
    # input order, list by list and term by term, so each sum is made as a list's alone.
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    uniq = ordered[first]
    sums = np.bincount(np.cumsum(first) - 1, weights=np.repeat(np.asarray(each, dtype=np.float64), sizes)[order],
                       minlength=len(uniq))
    lists, claims = uniq >> bits, uniq & ((1 << bits) - 1)
    owners = np.asarray(list(dict.fromkeys(owner)), dtype=np.int64)
    for i, start, end in zip(owners.tolist(), np.searchsorted(lists, owners, "left").tolist(),
                             np.searchsorted(lists, owners, "right").tolist()):
        part, ids = sums[start:end], claims[start:end]
        if end - start > limit:    # only those reaching the limit-th best sum (ties with it too) sorted
            bar = np.partition(part, end - start - limit)[end - start - limit]
            pick = np.flatnonzero(part >= bar)
            best = pick[np.lexsort((ids[pick], -part[pick]))][:limit]
        else:
            best = np.lexsort((ids, -part))
        out[i] = [(int(c), float(v)) for c, v in zip(ids[best], part[best])]
    return out


# Words a statement reading postings asks for at most (SQLite's compound SELECT holds 500 at most).
_READ_CHUNK = 200


def _read_postings(session: Session, words: list[str]) -> dict[str, np.ndarray]:
    """Each word's sorted claim ids, from the index, a statement for up to _READ_CHUNK words, one
    string of ids a word: a row a claim cost the driver and the list twice the index's own time (a
    word reaches ~350 claims at 100k)."""
    out = {}
    cursor = session.connection().connection.cursor()
    try:
        for at in range(0, len(words), _READ_CHUNK):
            chunk = words[at:at + _READ_CHUNK]
            listed = dict(cursor.execute(_postings_sql(len(chunk)), [f'"{t}"*' for t in chunk]).fetchall())
            for i, term in enumerate(chunk):
                text = listed.get(i)
                ids = np.fromstring(text, dtype=np.int64, sep=" ") if text else np.empty(0, dtype=np.int64)
                ids.sort()
                out[term] = ids.astype(np.int32) if len(ids) and ids[-1] < 2**31 else ids
    finally:
        cursor.close()
    return out


def boolean_top(session: Session, terms: list[str], weights: list[float], limit: int) -> list[tuple[int, float]]:
    """ranked_rows_many's list for one or two terms, from the index's boolean queries in its own id order,
    each stopped at `limit` rows: the claims holding both words score both weights and come first
    (AND), then those holding one (NOT the other), by weight, ties by id. The sums are made as
    ranked_rows_many makes them (0.0, then each weight in the terms' order), so the same floats."""
    if len(terms) not in (1, 2):
        raise ValueError("boolean_top ranks one or two terms")
    query = [f'"{t}"*' for t in terms]
    cursor = session.connection().connection.cursor()

    def ids(match: str, n: int) -> list[int]:
        return [r[0] for r in cursor.execute(_BOOLEAN_SQL, (match, n)).fetchall()]
    try:
        if len(terms) == 1:
            return [(i, 0.0 + weights[0]) for i in ids(query[0], limit)]
        both = [(i, 0.0 + weights[0] + weights[1]) for i in ids(f"{query[0]} AND {query[1]}", limit)]
        rest = limit - len(both)
        if rest <= 0:
            return both
        one = ([(i, 0.0 + weights[0]) for i in ids(f"{query[0]} NOT {query[1]}", rest)]
               + [(i, 0.0 + weights[1]) for i in ids(f"{query[1]} NOT {query[0]}", rest)])
    finally:
        cursor.close()
    # weights are positive (pipeline.matching.idf), so the pairs outrank the rest; sorted all the same
    return sorted(both + one, key=lambda r: (-r[1], r[0]))[:limit]


_BOOLEAN_SQL = "SELECT rowid FROM claims_fts WHERE claims_fts MATCH ? ORDER BY rowid LIMIT ?"


@lru_cache(maxsize=64)
def _postings_sql(n: int) -> str:
    return " UNION ALL ".join(f"SELECT {i}, (SELECT group_concat(rowid, ' ') FROM claims_fts WHERE claims_fts MATCH ?)"
                              for i in range(n))


@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_all(session, *_args) -> None:
    """A rolled-back claim's id may be taken again by another claim: nothing kept is trusted."""
    _clear()


#: The Claim columns the full-text index reads: an edit of either changes what a word reaches.
_INDEXED = ("text", "review_title")


@event.listens_for(Session, "before_flush")
def _note_edits(session, *_args) -> None:
    """An edited claim's words (an analyst's new wording, an imported headline): what is kept is
    dropped now, for this session's own next ranking, and again at the commit, for what another
    session kept meanwhile from the words before it (the old words' lists still hold the claim,
    the new words' miss it)."""
    for obj in session.dirty:
        if isinstance(obj, Claim) and any(inspect(obj).attrs[c].history.has_changes() for c in _INDEXED):
            session.info["claim_words_edited"] = True
            _clear()
            return


@event.listens_for(Session, "after_commit")
def _forget_edited(session) -> None:
    if session.info.pop("claim_words_edited", False):
        _clear()


def _clear() -> None:
    if _KEPT:
        with _LOCK:
            _KEPT.clear()
