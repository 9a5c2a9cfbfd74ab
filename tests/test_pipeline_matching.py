"""Scoring a passage against a claim: text in, MatchScore out."""
from __future__ import annotations

import pytest

from app.domain.matching import MatchConfig, decide
from app.pipeline.context import sentence_spans
from app.pipeline.matching import (
    content_words,
    highlight_spans,
    idf_weights,
    negated,
    query_terms,
    score_match,
)

CLAIM = "The river authority will open the northern flood gates before the spring rains arrive"


def test_verbatim_repeat_inside_a_longer_sentence_scores_top():
    passage = f"On Monday the director said {CLAIM.lower()}, adding that farmers were warned."
    match = score_match(CLAIM, passage)
    assert match.coverage == 1.0
    assert match.similarity == 1.0
    assert decide(match, MatchConfig()) == ("repeats", "extracted")


def test_paraphrase_is_suggested_with_its_shared_words():
    passage = "Officials plan to open flood gates in the north of the river before rains in spring."
    match = score_match(CLAIM, passage)
    assert 0.5 <= match.score < 0.9
    assert {"river", "open", "flood", "gates", "spring", "rains"} <= set(match.shared)
    assert decide(match, MatchConfig()) == ("repeats", "suggested")
    assert "shared words" in match.reason


def test_plural_and_inflected_forms_share_a_stem():
    a = score_match("The militaries deepen their mutual trust", "military trust deepened mutually")
    assert set(a.shared) == {"militaries", "deepen", "mutual", "trust"}
    b = score_match("serving the building of a community", "They serve to build communities")
    assert set(b.shared) == {"serving", "building", "community"}
    # A consonant doubled before -ing / -ed: "cutting" is "cut", "planned" is "plan".
    c = score_match("We are not thinking about cutting rates or planned hikes", "The bank will cut rates and plan hikes")
    assert {"cutting", "rates", "planned", "hikes"} <= set(c.shared)


def test_a_prefix_written_with_or_without_a_hyphen_is_one_word():
    match = score_match("The two ports will deepen their cooperation on a multipolar trade order",
                        "boosting co-operation between the ports and the multi-polarization of trade")
    assert {"cooperation", "multipolar", "trade", "ports"} <= set(match.shared)
    passage = "more co-operation and a multi-polar order"
    spans = highlight_spans(passage, "cooperation for a multipolar order")
    assert [passage[a:b] for a, b in spans] == ["co-operation", "multi-polar", "order"]


def test_a_single_shared_topic_word_is_no_match():
    match = score_match(CLAIM, "The river was calm all week and tourists came back.")
    assert match.score == 0.0
    assert decide(match, MatchConfig()) is None


def test_denial_on_the_same_subject_is_a_possible_contradiction_never_a_link():
    passage = "The authority denied that the northern flood gates would open before the spring rains."
    match = score_match(CLAIM, passage)
    assert match.polarity_differs
    assert decide(match, MatchConfig()) == ("contradicts", "suggested")


@pytest.mark.parametrize("verb", ["disputed claims", "contested claims", "rebutted claims"])
def test_disputing_a_claim_is_a_denial(verb):
    passage = f"The mayor {verb} that the river authority would open the northern flood gates before the spring rains."
    assert decide(score_match(CLAIM, passage), MatchConfig()) == ("contradicts", "suggested")


def test_a_denial_verb_governs_its_that_clause_however_far_it_stands():
    claim = "The flood gates are not safe to open this spring"
    far = ("Engineers at the valley's largest dam have disputed the river authority's claim that the "
           "flood gates are safe to open this spring.")
    assert not score_match(claim, far).polarity_differs          # both deny that the gates are safe
    assert score_match("The flood gates are safe to open this spring", far).polarity_differs
    aside = ("The director, who has long denied any wrongdoing in the affair, said that the flood "
             "gates are safe to open this spring.")
    assert not score_match("The flood gates are safe to open this spring", aside).polarity_differs


def test_doubt_and_rejection_govern_their_that_clause():
    claim = "There is no way the flood gates will be finished by 2028"
    doubt = "Engineers have cast doubt on the authority's promise that the flood gates will be finished by 2028."
    assert not score_match(claim, doubt).polarity_differs
    short = "Engineers cast doubt on it: the flood gates will be finished by 2028."
    assert score_match("The flood gates will be finished by 2028", short).polarity_differs
    rejected = "Lund also rejected the minister's claim that the gates would pay for themselves within ten years."
    assert score_match("The gates will be finished by 2028 and will pay for themselves within ten years",
                       rejected).polarity_differs


