"""How many claims hold each word prefix: the rarity that picks search terms and weighs match
scores.

Why a snapshot in memory: matching asks for the rarity of every stem of every candidate claim,
hundreds a passage. Asking the index each time cost 8 ms a passage at 100,000 claims; a sorted
snapshot of the index's vocabulary answers any prefix with two bisections. The snapshot is taken
again when the table has grown: at once while it is small (the first articles of a story, where
every claim changes the picture), once it has grown by a tenth or SNAPSHOT_TTL seconds have passed
when it is big, so a big store rarely pays for it.
Counts are upper bounds where one row holds two words of a prefix; ranking needs no more.
"""
from __future__ import annotations

import threading
import time
import weakref
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate

from sqlalchemy import event
from sqlalchemy.orm import Session


SNAPSHOT_TTL = 300.0
GROWTH = 0.1
SMALL_STORE = 1_000      # rows: below this a snapshot is taken again on any growth (it is cheap)
BIG_STORE = 10_000       # rows: above this the size is looked at once a second
RECHECK_SECONDS = 1.0
MEMO_MAX = 200_000


@dataclass
class VocabSnapshot:
    terms: list[str]        # sorted the way Python compares strings
    cumulative: list[int]   # cumulative[i] = rows holding terms[:i], summed per term
    total: int              # rows stored when taken (highest id: ids only grow)
    taken: float
    checked: float          # when `total` was last compared with the table

    memo: dict[str, int] = field(default_factory=dict, compare=False)
    weight_memo: dict[str, float] = field(default_factory=dict, compare=False)

    def count(self, prefix: str) -> int:
        """Rows holding a word that starts with `prefix` (a word as the index tokenizes it)."""
        return self._count(prefix)

    def counts(self, prefixes, token) -> dict[str, int]:
        """{prefix: count} for many prefixes at once, each first reduced to an index word by
        `token` (memoized by the prefix as given: `token` must be the same function for a
        snapshot's life). Matching asks for every stem of a dozen claims a passage; a call
        per stem was a tenth of a quote's time."""
        memo, out = self.memo, {}
        if len(memo) >= MEMO_MAX:
            memo = self.memo = {}
        for p in prefixes:
            n = memo.get(p)
            if n is None:
                n = memo[p] = self._count(token(p))
            out[p] = n
        return out

    def _count(self, prefix: str) -> int:
        if not prefix:
            return 0
        lo = bisect_left(self.terms, prefix)
        hi = bisect_left(self.terms, prefix[:-1] + chr(ord(prefix[-1]) + 1), lo)
        return self.cumulative[hi] - self.cumulative[lo]

    def weights(self, prefixes, token, weigh) -> dict[str, float]:
        """{prefix: weigh(count, total)}, memoized like counts: the total is fixed for a
        snapshot's life, so a prefix's weight is too (a log a stem a passage cost a tenth of a
        quote's time)."""
        table = self.weight_table(prefixes, token, weigh)
        return {p: table[p] for p in prefixes}

    def weight_table(self, prefixes, token, weigh) -> Mapping[str, float]:
        """The weights of `prefixes` as weights() works them out, in a mapping that may hold other
        prefixes too: the memo itself, not a copy of its part for these prefixes (that copy was a
        twentieth of an ingest at 100,000 claims). Its values never change for the snapshot's
        life; a full memo is replaced by a new one, never emptied, so a table handed out stays
        whole. Read it, never write to it."""
        memo = self.weight_memo
        if len(memo) >= MEMO_MAX:
            memo = self.weight_memo = {}
        if not isinstance(prefixes, (set, frozenset)):
            prefixes = set(prefixes)
        if not prefixes <= memo.keys():
            missing = [p for p in prefixes if p not in memo]
            for p, n in self.counts(missing, token).items():
                memo[p] = weigh(n, self.total)
        return memo

    def stale(self, total: int, now: float) -> bool:
        """Grown at all while small, by a tenth once big, or at all and older than SNAPSHOT_TTL; a
        store that does not change is never read again."""
        if total <= self.total:
            return False
        return (self.total < SMALL_STORE or total > self.total * (1 + GROWTH)
                or now - self.taken >= SNAPSHOT_TTL)


_SNAPSHOTS: dict[tuple[str, str], VocabSnapshot] = {}
_LOCK = threading.Lock()


def row_total(session, table: str) -> int:
    """Rows ever stored (ids only grow): a B-tree maximum, not a count over the table."""
    return session.connection().exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar_one()


# Row totals remembered within one database transaction: an ingest asks before every candidate
# query and every weighting (tens of thousands of `max(id)` queries for 300 articles, a sixth of
# their time). Inside a transaction only this session adds rows (SQLite: a write transaction sees
# no other writer; PostgreSQL read committed may, as between any two of these queries before), so
# the total is asked again after a flush that inserted into the table, and forgotten at the end.
_TOTALS = "row_totals"


