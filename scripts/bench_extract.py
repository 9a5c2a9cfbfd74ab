"""Benchmark: extraction speed (`extract_quotes`, quotes in marks plus reported speech) over the
PolNeAR articles in ../shared/devdata, read at run time. Prints articles and records per CPU
second (time.process_time, best of --repeat runs, so a loaded machine shows less); asserts nothing.

    .venv/bin/python scripts/bench_extract.py [--split train] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.pipeline.quotes import extract_quotes  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=Path("../shared/devdata"))
    parser.add_argument("--split", default="train", choices=("train", "dev"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = args.devdata / f"polnear_{args.split}.jsonl"
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    best, records = None, 0
    for _ in range(max(1, args.repeat)):
        started = time.process_time()
        records = sum(len(extract_quotes(text)) for text in texts)
        spent = time.process_time() - started
        best = spent if best is None else min(best, spent)
    print(f"{len(texts)} articles, {records} records, best of {args.repeat}: {best:.2f} CPU s; "
          f"{len(texts) / best:.0f} articles/CPU s, {records / best:.0f} records/CPU s; "
          f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