def test_negated_claim_against_an_affirming_passage_differs_too():
    claim = "The two countries are not forming a military alliance"
    match = score_match(claim, "Both countries seek to bolster their military alliance this year.")
    assert match.polarity_differs
    assert decide(match, MatchConfig()) == ("contradicts", "suggested")


def test_negation_counts_phrases_and_double_negatives():
    assert negated("There are no signs of a deal")
    assert negated("He did not say that")
    assert not negated("It is not untrue that the plan works")
    assert not negated("The plan works")
    assert not negated("Cooperation not only serves both sides but also deters others")


def test_rather_than_denies_what_follows_it_only():
    claim = "The city will build a new bridge over the river"
    # The claim on the asserted side of the contrast: a repeat.
    kept = score_match(claim, "The city will build a new bridge over the river rather than a tunnel.")
    assert not kept.polarity_differs
    # The claim on the denied side: a possible contradiction.
    denied = score_match(claim, "The council chose a ferry rather than a new bridge over the river.")
    assert denied.polarity_differs
    assert decide(denied, MatchConfig()) == ("contradicts", "suggested")
    # A contrast inside the claim is read the same way.
    inside = "Funds will go to schools instead of a new stadium"
    assert score_match(inside, "The mayor said a new stadium will get the funds.").polarity_differs
    assert not score_match(inside, "Funds will go to schools, the mayor said.").polarity_differs
    # Alone, a contrast does not deny the sentence's main statement.
    assert not negated("This was chosen rather than the old plan")


def test_stopwords_and_negations_are_not_content():
    assert content_words("It is not the plan of the city") == ["plan", "city"]
    assert query_terms("the northern flood gates of the river", 2) == ["northe", "flood"]


def test_claims_of_three_words_must_be_carried_whole():
    config = MatchConfig()
    claim = "deepen military trust"
    partial = score_match(claim, "They will build trust between their militaries")
    assert len(partial.shared) == 2
    assert decide(partial, config) is None
    whole = score_match(claim, "The aim is to deepen military trust with its neighbour")
    assert decide(whole, config) is not None


def test_half_of_a_longer_claim_is_enough_unless_those_words_are_common():
    config = MatchConfig()
    claim = "deepen mutual military trust"
    passage = "They will build trust between their militaries"
    assert decide(score_match(claim, passage), config) == ("repeats", "suggested")
    # In a store where every claim speaks of the military, "military" tells little: the two
    # shared words no longer carry half of what the claim says.
    weights = idf_weights({"deepen": 3, "mutual": 4, "milita": 900, "trust": 40}, 1000)
    weighted = score_match(claim, passage, weights)
    assert weighted.coverage < 0.5
    assert decide(weighted, config) is None


def test_idf_weights_favour_rare_words_and_never_reach_zero():
    weights = idf_weights({"rare": 1, "common": 5000, "absent": 0}, 5000)
    assert weights["absent"] > weights["rare"] > weights["common"] > 0


def test_a_claim_of_one_content_word_matches_nothing():
    assert score_match("I did not have any this year", "This year was the best year").score == 0.0


def test_highlight_spans_mark_the_passage_words_shared_with_the_claim():
    passage = "Gates will open early."
    spans = highlight_spans(passage, "The flood gates open")
    assert [passage[a:b] for a, b in spans] == ["Gates", "open"]


def test_sentence_spans_cover_sentences_quotes_and_paragraphs():
    text = "He said “it is fine.” Then the U.S. Gen. Smith left. what next?\n\nA new paragraph"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "He said “it is fine.”", "Then the U.S. Gen. Smith left. what next?", "A new paragraph"]


def test_sentence_spans_cut_runaway_text():
    spans = sentence_spans("word " * 1000, max_chars=500)
    assert all(b - a <= 500 for a, b in spans)
    assert len(spans) >= 9


def test_a_floor_leaves_out_only_what_could_not_reach_it():
    """The floor skips the wording alignment for claims that cannot reach it even word for word;
    every claim that does reach it is scored exactly as without a floor."""
    from app.pipeline.matching import NO_MATCH
    claims = [CLAIM, "The spring rains arrive before the gates open", "Farmers were warned about the northern flood",
              "The authority denies that the gates will open", "Rains arrive in the north"]
    passages = [f"The director said {CLAIM.lower()}.", "Farmers were warned that the spring rains arrive soon.",
                "The northern gates will not open, the authority said.", "Rain fell on the river all day."]
    pruned = kept = 0
    for claim in claims:
        for passage in passages:
            full = score_match(claim, passage)
            for floor in (0.3, 0.45, 0.5, 0.9):
                cut = score_match(claim, passage, floor=floor)
                if cut == NO_MATCH and full != NO_MATCH:
                    assert full.score < floor
                    pruned += 1
                else:
                    assert cut == full
                    kept += full != NO_MATCH
    assert pruned and kept      # both cases were exercised


