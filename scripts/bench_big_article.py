"""Benchmark: one long article (N quotations) ingested into a fresh SQLite store that already holds
a few ordinary articles. Prints seconds for each size asked, and how long the ingest kept other
writers waiting; asserts nothing.

    .venv/bin/python scripts/bench_big_article.py [--quotes 1000 5000 20000] [--database-url URL]

Two figures say how long the ingest held the write lock: the longest write transaction of the
ingest (from its first INSERT/UPDATE/DELETE to its commit: on SQLite the span it holds the
database's one write lock), and the longest wait of a second writer that updates one row in a
loop from another process while the ingest runs (what a login or an edit behind the ingest would
wait).

The article is generated here from a template of its own (numbered statements by a handful of
speakers, a few of them said twice, with narration between them), so the run needs no data from
outside the repository. `--profile FILE` writes a cProfile of the largest run."""
from __future__ import annotations

import argparse
import cProfile
import random
import sys
import multiprocessing
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.articles import ArticleInput, ingest_and_commit  # noqa: E402
from app.domain.matching import MatchConfig  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

from app.storage.engine import make_engine, make_sessionmaker  # noqa: E402
from app.storage.migrate import upgrade  # noqa: E402

PEOPLE = ["Mirela Dunst", "Oskar Lind", "Ana Pires", "Tomas Vey", "Priya Raman", "Jonas Berg",
          "Lena Marsh", "Rui Castro"]
NOUNS = ["pier", "bridge", "dam", "rail line", "school", "hospital", "airport", "market", "depot",
         "tunnel", "ferry", "clinic"]
VERBS = ["close", "repair", "inspect", "expand", "rebuild", "fund", "reopen", "review", "sell", "audit"]
SEASONS = ["spring", "summer", "autumn", "winter"]


def statement(rng: random.Random, n: int) -> str:
    return (f"The council will {rng.choice(VERBS)} the {rng.choice(NOUNS)} on street {n} "
            f"before {rng.choice(SEASONS)}")


def long_article(quotes: int, seed: int = 11) -> str:
    """About 75 bytes a quotation; one in ten repeats an earlier statement word for word."""
    rng = random.Random(seed)
    said: list[str] = []
    paras = [f"Council hearing, {quotes} statements", "The hearing ran late into the night."]
    for i in range(quotes):
        text = rng.choice(said) if said and rng.random() < 0.1 else statement(rng, i)
        said.append(text)
        paras.append(f"“{text},” {rng.choice(PEOPLE)} said.")
        if i % 5 == 4:
            paras.append("Residents in the gallery listened in silence.")
    return "\n\n".join(paras) + "\n"


def small_article(rng: random.Random, i: int) -> str:
    who = rng.choice(PEOPLE)
    body = [f"Report {i}"] + [f"“{statement(rng, rng.randint(1, 500))},” {who} said." for _ in range(4)]
    return "\n\n".join(body) + "\n"


class WriteTransactions:
    """The longest write transaction on an engine: from the first statement that writes to the
    commit or rollback that ends it (SQLite takes its write lock at that first write)."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

    def __init__(self, engine) -> None:
        self.longest = 0.0
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._execute)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _execute(self, conn, _cursor, statement, *_args) -> None:
        if "write_began" not in conn.info and statement.lstrip().upper().startswith(self.WRITES):
            conn.info["write_began"] = time.perf_counter()

    def _end(self, conn) -> None:
        began = conn.info.pop("write_began", None)
        if began is not None:
            self.count += 1
            self.longest = max(self.longest, time.perf_counter() - began)


def probe_writes(url: str, stop, out) -> None:
    """Another writer, in a process of its own (as another web worker would be): updates one row
    (no change) and commits every 50 ms until `stop` is set; sends (longest wait, writes, failed)."""
    engine = make_engine(url)
    longest, writes, failures = 0.0, 0, 0
    while not stop.wait(0.05):
        t0 = time.perf_counter()
        try:
            with engine.begin() as conn:
                conn.execute(text("UPDATE outlets SET name = name WHERE id = (SELECT min(id) FROM outlets)"))
        except Exception:  # noqa: BLE001 - a failed write is counted, the probe goes on
            failures += 1
        longest = max(longest, time.perf_counter() - t0)
        writes += 1
    engine.dispose()
    out.send((longest, writes, failures))


class ProbeWriter:
    def __init__(self, url: str) -> None:
        self.stop = multiprocessing.Event()
        self.receive, send = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.Process(target=probe_writes, args=(url, self.stop, send), daemon=True)

    def start(self) -> None:
        self.process.start()

    def finish(self) -> None:
        self.stop.set()
        self.longest, self.writes, self.failures = self.receive.recv()
        self.process.join()


def run(url: str, quotes: int, profile: str | None, limit: int | None) -> float:
    engine = make_engine(url)
    rng = random.Random(3)
    with make_sessionmaker(engine)() as session:
        for i in range(20):
            ingest_and_commit(session, ArticleInput(text=small_article(rng, i), outlet=f"Outlet {i % 4}"), "bench")
    text_ = long_article(quotes)
    data = ArticleInput(text=text_, outlet="Hearing Wire")
    prof = cProfile.Profile() if profile else None
    writes = WriteTransactions(engine)
    probe = ProbeWriter(url)
    probe.start()
    t0, cpu0 = time.perf_counter(), time.process_time()
    with make_sessionmaker(engine)() as session:
        if prof:
            prof.enable()
        config = MatchConfig(max_quotes=limit) if limit else MatchConfig()
        result = ingest_and_commit(session, data, "bench", max_bytes=4 * 1024 * 1024, matching=config)
        if prof:
            prof.disable()
            prof.dump_stats(profile)
    dt, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    probe.finish()
    engine.dispose()
    notes = "; ".join(getattr(result, "notes", ()) or ())
    print(f"{quotes:>6} quotes ({len(text_.encode('utf-8')) / 1024:.0f} KB): {dt:7.2f} s ({cpu:.2f} s CPU), "
          f"{result.quotes} quotes stored, {result.new_claims} claims, {result.mentions} mentions; "
          f"longest write transaction {writes.longest:.3f} s (of {writes.count:,}); "
          f"another writer waited at most {probe.longest:.3f} s ({probe.writes:,} writes, "
          f"{probe.failures} failed)" + (f" [{notes}]" if notes else ""), flush=True)
    return dt


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quotes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--database-url", help="an empty database to use (default: a fresh SQLite file per size)")
    parser.add_argument("--profile", help="write a cProfile of the largest size here")
    parser.add_argument("--max-quotes", type=int, default=10**9,
                        help="the bound on quotations linked an article (default: none, to time the "
                             "whole article; 0: the shipped default)")
    args = parser.parse_args()
    for n in args.quotes:
        profile = args.profile if n == max(args.quotes) else None
        if args.database_url:
            upgrade(args.database_url)
            run(args.database_url, n, profile, args.max_quotes)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'big.db'}"
            upgrade(url)
            run(url, n, profile, args.max_quotes)


if __name__ == "__main__":
    main()
