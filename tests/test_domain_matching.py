"""Matching across outlets through the search index, and the analyst's decisions on suggestions."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.domain.articles import ArticleInput, ingest_article, rematch_article
from app.domain.errors import Conflict, NotFound
from app.domain.known_claims import import_known_claims
from app.domain.matching import MatchConfig, candidate_pool, sentence_decisions
from app.domain.similar import similar_claims, similar_config
from app.domain.suggestions import accept, bulk_accept, list_suggestions, pending_count, reject
from app.pipeline.known_claims import KnownClaim
from app.storage.models import Article, Claim, DismissedMatch, Event, Mention

STATEMENT = "The river authority will open the northern flood gates before the spring rains arrive"

ORIGINAL = ArticleInput(outlet="Valley Post", published=date(2024, 3, 1), title="Gates to open", text=(
    "Gates to open\n\n"
    f"“{STATEMENT},” authority director Tomas Ferreira said on Friday.\n"))
PARAPHRASE = ArticleInput(outlet="Riverside News", published=date(2024, 3, 2), title="Early opening", text=(
    "Early opening\n\n"
    "Officials plan to open flood gates in the north of the river before rains in spring. "
    "Farmers welcomed the decision.\n"))
REORDERED = ArticleInput(outlet="Hill Gazette", published=date(2024, 3, 3), title="Flood plan", text=(
    "Flood plan\n\n"
    "Ferreira said “the river authority will open all the northern flood gates before the "
    "spring rains arrive”.\n"))
DENIAL = ArticleInput(outlet="Lake Times", published=date(2024, 3, 4), title="Authority denies", text=(
    "Authority denies\n\n"
    "A spokesperson denied that the northern flood gates would open before the spring rains.\n"))


def _ingest(session, *articles, config=None) -> list[int]:
    ids = [ingest_article(session, a, "tester", matching=config).article_id for a in articles]
    session.commit()
    return ids


def _claim(session) -> Claim:
    return session.scalar(select(Claim).where(Claim.text == STATEMENT))


def _mentions(session, claim_id, article_id) -> list[Mention]:
    return list(session.scalars(select(Mention).where(Mention.claim_id == claim_id,
                                                      Mention.article_id == article_id)))


def test_paraphrase_becomes_a_suggestion_that_does_not_count_yet(session):
    _, para = _ingest(session, ORIGINAL, PARAPHRASE)
    claim = _claim(session)
    [m] = _mentions(session, claim.id, para)
    # the odds that it is about the claim are high, but the words are the outlet's: an analyst decides
    assert (m.origin, m.stance, m.fidelity) == ("suggested", "repeats", "paraphrased")
    assert m.score >= 0.5
    assert m.excerpt.startswith("Officials plan to open flood gates")
    assert claim.outlet_count == 1


def test_close_requote_joins_the_claim_instead_of_starting_a_new_one(session):
    _, requote = _ingest(session, ORIGINAL, REORDERED)
    claim = _claim(session)
    [m] = _mentions(session, claim.id, requote)
    assert (m.origin, m.stance, m.fidelity) == ("extracted", "repeats", "altered")
    assert m.quote_id is not None  # the quotation itself is the evidence
    session.refresh(claim)
    assert claim.outlet_count == 2
    assert session.scalar(select(Claim).where(Claim.text.like("the river authority will open all%"))) is None


def test_denial_is_a_possible_contradiction(session):
    _, denial = _ingest(session, ORIGINAL, DENIAL)
    [m] = _mentions(session, _claim(session).id, denial)
    assert (m.origin, m.stance) == ("suggested", "contradicts")


def test_thresholds_come_from_the_config(session):
    strict = MatchConfig(suggest_threshold=1.0, contradict_threshold=1.0)
    _, para, denial = _ingest(session, ORIGINAL, PARAPHRASE, DENIAL, config=strict)
    claim = _claim(session)
    assert _mentions(session, claim.id, para) == []
    assert _mentions(session, claim.id, denial) == []


def test_accept_links_the_outlet_and_records_the_decision(session):
    _, para, denial = _ingest(session, ORIGINAL, PARAPHRASE, DENIAL)
    claim = _claim(session)
    assert pending_count(session) == 2
    [repeat] = _mentions(session, claim.id, para)
    [contra] = _mentions(session, claim.id, denial)
    accept(session, repeat.id, "ana")
    accept(session, contra.id, "ana", stance="contradicts")
    session.commit()
    session.refresh(claim)
    assert (repeat.origin, repeat.confirmed_by) == ("analyst", "ana")
    assert claim.outlet_count == 3
    events = session.scalars(select(Event).where(Event.action == "suggestion.accept")).all()
    assert [(e.entity_id, e.actor, e.before["origin"], e.after["origin"]) for e in events] == [
        (repeat.id, "ana", "suggested", "analyst"), (contra.id, "ana", "suggested", "analyst")]
    assert pending_count(session) == 0
    with pytest.raises(Conflict):
        accept(session, repeat.id, "bob")


def test_rejected_suggestion_is_never_proposed_again(session):
    _, para = _ingest(session, ORIGINAL, PARAPHRASE)
    claim = _claim(session)
    [m] = _mentions(session, claim.id, para)
    span = (m.start, m.end)
    reject(session, m.id, "ana")
    session.commit()
    assert _mentions(session, claim.id, para) == []
    dismissed = session.scalars(select(DismissedMatch)).all()
    assert [(d.claim_id, d.article_id, d.start, d.end, d.actor) for d in dismissed] == [
        (claim.id, para, *span, "ana")]
    event = session.scalar(select(Event).where(Event.action == "suggestion.reject"))
    assert event.before["claim_id"] == claim.id and event.actor == "ana"
    article = session.get(Article, para)
    assert all(d.claim_id != claim.id for _, _, d in sentence_decisions(session, article, MatchConfig()))
    assert rematch_article(session, para, MatchConfig(), "ana") == {"mentions": 0, "suggestions": 0}
    assert _mentions(session, claim.id, para) == []


def test_rematch_finds_claims_imported_after_the_article(session):
    [para] = _ingest(session, PARAPHRASE)
    import_known_claims(session, [KnownClaim(text=STATEMENT, where="line 2")], "ana", source="r.csv")
    claim = _claim(session)
    assert _mentions(session, claim.id, para) == []
    assert rematch_article(session, para, MatchConfig(), "ana") == {"mentions": 0, "suggestions": 1}
    session.commit()
    assert [m.origin for m in _mentions(session, claim.id, para)] == ["suggested"]


def test_bulk_accept_reports_what_it_could_not_do(session):
    _, para, denial = _ingest(session, ORIGINAL, PARAPHRASE, DENIAL)
    ids = [s.mention_id for s in list_suggestions(session)]
    assert len(ids) == 2
    accept(session, ids[0], "bob")
    done, skipped = bulk_accept(session, ids + [999999], "ana")
    assert done == ids[1:]
    assert len(skipped) == 2 and "already accepted by bob" in skipped[0] and "999999" in skipped[1]


def test_suggestions_list_best_first_with_reason_and_marks(session):
    _ingest(session, ORIGINAL, PARAPHRASE, DENIAL)
    items = list_suggestions(session)
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)
    top = items[0]
    assert top.claim_text == STATEMENT
    marked = [top.excerpt[a:b].lower() for a, b in top.marks]
    assert {"flood", "gates", "spring", "rains"} <= set(marked)
    assert "shared words" in top.match.reason
    assert [i.stance for i in list_suggestions(session, stance="contradicts")] == ["contradicts"]
    page2 = list_suggestions(session, after=(items[0].score, items[0].mention_id))
    assert [i.mention_id for i in page2] == [i.mention_id for i in items[1:]]
    with pytest.raises(NotFound):
        reject(session, 2**31 - 1, "ana")


def test_similar_ranks_stored_claims_for_a_text(session):
    _ingest(session, ORIGINAL)
    hits = similar_claims(session, "will the northern flood gates open before spring rains?", top=5)
    assert hits and hits[0].text == STATEMENT
    assert 0 < hits[0].match.score <= 1
    assert similar_claims(session, "completely unrelated words about cooking pasta", top=5) == []


def test_similar_asks_the_index_wider_without_embeddings_only():
    from dataclasses import replace

    from app.domain.similar import (
        LEXICAL_SIMILAR_CANDIDATES,
        LEXICAL_SIMILAR_TERMS,
        SIMILAR_CANDIDATES,
    )

    lexical = similar_config(MatchConfig(), 5)
    assert (lexical.candidates, lexical.candidate_terms) == (LEXICAL_SIMILAR_CANDIDATES, LEXICAL_SIMILAR_TERMS)
    assert lexical.candidates > MatchConfig().candidates and lexical.candidate_terms > MatchConfig().candidate_terms
    # with embeddings the nearest vectors bring the rest: the pool its list model was trained on
    semantic = similar_config(replace(MatchConfig(), embedder=object()), 5)
    assert (semantic.candidates, semantic.candidate_terms) == (SIMILAR_CANDIDATES, MatchConfig().candidate_terms)
    assert similar_config(MatchConfig(), 400).candidates == 800 and semantic.rank_as_list


def test_similars_candidate_pool_is_the_cleaned_post_and_the_claims_it_scores(session):
    _ingest(session, ORIGINAL)
    post = "Northern #FloodGates to open before spring rains? https://t.co/abc123"
    text, hits, sims = candidate_pool(session, post, similar_config(None, 5))
    assert "t.co" not in text and "Flood Gates" in text
    assert STATEMENT in [t for _, t, *_ in hits] and sims == {}
    assert similar_claims(session, post, top=1)[0].claim_id in {cid for cid, *_ in hits}
    # the index's reach is the config's: one term of the post is too few to rank on
    narrow = candidate_pool(session, post, MatchConfig(candidate_terms=1, candidate_budget=0))[1]
    assert len(narrow) <= len(hits)


def test_similar_reads_each_candidate_against_its_list_and_ingest_keeps_the_pointwise_odds(session):
    from dataclasses import replace

    from app.domain.matching import scored_candidates
    from app.pipeline.scorer import LEXICAL_LIST_FEATURES as LIST_FEATURES
    from app.pipeline.scorer import LogisticModel, default_scorer

    _ingest(session, ORIGINAL)
    other = "The river authority will repaint the northern flood gates after the spring rains"
    import_known_claims(session, [KnownClaim(text=other, url="https://example.org/fc/1")], "tester",
                        source="test")
    session.commit()
    text = "will the gates open before the rains?"
    # a list model that reads only the gap to the list's best: a runner-up falls, the best keeps its odds
    gap_only = LogisticModel(LIST_FEATURES, tuple(1.0 if n == "gap_to_best" else 0.0 for n in LIST_FEATURES),
                             0.0)
    config = MatchConfig(scorer=replace(default_scorer(), list_lexical=gap_only))
    pointwise = {s.claim_id: s.match.score for s in scored_candidates(session, text, config, floor=0.0)}
    ranked = similar_claims(session, text, top=5, config=config)
    assert len(ranked) == 2 and ranked[0].text == STATEMENT
    assert ranked[0].match.score == 0.5                     # sigmoid(0): the gap to itself
    assert ranked[1].match.score < 0.5 and ranked[1].match.score != pointwise[ranked[1].claim_id]
    assert similar_config(config, 5).rank_as_list and not config.rank_as_list


def test_reworded_short_quote_joins_by_score_when_no_long_run_is_shared(session):
    first = ArticleInput(outlet="Valley Post", title="Talks", text=(
        "Talks\n\nMinister Ana Pires said the goal was to “deepen mutual military trust with the "
        "neighbours”.\n"))
    second = ArticleInput(outlet="Hill Gazette", title="Talks end", text=(
        "Talks end\n\nAna Pires told reporters the aim was to “deepen military mutual trust with the "
        "neighbours”.\n"))
    _, later = _ingest(session, first, second)
    claim = session.scalar(select(Claim).where(Claim.text == "deepen mutual military trust with the neighbours"))
    [m] = _mentions(session, claim.id, later)
    assert (m.origin, m.fidelity) == ("extracted", "altered")
    assert m.score >= 0.9
    assert session.scalar(select(Claim).where(Claim.text.like("deepen military mutual%"))) is None


def test_linking_a_suggested_span_by_hand_turns_the_suggestion_into_the_analysts_link(session):
    from app.domain.mentions import link_selection

    _, para = _ingest(session, ORIGINAL, PARAPHRASE)
    claim = _claim(session)
    [m] = _mentions(session, claim.id, para)
    linked = link_selection(session, para, m.start, m.end, "discusses", "ana", claim_id=claim.id)
    session.commit()
    assert linked.id == m.id
    assert (linked.origin, linked.stance, linked.confirmed_by) == ("analyst", "discusses", "ana")
    session.refresh(claim)
    assert claim.outlet_count == 2


def test_a_rejected_suggestions_id_is_never_given_to_a_new_mention(session):
    _, para = _ingest(session, ORIGINAL, PARAPHRASE)
    newest = session.scalar(select(Mention).order_by(Mention.id.desc()).limit(1))
    assert newest.origin == "suggested"
    reject(session, newest.id, "ana")
    session.commit()
    _ingest(session, DENIAL)
    assert session.get(Mention, newest.id) is None
    assert min(session.scalars(select(Mention.id).where(Mention.id > newest.id - 1))) > newest.id


def test_an_overlong_article_matches_its_first_sentences_and_says_how_many_it_left(session, monkeypatch):
    import app.domain.matching as matching

    monkeypatch.setattr(matching, "MATCH_MAX_SENTENCES", 2)
    _ingest(session, ORIGINAL)
    filler = " ".join(f"Sentence number {n} is about something else entirely." for n in range(4))
    long = ArticleInput(outlet="Riverside News", title="Long", text=(
        f"Long\n\n{filler} Officials plan to open flood gates in the north of the river before rains "
        "in spring.\n"))
    [article_id] = _ingest(session, long)
    assert _mentions(session, _claim(session).id, article_id) == []
    event = session.scalar(select(Event).where(Event.action == "article.ingest", Event.entity_id == article_id))
    assert event.after["sentences_not_matched"] == 4


def test_a_claim_quoted_later_reaches_back_to_the_outlets_that_carried_it_first(session):
    """The paraphrase and the denial were stored before anyone quoted the statement: the quote's
    new claim is matched against them too, with the same scores and stances as forward matching."""
    para, denial, original = _ingest(session, PARAPHRASE, DENIAL, ORIGINAL)
    claim = _claim(session)
    [m] = _mentions(session, claim.id, para)
    assert (m.origin, m.stance, m.fidelity) == ("suggested", "repeats", "paraphrased")
    [d] = _mentions(session, claim.id, denial)
    assert (d.origin, d.stance) == ("suggested", "contradicts")
    event = session.scalar(select(Event).where(Event.action == "article.ingest",
                                               Event.entity_id == original))
    assert event.after["earlier_suggestions"] == 2


def test_reaching_back_keeps_rejected_suggestions_rejected(session):
    para, original = _ingest(session, PARAPHRASE, ORIGINAL)
    [m] = _mentions(session, _claim(session).id, para)
    reject(session, m.id, "tester")
    session.commit()
    again = ArticleInput(outlet="Hill Gazette", published=date(2024, 3, 5), title="Again", text=(
        "Again\n\n"
        f"“{STATEMENT},” Ferreira repeated on Monday, as the authority said it was ready.\n"))
    _ingest(session, again)
    assert _mentions(session, _claim(session).id, para) == []


def test_a_statement_inside_a_long_sentence_is_matched_on_its_own_clause(session):
    """A long sentence strings several statements; the one carrying the claim is found through
    its own words and the mention spans that clause, not the whole sentence."""
    long_sentence = ArticleInput(outlet="Delta Daily", published=date(2024, 3, 6), title="Plans", text=(
        "Plans\n\n"
        "The council approved a new budget for the schools of the eastern district after a long "
        "debate on Tuesday, raised parking fees for visitors to the old town and its markets, and "
        "officials confirmed the river authority will open the northern flood gates before the "
        "spring rains arrive, according to the minutes of the meeting published on Wednesday.\n"))
    _, other = _ingest(session, ORIGINAL, long_sentence)
    [m] = _mentions(session, _claim(session).id, other)
    assert "the river authority will open the northern flood gates" in m.excerpt
    assert "budget" not in m.excerpt


def test_reaching_back_skips_a_span_already_linked_even_when_another_was_rejected(session):
    """Both kinds of taken span count at once: a mention there and a rejection elsewhere."""
    from app.domain.matching import earlier_decisions
    para, original = _ingest(session, PARAPHRASE, ORIGINAL)
    claim = _claim(session)
    [m] = _mentions(session, claim.id, para)
    session.add(DismissedMatch(claim_id=claim.id, article_id=para, start=0, end=5, actor="ana"))
    session.commit()
    again = earlier_decisions(session, session.get(Article, original), [claim], MatchConfig())
    assert [(a.id, s, e) for a, s, e, _ in again if a.id == para and s == m.start] == []


def test_an_article_keeps_its_windows_stems_as_matching_back_would_work_them_out(session):
    """Article.window_stems holds each matchable window with the stems prepare() finds in it;
    read back, the windows are the ones worked out from the text (the words only when scored)."""
    from app.domain.matching import article_windows, matchable_windows
    from app.pipeline.matching import prepare

    [para] = _ingest(session, PARAPHRASE)
    article = session.get(Article, para)
    kept = article_windows(article.text, article.window_stems)
    assert [(s, e) for s, e, _, _ in kept] == matchable_windows(article.text)
    assert [st for _, _, st, _ in kept] == [prepare(article.text[s:e]).stems for s, e, _, _ in kept]
    assert all(p is None for _, _, _, p in kept)
    # Kept by another version of the format (a change to stem()): worked out from the text again.
    again = article_windows(article.text, "0" + article.window_stems[1:])
    assert [p for _, _, _, p in again] == [prepare(article.text[s:e]) for s, e, _, _ in kept]


# Stems a window may hold, chosen to trip a text search: prefixes of one another, numbers that are
# also windows' positions, a stem ending one line and starting the next.
_STEMS = ["gov", "govern", "government", "12", "120", "7", "bridg", "bridge", "e", "har", "harbour"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0, 7, 12, 120, 45]), st.sampled_from([7, 12, 120, 300]),
                          st.sets(st.sampled_from(_STEMS), max_size=6)), max_size=8),
       st.sets(st.sampled_from(_STEMS), max_size=6))
def test_the_windows_sharing_a_claims_stems_are_those_the_whole_parse_finds(windows, wanted):
    """Matching back parses only the kept windows holding two of a claim's stems: the same windows,
    in the same order, with the same stems, as parsing every window and testing each."""
    from app.domain.matching import WINDOW_STEMS_VERSION, _kept_windows, _windows_sharing

    kept = "\n".join([WINDOW_STEMS_VERSION, *(" ".join([str(a), str(b), *sorted(stems)]) for a, b, stems in windows)])
    whole = [w for w in _kept_windows(kept) if len(w[2] & wanted) >= 2]
    assert _windows_sharing(kept, frozenset(wanted)) == whole
    assert _windows_sharing("0" + kept[1:], frozenset(wanted)) is None     # kept by another version


@pytest.mark.parametrize("kept", [True, False])
def test_reaching_back_decides_the_same_with_or_without_the_kept_stems(session, kept):
    """An article stored before 0021 has no kept stems: matching back into it works them out from
    its text and reaches the same decisions."""
    from sqlalchemy import update

    from app.domain.matching import earlier_decisions
    para, denial = _ingest(session, PARAPHRASE, DENIAL)
    if not kept:
        session.execute(update(Article).values(window_stems=None))
        session.commit()
        session.expire_all()
    [original] = _ingest(session, ORIGINAL)
    claim = _claim(session)
    assert {(m.article_id, m.origin, m.stance) for m in session.scalars(
        select(Mention).where(Mention.claim_id == claim.id))} == {
        (para, "suggested", "repeats"), (denial, "suggested", "contradicts"), (original, "extracted", "repeats")}
    found = earlier_decisions(session, session.get(Article, original), [claim], MatchConfig())
    assert found == []     # both spans are mentions now: nothing is proposed twice


def _as_if_reused(session, article_id: int, data: ArticleInput, kept: bool = True) -> None:
    """The row of `article_id` holds `data`'s text from now on: what this process sees when an id
    is given again (an insert rolled back on SQLite gives its id to the next one) or another
    process deleted and re-made the row."""
    from sqlalchemy import update

    from app.domain.articles import content_hash
    from app.domain.matching import window_stems_text
    session.execute(update(Article).where(Article.id == article_id).values(
        text=data.text, content_hash=content_hash(data.text),
        window_stems=window_stems_text(data.text) if kept else None))
    session.commit()
    session.expire_all()


def test_matching_back_reads_an_article_again_when_its_id_names_another_text(session):
    """Matching back keeps each stored article it parsed by id (matching.STORED_ARTICLES), taken
    only while the row's content_hash is the one it was read with: an id that names another text
    now is read again, and matching back into it decides what it would decide on a first read."""
    from app.domain import matching
    from app.domain.matching import earlier_decisions
    para, original = _ingest(session, PARAPHRASE, ORIGINAL)
    claim = _claim(session)
    session.execute(Mention.__table__.delete().where(Mention.article_id == para))
    session.commit()
    first = earlier_decisions(session, session.get(Article, original), [claim], MatchConfig())
    assert [(a.id, d.stance) for a, _, _, d in first] == [(para, "repeats")]
    assert matching.STORED_ARTICLES[para].text == PARAPHRASE.text
    _as_if_reused(session, para, DENIAL)
    again = earlier_decisions(session, session.get(Article, original), [claim], MatchConfig())
    assert [(a.id, a.text, d.stance) for a, _, _, d in again] == [(para, DENIAL.text, "contradicts")]
    assert "denied" in DENIAL.text[again[0][1]:again[0][2]]
    matching.STORED_ARTICLES.clear()
    assert earlier_decisions(session, session.get(Article, original), [claim], MatchConfig()) == again


def test_an_article_read_again_gives_matching_back_the_windows_its_first_reading_gave(session):
    """Read once, a stored article's windows come from a search of its kept stems; read again, from
    all its windows parsed (matching.StoredArticle): the same windows, with the same claims."""
    from app.domain import matching
    from app.pipeline.matching import claim_stems

    [para] = _ingest(session, PARAPHRASE)
    matching.STORED_ARTICLES.clear()
    here = [(1, ORIGINAL.text, claim_stems(ORIGINAL.text)), (2, DENIAL.text, claim_stems(DENIAL.text))]
    [stored] = matching._stored_articles(session, [para]).values()
    first = matching._near_windows(stored, here)
    assert first and stored.windows is None          # the search's reading: nothing parsed whole
    again = matching._near_windows(stored, here)
    assert stored.windows is not None and again == first


def test_matching_back_reads_an_article_again_when_its_kept_stems_come_or_go(session):
    """The entry also holds how the windows were got (kept stems or the text: see article_windows),
    so one whose window_stems were filled in or emptied since is read again."""
    from app.domain import matching
    from app.domain.matching import window_stems_text
    [para] = _ingest(session, PARAPHRASE)
    [stored] = matching._stored_articles(session, [para]).values()
    assert stored.kept == window_stems_text(PARAPHRASE.text)
    _as_if_reused(session, para, PARAPHRASE, kept=False)
    [stored] = matching._stored_articles(session, [para]).values()
    assert stored.kept is None and stored.text == PARAPHRASE.text
    _as_if_reused(session, para, PARAPHRASE, kept=True)
    [stored] = matching._stored_articles(session, [para]).values()
    assert stored.kept == window_stems_text(PARAPHRASE.text)


# A sentence that lists several statements behind one head; a short stored claim restates one item.
CREW_CLAIMS = ["The old customs house will become a museum", "Fares for pupils will stay frozen until the summer",
               "The harbour board approved a new budget", "Two new ferries will enter service next year"]
CREW_LIST = ("The two towns would work together to build trust between their crews, rebuild the old north "
             "quay before the winter storms, as well as plant chestnut trees along the whole promenade, "
             "mayor Ivo Brandt told a council meeting on Thursday.")
TREES = "We will plant chestnut trees along the whole promenade"


def _briefing(*statements: str) -> ArticleInput:
    quotes = "\n".join(f"“{s},” harbour master Lena Okafor said." for s in statements)
    return ArticleInput(outlet="Port Herald", published=date(2024, 5, 1), title="Harbour plans",
                        text=f"Harbour plans\n\n{quotes}\n")


def _short_claim_mentions(session, claim_text: str, sentence: str, *others: str) -> list[Mention]:
    """The mentions in a sentence of a short claim stated first in an article with `others`."""
    import_known_claims(session, [KnownClaim(text=t) for t in CREW_CLAIMS], "ana", source="r.csv")
    session.commit()
    _, article_id = _ingest(session, _briefing(claim_text, *others), ArticleInput(
        outlet="Coast Courier", published=date(2024, 5, 3), title="Towns agree", text=f"Towns agree\n\n{sentence}\n"))
    claim = session.scalar(select(Claim).where(Claim.text == claim_text))
    return _mentions(session, claim.id, article_id)


def test_a_short_claim_one_list_item_restates_is_suggested_at_that_item(session):
    """Read whole, the sentence carries much more than the claim (the learned odds are low); its
    item "build trust between their crews" carries little else, and another item restates another
    statement of the same briefing: suggested there, never linked."""
    [m] = _short_claim_mentions(session, "We must deepen trust between the crews", CREW_LIST, TREES)
    assert m.excerpt == "build trust between their crews"
    assert (m.origin, m.stance) == ("suggested", "repeats")


def test_a_list_item_alone_is_not_enough_without_another_statement_of_the_same_source(session):
    """A short claim sharing two words with one item of some list, and nothing else of its source
    in the sentence: what items alone mostly proposed on news nobody here wrote, and wrongly."""
    assert _short_claim_mentions(session, "We must deepen trust between the crews", CREW_LIST) == []


def test_a_short_claim_no_single_list_item_carries_is_not_suggested(session):
    # its words are spread over three items: "crews", "rebuild", "promenade"
    assert _short_claim_mentions(session, "Our crews will rebuild the promenade", CREW_LIST, TREES) == []


def test_the_same_words_outside_a_list_are_not_read_item_by_item(session):
    sentence = ("The two towns would work together on a plan to build trust between their crews before the "
                "winter storms reach the old north quay and plant chestnut trees along the whole promenade, "
                "mayor Ivo Brandt told a council meeting on Thursday.")
    assert _short_claim_mentions(session, "We must deepen trust between the crews", sentence, TREES) == []


def test_a_list_behind_a_negated_head_only_discusses_the_claim_its_item_restates(session):
    negated = CREW_LIST.replace("would work together", "would not work together")
    [m] = _short_claim_mentions(session, "We must deepen trust between the crews", negated, TREES)
    assert (m.excerpt, m.origin, m.stance) == ("build trust between their crews", "suggested", "discusses")


def test_two_statements_of_one_source_that_share_an_items_words_are_no_company_for_each_other(session):
    """Corroboration comes from elsewhere in the sentence, not from a sibling claim that matched
    the same item."""
    assert _short_claim_mentions(session, "We must deepen trust between the crews", CREW_LIST,
                                 "Trust between the crews comes first") == []