def test_union_measures_read_a_claim_and_its_headline_as_one_wording():
    from app.pipeline.matching import claim_stems, prepare, union_measures

    passage = prepare("Ferry crews strike over the new harbour rota on Monday").stems
    text = claim_stems("Harbour staff will walk out because of a new rota")
    head = claim_stems("Are ferry crews on strike?")
    share, cover = union_measures(passage, text, head, None)
    text_share, _ = union_measures(passage, text, frozenset(), None)
    assert 0.0 < text_share < share <= 1.0
    assert 0.0 < cover <= 1.0
    # the words the text shares weigh more: so does its share of the passage
    weights = {s: 5.0 if s in text else 1.0 for s in passage | text | head}
    assert union_measures(passage, text, frozenset(), weights)[0] > text_share


def test_weights_worked_out_once_by_the_caller_score_as_weighed_per_pair():
    """A caller scoring one passage against many claims (or one claim against many passages)
    passes its weight in; the score is the one worked out without it, to the last digit."""
    from app.pipeline.matching import claim_weight_of, passage_weight_of, prepare, stems
    claims = [CLAIM, "Farmers were warned about the northern flood", "The authority denies that the gates will open"]
    passages = [f"The director said {CLAIM.lower()}.", "The northern gates will not open, the authority said.",
                "Farmers were warned that the spring rains arrive soon."]
    words = set().union(*(stems(t) for t in claims + passages))
    weights = {w: 1.0 + (i % 5) * 0.37 for i, w in enumerate(sorted(words))}
    compared = 0
    for passage in passages:
        prepared = prepare(passage)
        for claim in claims:
            alone = score_match(claim, prepared, weights)
            given = score_match(claim, prepared, weights, passage_weight=passage_weight_of(weights, prepared),
                                claim_weight=claim_weight_of(weights, claim))
            assert given == alone
            compared += alone.score > 0
    assert compared >= 3
    # A wrong weight given does change the score: the argument is read.
    assert (score_match(CLAIM, passages[0], weights, claim_weight=1e6).score
            < score_match(CLAIM, passages[0], weights).score)


def test_a_pair_under_the_shared_weight_bar_scores_nothing():
    """shared_weight_bar: a passage whose stems shared with the claim weigh less than the bar
    scores 0 for every passage weight, so matching back may leave it out unscored; a passage
    sharing little of a long claim but made of little else still scores, above its bar."""
    import random

    from app.pipeline.matching import claim_stems, claim_weight_of, prepare, shared_weight_bar, stems_weight
    from app.pipeline.scorer import default_scorer

    rng = random.Random(7)
    vocab = ["harbour", "ferry", "strike", "rota", "crews", "monday", "council", "budget", "library",
             "bridge", "toll", "rail", "fares", "night", "shift", "port", "union", "wages", "march", "vote"]
    weights = {}
    for w in vocab:
        weights.update({s: rng.choice([0.2, 0.5, 1.0, 3.0, 7.5]) for s in claim_stems(w)})
    below = scored = 0
    for _ in range(400):
        claim = " ".join(rng.sample(vocab, rng.randint(3, 12)))
        passage = prepare(" ".join(rng.sample(vocab, rng.randint(2, 16))))
        for scorer, lexical_floor, floor in ((None, 0.5, 0.45), (default_scorer(), 0.5, 0.45), (None, 0.0, 0.0)):
            bar = shared_weight_bar(claim_weight_of(weights, claim), lexical_floor, floor, scorer)
            match = score_match(claim, passage, weights, floor, scorer, lexical_floor)
            if stems_weight(weights, claim_stems(claim) & passage.stems) < bar:
                assert match.score == 0
                below += 1
            scored += match.score > 0
    assert below > 50 and scored > 50     # both sides were exercised
    # Two of a long claim's eleven words, in a passage of little else: scored, and above its bar.
    claim = "harbour ferry strike rota crews monday council budget library bridge toll"
    match = score_match(claim, "The harbour ferry", None, 0.45, None, 0.5)
    assert match.score > 0
    assert stems_weight(None, claim_stems(claim) & prepare("The harbour ferry").stems) >= \
        shared_weight_bar(claim_weight_of(None, claim), 0.5, 0.45)


