"""Claim vectors: sentence embeddings stored beside the claims, and the nearest claims to a text.

Why stored: the full-text index only finds claims that share words with a passage; a post saying
"Muslims should be forced to carry special IDs" shares almost none with the fact-checked "Donald
Trump stated that Muslims should be made to wear identifying badges". Embedding every candidate on
each query would cost more than the whole lexical path, so a claim is embedded once (when it is
created with embeddings on, or by `claimtracker embed`) and searched.

The search is in two steps, the same on SQLite and PostgreSQL. Each vector is also stored as its
sign bits (`claim_vectors.code`, 48 bytes for 384 dimensions); a process keeps those codes in one
numpy array (48 MB at a million claims, where the float matrix held before took 1.5 GB) and ranks
every claim by Hamming distance to the query's code, then reads the float vectors of the best
RERANK of them from the table and ranks those by their exact cosine. The cosines returned are
exact; only a claim whose code ranks it outside the shortlist is missed (recall@10 against exact
search: bench/vectors.py). Why not sqlite-vec or pgvector: pgvector cannot be installed here, and
sqlite-vec 0.1.6's vec0 scans every row too (no approximate index yet), so it would add a native
extension that must load on SQLite only without searching fewer rows.

The codes array follows this process's own writes at once (store_vectors, drop_vector), other
processes' new ids every RECHECK_SECONDS (the covering index's last entry) and rows removed or
rewritten under older ids every RECOUNT_SECONDS (a count). A claim deleted, edited or never
committed can still be in the array, but never in an answer: the re-ranking reads the float
vectors from the table, and a row that is not there is dropped.
"""
from __future__ import annotations

import functools
import threading
import time
import weakref

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.storage.models import Claim, ClaimVector

EMBED_BATCH = 128


def _as_bytes(vector) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype=np.float32).tobytes()


def vector_code(vector) -> bytes:
    """A vector's sign bits, packed: 48 bytes for 384 dimensions, the compact index's entry."""
    import numpy as np

    return np.packbits(np.asarray(vector, dtype=np.float32) > 0).tobytes()


def store_vectors(session: Session, embedder, model: str, claims: list[tuple[int, str]]) -> int:
    """Embed and store the given (id, text) claims under `model`; the caller commits."""
    if not claims:
        return 0
    vectors = embedder.encode([text for _, text in claims])
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id.in_([cid for cid, _ in claims])))
    session.add_all(ClaimVector(claim_id=cid, model=model, vector=_as_bytes(v), code=vector_code(v))
                    for (cid, _), v in zip(claims, vectors))
    session.flush()
    _note_stored(session, model, [cid for cid, _ in claims], vectors)
    return len(claims)


def claims_without_vector(session: Session, model: str, limit: int) -> list[tuple[int, str]]:
    """Live claims with no vector from `model` (new since embeddings were switched on, or edited)."""
    have = select(ClaimVector.claim_id).where(ClaimVector.model == model)
    rows = session.execute(select(Claim.id, Claim.text)
                           .where(Claim.merged_into_id.is_(None), Claim.id.not_in(have))
                           .order_by(Claim.id).limit(limit))
    return [(cid, text) for cid, text in rows]


def embed_missing(session: Session, embedder, model: str, limit: int | None = None,
                  batch: int = EMBED_BATCH) -> int:
    """Embed every live claim that lacks a vector, a batch at a time, committing each batch (and
    store the index codes the vectors stored before them lack)."""
    index_missing_codes(session, model)
    done = 0
    while limit is None or done < limit:
        todo = claims_without_vector(session, model, batch if limit is None else min(batch, limit - done))
        if not todo:
            break
        done += store_vectors(session, embedder, model, todo)
        session.commit()
    return done


def drop_vector(session: Session, claim_id: int) -> None:
    """A claim's text changed: its vector no longer says what it says."""
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id == claim_id))
    for index in _INDEXES.get(_engine(session), {}).values():
        index.drop([claim_id])


def index_missing_codes(session: Session, model: str, batch: int = 2000) -> int:
    """Store the codes of vectors stored before the codes were (NULL), committing each batch:
    `claimtracker embed` builds the persistent index this way. Until then a loading index
    computes them itself."""
    import numpy as np

    done = 0
    while True:
        rows = session.execute(select(ClaimVector.claim_id, ClaimVector.vector)
                               .where(ClaimVector.model == model, ClaimVector.code.is_(None))
                               .order_by(ClaimVector.claim_id).limit(batch)).all()
        if not rows:
            return done
        session.execute(update(ClaimVector), [
            {"claim_id": cid, "code": vector_code(np.frombuffer(blob, dtype=np.float32))} for cid, blob in rows])
        session.commit()
        done += len(rows)


