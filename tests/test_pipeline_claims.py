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
    # verbatim: the same words, whatever the marks, case, or a longer quotation around them.
    ("The harbour will open to container ships next spring.", True, "verbatim"),
    ("“the HARBOUR will open to container-ships next spring,” she said", True, "verbatim"),
    ("The harbour will open to container ships next spring, and to ferries in summer", True, "verbatim"),
    ("We are proud. The harbour will open to container ships next spring", True, "verbatim"),
    # A reporter's bracket standing for the subject is the reporter's, not a change.
    ("[The port] will open to container ships next spring", True, "verbatim"),
    # trimmed: words cut, in order, with or without an ellipsis, nothing added.
    ("harbour will open ... next spring", True, "trimmed"),
    ("The harbour will open … next spring", True, "trimmed"),
    ("The harbour will open [...] next spring", True, "trimmed"),
    ("The harbour will open . . . next spring", True, "trimmed"),
    ("The harbour will open to container ships", True, "trimmed"),
    ("will open to container ships next spring", True, "trimmed"),
    ("The harbour will open … next spring, and to ferries in summer", True, "trimmed"),
    ("The harbour will open ... [and] next spring", True, "trimmed"),
    # altered: inside quote marks, a word added, changed or moved.
    ("The harbour will open to all ships next spring", True, "altered"),
    ("The harbour will open to all container ships next spring", True, "altered"),
    ("The harbour will open to container ships next autumn", True, "altered"),
    ("The harbour will open … to all ships", True, "altered"),
    ("Next spring, the harbour will open to container ships", True, "altered"),
    ("The harbour will never open to container ships next spring", True, "altered"),
    # paraphrased: the outlet's own words, outside quote marks.
    ("The harbour opens in spring", False, "paraphrased"),
    ("The port is to welcome cargo vessels from next spring", False, "paraphrased"),
])
def test_fidelity(excerpt, quoted, expected):
    canonical = "The harbour will open to container ships next spring"
    assert fidelity(canonical, excerpt, quoted=quoted) == expected


@pytest.mark.parametrize(("canonical", "excerpt", "expected"), [
    # The canonical text's own bracket: another outlet's "it" is the speaker's word, not an addition.
    ("[The harbour] will open to ships next spring", "It will open to ships next spring", "verbatim"),
    ("It will open to ships next spring", "[The harbour] will open to ships next spring", "verbatim"),
    # A bracket holds one word: it stands for at most two, a longer gap is a cut.
    ("It will open to ships next spring", "[It] next spring", "trimmed"),
    # A bracket beside a changed word does not excuse the change.
    ("It will open to ships next spring", "It will open to [foreign] boats next spring", "altered"),
])
def test_fidelity_treats_brackets_as_the_reporters(canonical, excerpt, expected):
    assert fidelity(canonical, excerpt) == expected


@pytest.mark.parametrize("canonical", [
    "The harbour will open to container ships next spring.",
    "“[The port] will open… to ships,” she said",
    "It won't open . . . before 'spring'",
    "... the harbour [...] will open - next spring!",
])
def test_fidelity_shortcut_agrees_with_the_word_diff(canonical):
    """fidelity answers "verbatim" without the diff when only end marks differ; the diff must
    see no added or cut word in every such pair (end marks with spaces of any kind, dots that
    could join an ellipsis across the edge, apostrophes and quote marks beside words)."""
    from app.pipeline.claims import _TRIM
    from app.pipeline.diff import ADDED, REMOVED, word_diff

    core = canonical.strip(_TRIM)
    ends = ["", ".", "...", ". .\u00a0.", "…", "’", "”,", " - ", "\u00a0.", "—“", ".'", "?!"]
    for head in ends:
        for tail in ends:
            excerpt = head + core + tail
            assert fidelity(canonical, excerpt) == "verbatim"
            kinds = {op.kind for op in word_diff(canonical, excerpt)}
            assert not kinds & {ADDED, REMOVED}, (canonical, excerpt, kinds)
    # Anything else still goes through the diff: a changed or cut word inside is caught.
    if "harbour will" in core:
        assert fidelity(canonical, core.replace("will", "would") + ".") == "altered"
        assert fidelity(canonical, core.replace("harbour ", "") + ".") == "trimmed"


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


