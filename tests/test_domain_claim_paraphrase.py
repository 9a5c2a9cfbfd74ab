"""Claims at the right grain across outlets: an outlet's paraphrase of a statement already stored as
a claim starts a claim of its own (it shares too few words to join), and is proposed, once, on the
earlier claim when the speaker and the moment are the same (matching.earlier_paraphrase); the
analyst gathers the two by accepting it and merging. The same paraphrase from another speaker, or
months later, is another statement: nothing proposes it there."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain import suggestions
from app.domain.articles import ArticleInput, ingest_article
from app.domain.review import merge_claims
from app.storage.models import Claim, Event, Mention
from tests.test_api_support import API
from tests.test_web_support import soup

# Other subjects in the store, so the words of the ferry statement weigh as they would among many
# claims (in a store of two claims every shared word is common to all of them).
BACKGROUND = ["The library will stay open until nine on weekdays", "School buses will start earlier next term",
              "The council will repair the old bridge before winter", "Parking fees in the town centre will double",
              "The hospital needs forty more nurses this year", "Water prices will rise by five percent",
              "The stadium roof will be finished by March", "Police will patrol the market on Saturdays"]
FIRST = "The new ferries will cross the bay every thirty minutes once the northern pier reopens in June"
# The same statement in an outlet's words: too few shared words to join the claim or to be
# proposed by words alone (the lexical floor), enough for the same speaker at the same moment.
PARAPHRASE = "A boat every half hour across the bay once the pier is repaired"
OTHER_OUTLET = "ferry crossings would double in frequency after the northern pier reopens"
# The statement in one clause of a longer one, whose other clauses are about something else.
IN_A_CLAUSE = ("Our whole coast will feel the difference this year, from the fish markets and the beaches to "
               "the old lighthouse and the campsites, with ferries crossing the bay twice an hour from June")


def _quoted(outlet: str, day: date, words: str, speaker: str, title: str) -> ArticleInput:
    return ArticleInput(outlet=outlet, published=day, title=title,
                        text=f"{title}\n\n“{words},” {speaker} said.\n")


def seed_store(session) -> None:
    text = "Council notes\n\n" + " ".join(f"“{q},” the mayor said." for q in BACKGROUND) + "\n"
    ingest_article(session, ArticleInput(outlet="Town Daily", published=date(2024, 4, 1),
                                         title="Council notes", text=text), "t")
    ingest_article(session, _quoted("Bay Post", date(2024, 5, 2), FIRST, "transport chief Ana Ruiz", "Ferries"), "t")
    session.commit()


@pytest.fixture
def store(session):
    seed_store(session)
    return session


def _claim(session, text: str) -> Claim:
    return session.scalars(select(Claim).where(Claim.text == text)).one()


def _suggested_on(session, claim_id: int) -> list[Mention]:
    return list(session.scalars(select(Mention).where(Mention.claim_id == claim_id,
                                                      Mention.origin == "suggested")))


def test_a_paraphrase_by_the_same_speaker_is_one_suggestion_on_the_earlier_claim(store):
    ingest_article(store, _quoted("Coast News", date(2024, 5, 3), PARAPHRASE, "Ruiz", "Harbour plans"), "t")
    store.commit()
    first, second = _claim(store, FIRST), _claim(store, PARAPHRASE)
    [proposed] = _suggested_on(store, first.id)
    own = store.scalars(select(Mention).where(Mention.claim_id == second.id)).one()
    assert (proposed.article_id, proposed.start, proposed.end) == (own.article_id, own.start, own.end)
    assert proposed.stance == "repeats" and proposed.quote_id == own.quote_id
    assert 0.5 <= proposed.score <= 1.0
    # the queue says which claim the passage started, for the analyst to merge it
    [view] = suggestions.list_suggestions(store, claim_id=first.id)
    assert view.also_claim_id == second.id


def test_paraphrases_from_two_outlets_each_wait_once_on_the_first_claim(store):
    ingest_article(store, _quoted("Coast News", date(2024, 5, 3), PARAPHRASE, "Ruiz", "Harbour plans"), "t")
    ingest_article(store, _quoted("Harbour Radio", date(2024, 5, 4), OTHER_OUTLET, "Ana Ruiz", "Pier"), "t")
    store.commit()
    first = _claim(store, FIRST)
    proposed = _suggested_on(store, first.id)
    outlets = sorted(store.get(Mention, m.id).article.outlet.name for m in proposed)
    assert outlets == ["Coast News", "Harbour Radio"]


def test_a_statement_carrying_the_earlier_one_in_a_clause_is_proposed_on_it(store):
    ingest_article(store, _quoted("Coast News", date(2024, 5, 3), IN_A_CLAUSE, "Ruiz", "Summer"), "t")
    store.commit()
    [proposed] = _suggested_on(store, _claim(store, FIRST).id)
    assert proposed.excerpt == IN_A_CLAUSE and proposed.stance == "repeats"


def test_accepting_and_merging_gathers_the_statement_on_one_claim(store):
    ingest_article(store, _quoted("Coast News", date(2024, 5, 3), PARAPHRASE, "Ruiz", "Harbour plans"), "t")
    store.commit()
    first, second = _claim(store, FIRST), _claim(store, PARAPHRASE)
    [proposed] = _suggested_on(store, first.id)
    suggestions.accept(store, proposed.id, "analyst")
    merge_claims(store, second.id, first.id, "admin")
    store.commit()
    linked = store.scalars(select(Mention).where(Mention.claim_id == first.id)).all()
    assert sorted(m.origin for m in linked) == ["analyst", "extracted"]   # one mention an outlet
    assert store.get(Claim, second.id).merged_into_id == first.id
    actions = set(store.scalars(select(Event.action).where(Event.claim_id == first.id)))
    assert {"suggestion.accept", "claim.merge"} <= actions


def test_the_paraphrase_from_another_speaker_is_not_proposed(store):
    ingest_article(store, _quoted("Coast News", date(2024, 5, 3), PARAPHRASE, "union leader Tom Hale", "Union"), "t")
    store.commit()
    assert _suggested_on(store, _claim(store, FIRST).id) == []
    assert _claim(store, PARAPHRASE).speaker_id != _claim(store, FIRST).speaker_id


def test_the_paraphrase_months_later_is_not_proposed(store):
    ingest_article(store, _quoted("Coast News", date(2024, 11, 20), PARAPHRASE, "Ana Ruiz", "Ferries again"), "t")
    store.commit()
    assert _suggested_on(store, _claim(store, FIRST).id) == []
    assert _claim(store, PARAPHRASE).id != _claim(store, FIRST).id


def test_a_speakers_next_sentence_in_the_same_article_is_not_proposed_on_the_first(session):
    text = ("Harbour plans\n\n" + " ".join(f"“{q},” the mayor said." for q in BACKGROUND)
            + f" “{FIRST},” Ana Ruiz said. “{PARAPHRASE},” she added.\n")
    ingest_article(session, ArticleInput(outlet="Bay Post", published=date(2024, 5, 2), title="Harbour plans",
                                         text=text), "t")
    session.commit()
    assert _suggested_on(session, _claim(session, FIRST).id) == []


def test_the_queue_card_names_the_claim_the_passage_started_and_the_api_merges_it(client, app, app_session):
    seed_store(app_session)
    ingest_article(app_session, _quoted("Coast News", date(2024, 5, 3), PARAPHRASE, "Ruiz", "Harbour plans"), "t")
    app_session.commit()
    first, second = _claim(app_session, FIRST), _claim(app_session, PARAPHRASE)
    [proposed] = _suggested_on(app_session, first.id)
    li = soup(client.get("/suggestions", params={"claim": first.id})).select_one(f"li#s{proposed.id}")
    assert li.select_one(".also-claim a.also-claim-link")["href"].startswith(
        app.url_path_for("claim", claim_id=second.id))
    merge = li.select_one(".also-claim a.merge-link")["href"]
    assert merge == app.url_path_for("merge_claim_preview", claim_id=second.id) + f"?into={first.id}"
    page = soup(client.get(app.url_path_for("claim", claim_id=first.id), follow_redirects=True))
    card = page.select_one(f"#suggestion-{proposed.id} .also-claim")
    assert card.select_one("a.merge-link")["href"] == merge
    preview = soup(client.get(merge))
    assert PARAPHRASE in preview.get_text()
    [item] = client.get(f"{API}/suggestions", params={"claim": first.id}).json()["items"]
    assert item["id"] == proposed.id and item["also_claim_id"] == second.id
    assert client.post(f"{API}/claims/{second.id}/merge", json={"into": first.id}).status_code == 200
    app_session.expire_all()
    # the merge folds the suggestion into the moved quotation: one linked mention on that span
    on_span = app_session.scalars(select(Mention).where(
        Mention.article_id == proposed.article_id, Mention.start == proposed.start)).all()
    assert [(m.claim_id, m.origin) for m in on_span] == [(first.id, "extracted")]
    assert client.get(f"{API}/suggestions", params={"claim": first.id}).json()["items"] == []
