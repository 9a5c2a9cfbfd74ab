"""How many speaker rows the named sources of PolNeAR become, and which forms each row gathers.

PolNeAR annotates each article's sources as written ("Mr. Trump", "Republican nominee Donald
Trump", "Trump") but not who is who across articles, so there is no score here: the figure is the
number of rows (fewer is better only when no two people share one) and the rows written both
"Mr." and "Mrs."/"Ms." (a join of two people, whichever is right), and --show lists the rows
that gather the most forms, to read for false merges. Reads ../shared/devdata at run time, copies
nothing, and runs the domain's get_or_create_speaker on an in-memory database in article order.

    .venv/bin/python -m bench.speaker_identity                 # dev split
    .venv/bin/python -m bench.speaker_identity --split train --show 40
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from app.domain.people import get_or_create_speaker
from app.pipeline import constants as C
from app.pipeline.person_names import written_sex
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Base, Speaker

DEVDATA = Path(__file__).resolve().parents[1].parent / "shared" / "devdata"
_NOT_NAMES = C.PRONOUNS | {"the", "a", "an", "it", "we", "i", "you", "his", "her", "its", "their"}


def named_sources(path: Path):
    """Each annotated source that is written as a name (capitalised, not a pronoun or 'the ...')."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            for quote in json.loads(line)["quotes"]:
                source = (quote.get("speaker") or "").strip()
                if source[:1].isupper() and source.split()[0].lower() not in _NOT_NAMES:
                    yield source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--show", type=int, default=0, help="list the N rows with the most forms")
    args = parser.parse_args()
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    forms: dict[int, set[str]] = defaultdict(set)
    written = 0
    with make_sessionmaker(engine)() as session:
        for source in named_sources(DEVDATA / f"polnear_{args.split}.jsonl"):
            speaker = get_or_create_speaker(session, source)
            written += 1
            if speaker is not None:
                forms[speaker.id].add(source)
        session.commit()
        names = dict(session.execute(select(Speaker.id, Speaker.name)).all())
    print(f"polnear {args.split}: {written} named sources -> {len(forms)} speakers")
    # A row gathering a "Mr." form and a "Mrs."/"Ms." form joined two people, whoever is right.
    mixed = [sid for sid, seen in forms.items() if len({written_sex(s) for s in seen} - {None}) > 1]
    print(f"  rows written both Mr. and Mrs./Ms. (a false join): {len(mixed)}"
          + "".join(f"\n    {names[sid]}: {sorted(forms[sid])}" for sid in mixed[:args.show]))
    for sid, seen in sorted(forms.items(), key=lambda kv: -len(kv[1]))[:args.show]:
        print(f"  {names[sid]}: {len(seen)} forms")


if __name__ == "__main__":
    main()
