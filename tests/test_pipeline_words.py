"""The word rules the matcher and both search indexes share (app/pipeline/words.py)."""
from __future__ import annotations

import sqlite3
import sys
import unicodedata

import pytest

from app.pipeline.claims import match_words, normalize_words
from app.pipeline.words import INDEX_WORD, MARKS, MAY_HOLD_MARK, join_prefixes, prefix_join_sql

JOINS = [
    ("a multi-polar order", "a multipolar order"),
    ("The Anti-War rally", "The AntiWar rally"),
    ("(co-operation) and 'non-aligned' states", "(cooperation) and 'nonaligned' states"),
    ("re\u2010elected, pre\u2011war", "reelected, prewar"),
    ("MULTI-POLAR\nsemi-final", "MULTIPOLAR\nsemifinal"),
    # the end of a longer word is no prefix; a prefix before no word keeps nothing to join
    ("score-settling, more-or-less, taco-night", "score-settling, more-or-less, taco-night"),
    ("anti- and pro-war", "anti and pro-war"),
    ("re-re-elect", "rere-elect"),
    ("no hyphen at all", "no hyphen at all"),
]


@pytest.mark.parametrize(("text", "joined"), JOINS)
def test_a_hyphenated_prefix_joins_its_word(text, joined):
    assert join_prefixes(text) == joined


@pytest.mark.parametrize(("text", "joined"), JOINS)
def test_the_sql_rewrite_gives_the_same_words_as_python(text, joined):
    with sqlite3.connect(":memory:") as conn:
        rewritten = conn.execute(f"SELECT {prefix_join_sql('?')}", (text,)).fetchone()[0]
    assert INDEX_WORD.findall(rewritten) == INDEX_WORD.findall(joined.lower())


def test_marks_are_every_m_category_code_point():
    expected = {i for i in range(sys.maxunicode + 1) if unicodedata.category(chr(i))[0] == "M"}
    listed = set()
    for part in __import__("re").findall(".-.|.", MARKS, __import__("re").S):
        lo, hi = (part[0], part[2]) if len(part) == 3 else (part, part)
        listed.update(range(ord(lo), ord(hi) + 1))
    assert listed == expected
    assert all(MAY_HOLD_MARK.search(chr(i)) for i in expected)


def test_combining_marks_stay_in_their_word():
    hindi = "\u0915\u093f\u0938\u093e\u0928\u094b\u0902 \u0928\u0947"        # two words, vowel signs inside
    hebrew = "\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd"                    # one word, pointed
    assert match_words(hindi) == hindi.split()
    assert match_words(hebrew) == [hebrew]
    assert INDEX_WORD.findall(hindi) == hindi.split()
    # normalize_words (stored keys, shingle hashes) is left as it was
    assert len(normalize_words(hindi)) > 2


def test_match_words_join_prefixes_and_keep_normalize_words_rules():
    assert match_words("The [new] multi-polar order, China\u2019s co-operation") == \
        ["the", "multipolar", "order", "china's", "cooperation"]
