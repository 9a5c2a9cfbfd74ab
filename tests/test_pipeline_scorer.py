"""The learned match scorer: its parameters load, it ranks the claim a text restates above one that
shares a few incidental words, it stays monotone in wording similarity (the floor test relies on
that), and its trainer is deterministic."""
from __future__ import annotations

import json
import math
import random

import pytest

from app.pipeline.matching import prepare, score_match
from app.pipeline.scorer import (
    LEXICAL_FEATURES,
    PARAMS,
    SEMANTIC_ALONE_FEATURES,
    SEMANTIC_FEATURES,
    LogisticModel,
    MatchScorer,
    default_scorer,
    features,
    fit_logistic,
    load_params,
)
from app.pipeline.social import clean_post


def test_shipped_parameters_load_and_name_their_features():
    scorer = load_params(PARAMS)
    assert scorer.lexical.names == LEXICAL_FEATURES
    assert len(scorer.lexical.weights) == len(LEXICAL_FEATURES)
    assert "trained_on" in json.loads(PARAMS.read_text())


def test_the_restated_claim_outranks_a_short_claim_the_post_happens_to_cover():
    post = ("Breaking: the council has voted to close every public library in the county on Sundays "
            "from next year to save money")
    right = "The county council will close all public libraries on Sundays to cut costs, starting next year."
    short = "Public library closed Sundays."
    scorer = default_scorer()
    passage = prepare(post)
    good, bad = score_match(right, passage, None, 0.0, scorer), score_match(short, passage, None, 0.0, scorer)
    assert 0.0 <= bad.score < good.score <= 1.0
    # the hand blend alone ranks the short claim first (it is carried whole): why the scorer is learned
    assert bad.lexical > good.lexical
    assert score_match(short, passage).score == bad.lexical


def test_the_ceiling_bounds_the_score_whatever_the_wording():
    scorer = default_scorer()
    match = score_match("The harbour will close the northern pier for repairs",
                        "Repairs mean the northern pier shuts, the harbour said", None, 0.0, scorer)
    assert match.score <= scorer.ceiling(match)


def test_a_floor_above_the_ceiling_skips_the_candidate():
    scorer = default_scorer()
    claim, passage = "The harbour will close the northern pier for repairs", "The pier at the harbour is old"
    open_match = score_match(claim, passage, None, 0.0, scorer)
    assert open_match.score > 0
    assert score_match(claim, passage, None, scorer.ceiling(open_match) + 0.01, scorer).score == 0.0


def test_semantic_model_is_used_only_when_a_cosine_is_there():
    lexical = LogisticModel(LEXICAL_FEATURES, tuple([0.0] * len(LEXICAL_FEATURES)), 0.0)
    semantic = LogisticModel(SEMANTIC_FEATURES,
                             tuple([0.0] * len(LEXICAL_FEATURES)) + (4.0, 0.0, 0.0)
                             + tuple([0.0] * (len(SEMANTIC_FEATURES) - len(LEXICAL_FEATURES) - 3)), -2.0)
    scorer = MatchScorer(lexical, semantic)
    from dataclasses import replace
    match = score_match("The pier will close for repairs", "The pier will close for repairs soon")
    assert scorer.score(match) == 0.5                      # lexical model: all weights zero
    assert scorer.score(replace(match, semantic=1.0)) > 0.85   # sigmoid(4 - 2)
    assert len(features(replace(match, semantic=0.3), True)) == len(semantic.names)


def test_fit_logistic_separates_and_is_deterministic():
    rng = random.Random(7)
    rows, labels = [], []
    for _ in range(400):
        x = [rng.random(), rng.random()]
        rows.append(x)
        labels.append(int(x[0] + 0.2 * rng.random() > 0.6))
    a = fit_logistic(rows, labels, ("a", "b"))
    b = fit_logistic(rows, labels, ("a", "b"))
    assert a == b
    assert a.weights[0] > 3 and abs(a.weights[1]) < a.weights[0] / 3
    assert a.probability([0.95, 0.5]) > 0.8 > 0.2 > a.probability([0.1, 0.5])


