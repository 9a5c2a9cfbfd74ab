"""Small generated news articles, each unique and each with one attributed quotation, for tests that
need thousands of them (backup under writes, a killed bulk ingest). No outside data involved."""
from __future__ import annotations

from pathlib import Path

PEOPLE = ("Mirela Dunst", "Oskar Lind", "Ana Pires", "Tomas Vey", "Priya Raman", "Jonas Berg")
NOUNS = ("pier", "bridge", "dam", "rail line", "school", "hospital", "airport", "market")
VERBS = ("close", "repair", "inspect", "expand", "rebuild", "fund", "reopen", "review")


def small_article(i: int) -> str:
    """Article `i`: a headline and one quoted sentence that differs from every other article's."""
    noun, other = NOUNS[i % len(NOUNS)], NOUNS[(i // len(NOUNS)) % len(NOUNS)]
    verb, who = VERBS[(i // 3) % len(VERBS)], PEOPLE[i % len(PEOPLE)]
    return (f"Update {i} on the {noun}\n\n"
            f"“The council will {verb} the {other} in ward {i},” {who} said on day {i % 28 + 1}.\n")


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"a{i:05d}.txt" for i in range(count)]
    for i, path in enumerate(paths):
        path.write_text(small_article(i), encoding="utf-8")
    return paths
