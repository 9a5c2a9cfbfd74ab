"""Claim vectors: sentence embeddings stored beside the claims, and the nearest claims to a text.

Why stored: the full-text index only finds claims that share words with a passage; a post saying
"Muslims should be forced to carry special IDs" shares almost none with the fact-checked "Donald
Trump stated that Muslims should be made to wear identifying badges". Embedding every candidate on
each query would cost more than the whole lexical path, so a claim is embedded once (when it is
created with embeddings on, or by `claimtracker embed`) and searched by one matrix product.

The search is exact (every vector compared) over a float32 matrix kept per process and per model,
topped up from the rows added since it was read: about 150 MB and a few milliseconds a query at
100,000 claims. A larger store wants an approximate index (sqlite-vec, pgvector) behind the same
`nearest_claims`.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.storage.models import Claim, ClaimVector

EMBED_BATCH = 128


def _as_bytes(vector) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype=np.float32).tobytes()


def store_vectors(session: Session, embedder, model: str, claims: list[tuple[int, str]]) -> int:
    """Embed and store the given (id, text) claims under `model`; the caller commits."""
    if not claims:
        return 0
    vectors = embedder.encode([text for _, text in claims])
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id.in_([cid for cid, _ in claims])))
    session.add_all(ClaimVector(claim_id=cid, model=model, vector=_as_bytes(v))
                    for (cid, _), v in zip(claims, vectors))
    session.flush()
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
    """Embed every live claim that lacks a vector, a batch at a time, committing each batch."""
    done = 0
    while limit is None or done < limit:
        todo = claims_without_vector(session, model, batch if limit is None else min(batch, limit - done))
        if not todo:
            break
        done += store_vectors(session, embedder, model, todo)
        session.commit()
    return done


def drop_vector(session: Session, claim_id: int) -> None:
    """A claim's text changed: its vector no longer says what it says. The matrices this process
    holds are read again (a new vector under the same id would not change their row count)."""
    session.execute(delete(ClaimVector).where(ClaimVector.claim_id == claim_id))
    _MATRICES.clear()


@dataclass
class _Matrix:
    ids: list[int] = field(default_factory=list)
    rows: list = field(default_factory=list)       # float32 arrays, one per claim, then stacked
    stacked: object = None
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


# Per engine (a test or an app has its own; two schemas behind one URL must not share) and model.
_MATRICES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _matrix(session: Session, model: str) -> _Matrix:
    """The model's vectors as one matrix, read again whole when rows went away (an edit, a merge,
    a delete) and topped up with the new rows otherwise."""
    import numpy as np

    bind = session.get_bind()
    per_model = _MATRICES.setdefault(getattr(bind, "engine", bind), {})
    m = per_model.setdefault(model, _Matrix())
    count = session.scalar(select(func.count()).select_from(ClaimVector).where(ClaimVector.model == model))
    with m.lock:
        if count == m.count and m.stacked is not None:
            return m
        last = max(m.ids, default=0)
        stale = count < m.count + _newer_rows(session, model, last)
        if stale:
            m.ids, m.rows, last = [], [], 0
        for cid, blob in session.execute(select(ClaimVector.claim_id, ClaimVector.vector)
                                         .where(ClaimVector.model == model, ClaimVector.claim_id > last)
                                         .order_by(ClaimVector.claim_id)):
            m.ids.append(cid)
            m.rows.append(np.frombuffer(blob, dtype=np.float32))
        m.stacked = np.vstack(m.rows) if m.rows else np.zeros((0, 1), dtype=np.float32)
        m.count = len(m.ids)
    return m


def _newer_rows(session: Session, model: str, last: int) -> int:
    return session.scalar(select(func.count()).select_from(ClaimVector)
                          .where(ClaimVector.model == model, ClaimVector.claim_id > last)) or 0


def nearest_claims(session: Session, model: str, query_vector, k: int) -> list[tuple[int, float]]:
    """(claim id, cosine) of the k stored vectors closest to `query_vector`, best first. Merged
    claims may be among them; the caller keeps the live ones."""
    import numpy as np

    m = _matrix(session, model)
    if not m.ids or k <= 0:
        return []
    sims = m.stacked @ np.asarray(query_vector, dtype=np.float32)
    k = min(k, len(m.ids))
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top], kind="stable")]
    return [(m.ids[i], float(sims[i])) for i in top]


def stored_vectors(session: Session, model: str, claim_ids: list[int]) -> dict[int, object]:
    """claim id -> its stored vector (numpy), for the candidates that have one."""
    import numpy as np

    if not claim_ids:
        return {}
    rows = session.execute(select(ClaimVector.claim_id, ClaimVector.vector)
                           .where(ClaimVector.model == model, ClaimVector.claim_id.in_(claim_ids)))
    return {cid: np.frombuffer(blob, dtype=np.float32) for cid, blob in rows}