# How many claims the Hamming step passes to the exact re-ranking: k * RERANK_FACTOR, at least
# RERANK_MIN. On the CheckThat! pools (8-10k claims, their dev tweets as queries) the shortlist
# holds 98 % of the exact top 12 at 400 (95 % at 200) and 99 % of the top 60 at 1,200 (95 % at 600).
RERANK_FACTOR = 20
RERANK_MIN = 400
# How often a process looks for vectors written by others (its own writes it sees at once): new
# ids (the index's last entry), and rows gone or rewritten under older ids (a count of every row).
RECHECK_SECONDS = 2.0
RECOUNT_SECONDS = 60.0
_LOAD_PAGE = 20_000
_SCAN_CHUNK = 65_536


class _CodeIndex:
    """One model's codes in one process: ids (-1 for a dropped row) and the sign bits as 64-bit
    words, one array per word (column by column: the scan reads each word of every claim in one
    pass), with spare room at the end so that appending a claim does not copy the whole index."""

    def __init__(self) -> None:
        import numpy as np

        self.ids = np.zeros(0, dtype=np.int64)
        self.words = np.zeros((0, 0), dtype=np.uint64)
        self.n = 0          # rows used
        self.live = 0       # rows whose id is not -1
        self.last_id = 0    # the highest id read or appended
        self.loaded = False
        self.checked = self.counted = float("-inf")
        self.lock = threading.Lock()

    def reset(self) -> None:
        self.__init__()
        self.loaded = True

    def append(self, ids, codes) -> None:
        """Add (ids, packed codes as bytes rows); the caller holds the lock."""
        import numpy as np

        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return
        words = _as_words(np.asarray(codes, dtype=np.uint8).reshape(len(ids), -1))
        need = self.n + len(ids)
        if need > len(self.ids) or self.words.shape[0] != words.shape[1]:
            room = max(need, int(len(self.ids) * 1.25) + 1024)
            grown_ids = np.full(room, -1, dtype=np.int64)
            grown_words = np.zeros((words.shape[1], room), dtype=np.uint64)
            grown_ids[:self.n] = self.ids[:self.n]
            if self.n:
                grown_words[:, :self.n] = self.words[:, :self.n]
            self.ids, self.words = grown_ids, grown_words
        self.ids[self.n:need] = ids
        self.words[:, self.n:need] = words.T
        self.n = need
        self.live += len(ids)
        self.last_id = max(self.last_id, int(ids.max()))

    def drop(self, claim_ids) -> None:
        import numpy as np

        with self.lock:
            if not self.n:
                return
            hit = np.isin(self.ids[:self.n], np.asarray(list(claim_ids), dtype=np.int64))
            self.ids[:self.n][hit] = -1
            self.live -= int(hit.sum())

    def nearest_ids(self, query_code: bytes, count: int) -> list[int]:
        """Ids of the `count` codes nearest to `query_code` by Hamming distance (all when fewer)."""
        import numpy as np

        with self.lock:
            n, ids, words = self.n, self.ids[:self.n], self.words[:, :self.n]
        if n <= count:
            return [int(i) for i in ids if i >= 0]
        query = _as_words(np.frombuffer(query_code, dtype=np.uint8).reshape(1, -1))[0]
        dist = np.zeros(n, dtype=np.uint16)
        for at in range(0, n, _SCAN_CHUNK):
            part = dist[at:at + _SCAN_CHUNK]
            for word, q in zip(words, query):
                part += _popcount(np.bitwise_xor(word[at:at + _SCAN_CHUNK], q))
        far = len(words) * 64 + 1
        dist[ids < 0] = far
        # the smallest radius holding `count` codes, then those inside it and enough on its edge
        radius = int(np.searchsorted(np.cumsum(np.bincount(dist, minlength=far + 1)), count))
        inside = np.flatnonzero(dist < radius)
        edge = np.flatnonzero(dist == radius)[:count - len(inside)]
        return [int(i) for i in ids[np.concatenate([inside, edge])] if i >= 0]


def _as_words(codes):
    """Packed code rows (uint8) as rows of 64-bit words, zero-padded to a whole word."""
    import numpy as np

    pad = -codes.shape[1] % 8
    if pad:
        codes = np.hstack([codes, np.zeros((len(codes), pad), dtype=np.uint8)])
    return np.ascontiguousarray(codes).view(np.uint64)


