"""Quote extraction: text in, QuoteCandidate records out (hand-written news sentences)."""

from __future__ import annotations

import random
import time

import pytest

from app.pipeline.evaluate import load_gold, score_quotes
from app.pipeline.quotes import QuoteCandidate, extract_quotes, scare_quotes
from tests.seeds import SEEDS_DIR, seeds_available


def marked(text: str, **kwargs) -> list[QuoteCandidate]:
    """Quotations in marks only: reported speech has its own tests (test_pipeline_reported.py)."""
    return extract_quotes(text, reported=False, **kwargs)


def only(text: str, **kwargs) -> QuoteCandidate:
    found = marked(text, **kwargs)
    assert len(found) == 1, found
    return found[0]


def test_offsets_index_the_text_inside_the_marks():
    text = "The mayor arrived late. “We will rebuild the old bridge by spring,” said Mayor Ana Ortiz."
    q = only(text)
    assert text[q.start:q.end] == q.text == "We will rebuild the old bridge by spring,"
    assert text[q.start - 1] == "“" and text[q.end] == "”"
    assert q.kind == "direct"


def test_said_after_the_quote_with_title_stripped():
    q = only("“The budget is balanced for the first time in years,” Finance Minister Omar Haddad said.")
    assert q.speaker == "Omar Haddad"
    assert q.cue == "said"


def test_said_before_with_colon_and_told_reporters():
    q = only("President Lena Varga said: “Our borders stay open to every neighbour who respects them.”")
    assert q.speaker == "Lena Varga" and q.kind == "direct"
    q = only("“Nothing has been decided about the merger yet,” Paul Okafor told reporters.")
    assert q.speaker == "Paul Okafor" and q.cue == "told reporters"


@pytest.mark.parametrize("told", ["told MPs", "told the BBC", "told a news conference"])
def test_the_cue_shows_whom_the_speaker_told(told):
    q = only(f"“Nothing has been decided about the merger yet,” Paul Okafor {told} on Monday.")
    assert q.cue == told


def test_apposition_between_name_and_verb():
    text = ("Ilse Berger, a spokeswoman for the Federal Office of Transport, said the line was "
            "“safe to use again after a full inspection of the tracks”.")
    q = only(text)
    assert q.speaker == "Ilse Berger" and q.kind == "partial"


def test_surname_resolves_to_the_full_name_seen_earlier():
    text = ("Harbour master Tomas Lindgren inspected the pier on Monday.\n"
            "Lindgren said the storm had “torn away half of the wooden decking overnight”.")
    assert only(text).speaker == "Tomas Lindgren"


def test_pronoun_and_role_resolve_to_the_last_speaker():
    text = ("Defence spokesman Kaito Mori said the drills would continue next week.\n"
            "“Our exercises are routine and threaten nobody in the region,” he said.\n"
            "The spokesman said the navy would “publish the full schedule of manoeuvres soon”.")
    quotes = marked(text)
    assert [q.speaker for q in quotes] == ["Kaito Mori", "Kaito Mori"]


def test_pronoun_skips_a_person_only_mentioned_in_passing():
    text = ("Senator Ruth Adler criticised Governor Ben Cole’s remarks about the new levy.\n"
            "“This levy will hurt small farmers more than anyone else,” she said.")
    assert only(text).speaker == "Ruth Adler"


def test_possessive_remarks_name_the_speaker():
    text = "Ruth Adler rejected Ben Cole’s remarks that the levy was “fair to every farmer in the state.”"
    assert only(text).speaker == "Ben Cole"


def test_organisation_speaks_when_no_person_is_named():
    text = "A bulletin from state broadcaster Radio Nova said “the dam will be reopened next week”."
    assert only(text).speaker == "Radio Nova"


