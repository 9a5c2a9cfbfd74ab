"""What every data set's benchmark returns, and the small readers they share.

Why one record: `bench/quality.py` prints every data set in one table (our figure, the baseline
beside it, the issue's target) and writes the same rows as JSON, so a figure in a closing note can
be traced to one command.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Row:
    """One figure: ours, and the baseline it must beat (name and value), and the target if any."""

    dataset: str
    metric: str
    ours: float
    baseline_name: str = ""
    baseline: float | None = None
    target: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class Report:
    """A data set's rows, plus free-form tables (a reliability table) printed under the main one."""

    rows: list[Row] = field(default_factory=list)
    tables: dict[str, list[dict]] = field(default_factory=dict)

    def extend(self, other: Report) -> None:
        self.rows.extend(other.rows)
        self.tables.update(other.tables)


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
