"""Benchmark: quote extraction speed (MB of text per second, one core) and end-to-end ingest speed
(articles per second into a fresh SQLite file). Prints the figures; asserts nothing.

    .venv/bin/python scripts/bench_ingest.py [--articles 500]

Articles are generated here from a few templates so the run needs no data from outside the repo."""
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
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
