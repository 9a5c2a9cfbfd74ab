"""Word diff of a rendering against the canonical text: text in, DiffOp records out."""
from __future__ import annotations

import pytest

from app.pipeline.claims import normalize_words
from app.pipeline.diff import CANONICAL_KINDS, DIFF_KINDS, DiffOp, _Side, word_diff

CANON = "The harbour will open to container ships next spring"


def ops(*pairs: tuple[str, str]) -> tuple[DiffOp, ...]:
    return tuple(DiffOp(kind, text) for kind, text in pairs)


def test_same_words_are_one_op_in_the_outlets_spelling():
    assert word_diff(CANON, "“the HARBOUR will open to container-ships next spring,”") == ops(
        ("same", "“the HARBOUR will open to container-ships next spring,”"))


def test_a_cut_with_an_ellipsis_shows_the_cut_words_before_the_mark():
    assert word_diff(CANON, "The harbour will open … next spring") == ops(
        ("same", "The harbour will open"), ("removed", "to container ships"),
        ("ellipsis", "…"), ("same", "next spring"))


@pytest.mark.parametrize("mark", ["...", ". . .", "…", "[...]", "[ … ]"])
def test_every_ellipsis_spelling_is_one_mark(mark):
    result = word_diff(CANON, f"The harbour will open to container ships {mark} spring")
    assert result[-3:] == ops(("removed", "next"), ("ellipsis", mark), ("same", "spring"))


def test_an_added_and_a_changed_word():
    assert word_diff(CANON, "The harbour will open to all foreign ships next autumn.") == ops(
        ("same", "The harbour will open to"), ("removed", "container"),
        ("added", "all foreign"), ("same", "ships next"), ("removed", "spring"),
        ("added", "autumn."))


def test_a_cut_at_either_end_without_a_mark():
    assert word_diff(CANON, "harbour will open to container ships") == ops(
        ("removed", "The"), ("same", "harbour will open to container ships"),
        ("removed", "next spring"))


def test_a_longer_quotation_around_the_whole_claim_is_context():
    result = word_diff(CANON, "We are proud. The harbour will open to container ships next "
                              "spring, and to ferries in summer.")
    assert result == ops(("context", "We are proud."),
                         ("same", "The harbour will open to container ships next spring,"),
                         ("context", "and to ferries in summer."))


def test_words_beyond_an_unfinished_claim_are_added_not_context():
    assert word_diff(CANON, "The harbour will open to container ships in May") == ops(
        ("same", "The harbour will open to container ships"), ("removed", "next spring"),
        ("added", "in May"))


def test_words_moved_out_of_the_claim_are_added():
    assert word_diff(CANON, "Next spring, the harbour will open to container ships") == ops(
        ("added", "Next spring,"), ("same", "the harbour will open to container ships"),
        ("removed", "next spring"))


def test_a_bracket_standing_for_words_replaces_them():
    assert word_diff("It will open next spring", "“[The harbour] will open next spring”") == ops(
        ("replaced", "It"), ("bracket", "“[The harbour]"), ("same", "will open next spring”"))


def test_a_bracket_inserted_between_words_is_its_own_op():
    assert word_diff(CANON, "The harbour will open [its gates] to container ships next spring") == ops(
        ("same", "The harbour will open"), ("bracket", "[its gates]"),
        ("same", "to container ships next spring"))


def test_a_bracket_does_not_stand_for_a_long_cut():
    assert word_diff(CANON, "[It] next spring") == ops(
        ("removed", "The harbour will open to container ships"), ("bracket", "[It]"),
        ("same", "next spring"))


def test_words_facing_a_bracket_of_the_canonical_text_are_the_speakers():
    assert word_diff("[The harbour] will open next spring", "It will open next spring") == ops(
        ("same", "It will open next spring"))


def test_nothing_in_common():
    assert word_diff(CANON, "Fares go up in June") == ops(
        ("removed", CANON), ("added", "Fares go up in June"))


def test_empty_texts():
    assert word_diff(CANON, "") == ops(("removed", CANON))
    assert word_diff("", "") == ()


@pytest.mark.parametrize("excerpt", [
    "The harbour will open … next spring, and [the ferries] in summer",
    "  “[It] won’t open to all ships. . . next  autumn,” she said.  ",
    "Fares go up in June",
])
def test_excerpt_side_ops_give_the_excerpt_back(excerpt):
    result = word_diff(CANON, excerpt)
    assert {op.kind for op in result} <= set(DIFF_KINDS)
    assert all(op.text and op.text == op.text.strip() for op in result)
    rebuilt = "".join(op.text for op in result if op.kind not in CANONICAL_KINDS)
    assert "".join(rebuilt.split()) == "".join(excerpt.split())


@pytest.mark.parametrize("text", [
    "“[The board] won’t back a ‘no-deal’ exit — ever…” she said, (twice).",
    "It's   DONE! Mr. O'Neil's plan [sic] costs $4.5bn, 2024-25 ... end",
])
def test_words_are_the_words_claims_compare(text):
    assert _Side(text).words == normalize_words(text)