def _popcount(words):
    """Bits set in each 64-bit word."""
    import numpy as np

    if hasattr(np, "bitwise_count"):   # numpy 2
        return np.bitwise_count(words)
    return _byte_bits()[words.view(np.uint8)].reshape(len(words), 8).sum(axis=1, dtype=np.uint8)


@functools.cache
def _byte_bits():
    import numpy as np

    return np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)


# Per engine (a test or an app has its own; two schemas behind one URL must not share) and model.
_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _engine(session: Session):
    bind = session.get_bind()
    return getattr(bind, "engine", bind)


def _index(session: Session, model: str) -> _CodeIndex:
    """The model's code index: read whole the first time, topped up with the rows stored under
    newer ids every RECHECK_SECONDS, and read again whole when a count every RECOUNT_SECONDS
    finds rows gone (or written under older ids) behind this process's back."""
    index = _INDEXES.setdefault(_engine(session), {}).setdefault(model, _CodeIndex())
    now = time.monotonic()
    if index.loaded and now - index.checked < RECHECK_SECONDS:
        return index
    recount = not index.loaded or now - index.counted >= RECOUNT_SECONDS
    # counted before taking the lock: a second at a million rows, while other threads search
    count = session.scalar(select(func.count()).select_from(ClaimVector)
                           .where(ClaimVector.model == model)) if recount else None
    with index.lock:
        if recount:
            if not index.loaded or count != index.live + _newer_rows(session, model, index.last_id):
                index.reset()
            index.counted = now
        last = session.scalar(select(ClaimVector.claim_id).where(ClaimVector.model == model)   # the index's end
                              .order_by(ClaimVector.claim_id.desc()).limit(1)) or 0
        if last > index.last_id:
            _read_codes(session, model, index)
        index.checked = now
    return index


def _read_codes(session: Session, model: str, index: _CodeIndex) -> None:
    """Append the codes stored after index.last_id, a page at a time (the codes a vector stored
    before them lacks are computed from it)."""
    import numpy as np

    after = index.last_id
    while True:
        rows = session.execute(select(ClaimVector.claim_id, ClaimVector.code)
                               .where(ClaimVector.model == model, ClaimVector.claim_id > after)
                               .order_by(ClaimVector.claim_id).limit(_LOAD_PAGE)).all()
        if not rows:
            return
        missing = [cid for cid, code in rows if code is None]
        computed = {cid: vector_code(v) for cid, v in stored_vectors(session, model, missing).items()}
        ids = [cid for cid, code in rows if code is not None or cid in computed]
        codes = [code if code is not None else computed[cid] for cid, code in rows
                 if code is not None or cid in computed]
        if ids:
            index.append(ids, np.frombuffer(b"".join(codes), dtype=np.uint8))
        after = rows[-1][0]


def _newer_rows(session: Session, model: str, last: int) -> int:
    return session.scalar(select(func.count()).select_from(ClaimVector)
                          .where(ClaimVector.model == model, ClaimVector.claim_id > last)) or 0


def _note_stored(session: Session, model: str, ids: list[int], vectors) -> None:
    """This process stored these vectors: a loaded index takes them in at once."""
    import numpy as np

    index = _INDEXES.get(_engine(session), {}).get(model)
    if index is None or not index.loaded:
        return
    index.drop(ids)
    with index.lock:
        index.append(ids, np.packbits(np.asarray(vectors, dtype=np.float32) > 0, axis=1))


def nearest_claims(session: Session, model: str, query_vector, k: int) -> list[tuple[int, float]]:
    """(claim id, cosine) of the k stored vectors closest to `query_vector`, best first: the
    RERANK nearest by their codes, ranked by their exact cosine. Merged claims may be among them;
    the caller keeps the live ones."""
    import numpy as np

    if k <= 0:
        return []
    query = np.asarray(query_vector, dtype=np.float32)
    shortlist = _index(session, model).nearest_ids(vector_code(query), max(RERANK_MIN, k * RERANK_FACTOR))
    sims = [(cid, float(vector @ query)) for cid, vector in stored_vectors(session, model, shortlist).items()]
    sims.sort(key=lambda hit: (-hit[1], hit[0]))
    return sims[:k]


def stored_vectors(session: Session, model: str, claim_ids: list[int]) -> dict[int, object]:
    """claim id -> its stored vector (numpy), for the candidates that have one."""
    import numpy as np

    if not claim_ids:
        return {}
    rows = session.execute(select(ClaimVector.claim_id, ClaimVector.vector)
                           .where(ClaimVector.model == model, ClaimVector.claim_id.in_(claim_ids)))
    return {cid: np.frombuffer(blob, dtype=np.float32) for cid, blob in rows}
