"""Train the stance model's parameters (app/pipeline/data/stance.json), which app/pipeline/stance.py
loads: trained on ../shared/devdata/emergent_stance_train.jsonl (Emergent, Ferreira & Vlachos 2016;
its "mentions" label is our "discusses"), with the same code the Emergent benchmark retrains on
each fold (bench/emergent.py). Deterministic: the same data gives the same file.

    .venv/bin/python scripts/train_stance.py [--devdata ../shared/devdata] [--out PATH]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.pipeline.stance import PARAMETERS  # noqa: E402
from app.pipeline.stance_train import train  # noqa: E402
from bench.emergent import FILE, load  # noqa: E402


def write_parameters(params: dict, out: Path) -> None:
    """One weight row (and one lexicon word) a line, so a retrained file reads as a diff."""
    tables = [k for k in ("lexicon", "weights") if k in params]
    head = {k: v for k, v in sorted(params.items()) if k not in tables}
    text = json.dumps(head, indent=1)[:-2]
    for key in tables:
        rows = [f"  {json.dumps(n)}: {json.dumps(w)}" for n, w in sorted(params[key].items())]
        text += f',\n "{key}": {{\n' + ",\n".join(rows) + "\n }"
    text += "\n}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=Path("../shared/devdata"))
    parser.add_argument("--out", type=Path, default=PARAMETERS)
    args = parser.parse_args(argv)
    rows = load(args.devdata)
    params = train([(r["claim"], r["text"], r["label"]) for r in rows])
    params["trained_on"] = FILE
    write_parameters(params, args.out)
    print(f"{args.out}: {len(params['weights'])} weights from {len(rows)} pairs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