def test_according_to_and_described_as():
    text = ('The audit was "the most thorough review of the agency in a decade," according to '
            "inspector general Mira Sato.")
    assert only(text).speaker == "Mira Sato"
    text = ("Union leader Dev Rao met the board, which Rao described as “unwilling to discuss "
            "any of our proposals at all”.")
    q = only(text)
    assert q.speaker == "Dev Rao" and q.cue == "described as"


def test_standalone_paragraph_and_same_paragraph_inherit_the_speaker():
    text = ("“We lost three harvests in a row,” farmer Joao Pereira said. “The river simply dried up.\n\n"
            "“Now we wait for the rain and hope for better luck next year.”\n\n"
            "The ministry promised help.")
    quotes = marked(text)
    assert [q.speaker for q in quotes] == ["Joao Pereira"] * 3


def test_a_quote_running_over_paragraphs_gives_one_record_per_paragraph():
    text = ("Coach Elena Ruiz said: “The season starts now for all of us.\n\n"
            "“We train every morning until the final whistle of the cup.”")
    quotes = marked(text)
    assert [q.text for q in quotes] == ["The season starts now for all of us.",
                                        "We train every morning until the final whistle of the cup."]
    assert quotes[1].speaker == "Elena Ruiz"


def test_scare_quotes_and_labels_are_not_quotations():
    text = ("The two leaders praised their “ironclad” partnership. The “open door policy” has "
            "critics. Analysts call it a “grand bargain”.")
    assert marked(text) == []


def test_apostrophes_are_not_single_quotes():
    text = "The country’s leaders’ plan was ‘bold and long overdue for the whole region’, Mia Holt said."
    for q in (only(text), only(text, single_quotes=True)):
        assert q.text == "bold and long overdue for the whole region" and q.speaker == "Mia Holt"


def test_single_marks_in_a_paragraph_without_double_marks_are_quotes_when_attributed():
    text = ("'We don't expect the '90s rules to come back for the harbour,' Mia Holt said on Monday.\n"
            "The senators' votes will decide it, 'and we won't wait for them any longer,' Ana Ruiz said.\n"
            "The ‘new harbour deal’ is a slogan that the whole town has heard for ten years now.\n"
            "Locals called it 'a very good day for the whole town of ours' and left the hall.")
    found = [(q.text, q.speaker) for q in marked(text)]
    assert found == [("We don't expect the '90s rules to come back for the harbour,", "Mia Holt"),
                     ("and we won't wait for them any longer,", "Ana Ruiz")]
    # A paragraph that quotes with double marks keeps single ones for nesting only.
    mixed = "“The plan is ‘bold’,” Mia Holt said. The town's 'new harbour deal for all of us' is a slogan, Ana Ruiz said."
    assert [q.text for q in marked(mixed)] == ["The plan is ‘bold’,"]


def test_unattributed_long_quote_is_kept_without_speaker():
    text = "The leaked memo reads “all staff must return to the office five days a week from May”."
    q = only(text)
    assert q.speaker is None and q.cue is None


@pytest.mark.parametrize("open_, close", [
    ("\u201c", "\u201d"), ('"', '"'), ("\u00ab", "\u00bb"), ("\u201e", "\u201c"), ("\u201e", "\u201d"),
    ("\u2018", "\u2019"),
])
def test_every_common_mark_style(open_, close):
    text = f"{open_}The bridge will be rebuilt before the spring rains arrive,{close} Paul Martin said."
    q = only(text, single_quotes=True)
    assert q.text == "The bridge will be rebuilt before the spring rains arrive,"
    assert (q.speaker, q.kind) == ("Paul Martin", "direct")


@pytest.mark.parametrize("text, inner", [
    ("“Officials called it ‘a routine check of the fleet’ on Monday,” Ana Ruiz said.", "‘"),
    ("« The mayor told us “never again” and then left the hall », Ana Ruiz said.", "“"),
    ("„Der Minister sagte ‚nie wieder‘ und ging dann aus dem Saal“, said Ana Ruiz.", "‚"),
    ("“He told me “never again” and then left the hall without a word,” Ana Ruiz said.", "“"),
])
def test_nested_quotes_stay_inside_the_outer_quotation(text, inner):
    q = only(text)
    assert inner in q.text and q.speaker == "Ana Ruiz"
    assert text[:q.start].rstrip()[-1] in "“«„" and q.text.count(inner) == 1