def test_clean_post_splits_tags_and_drops_links_but_keeps_plain_text():
    post = ("#SixFlagsBaltimore closed to non-members, says @BernieSanders https://t.co/abc123 "
            "pic.twitter.com/XyZ — Someone (@some_one) October 4, 2015")
    cleaned = clean_post(post)
    assert "Six Flags Baltimore" in cleaned and "Bernie Sanders" in cleaned
    assert "http" not in cleaned and "pic.twitter" not in cleaned
    assert "October 4, 2015" in cleaned and "some one" in cleaned   # who posted it, and when, stay
    news = "The minister said the plan, costing $4bn, would start in 2025."
    assert clean_post(news) == news


def test_the_gap_to_the_best_candidate_is_read_with_the_cosine():
    from dataclasses import replace
    match = replace(score_match("The pier will close for repairs", "The pier will close for repairs soon"),
                    semantic=0.6)
    alone = features(replace(match, semantic_best=None), True)
    behind = features(replace(match, semantic_best=0.9), True)
    gap = SEMANTIC_FEATURES.index("semantic_gap")
    assert alone[gap] == 0.0 and behind[gap] == pytest.approx(-0.3)
    assert alone[:gap] + alone[gap + 1:] == behind[:gap] + behind[gap + 1:]


def test_a_match_without_a_best_cosine_is_judged_alone_by_the_model_without_the_gap():
    from dataclasses import replace
    lexical = LogisticModel(LEXICAL_FEATURES, tuple([0.0] * len(LEXICAL_FEATURES)), 0.0)
    gapped = LogisticModel(SEMANTIC_FEATURES, tuple(10.0 if n == "semantic_gap" else 0.0
                                                    for n in SEMANTIC_FEATURES), 0.0)
    alone = LogisticModel(SEMANTIC_ALONE_FEATURES, tuple(4.0 if n == "semantic" else 0.0
                                                         for n in SEMANTIC_ALONE_FEATURES), -2.0)
    match = replace(score_match("The pier will close for repairs", "The pier will close for repairs soon"),
                    semantic=0.6)
    row = features(match, True, alone=True)
    assert "semantic_gap" not in SEMANTIC_ALONE_FEATURES and len(row) == len(SEMANTIC_ALONE_FEATURES)
    gap = SEMANTIC_FEATURES.index("semantic_gap")
    assert row == features(match, True)[:gap] + features(match, True)[gap + 1:]
    scorer = MatchScorer(lexical, gapped, semantic_alone=alone)
    # judged alone: the same odds whatever other claim stands nearer the text
    assert scorer.score(match) == pytest.approx(1 / (1 + math.exp(-(4 * 0.6 - 2))), abs=1e-4)
    # read against the text's best (a lookup): the gapped model, a claim behind the best loses
    assert scorer.score(replace(match, semantic_best=0.6)) == 0.5
    assert scorer.score(replace(match, semantic_best=0.9)) < 0.1
    # a file without the alone model: the gapped one reads a gap of 0, as before
    assert MatchScorer(lexical, gapped).score(match) == 0.5
    # judged alone, the meaning never takes away what the words show (the lexical odds, here 0.95)
    sure = LogisticModel(LEXICAL_FEATURES, lexical.weights, 3.0)
    assert MatchScorer(sure, gapped, semantic_alone=alone).score(match) == round(1 / (1 + math.exp(-3)), 4)
    assert MatchScorer(sure, gapped, semantic_alone=alone).score(replace(match, semantic_best=0.9)) < 0.1


