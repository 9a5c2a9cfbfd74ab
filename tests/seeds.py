"""Where the shared seed articles live, so pipeline tests can read them without copying their text.

The seeds sit beside the repository (`../shared/seeds`); a fresh clone without them skips the
seed tests instead of failing.
"""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def seeds_available() -> bool:
    """True when the seed folder has its gold annotation and at least one article."""
    return (SEEDS_DIR / "gold.json").is_file() and any(SEEDS_DIR.glob("*.txt"))
