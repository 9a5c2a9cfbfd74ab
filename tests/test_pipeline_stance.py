"""Stance of a passage against a claim (app/pipeline/stance.py): text in, a label and a probability
out; and the trainer that makes its parameters file, on a tiny set written for these tests."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.pipeline.stance import (
    LABELS,
    PARAMETERS,
    StanceResult,
    features,
    lexicon_features,
    load_parameters,
    stance,
)
from app.pipeline.stance_train import TrainSettings, learn_lexicon, train

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from train_stance import write_parameters  # noqa: E402

CLAIM = "The harbour tunnel will close for repairs next month"


@pytest.mark.parametrize("passage", [
    "The harbour tunnel will close for repairs next month, officials say.",
    "The harbour tunnel will reportedly close for repairs next month.",
    "The harbour tunnel may close for repairs next month, according to unnamed sources.",
    "Will the harbour tunnel close for repairs next month?",
])
def test_a_hedged_report_discusses_the_claim(passage):
    assert stance(CLAIM, passage).label == "discusses"


@pytest.mark.parametrize("passage", [
    "The story that the harbour tunnel will close next month is a hoax.",
    "Reports that the harbour tunnel will close next month are false, the council said.",
    "The council denied that the harbour tunnel will close for repairs next month.",
    "The harbour tunnel will not close for repairs next month.",
])
def test_a_debunk_or_denial_contradicts_the_claim(passage):
    assert stance(CLAIM, passage).label == "contradicts"


@pytest.mark.parametrize("passage", [
    "The harbour tunnel will close for repairs next month.",
    "Harbour tunnel to close for repairs next month",
    # the source named is the claim's speaker (or his office), not a hedge
    "The harbour tunnel closes for repairs next month, the transport minister said.",
    "The harbour tunnel will close for repairs next month, according to the transport ministry.",
    "The harbour tunnel will close for repairs next month, Okafor said.",
    "Minister Lena Okafor says the harbour tunnel will close for repairs next month",
])
def test_a_plain_restatement_repeats_the_claim(passage):
    result = stance(CLAIM, passage, speaker="Lena Okafor")
    assert result.label == "repeats"
    assert result.prob >= 0.6


def test_attribution_is_read_against_the_claims_speaker():
    """Another named person passing the claim on reports it second-hand, as any "says" does of a
    claim nobody is known to have made; the claim's own speaker saying it restates it."""
    own = "The harbour tunnel will close for repairs next month, Lena Okafor said."
    other = "The harbour tunnel will close for repairs next month, Marcus Bell said."
    assert "attributed" not in dict(features(CLAIM, own, "Lena Okafor"))
    assert "attributed" in dict(features(CLAIM, other, "Lena Okafor"))
    assert "attributed" in dict(features(CLAIM, own, None))
    # a role or a body is no other person: the speaker's office may speak for him
    assert "attributed" not in dict(features(CLAIM, "The tunnel will close, the ministry said.", "Lena Okafor"))
    # a claim that is itself a report is passed on by any "says"
    assert "attributed" not in dict(features("Okafor says the tunnel will close", other, None))
    assert stance(CLAIM, other, speaker="Lena Okafor").probs[2] > stance(CLAIM, own, speaker="Lena Okafor").probs[2]


def test_a_source_named_after_a_colon_is_read_as_attribution():
    assert "labelled after" in dict(features(CLAIM, "Harbour tunnel to close for repairs next month: report"))
    assert "labelled after" in dict(features(CLAIM, "Harbour tunnel to close next month: city sources"))
    # the claim's speaker named so is the claim's own word; a time is no label
    assert "labelled after" not in dict(features(CLAIM, "Harbour tunnel to close next month: Okafor", "Lena Okafor"))
    assert "labelled after" not in dict(features(CLAIM, "The harbour tunnel closes next month at 10:30"))
    assert stance(CLAIM, "Harbour tunnel to close for repairs next month: report").label == "discusses"


def test_no_joke_and_no_show_are_not_denials():
    assert stance(CLAIM, "No joke: the harbour tunnel will close for repairs next month.").label == "repeats"
    claim = "The mayor skipped the opening of the harbour tunnel"
    passage = "The mayor was a no-show at the opening of the harbour tunnel."
    assert stance(claim, passage).label == "repeats"
    assert "passage negated" not in dict(features(claim, passage))
    # the same words with a real "not" are read as one
    assert "passage negated" in dict(features(claim, "The mayor was not at the opening of the harbour tunnel."))


def test_a_quoted_name_opening_with_no_negates_nothing():
    claim = "The two mayors renewed their \u201cno-tolls\u201d pact for the harbour tunnel"
    for passage in ("The two mayors signed a \u201cno tolls\u201d pact for the harbour tunnel in 2019.",
                    "The two mayors renewed their 'no tolls' pact for the harbour tunnel."):
        read = dict(features(claim, passage))
        assert "passage negated" not in read and "polarity differs" not in read
        assert stance(claim, passage).label != "contradicts"
    # quoted speech keeps its "no"
    assert "passage negated" in dict(features(claim, 'Asked about the pact for the harbour tunnel, the mayors said "no tolls".'))