def test_the_semantic_model_reads_the_headline_measures_beside_the_text():
    from dataclasses import replace

    from app.pipeline.scorer import HEADLINE_MEASURES, default_scorer
    passage = "The harbour board said the ferry pier will shut for repairs in June"
    text = replace(score_match("Ferry service ends at the old quay", passage), semantic=0.5, semantic_best=0.5)
    headline = score_match("The ferry pier will shut in June", passage)
    flagged = SEMANTIC_FEATURES.index("has_headline")
    without, worded = features(text, True), features(text, True, headline)
    assert len(without) == len(worded) == len(SEMANTIC_FEATURES)
    assert without[-len(HEADLINE_MEASURES):] == [0.0] * len(HEADLINE_MEASURES)
    assert worded[flagged] == 1.0 and worded[SEMANTIC_FEATURES.index("headline_coverage")] > 0.5
    # one shared word is no match: the headline counts as absent
    assert features(text, True, score_match("Pier tolls rise", passage)) == without
    shipped = default_scorer()
    assert shipped.semantic is not None and shipped.semantic.names == SEMANTIC_FEATURES
    assert shipped.semantic_alone is not None and shipped.semantic_alone.names == SEMANTIC_ALONE_FEATURES
    assert shipped.score(text, headline) > shipped.score(text)   # a passage worded like the headline



def test_the_headline_join_rises_with_either_score():
    from app.pipeline.scorer import LogisticModel, MatchScorer, default_scorer

    shipped = default_scorer()
    assert shipped.headline_lexical is not None   # scripts/train_match_scorer.py writes it
    for scorer in (shipped, MatchScorer(shipped.lexical, None)):   # learned, and the noisy-or fallback
        assert scorer.either(0.6, 0.2) < scorer.either(0.6, 0.7) < scorer.either(0.9, 0.7)
        assert 0.0 <= scorer.either(0.0, 0.0) <= scorer.either(1.0, 1.0) <= 1.0
    assert MatchScorer(shipped.lexical, None).either(0.5, 0.5) == 0.75
    flat = LogisticModel(("text_logit", "headline_logit"), (1.0, 1.0), 0.0)
    assert MatchScorer(shipped.lexical, None, headline_lexical=flat).either(0.5, 0.5) == 0.5


def _entry(score, text=None, head=None, lexical=0.5, share=0.3, cover=0.5, semantic=None):
    from app.pipeline.scorer import ListEntry

    return ListEntry(score, score if text is None else text, head, lexical, share, cover, semantic)


def test_list_features_read_each_candidate_against_its_list():
    from app.pipeline.scorer import LEXICAL_LIST_FEATURES, LIST_FEATURES, SEMANTIC_LIST_FEATURES, list_features

    entries = [_entry(0.6, head=0.2, share=0.2), _entry(0.9, head=0.8, share=0.5), _entry(0.3)]
    rows = list_features(entries, semantic=False)
    assert [len(r) for r in rows] == [len(LEXICAL_LIST_FEATURES)] * 3
    assert LEXICAL_LIST_FEATURES[:len(LIST_FEATURES)] == LIST_FEATURES   # the semantic rows' order kept
    col = {name: [r[i] for r in rows] for i, name in enumerate(LEXICAL_LIST_FEATURES)}
    assert col["gap_to_best"][1] == 0.0 and col["gap_to_best"][0] < 0 and col["gap_to_best"][2] < col["gap_to_best"][0]
    assert col["margin_over_next"][1] > 0 and col["margin_over_next"][0] == col["margin_over_next"][2] == 0.0
    assert col["rank"][1] == 0.0 and col["rank"][0] < col["rank"][2]
    assert col["index_rank"][0] == 0.0 < col["index_rank"][1] < col["index_rank"][2]
    # the second leads on its text and on its headline; the third has no headline
    assert col["text_and_headline_lead"] == [0.0, 1.0, 0.0]
    assert col["has_headline"] == [1.0, 1.0, 0.0] and col["headline_rank"][2] == 0.0
    assert col["union_share_of_best"][1] == 1.0 and col["union_share_of_best"][0] == 0.4
    rows = list_features([_entry(0.5, semantic=0.7), _entry(0.4, semantic=0.9)], semantic=True)
    assert len(rows[0]) == len(SEMANTIC_LIST_FEATURES)
    gap = SEMANTIC_LIST_FEATURES.index("semantic_gap")
    assert rows[1][gap] == 0.0 and abs(rows[0][gap] + 0.2) < 1e-9     # cosine below the list's best