def _session_total(session, table: str) -> int:
    memo = session.info.get(_TOTALS)
    if memo is not None and table in memo:
        return memo[table]
    total = row_total(session, table)
    if _in_transaction(session) or session.info.get(_REMEMBER):
        session.info.setdefault(_TOTALS, {})[table] = total
    return total


# Set by remember_totals: the totals are remembered between commits too, until the next one.
_REMEMBER = "remember_row_totals"


def remember_totals(session) -> None:
    """Remember row totals outside a transaction as well, until the next commit or rollback: for
    an ingest linking in short steps (domain/write_steps.py), whose reads between two commits
    would otherwise each ask again. What another writer adds meanwhile is seen at the next step,
    as a transaction of its own would see it."""
    session.info[_REMEMBER] = True


def _in_transaction(session) -> bool:
    """In a database transaction: sqlite3 opens one only at the first write, and reads before it
    each see the latest commit of any writer."""
    dbapi = session.connection().connection.dbapi_connection
    return bool(getattr(dbapi, "in_transaction", True))


@event.listens_for(Session, "after_flush")
def _forget_grown_totals(session, _context) -> None:
    memo = session.info.get(_TOTALS)
    if memo:
        for obj in session.new:
            memo.pop(getattr(obj, "__tablename__", None), None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget_totals(session, *_args) -> None:
    session.info.pop(_TOTALS, None)
    session.info.pop(_REMEMBER, None)


def _vocabulary_sql(dialect: str, table: str, vocab: str, pg_column: str) -> str:
    if dialect == "postgresql":
        return f"SELECT word, ndoc FROM ts_stat('SELECT {pg_column} FROM {table}')"
    return f"SELECT term, doc FROM {vocab}"


@lru_cache(maxsize=64)
def _url_key(url) -> str:
    """The database's URL as a string (rendering it was a tenth of matching back's weighing)."""
    return str(url)


_BIND_KEYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def bind_key(bind) -> str:
    """_url_key of an engine's URL, remembered by engine: hashing the URL object (its query
    mapping too) for the lru_cache was most of a snapshot lookup's time at 100,000 claims."""
    try:
        return _BIND_KEYS[bind]
    except (KeyError, TypeError):
        key = _url_key(bind.url)
        try:
            _BIND_KEYS[bind] = key
        except TypeError:       # not weakly referable: no memo
            pass
        return key


# Snapshots handed to this process by another (pin_snapshot): a worker process of `claimtracker
# ingest --workers N` scores with the vocabulary its parent holds, never one of its own.
_PINNED: dict[str, VocabSnapshot] = {}


def pin_snapshot(table: str, snap: VocabSnapshot | None) -> None:
    """Use `snap` for `table` on every database in this process from now on (None: stop)."""
    with _LOCK:
        if snap is None:
            _PINNED.pop(table, None)
        else:
            _PINNED[table] = snap


def snapshot_identity(snap: VocabSnapshot) -> tuple[int, float]:
    """What tells two snapshots of one process apart: the rows when taken, and when."""
    return snap.total, snap.taken


def portable(snap: VocabSnapshot) -> VocabSnapshot:
    """The snapshot without its memos, to pickle for another process."""
    return VocabSnapshot(snap.terms, snap.cumulative, snap.total, snap.taken, snap.checked)


def snapshot(session, table: str, vocab: str, pg_column: str) -> VocabSnapshot:
    """The vocabulary of one index, taken again when stale (see module docstring)."""
    if _PINNED:
        pinned = _PINNED.get(table)
        if pinned is not None:
            return pinned
    key, now = (bind_key(session.get_bind()), table), time.monotonic()
    current = _SNAPSHOTS.get(key)
    # A big store grows by a tenth slowly: its size is looked at once a second, not every call.
    if current is not None and current.total >= BIG_STORE and now - current.checked < RECHECK_SECONDS:
        return current
    total = _session_total(session, table)
    if current is not None and not current.stale(total, now):
        current.checked = now
        return current
    # Plain driver tuples, sorted as tuples: sorting SQLAlchemy Rows (their __lt__ in Python) was
    # most of a snapshot's time, and a small store takes one per claim added.
    sql = _vocabulary_sql(session.get_bind().dialect.name, table, vocab, pg_column)
    rows = sorted(tuple(r) for r in session.connection().exec_driver_sql(sql).fetchall())
    fresh = VocabSnapshot([r[0] for r in rows], [0, *accumulate(r[1] for r in rows)], total, now, now)
    with _LOCK:
        _SNAPSHOTS[key] = fresh
    return fresh