def test_split_statements_at_clause_joins_when_both_sides_are_clauses():
    quote = ("we will keep the harbour open to container ships all winter, and serving the towns "
             "along the coast with daily ferries; prices for cargo stay as they are this year")
    assert [s.text for s in split_statements(quote)] == [
        "we will keep the harbour open to container ships all winter",
        "serving the towns along the coast with daily ferries",
        "prices for cargo stay as they are this year"]
    # A list, or a short clause, stays in one piece.
    assert len(split_statements("We want cheaper fares, better trains, and more buses on Sundays")) == 1
    assert len(split_statements("We won, and the other side will now have to accept the result")) == 1


def test_passage_windows_cut_only_long_sentences_at_clause_breaks():
    from app.pipeline.context import passage_windows
    short = "The harbour will open next spring, the mayor said."
    assert passage_windows(short, 0, len(short)) == [(0, len(short))]
    long = ("The council approved a new budget for the schools of the eastern district after a long "
            "debate on Tuesday, raised parking fees for visitors to the old town and its markets, and "
            "officials confirmed the harbour will open to container ships from every country next "
            "spring, according to the minutes published on Wednesday.")
    windows = passage_windows(long, 0, len(long))
    assert len(windows) > 1
    texts = [long[a:b] for a, b in windows]
    assert all(len(t.split()) >= 12 for t in texts)
    assert any(t.startswith("officials confirmed the harbour") for t in texts)
    # In order, never overlapping, from the first word to the last; no window opens on "and".
    assert windows[0][0] == 0 and windows[-1][1] == len(long)
    assert all(a[1] <= b[0] for a, b in zip(windows, windows[1:]))
    assert not any(t.lower().startswith("and ") for t in texts)


def test_list_items_are_the_verb_phrases_a_head_shares():
    """A sentence listing several statements behind one head ("would ... to A, B, as well as C")
    is read item by item; the first item also after each head in it."""
    from app.pipeline.context import list_items

    def items(text):
        return [text[a:b] for a, b in list_items(text, 0, len(text))]
    text = ("The two ports would work together to share berths between their fleets, dredge the "
            "eastern channel and its inlet, as well as publish a joint timetable, a spokesman said.")
    # "and its inlet" joins a noun, read as the list's last item: too short (under 3 words) to keep
    assert items(text) == ["work together to share berths between their fleets", "share berths between their fleets",
                           "dredge the eastern channel"]
    assert items("The board will repair the dock, reopen the fish market and fund two cranes") == [
        "repair the dock", "reopen the fish market", "fund two cranes"]
    assert items("The ferry will sail at noon, stop at the islands, and return by dusk") == [
        "sail at noon", "stop at the islands", "return by dusk"]


def test_list_items_are_nothing_without_a_list_of_verb_phrases():
    from app.pipeline.context import list_items
    for text in ["Oslo, Bergen, Tromso and Bodo have new ferry terminals.",      # no head: names
                 "The harbour master said she would stay for the meeting, and left.",   # one comma: no list
                 "In the old port, crews and pilots worked through the night.",
                 "The harbour will open next spring, the mayor said."]:
        assert list_items(text, 0, len(text)) == [], text


def test_reported_speech_says_a_and_that_b_as_two_statements():
    text = "the port would open ten new berths next spring and that the fees would stay the same for local crews"
    assert [s.text for s in split_statements(text)] == [
        "the port would open ten new berths next spring", "the fees would stay the same for local crews"]
    # Too short a side: one statement.
    assert len(split_statements("the pier was safe and that crews had enough room")) == 1


def test_and_before_a_pronoun_and_an_auxiliary_opens_a_new_statement():
    assert [s.text for s in split_statements(
        "The new pier will be finished by 2028 and it will pay for itself within ten years")] == [
        "The new pier will be finished by 2028", "it will pay for itself within ten years"]
    # "and" inside a list, or before a clause too short to stand alone, does not cut.
    assert len(split_statements("The crews will run joint patrols and exercises and training all year")) == 1
    assert len(split_statements("We want peace and we will work for it every single day")) == 1


def test_questions_and_lists_of_names_are_never_claims():
    # a reporter's question asserts nothing; the answer after it does
    assert [s.text for s in split_statements(
        "Will the council cut bus fares before the election? We think it will not happen soon.")] == [
        "We think it will not happen soon"]
    assert split_statements("What do you say to critics who call the plan reckless and unfair?") == []
    # a list of who attended is not a statement; a sentence about them is
    assert split_statements("Ana Ruiz, Tom Hale and the Mayor of Northport") == []
    assert [s.text for s in split_statements("Norland, Ostia and Vell will hold joint naval drills")] == [
        "Norland, Ostia and Vell will hold joint naval drills"]
