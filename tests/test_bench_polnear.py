"""The PolNeAR benchmark's gold re-typing (bench/polnear.py gold_type) on texts written here: the
converter typed a quote `direct` only when marks sat inside its content span, so a quotation
running over paragraphs (its paragraph opens with a mark that never closes) and the archive's ''
marks are read again; plain reported speech stays `indirect`."""
from __future__ import annotations

from bench.polnear import gold_type


def _gold(text: str, content: str, kind: str = "indirect") -> dict:
    s = text.index(content)
    return {"type": kind, "content_spans": [[s, s + len(content)]]}


def test_a_paragraph_left_open_after_its_mark_is_a_quotation_not_reported_speech():
    text = ("The exchange, as broadcast:\n"
            "\"REED: Will the eastern pier reopen before the summer?\n"
            "\"LINDGREN: We expect it to reopen in May.\n"
            "\"The ferries will return the week after.\n")
    for content in ("Will the eastern pier reopen", "We expect it to reopen in May.",
                    "The ferries will return"):
        assert gold_type(text, _gold(text, content)) == "mixed"
        # the bench's second figure keeps the converter's reading
        assert gold_type(text, _gold(text, content), open_paragraphs=False) == "indirect"


def test_reported_speech_and_closed_or_unmarked_paragraphs_keep_their_type():
    text = ("Lindgren said the pier would reopen in May.\n"
            "\"We expect it to reopen in May,\" Lindgren said, adding that the ferries would return.\n"
            "Reed: Will the ferries return?\n")
    assert gold_type(text, _gold(text, "the pier would reopen in May")) == "indirect"
    assert gold_type(text, _gold(text, "We expect it to reopen")) == "indirect"  # closed in its paragraph
    assert gold_type(text, _gold(text, "the ferries would return")) == "indirect"
    assert gold_type(text, _gold(text, "Will the ferries return?")) == "indirect"  # no mark at all
    assert gold_type(text, _gold(text, "We expect it to reopen", "direct")) == "direct"


def test_two_apostrophes_are_a_double_mark():
    text = "''We expect it to reopen in May,'' Mr. Lindgren said.\nHe called it ''a fair plan'' for all."
    assert gold_type(text, _gold(text, "''We expect it to reopen in May,''")) == "direct"
    assert gold_type(text, _gold(text, "it ''a fair plan'' for all")) == "mixed"