@pytest.mark.parametrize("passage", [
    "The lighthouse keeper is alive and well after the storm",
    "Lighthouse keeper says he is safe after the storm",
    "Reports of the lighthouse keeper's death in the storm are greatly exaggerated",
])
def test_a_death_story_answered_by_its_subject_contradicts_it(passage):
    claim = "The lighthouse keeper died in the storm"
    assert stance(claim, passage).label == "contradicts"
    assert stance(claim, "Lighthouse keeper died in the storm").label == "repeats"


def test_a_claim_that_reports_a_saying_is_not_doubted_by_another_saying_verb():
    claim = "The mayor says the harbour tunnel will close next month"
    passage = "Mayor claims the harbour tunnel will close next month"
    assert "hedge=claims" not in dict(features(claim, passage))
    assert "hedge=claims" in dict(features(CLAIM, "The mayor claims the harbour tunnel will close next month"))


def test_how_far_a_cue_stands_from_the_claim_is_read():
    near = dict(features(CLAIM, "The council denied that the harbour tunnel will close for repairs next month."))
    assert near.get("refute near") == 1.0 and "refute far" not in near
    far = dict(features(CLAIM, "Maybe the long wait is over at last as the harbour tunnel will close for repairs."))
    assert far.get("hedge far") == 1.0 and "hedge near" not in far


def test_the_learned_lexicon_counts_claims_not_passages():
    one_story = [("The pier will close", f"Pier closure boasts version {i}", "repeats") for i in range(6)]
    many = [(f"The {place} will close", f"{place.title()} closure, gossip has it", label)
            for place, label in (("pier", "discusses"), ("school", "discusses"), ("mill", "discusses"),
                                 ("bank", "repeats"))]
    lexicon = learn_lexicon(one_story + many, min_claims=3)
    assert "boasts" not in lexicon            # six passages, one claim
    assert "gossip" in lexicon                # four claims, three of them discussed
    assert lexicon["gossip"][LABELS.index("discusses")] > 0 > lexicon["gossip"][LABELS.index("contradicts")]
    assert not any(ch.isdigit() for word in lexicon for ch in word)
    read = dict(lexicon_features(lexicon, "The quay will close", "Quay closure, gossip has it"))
    added = {"closure", "gossip", "has", "it"} & set(lexicon)   # "quay": no training claim had it
    assert "gossip" in added
    assert read["lexicon discusses"] == pytest.approx(sum(lexicon[w][LABELS.index("discusses")] for w in added) / (len(added) + 2))
    assert lexicon_features(lexicon, "The quay will close", "The quay will close") == ()


def test_a_speakers_words_in_a_long_news_sentence_are_a_confident_repeat():
    """Headlines (what the model learns on) are short; a news sentence carries the claim among
    many more words, which must not wash the repeat out below the link confidence."""
    claim = "The city will build three new bridges over the river by 2027"
    for passage in ('"The city will build three new bridges over the river by 2027," Holt told reporters, '
                    "adding that funding had been secured from the state.",
                    "The city will build three new bridges over the river by 2027, Mayor Jane Holt said "
                    "on Tuesday at a press conference in the town hall."):
        result = stance(claim, passage, speaker="Jane Holt")
        assert result.label == "repeats" and result.prob >= 0.6


def test_the_lexicon_reads_a_mean_and_leaves_attribution_to_the_hand_features():
    lexicon = {w: [0.0, 0.0, 1.0] for w in ("gossip", "rumble", "murmur", "whisper")} | {"said": [0.0, 0.0, 5.0]}
    one = dict(lexicon_features(lexicon, "The pier will close", "The pier will close, gossip has it"))
    four = dict(lexicon_features(lexicon, "The pier will close",
                                 "The pier will close, gossip, rumble, murmur and whisper have it"))
    # a mean shrunk by two neutral words: one known word says less than four, and no number of
    # words says more than one word's own lean (a sum would give 4.0)
    assert one["lexicon discusses"] == pytest.approx(1 / 3)
    assert four["lexicon discusses"] == pytest.approx(4 / 6)
    assert lexicon_features(lexicon, "The pier will close", "The pier will close, the mayor said") == ()


def test_any_denial_verb_is_read_as_one_even_when_its_form_is_rare():
    assert dict(features(CLAIM, "The council disputed that the harbour tunnel will close next month.")).get(
        "denial verb") == 1.0
    assert "denial verb" not in dict(features("The council denied the tunnel will close",
                                              "The council denied the tunnel will close"))


def test_not_only_but_also_is_no_denial():
    passage = "The harbour tunnel will not only close for repairs next month but also get new lights."
    assert stance(CLAIM, passage).label != "contradicts"


