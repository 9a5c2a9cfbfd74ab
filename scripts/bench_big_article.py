"""Benchmark: one long article (N quotations) ingested into a fresh SQLite store that already holds
a few ordinary articles. Prints seconds for each size asked; asserts nothing.

    .venv/bin/python scripts/bench_big_article.py [--quotes 1000 5000 20000] [--database-url URL]

The article is generated here from a template of its own (numbered statements by a handful of
speakers, a few of them said twice, with narration between them), so the run needs no data from
outside the repository. `--profile FILE` writes a cProfile of the largest run."""
from __future__ import annotations

import argparse
import cProfile
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain.articles import ArticleInput, ingest_and_commit  # noqa: E402
from app.domain.matching import MatchConfig  # noqa: E402
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


def run(url: str, quotes: int, profile: str | None, limit: int | None) -> float:
    engine = make_engine(url)
    rng = random.Random(3)
    with make_sessionmaker(engine)() as session:
        for i in range(20):
            ingest_and_commit(session, ArticleInput(text=small_article(rng, i), outlet=f"Outlet {i % 4}"), "bench")
    text = long_article(quotes)
    data = ArticleInput(text=text, outlet="Hearing Wire")
    prof = cProfile.Profile() if profile else None
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
    engine.dispose()
    notes = "; ".join(getattr(result, "notes", ()) or ())
    print(f"{quotes:>6} quotes ({len(text.encode('utf-8')) / 1024:.0f} KB): {dt:7.2f} s ({cpu:.2f} s CPU), "
          f"{result.quotes} quotes stored, {result.new_claims} claims, {result.mentions} mentions"
          + (f" [{notes}]" if notes else ""), flush=True)
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