def test_union_evidence_says_what_the_shared_words_are():
    from app.pipeline.matching import claim_stems, passage_stems, union_evidence
    from app.pipeline.social import clean_post, post_signature

    post = clean_post("The ferry to Marlow island sinks every winter, locals say "
                      "\u2014 Dana Vell (@DanaVell) March 3, 2019")
    signature = post_signature(post)
    assert signature.startswith("\u2014 Dana Vell") and signature.endswith("2019")
    stems = passage_stems(post)
    signed = stems - passage_stems(post.replace(signature, " "))
    assert {"dana", "vell", "2019"} <= signed
    weights = {s: 1.0 for s in stems} | {"marlow": 5.0, "ferry": 3.0}
    ferry = union_evidence(stems, claim_stems("The Marlow ferry sinks in winter"), frozenset(), weights, signed)
    dated = union_evidence(stems, claim_stems("Dana Vell won a prize in 2019"), frozenset(), weights, signed)
    date_share, rarest, signature_share, body_share = ferry
    assert date_share == 0.0 and signature_share == 0.0 and rarest == 1.0   # shares the rarest word
    assert body_share > dated[3] == 0.0
    assert dated[0] == 0.3333 and dated[2] == 1.0 and dated[1] < 1.0        # "2019" of three: a date
    # a news passage has no signature, and nothing shared is no evidence
    assert post_signature("The minister said on March 3, 2019 that the ferry runs.") == ""
    assert union_evidence(stems, claim_stems("Bridges close at night"), frozenset(), weights) == (0.0,) * 4


def test_quoted_phrases_are_short_marked_names_normalized():
    from app.pipeline.matching import quoted_phrases, shares_quoted_phrase

    assert quoted_phrases("They renewed their \u201copen-berth\u201d accord.") == {"open berth"}
    assert quoted_phrases("a \u2018multi-polar order\u2019 and the \u201crules\u201d") == {"multipolar order"}
    # a quotation of speech is not a name; nor is a lone word, nor a text without marks
    assert quoted_phrases("He said \u201cwe will keep every ferry route running from the north pier\u201d.") == set()
    assert quoted_phrases("Nothing is marked here, it's plain.") == set()
    assert shares_quoted_phrase("the \u2018open berth\u2019 accord was renewed", "an \u201copen-berth\u201d deal")
    assert not shares_quoted_phrase("the \u2018open berth\u2019 accord was renewed", "an open berth deal")


def test_contractions_of_stopwords_are_no_content_and_negations_still_count():
    assert content_words("He'd say we're ready and they've planned it; I'm sure that's fine") == \
        ["ready", "planned", "sure", "fine"]
    assert content_words("Officials mustn't and needn't wait") == ["officials", "wait"]
    # "n't" words stay negations: polarity is still read from them
    assert negated("The port mustn't close") and negated("They don't agree")
    assert not negated("He'd agree, we're told")
    match = score_match("The harbour will close the northern pier", "He'd said the harbour will close the northern pier")
    assert "he'd" not in match.shared and not match.polarity_differs
    denied = score_match("The harbour will close the northern pier", "The harbour won't close the northern pier")
    assert denied.polarity_differs


def test_words_with_combining_marks_match_whole():
    claim = "\u0915\u093f\u0938\u093e\u0928\u094b\u0902 \u0928\u0947 \u0926\u093f\u0932\u094d\u0932\u0940 \u092e\u0947\u0902 \u092e\u093e\u0930\u094d\u091a \u0915\u093f\u092f\u093e"
    words = content_words(claim)
    assert "\u0915\u093f\u0938\u093e\u0928\u094b\u0902" in words and "\u0926\u093f\u0932\u094d\u0932\u0940" in words
    assert all(len(w) > 1 for w in words)


def test_a_prefix_standing_alone_is_no_content():
    assert content_words("Re: the non aligned plan, see t.co/x7Kp") == ["aligned", "plan", "see", "x7kp"]
    assert content_words("the non-aligned plan") == ["nonaligned", "plan"]


def test_a_digit_like_word_that_is_no_number_is_no_date():
    """'²' and '³' are digits to str.isdigit() but not to int(): a shared '²' once made `similar`
    answer 500 (union_evidence asked whether it was a day of the month)."""
    from app.pipeline.matching import _is_date, union_evidence

    assert not _is_date("\u00b2") and not _is_date("\u0663")
    assert _is_date("12") and _is_date("2019") and not _is_date("2500")
    shared = frozenset({"\u00b2", "harbour"})
    assert union_evidence(shared, shared, frozenset(), None)[0] == 0.0