def test_an_unclosed_quote_does_not_swallow_the_next_one():
    text = "“This one never closes. “The second quotation is properly closed here,” Ana Ruiz said."
    assert only(text).text == "The second quotation is properly closed here,"


def test_brackets_and_ellipses_inside_a_quotation():
    text = "Ana Ruiz said: “We will rebuild the pier ... [and] reopen the harbour to every ship.” Then she left."
    q = only(text)
    assert q.text == "We will rebuild the pier ... [and] reopen the harbour to every ship."
    assert q.kind == "direct" and q.speaker == "Ana Ruiz"


def test_partial_quote_woven_into_a_sentence():
    text = ("Ruiz said the two ports would keep working by endeavoring to “deepen mutual trust "
            "between the crews” over the summer.")
    q = only(text)
    assert (q.text, q.kind, q.speaker) == ("deepen mutual trust between the crews", "partial", "Ruiz")


@pytest.mark.parametrize("gap", [" ", "\n"])
def test_a_sentence_opening_a_quote_with_a_colon_names_its_speaker(gap):
    text = (f"The head of the dockers' union, Maria Santos, put it bluntly:{gap}“If the port does not "
            "fund the repairs, the night shift will have to go.”")
    q = only(text)
    assert (q.speaker, q.kind) == ("Maria Santos", "direct")
    assert only("The report's conclusion was stark: “The pier cannot be saved in its present form.”").speaker is None


def test_the_second_half_of_a_split_quote_is_direct():
    text = ("“We will rebuild the pier before the summer,” Mayor Ana Ruiz said, “and we will not "
            "charge the fishermen a single euro for it.”")
    first, second = marked(text)
    assert (first.kind, second.kind) == ("direct", "direct")
    assert first.speaker == second.speaker == "Ana Ruiz"


def test_scare_quotes_are_listed_apart():
    text = ("The two mayors praised their “no-limits” partnership. Ana Ruiz said the so-called "
            "“harbour question” was settled. “It is settled for good,” she said of the "
            "so-called ‘harbour question’. He said “no” and left.")
    assert [q.text for q in scare_quotes(text)] == ["no-limits", "harbour question", "harbour question"]
    assert all(q.kind == "scare" and q.speaker is None for q in scare_quotes(text))
    assert not any(q.kind == "scare" for q in extract_quotes(text))
    assert {q.text for q in marked(text)} == {"It is settled for good,"}


@pytest.mark.parametrize("text", [
    "", "no marks at all here", "“", "”", '"', "“ unclosed forever and ever", "” stray closer “",
    '"a" "b" "c', "“a “b “c” d” e”", "\n\n“\n”\n", "“   ”", "said said said", "Tan said", "“x,” he",
])
def test_odd_inputs_do_not_crash(text):
    for q in extract_quotes(text):
        assert text[q.start:q.end] == q.text


def timed(label: str, fn, *args, **kwargs):
    """Run fn and print how long it took: measured for the record, never asserted (CI machines
    vary); a hang still fails the run by never finishing."""
    began = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label}: {time.perf_counter() - began:.2f}s")
    return result


