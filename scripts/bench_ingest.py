"""Benchmark: quote extraction speed (MB of text per second, one core) and end-to-end ingest speed
(articles per second into a fresh SQLite file). Prints the figures; asserts nothing.

    .venv/bin/python scripts/bench_ingest.py [--articles 500]
    .venv/bin/python scripts/bench_ingest.py --workers 1,2,4 --articles 100 --store STORE.db \
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/DB]

Articles are generated here from a few templates so the run needs no data from outside the repo.
`--workers`: articles/s of `claimtracker ingest --workers N` (domain.ingest.ingest_items) for each
N, into a copy of `--store` (a SQLite store, e.g. one bench.scale built; the articles are then
written in its vocabulary and speakers by bench.scale_gen.ingest_articles) or into an empty store;
with `--postgres`, also into that PostgreSQL database, whose public schema is DROPPED and refilled
with a copy of the store (claimtracker db copy) before each N: give it a database of its own.
Each line also gives the CPU seconds of all the processes an article (the figure to compare on a
busy machine), those of the linking process alone (what bounds the rate with enough cores), and how
many windows, statements and matchings back the linking took from the workers or did again
(domain.matching.READY_WINDOWS)."""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.articles import ArticleInput, ingest_article  # noqa: E402
from app.pipeline.quotes import extract_quotes  # noqa: E402
from app.storage.engine import make_engine, make_sessionmaker  # noqa: E402
from app.storage.migrate import upgrade  # noqa: E402

PEOPLE = ["Mirela Dunst", "Oskar Lind", "Ana Pires", "Tomas Vey", "Priya Raman", "Jonas Berg"]
ROLES = ["harbour master", "council spokesperson", "chief inspector", "transport minister"]
NOUNS = ["pier", "bridge", "dam", "rail line", "school", "hospital", "airport", "market"]
VERBS = ["close", "repair", "inspect", "expand", "rebuild", "fund", "reopen", "review"]


def statement(rng: random.Random) -> str:
    return (f"The authority will {rng.choice(VERBS)} the {rng.choice(NOUNS)} in {rng.choice(NOUNS)} "
            f"district number {rng.randint(1, 400)} before the end of {rng.choice(['spring', 'summer', 'autumn', 'winter'])}")


def article(rng: random.Random, i: int) -> str:
    who, role = rng.choice(PEOPLE), rng.choice(ROLES)
    paras = [f"Report {i}: plans for the {rng.choice(NOUNS)}", "Officials met on Tuesday to agree the plan."]
    for _ in range(rng.randint(2, 5)):
        paras.append(f"“{statement(rng)},” {role} {who} said at a briefing on day {rng.randint(1, 28)}.")
        paras.append(f"{who.split()[-1]} added that residents would be told. “{statement(rng)},” she said.")
        paras.append("Local traders said they were worried about the cost and the delays it would bring.")
    return "\n\n".join(paras) + "\n"


def workers_figures(args) -> None:
    """One line per (engine, N): the batch ingest's articles/s with N worker processes."""
    import shutil
    import sqlite3

    from sqlalchemy import text

    from app.domain.ingest import BatchItem, ingest_items
    from app.domain.matching import READY_WINDOWS, MatchConfig
    from app.storage.copy import copy_database

    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "store.db"
        if args.store:
            con = sqlite3.connect(args.store)
            target = sqlite3.connect(base)
            con.backup(target)
            stored = con.execute("SELECT c.text, s.name FROM claims AS c JOIN speakers AS s ON s.id = c.speaker_id "
                                 "ORDER BY c.id DESC LIMIT 200").fetchall()
            claims = con.execute("SELECT count(*) FROM claims").fetchone()[0]
            target.close()
            con.close()
            from bench.scale_gen import ingest_articles
            texts = ingest_articles(claims, stored, args.articles)
        else:
            rng = random.Random(7)
            texts = [article(rng, i) for i in range(args.articles)]
        upgrade(f"sqlite:///{base}")
        items = [BatchItem(f"a{i}.txt", {"outlet": f"Bench Wire {i % 5}"}, data=t.encode("utf-8"))
                 for i, t in enumerate(texts)]
        runs = [("sqlite", None)] + ([("postgresql", args.postgres)] if args.postgres else [])
        for engine_name, pg_url in runs:
            for n in counts:
                copy = Path(tmp) / f"run-{n}.db"
                shutil.copy(base, copy)
                url = f"sqlite:///{copy}"
                if pg_url:
                    admin = make_engine(pg_url)
                    with admin.begin() as conn:
                        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                        conn.execute(text("CREATE SCHEMA public"))
                    admin.dispose()
                    copy_database(url, pg_url)
                    url = pg_url
                engine = make_engine(url, batch=True)   # as `claimtracker ingest`
                load0 = open("/proc/loadavg").read().split()[0]
                READY_WINDOWS.clear()
                t0, cpu0, own0 = time.perf_counter(), _cpu_seconds(), time.process_time()
                with make_sessionmaker(engine)() as session:
                    results = ingest_items(session, items, "bench", 2 * 1024 * 1024, None,
                                           MatchConfig(), workers=n)
                dt, cpu, own = time.perf_counter() - t0, _cpu_seconds() - cpu0, time.process_time() - own0
                engine.dispose()
                copy.unlink()
                added = sum(r.status == "added" for r in results)
                print(f"ingest --workers {n} ({engine_name}): {added} articles in {dt:.1f} s = "
                      f"{added / dt:.2f} articles/s ({sum(r.new_claims for r in results)} new claims, "
                      f"{sum(r.mentions for r in results)} mentions; load average {load0}); CPU of all "
                      f"processes {cpu:.1f} s = {cpu / max(added, 1) * 1000:.0f} ms an article (the linking process "
                      f"{own / max(added, 1) * 1000:.0f} ms); windows "
                      f"scored ahead: {dict(READY_WINDOWS) or 'none'}", flush=True)


def _cpu_seconds() -> float:
    """CPU of this process and its finished children (the worker pools, once shut down)."""
    import os
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--workers", help="comma-separated worker counts, e.g. 1,2,4")
    parser.add_argument("--store", type=Path, help="SQLite store to ingest into (a copy); default: empty")
    parser.add_argument("--postgres", help="PostgreSQL URL of a database of its own (its public schema is replaced)")
    args = parser.parse_args()
    if args.workers:
        workers_figures(args)
        return
    rng = random.Random(7)
    texts = [article(rng, i) for i in range(args.articles)]
    size = sum(len(t.encode("utf-8")) for t in texts)

    t0 = time.perf_counter()
    quotes = sum(len(extract_quotes(t)) for t in texts)
    dt = time.perf_counter() - t0
    print(f"extraction: {size / 1e6:.2f} MB, {quotes} quotes in {dt:.2f} s = {size / 1e6 / dt:.2f} MB/s")

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        upgrade(url)
        engine = make_engine(url)
        t0, cpu0 = time.perf_counter(), time.process_time()
        with make_sessionmaker(engine)() as session:
            for i, text in enumerate(texts):
                ingest_article(session, ArticleInput(text=text, outlet=f"Outlet {i % 20}"), "bench")
                session.commit()
        dt, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        engine.dispose()
    print(f"ingest (SQLite, one commit per article): {len(texts)} articles in {dt:.2f} s = "
          f"{len(texts) / dt:.1f} articles/s, {quotes / dt:.0f} quotes/s; {cpu:.2f} s CPU = "
          f"{len(texts) / cpu:.1f} articles/s of CPU (the figure to compare on a busy machine)")


if __name__ == "__main__":
    main()