def test_rerank_without_a_list_model_keeps_the_pointwise_odds():
    lexical = LogisticModel(LEXICAL_FEATURES, tuple([0.0] * len(LEXICAL_FEATURES)), 0.0)
    assert MatchScorer(lexical, None).rerank([_entry(0.7)], semantic=False) is None


def test_the_list_model_lowers_a_runner_up_and_keeps_odds_in_range():
    from app.pipeline.scorer import LIST_FEATURES

    weights = [1.0 if n in ("logit", "gap_to_best") else 0.0 for n in LIST_FEATURES]
    lexical = LogisticModel(LEXICAL_FEATURES, tuple([0.0] * len(LEXICAL_FEATURES)), 0.0)
    scorer = MatchScorer(lexical, None, list_lexical=LogisticModel(LIST_FEATURES, tuple(weights), 0.0))
    alone = scorer.rerank([_entry(0.8)], semantic=False)
    behind = scorer.rerank([_entry(0.95), _entry(0.8)], semantic=False)
    assert alone[0] == 0.8                       # alone on its list: its own odds
    assert behind[1] < alone[0] < behind[0] <= 1.0
    assert scorer.rerank([], semantic=False) is None


def test_list_features_read_what_the_shared_words_are_on_the_lexical_path():
    from dataclasses import replace

    from app.pipeline.scorer import EVIDENCE_LIST_FEATURES, LEXICAL_LIST_FEATURES, list_features

    body = replace(_entry(0.5), date_share=0.0, rarest=1.0, signature_share=0.0, body_share=0.6)
    dated = replace(_entry(0.5), date_share=0.7, rarest=0.3, signature_share=0.8, body_share=0.1)
    rows = list_features([dated, body], semantic=False)
    col = {name: [r[i] for r in rows] for i, name in enumerate(LEXICAL_LIST_FEATURES)}
    assert col["date_share"] == [0.7, 0.0] and col["signature_share"] == [0.8, 0.0]
    assert col["rarest"] == [0.3, 1.0] and col["rarest_rank"][1] == 0.0 < col["rarest_rank"][0]
    assert col["body_share_rank"][1] == 0.0 < col["body_share_rank"][0]
    # the semantic path's rows read them too, after the cosine's two
    semantic = list_features([dated, body], semantic=True)
    assert len(semantic[0]) == len(LEXICAL_LIST_FEATURES) + 2
    assert semantic[0][-len(EVIDENCE_LIST_FEATURES):] == rows[0][-len(EVIDENCE_LIST_FEATURES):]


def test_the_shipped_list_model_trusts_a_posts_own_words_over_its_date():
    """Two candidates alike in every list measure but what their shared words are: the one sharing
    the post's own, telling words outranks the one sharing its signature's date."""
    from dataclasses import replace

    scorer = load_params(PARAMS)
    body = replace(_entry(0.5), date_share=0.0, rarest=1.0, signature_share=0.0, body_share=0.5)
    dated = replace(_entry(0.5), date_share=0.8, rarest=0.4, signature_share=0.8, body_share=0.1)
    odds = scorer.rerank([dated, body], semantic=False)
    assert odds[1] > odds[0]


def test_shipped_list_models_name_their_features():
    from app.pipeline.scorer import LEXICAL_LIST_FEATURES, SEMANTIC_LIST_FEATURES

    scorer = load_params(PARAMS)
    assert scorer.list_lexical is not None and scorer.list_lexical.names == LEXICAL_LIST_FEATURES
    if scorer.list_semantic is not None:
        assert scorer.list_semantic.names == SEMANTIC_LIST_FEATURES
