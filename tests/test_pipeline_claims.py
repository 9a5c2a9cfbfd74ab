"""Claim helpers: normalizing, splitting quotes into statements, matching and fidelity."""

from __future__ import annotations

import pytest

from app.pipeline.claims import (
    Statement, fidelity, normalize_words, normalized_key, same_claim, shingles, slugify,
    split_statements,
)
from app.pipeline.constants import MIN_SHARED_RUN
from app.pipeline.quotes import extract_quotes
from tests.seeds import SEEDS_DIR, seeds_available

LONG = "the new harbour will open to container ships from every country next spring"


def test_normalize_words_drops_marks_brackets_and_unifies_dashes_and_apostrophes():
    text = "“[The board] won’t back a ‘no-deal’ exit — ever…” she said, (twice)."
    assert normalize_words(text) == [
        "won't", "back", "a", "no", "deal", "exit", "ever", "she", "said", "twice"]
    assert normalized_key("It's   DONE!") == normalized_key("it’s done") == "it's done"


def test_shingles_are_runs_of_n_words():
    words = "a b c d".split()
    assert shingles(words, 2) == {"a b", "b c", "c d"}
    assert shingles(words, 5) == set()
    assert len(shingles(LONG.split())) == len(LONG.split()) - MIN_SHARED_RUN + 1


def test_same_claim_on_identical_words_and_on_a_long_shared_run():
    assert same_claim("Prices will fall.", "“prices WILL fall”")
    trimmed = "will open to container ships from every country"  # exactly eight words
    assert same_claim(LONG, "Officials say it " + trimmed + ", they said.")
    assert not same_claim(LONG, "will open to container ships from every port")  # seven shared
    assert not same_claim("", "")


def test_split_statements_at_sentences_and_ellipsis_joins():
    quote = ("The strike is over for now ... [and] we return to work on Monday. "
             "We thank the public. No. Talks continue, slowly, with the owners…")
    pieces = split_statements(quote)
    assert [p.text for p in pieces] == [
        "The strike is over for now", "we return to work on Monday", "We thank the public",
        "Talks continue, slowly, with the owners"]
    for p in pieces:
        assert quote[p.start:p.end] == p.text


def test_split_statements_keeps_abbreviations_and_drops_short_pieces():
    assert [s.text for s in split_statements("Mr. Tan met Dr. Ono in the U.S. capital today.")] == [
        "Mr. Tan met Dr. Ono in the U.S. capital today"]
    assert split_statements("Yes. No, sir.") == []
    assert split_statements("deepen our mutual trust,") == [Statement(0, 23, "deepen our mutual trust")]


@pytest.mark.parametrize(("excerpt", "quoted", "expected"), [
    ("The harbour will open to container ships next spring.", True, "verbatim"),
    ("harbour will open ... next spring", True, "trimmed"),
    ("The harbour will open to all ships next spring", True, "altered"),
    ("The harbour will open to all container ships next spring", True, "altered"),
    ("The harbour will open to container ships next spring, and to ferries in summer", True, "verbatim"),
    ("The harbour opens in spring", False, "paraphrased"),
])
def test_fidelity(excerpt, quoted, expected):
    canonical = "The harbour will open to container ships next spring"
    assert fidelity(canonical, excerpt, quoted=quoted) == expected


def test_slugify():
    assert slugify("Élodie’s “No-Limits” Plan: 2024 Edition!") == "elodies-no-limits-plan-2024-edition"
    eight = "one-two-three-four-five-six-seven-eight"
    assert slugify("one two three four five six seven eight nine ten") == eight
    assert slugify("a b c", max_words=2) == "a-b"
    assert slugify("北京 — ") == ""


@pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not beside the checkout")
def test_seed_consensus_statement_matches_across_outlets():
    def quotes(prefix: str) -> list[str]:
        path = next(SEEDS_DIR.glob(prefix + "_*.txt"))
        return [q.text for q in extract_quotes(path.read_text(encoding="utf-8"))]

    opening = "The Chinese military is willing to work together with the Russian military"
    first = next(q for q in quotes("000") if q.startswith(opening))
    statements = [s.text for s in split_statements(first)]
    head = next(s for s in statements if s.startswith(opening))
    assert head.endswith("by the two heads of state") and "..." not in head and "[" not in head
    second = next(q for q in quotes("002") if q.startswith(opening))
    third = next(q for q in quotes("003") if q.startswith("willing to work together"))
    assert same_claim(head, second) and same_claim(head, third)
    assert fidelity(head, third) == "trimmed"