def test_a_cue_the_claim_itself_holds_is_not_counted():
    claim = "The harbour tunnel could close for repairs next month"
    assert "hedge=could" not in dict(features(claim, "The harbour tunnel could close for repairs next month."))
    assert "hedge=could" in dict(features(CLAIM, "The harbour tunnel could close for repairs next month."))


def test_a_negation_far_from_the_claim_in_a_long_passage_is_not_read():
    passage = ("The harbour tunnel will close for repairs next month, the operator announced on a busy "
               "Tuesday morning, while the ferry company, which runs the crossings at the southern "
               "end of the bay, has not yet said whether it will add any extra boats.")
    assert "passage negated" not in dict(features(CLAIM, passage))
    assert stance(CLAIM, passage).label != "contradicts"


def test_probabilities_are_a_distribution_and_the_label_is_the_likeliest():
    result = stance(CLAIM, "The harbour tunnel will reportedly close for repairs next month.")
    assert len(result.probs) == len(LABELS)
    assert sum(result.probs) == pytest.approx(1.0, abs=1e-3)
    assert all(0.0 <= p <= 1.0 for p in result.probs)
    assert result.prob == max(result.probs)
    assert result.label == LABELS[result.probs.index(result.prob)]


def test_an_extra_feature_weighs_only_when_the_parameters_know_it():
    passage = "The harbour tunnel will close for repairs next month."
    plain = stance(CLAIM, passage)
    assert stance(CLAIM, passage, extra={"embedding cosine": 0.9}) == plain
    params = json.loads(json.dumps(load_parameters()))
    params["weights"]["embedding cosine"] = [0.0, 0.0, 10.0]
    assert stance(CLAIM, passage, extra={"embedding cosine": 0.9}, params=params).label == "discusses"


def test_the_shipped_parameters_load_with_a_weight_per_label():
    params = load_parameters()
    assert tuple(params["labels"]) == LABELS
    assert params["trained_on"] == "emergent_stance_train.jsonl"
    assert {"bias", "hedge cues", "refute cues", "polarity differs", "lexicon discusses"} <= set(params["weights"])
    assert params["lexicon"] and all(len(v) == len(LABELS) for v in params["lexicon"].values())
    assert all(len(w) == len(LABELS) and all(isinstance(x, float) for x in w)
               for w in params["weights"].values())
    assert PARAMETERS.name == "stance.json"


SYNTHETIC = [
    ("The bridge will reopen in May", "The bridge will reopen in May", "repeats"),
    ("The bridge will reopen in May", "Bridge set for May reopening, council confirms", "repeats"),
    ("The ferry fare will double", "The ferry fare will double from Monday", "repeats"),
    ("The ferry fare will double", "Ferry fare doubling is a hoax", "contradicts"),
    ("The bridge will reopen in May", "The bridge will not reopen in May", "contradicts"),
    ("The school will close", "Claims that the school will close are false", "contradicts"),
    ("The school will close", "The school may close, sources say", "discusses"),
    ("The bridge will reopen in May", "The bridge will reportedly reopen in May", "discusses"),
    ("The ferry fare will double", "Will the ferry fare double?", "discusses"),
] * 2


def test_training_is_deterministic_and_learns_the_cues(tmp_path):
    settings = TrainSettings(epochs=60, min_count=1)
    first, second = train(SYNTHETIC, settings), train(SYNTHETIC, settings)
    write_parameters(first, tmp_path / "a.json")
    write_parameters(second, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert json.loads((tmp_path / "a.json").read_text())["weights"] == first["weights"]
    assert json.loads((tmp_path / "a.json").read_text())["lexicon"] == first["lexicon"]
    # an unseen pair with the cues it learned
    assert stance("The dam will open", "The dam will allegedly open, sources say", params=first).label == "discusses"
    assert stance("The dam will open", "The dam will open", params=first).label == "repeats"
    assert isinstance(stance("The dam will open", "The dam opening is a hoax", params=first), StanceResult)
    assert stance("The dam will open", "The dam opening is a hoax", params=first).label == "contradicts"


@pytest.mark.parametrize("passage, labelled", [
    ("Councillor: harbour tunnel to close for repairs next month", True),
    ("Port officials: harbour tunnel will close next month", True),
    ("At 10:30 the harbour tunnel will close: repairs begin", False),
    ("The harbour tunnel will close for repairs next month", False),
])
def test_a_passage_opening_with_a_labelled_source_is_read(passage, labelled):
    """"Councillor: ..." passes on someone's words (a headline's way of saying "X says")."""
    assert ("labelled source" in dict(features(CLAIM, passage))) is labelled


def test_a_labelled_source_leans_to_discusses_in_the_shipped_model():
    weights = load_parameters()["weights"]["labelled source"]
    assert weights[LABELS.index("discusses")] > weights[LABELS.index("repeats")]