def test_two_megabytes_of_news_like_text_finishes():
    para = ("“We will keep working on this for as long as it takes,” Minister Ada Quist said. "
            "Quist later told reporters the plan was “fully funded until the end of next year”. ")
    text = (para * (2_000_000 // len(para) + 1))[:2_000_000]
    quotes = timed("2 MB news-like", extract_quotes, text)
    assert len(quotes) > 10_000 and all(q.speaker == "Ada Quist" for q in quotes[:50])
    assert any(q.kind == "reported" for q in quotes)
    assert timed("2 MB news-like, scare quotes", scare_quotes, text) == []


@pytest.mark.parametrize("unit", ["“ he said, ", '" ', "” Tan said. ", "Tan Li, a , ", ". ", "“x” ",
                                  "Tan said that ", ", according to Li, ", "« „ ‘ ", "\n"])
def test_two_megabytes_of_unbalanced_marks_finishes(unit):
    text = (unit * (2_000_000 // len(unit) + 1))[:2_000_000]
    for q in timed(f"2 MB of {unit!r}", extract_quotes, text, single_quotes=True):
        assert text[q.start:q.end] == q.text
    if any(mark in unit for mark in "“”\"«„‘"):
        timed(f"2 MB of {unit!r}, scare quotes", scare_quotes, text)


@pytest.mark.parametrize("text", [
    "Ruiz said the pier\u0301 would re\u0308open to cargo ships in May of next year.",
    "“\u0645\u0631\u062d\u0628\u0627 \u0628\u0643\u0645 \u0641\u064a \u0627\u0644\u0645\u064a\u0646\u0627\u0621 "
    "\u0627\u0644\u062c\u062f\u064a\u062f \u0627\u0644\u064a\u0648\u0645,” Omar Haddad said.",
    "\u202eRuiz said the harbour would reopen in May next year\u202c and nobody objected.",
    "Ruiz\u200b said\u200b the\u200b harbour\u200d would\ufeff reopen in May next year.",
    "“The pier 🚢 will reopen 🎉 to every ship in May,” Ana Ruiz 👩 said. 👍🏽👨‍👩‍👧",
    "\ud7ff\ue000\uffff“\U0001F600 \U0010FFFF”\x00\x1b[0m said Tan said",
])
def test_odd_unicode_keeps_offsets_right(text):
    for q in extract_quotes(text, single_quotes=True) + scare_quotes(text):
        assert text[q.start:q.end] == q.text and q.start < q.end


def test_random_unicode_does_not_raise():
    rng = random.Random(20240330)
    alphabet = [chr(c) for c in range(0x20, 0x2FFF)] + list("“”\"‘’\n.,:") * 200
    for _ in range(5):
        text = "".join(rng.choice(alphabet) for _ in range(50_000))
        for q in extract_quotes(text, single_quotes=True):
            assert text[q.start:q.end] == q.text


@pytest.mark.skipif(not seeds_available(), reason="../shared/seeds not beside the checkout")
def test_seed_articles_meet_recall_and_speaker_targets():
    gold = load_gold(SEEDS_DIR / "gold.json")
    predicted = {a["file"]: extract_quotes((SEEDS_DIR / a["file"]).read_text(encoding="utf-8"))
                 for a in gold["articles"]}
    scores = score_quotes(predicted, gold)
    assert scores.overlap_recall >= 0.9, scores
    assert scores.overlap_precision >= 0.9, scores
    assert scores.speaker_accuracy >= 0.8, scores


@pytest.mark.parametrize("text, joined", [
    ("“If the port does not pay for the repairs,” Ana Lopez said, “the night shift will go.”", True),
    ("“If the port does not pay for the repairs,” Ana Lopez said on Monday. “the night shift "
     "will have to go home.”", False),
    ("“If the port does not pay for the repairs,” Ana Lopez said, “The night shift will go.”", False),
    ("“If the port does not pay for the repairs,” Ana Lopez said, and Tomas Berg added: "
     "“the night shift will go now.”", False),
])
def test_continues_joins_only_the_halves_of_one_split_sentence(text, joined):
    from app.pipeline.quotes import continues
    first, second = marked(text)
    assert continues(text, first, second) is joined


def test_curly_and_straight_marks_mixed_up_pair_by_where_they_stand():
    # A straight mark after a word closes, one after a space opens: the attribution between the
    # halves is not a quotation nested in one long quote, and each half keeps its speaker.
    text = ('“The harbour will reopen before the summer season," Mia Holt said at the pier. "The '
            'ferries will run every hour from June.”')
    found = [(q.text, q.speaker) for q in marked(text)]
    assert found == [("The harbour will reopen before the summer season,", "Mia Holt"),
                     ("The ferries will run every hour from June.", "Mia Holt")]
    # A straight pair nested in a curly quote stays nested.
    nested = '“They called the plan "a costly folly for the town" on Monday,” Ana Ruiz said.'
    assert [q.text for q in marked(nested)] == ['They called the plan "a costly folly for the town" on Monday,']


def test_a_title_in_marks_is_no_quotation():
    text = ("Mia Holt spoke on Harbour Radio’s “Morning Talk With Dana Reed” on Sunday. Her memoir, "
            "“The Long Night at the Pier,” came out in May. “We will open the pier in May,” Holt said.")
    assert [(q.text, q.speaker) for q in marked(text)] == [("We will open the pier in May,", "Mia Holt")]


def test_a_quoted_transcript_line_is_spoken_by_its_label():
    text = ("Harbour master Tomas Lindgren spoke to Radio Kust on Sunday. A partial transcript:\n\n"
            "\"REED: Will the eastern pier reopen before the summer season starts?\n\n"
            "\"LINDGREN: We expect the eastern pier to reopen in May, before the ferries return.\"")
    found = [(q.text, q.speaker) for q in marked(text)]
    assert found == [("Will the eastern pier reopen before the summer season starts?", "Reed"),
                     ("We expect the eastern pier to reopen in May, before the ferries return.",
                      "Tomas Lindgren")]


def test_a_left_double_mark_set_as_a_closer_closes_the_title_it_ends():
    """“Harbour Watch“ with the opening mark twice: the second closes the name, so the words
    after it are no quotation running to the end of the paragraph."""
    text = ("Tom Hale has set up a website called “Harbour Watch If The Bridge Falls“ that offers "
            "the island as a new home for anyone leaving the mainland.\n"
            "“Welcome, we have been waiting for all of you!” a message on the website reads.")
    assert [q.text for q in extract_quotes(text)] == ["Welcome, we have been waiting for all of you!"]
    nested = "“We told them “not this year“ and we meant it every single time,” Hale said."
    assert [(q.text, q.speaker) for q in extract_quotes(nested)] == [
        ("We told them “not this year“ and we meant it every single time,", "Hale")]


def test_a_headline_cited_with_its_byline_is_no_quotation():
    """Link digests cite an article as 'LABEL—"Headline," by Outlet's Author': a title of a
    work, like a book's. A quote that says something and is attributed stays."""
    text = ("HARBOUR NEWS—\"Port to close its night shift at the end of the year,\" by the Herald's "
            "Ana Ruiz: http://example.com/port\n"
            "—\"Ferry fares will rise by a fifth next spring,\" by Coast Weekly's Tom Hale\n"
            "\"We will not close the port this year,\" Hale said.\n"
            "Mayor Dana Whitfield called the plan \"rushed, unfunded and unfair,\" by any measure.")
    assert [(q.text, q.kind) for q in extract_quotes(text) if q.kind != "reported"] == [
        ("We will not close the port this year,", "direct"),
        ("rushed, unfunded and unfair,", "partial")]


def test_a_quote_right_after_a_sentence_closing_on_a_cue_is_that_speakers():
    """'Ana Ruiz disagreed on Monday. “...”': the sentence before the quote ends on its cue, so
    the quote is Ruiz's; not when the sentence goes on after the verb ("agreed to pay ...")."""
    quote = "“The harbour board is running out of time to find another operator.”"
    assert [q.speaker for q in extract_quotes("Ana Ruiz disagreed on Monday. " + quote)] == ["Ana Ruiz"]
    assert [q.speaker for q in extract_quotes("Ana Ruiz agreed to pay the fine. " + quote)] == [None]
    assert [q.speaker for q in extract_quotes("Ana Ruiz disagreed.\n" + quote)] == [None]
