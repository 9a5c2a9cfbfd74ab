"""Benchmark: sentence embeddings with the bundled all-MiniLM-L6-v2 in numpy. Prints the load time,
sentences per second for calls of several sizes, and the process's peak RSS; asserts nothing.

    .venv/bin/python scripts/bench_embeddings.py [--sentences 512] [--seed 1] [--blas-threads N]

Sentences are synthetic news sentences of 10-40 words built from a small phrase grammar, so their
length in word pieces is like that of quoted claims (about 1.2 pieces a word). Every sentence is
new to the embedder (the cache is bypassed), except in the last line, which repeats a batch to show
what the cache saves. BLAS threads: as the app runs them (app/pipeline/minilm.py BLAS_THREADS)
unless --blas-threads says otherwise (0: as the environment sets them). On a machine that other
work shares, timings vary from run to run.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.pipeline.embeddings import BUNDLED, load_embedder  # noqa: E402

SUBJECTS = ["The minister", "A spokesperson for the council", "The company's chief executive",
            "Opposition leaders", "The central bank", "Local residents", "Police", "The mayor",
            "Health officials", "The union", "Analysts at the bank", "The prime minister's office"]
VERBS = ["said", "denied that", "warned that", "promised that", "claimed that", "confirmed that"]
CLAUSES = ["the new hospital would open", "taxes would not rise", "the bridge was safe",
           "unemployment had fallen", "the factory would close", "prices would keep climbing",
           "the project was over budget", "the army would withdraw", "the vaccine was effective",
           "the election had been fair", "the pipeline would create jobs", "the dam would be finished"]
TAILS = ["by the end of next year", "despite the recent protests", "according to figures released on Monday",
         "in the northern provinces", "before the spring rains", "after months of negotiations",
         "for the first time in a decade", "with the support of regional governments",
         "at a cost of 4.2 billion dollars", "while inflation stayed above 3 percent"]


def news_sentence(rng: random.Random) -> str:
    words = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}".split()
    target = rng.randint(10, 40)
    while len(words) < target:
        words += rng.choice(TAILS).split()
        if rng.random() < 0.3:
            words += ["and", *rng.choice(CLAUSES).split()]
    return " ".join(words[:target]) + "."


def rate(embedder, sentences: list[str], call_size: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(sentences), call_size):
        embedder.encode_uncached(sentences[i:i + call_size])
    return len(sentences) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=512)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--blas-threads", type=int, default=None)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    start = time.perf_counter()
    embedder = load_embedder(BUNDLED)
    print(f"load (sha256 check, weights, tokenizer): {time.perf_counter() - start:.2f} s")
    if args.blas_threads is not None:
        embedder.blas_threads = args.blas_threads or None
    print(f"BLAS threads in the forward pass: {embedder.blas_threads or 'as the environment sets them'}")

    sentences = [news_sentence(rng) for _ in range(args.sentences)]
    pieces = [len(e.ids) for e in embedder.tokenizer.encode_batch(sentences)]
    print(f"{len(sentences)} sentences, tokens each: mean {statistics.mean(pieces):.1f}, "
          f"min {min(pieces)}, max {max(pieces)}")
    embedder.encode_uncached(sentences[:8])  # warm-up: first BLAS calls start their threads
    for call_size in (1, 8, 32, 128, len(sentences)):
        subset = sentences if call_size > 8 else sentences[:64]
        print(f"calls of {call_size:4d} sentences: {rate(embedder, subset, call_size):7.1f} sentences/s")
    embedder.encode(sentences[:128])
    start = time.perf_counter()
    embedder.encode(sentences[:128])
    print(f"the same 128 again, from the cache: {128 / (time.perf_counter() - start):,.0f} sentences/s")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
