"""The suggestions queue page: what the matcher proposed, shown with its reason, decided with one
POST each (303 back to the queue, or the htmx decision block), every decision one event."""
from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select

from app.domain.articles import ArticleInput, ingest_article
from app.domain.matching import MatchConfig, sentence_decisions
from app.main import create_app
from app.settings import Settings
from app.storage.models import Article, Claim, DismissedMatch, Event, Mention
from tests.auth import log_in
from tests.test_web_support import soup

# Written for these tests: one outlet quotes two statements, a second restates both in its own
# words, a third denies the first. The second title carries markup that must stay text.
PIPES = "The water board will replace every lead pipe in the old town by the end of next year"
LIBRARY = "The library on Mill Street will reopen in March with longer weekend opening hours"

COURIER = ArticleInput(
    outlet="Millbrook Courier", title="Lead pipes to go", published=date(2024, 6, 1),
    text=("Lead pipes to go\n\nThe board met on Monday.\n\n"
          f"“{PIPES},” board chair Ines Calder said at the meeting.\n\n"
          f"Mayor Tobias Renn added: “{LIBRARY}.”\n\nResidents applauded.\n"))
VOICE = ArticleInput(
    outlet="Eastside Voice", title="Pipes & a library <b>promise</b>", published=date(2024, 6, 2),
    text=("Old town pipes promise\n\n"
          "The water board promised to replace all the old town's lead pipes before next year "
          "ends, according to its chair.\n\n"
          "Readers at the Mill Street library can expect it to reopen in March, with longer "
          "hours at weekends & holidays.\n\nCritics want a faster timetable.\n"))
STAR = ArticleInput(
    outlet="Harbour Star", title="Pipe plan disputed", published=date(2024, 6, 3),
    text=("Pipe plan disputed\n\n"
          "A union spokesman denied that the water board will replace the lead pipes in the old "
          "town by next year.\n\nThe board did not comment.\n"))


def ingest_sample(session) -> None:
    for article in (COURIER, VOICE, STAR):
        ingest_article(session, article, "loader")
    session.commit()


def pending(session) -> list[Mention]:
    """The matcher's suggestions, best first, as the queue should order them."""
    session.expire_all()
    rows = session.scalars(select(Mention).where(Mention.origin == "suggested"))
    return sorted(rows, key=lambda m: (-(m.score or 0), m.id))


def queue_order(session) -> list[Mention]:
    """The queue's order: claims by their best pending score (ties by claim id), then each claim's
    suggestions best first."""
    found = pending(session)
    best: dict[int, float] = {}
    for m in found:
        best[m.claim_id] = max(best.get(m.claim_id, 0.0), m.score or 0.0)
    return sorted(found, key=lambda m: (-best[m.claim_id], m.claim_id, -(m.score or 0), m.id))


def suggestion_of(session, claim_text: str, outlet: str) -> Mention:
    return next(m for m in pending(session)
                if session.get(Claim, m.claim_id).text == claim_text
                and session.get(Article, m.article_id).outlet.name == outlet)


def events(session, action: str) -> list[Event]:
    session.expire_all()
    return list(session.scalars(select(Event).where(Event.action == action).order_by(Event.id)))


def items(page) -> list:
    return page.select("li.suggestion")


def form_of(page, mention_id: int, cls: str):
    """The decision form of one item, as a browser would submit it: (action, fields)."""
    form = page.select_one(f"li#s{mention_id} form.{cls}")
    assert form is not None, f"no {cls} form for suggestion {mention_id}"
    return form["action"], {i["name"]: i.get("value", "") for i in form.select("input[name]")}


@pytest.fixture
def sample(app_session):
    ingest_sample(app_session)
    found = pending(app_session)
    assert len(found) == 3 and {m.stance for m in found} == {"repeats", "contradicts"}
    return app_session


def test_queue_lists_items_best_first_with_marks_reason_and_links(client, app, sample):
    expected = queue_order(sample)
    page = soup(client.get("/suggestions"))
    rows = items(page)
    assert [int(li["data-mention-id"]) for li in rows] == [m.id for m in expected]
    # Grouped by claim: one group per claim, each holding only its own suggestions.
    groups = page.select("li.claim-group")
    assert [int(g["data-claim-id"]) for g in groups] == list(dict.fromkeys(m.claim_id for m in expected))
    for g in groups:
        mine = {m.id for m in expected if m.claim_id == int(g["data-claim-id"])}
        assert {int(li["data-mention-id"]) for li in g.select("li.suggestion")} == mine
        assert g.select_one(".group-pending").get_text() == f"{len(mine)} pending"
    assert page.select_one("#queue-count .pending-count").get_text() == "3"
    nav = page.select_one("nav[aria-label=Main] a[aria-current=page]")
    assert nav["href"] == app.url_path_for("suggestions") and nav.select_one(".nav-count").get_text() == "3"
    assert page.select_one("#key-help") is not None

    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    li = page.select_one(f"li#s{voice.id}")
    claim_link = li.find_parent("li", class_="claim-group").select_one(".group-head blockquote.claim-text a")
    assert claim_link.get_text() == PIPES
    assert claim_link["href"] == app.url_path_for("claim", claim_id=voice.claim_id)
    article = li.select_one("a.article-link")
    assert article["href"] == app.url_path_for("article", article_id=voice.article_id) + f"#m{voice.id}"
    assert article.get_text() == VOICE.title and page.find("b") is None  # markup stays text
    assert li.select_one(".outlet").get_text() == "Eastside Voice"
    marked = [m.get_text().lower() for m in li.select(".excerpt mark.shared")]
    assert {"water", "board", "replace", "lead", "year"} <= set(marked)
    assert "pipes" in marked  # the claim says "pipe": one word, inflected
    assert "promised" not in marked and "town's" in marked  # not the claim's words; possessive kept
    assert li.select_one(".excerpt").get_text() == voice.excerpt
    reason = li.select_one(".reason").get_text()
    assert "shared words" in reason and "water" in reason
    star = suggestion_of(sample, PIPES, "Harbour Star")
    assert "polarity differs" in page.select_one(f"li#s{star.id} .reason").get_text()
    assert page.select_one(f"li#s{star.id} .kind").get_text() == "possible contradiction"


def test_filter_by_kind_and_claim_in_the_query_string(client, sample):
    star = suggestion_of(sample, PIPES, "Harbour Star")
    page = soup(client.get("/suggestions", params={"kind": "contradicts"}))
    assert [int(li["data-mention-id"]) for li in items(page)] == [star.id]
    assert page.select_one(".queue-kinds a[aria-current=page]").get_text() == "Possible contradictions"
    assert page.select_one(".pending-here").get_text() == "1"
    repeats = soup(client.get("/suggestions", params={"kind": "repeats"}))
    assert {li["class"][1] for li in items(repeats)} == {"stance-repeats"} and len(items(repeats)) == 2

    library = suggestion_of(sample, LIBRARY, "Eastside Voice")
    only = soup(client.get("/suggestions", params={"claim": str(library.claim_id)}))
    assert [int(li["data-mention-id"]) for li in items(only)] == [library.id]
    # The decision forms carry the filters, so the 303 comes back to this same view.
    action, _ = form_of(only, library.id, "decide-reject")
    assert f"claim={library.claim_id}" in action

    for bad in ({"kind": "maybe"}, {"claim": "abc"}, {"cursor": "x_y"}):
        response = client.get("/suggestions", params=bad)
        assert response.status_code == 422, bad
        assert soup(response).select_one(".error") is not None


def test_keyset_pages_keep_the_filter_and_never_repeat(database_url, sample):
    """A page is a number of claims: pages of one claim here, so the two claims make two pages."""
    small = create_app(Settings(database_url=database_url, actor="tester", page_size=1))
    expected = queue_order(sample)
    with TestClient(small) as client:
        log_in(client, small)
        first = soup(client.get("/suggestions"))
        next_link = first.select_one("a.next-page")
        assert len(first.select("li.claim-group")) == 1 and next_link is not None
        second = soup(client.get(next_link["href"]))
        assert second.select_one("a.next-page") is None and len(second.select("li.claim-group")) == 1
        seen = [int(li["data-mention-id"]) for li in items(first) + items(second)]
        assert seen == [m.id for m in expected]
        # Deciding the first page meanwhile moves nothing under the cursor.
        for li in items(first):
            client.post(li.select_one("form.decide-accept")["action"])
        assert [int(li["data-mention-id"]) for li in items(soup(client.get(next_link["href"])))] == \
            seen[len(items(first)):]
        repeats = soup(client.get("/suggestions", params={"kind": "repeats", "claim": ""}))
        assert len(items(repeats)) == 1 and repeats.select_one("a.next-page") is None
    small.state.engine.dispose()


def test_accept_links_the_outlet_and_records_one_event(client, app, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    claim = sample.get(Claim, voice.claim_id)
    assert claim.outlet_count == 1  # only the outlet that quoted it; suggestions do not count
    page = soup(client.get("/suggestions", params={"kind": "repeats"}))
    action, fields = form_of(page, voice.id, "decide-accept")
    response = client.post(action, data=fields)
    assert response.status_code == 303
    location = response.headers["location"]
    # back to the queue, at the item that followed this one when there is one
    anchor = f"#s{fields['next']}" if fields["next"] else ""
    assert location == app.url_path_for("suggestions") + "?kind=repeats" + anchor

    sample.expire_all()
    mention = sample.get(Mention, voice.id)
    assert (mention.origin, mention.confirmed_by, mention.stance) == ("analyst", "tester", "repeats")
    assert sample.get(Claim, voice.claim_id).outlet_count == 2
    [event] = events(sample, "suggestion.accept")
    assert (event.entity_id, event.claim_id, event.actor) == (voice.id, voice.claim_id, "tester")
    assert event.before["origin"] == "suggested" and event.after["origin"] == "analyst"
    after = soup(client.get(location))
    assert voice.id not in [int(li["data-mention-id"]) for li in items(after)]
    assert after.select_one("#queue-count .pending-count").get_text() == "2"


def test_accept_as_contradicts_changes_the_stance(client, sample):
    library = suggestion_of(sample, LIBRARY, "Eastside Voice")
    page = soup(client.get("/suggestions"))
    action, fields = form_of(page, library.id, "decide-stance")
    assert fields["stance"] == "contradicts"
    order = [int(li["data-mention-id"]) for li in items(page)]
    following = order[order.index(library.id) + 1:]
    response = client.post(action, data=fields)
    # Back to the queue at the item that followed it on the page (none: the queue's top).
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/suggestions#s{following[0]}" if following else "/suggestions")
    sample.expire_all()
    mention = sample.get(Mention, library.id)
    assert (mention.origin, mention.stance) == ("analyst", "contradicts")
    assert events(sample, "suggestion.accept")[0].after["stance"] == "contradicts"


def test_reject_is_remembered_and_never_proposed_again(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    voice_id, claim_id, article_id, span = voice.id, voice.claim_id, voice.article_id, (voice.start, voice.end)
    key = (claim_id, *span)
    page = soup(client.get("/suggestions"))
    action, fields = form_of(page, voice_id, "decide-reject")
    assert client.post(action, data=fields).status_code == 303

    sample.expire_all()
    assert sample.scalar(select(Mention.id).where(Mention.id == voice_id)) is None
    [dismissed] = sample.scalars(select(DismissedMatch)).all()
    assert (dismissed.claim_id, dismissed.article_id, dismissed.start, dismissed.end) == (
        claim_id, article_id, *span)
    [event] = events(sample, "suggestion.reject")
    assert (event.entity_id, event.claim_id, event.before["origin"]) == (voice_id, claim_id, "suggested")
    assert sample.get(Claim, claim_id).outlet_count == 1

    article = sample.get(Article, article_id)
    proposed = {(d.claim_id, s, e) for s, e, d in sentence_decisions(sample, article, MatchConfig())}
    assert key not in proposed
    # Only the dismissal keeps it out: without it the matcher proposes the same span again.
    sample.execute(delete(DismissedMatch))
    again = {(d.claim_id, s, e) for s, e, d in sentence_decisions(sample, article, MatchConfig())}
    assert key in again
    sample.rollback()
    assert voice_id not in [int(li["data-mention-id"]) for li in items(soup(client.get("/suggestions")))]


def test_bulk_accept_takes_the_checked_ids_and_reports_the_rest(client, app, sample):
    ids = [m.id for m in pending(sample) if m.stance == "repeats"]
    page = soup(client.get("/suggestions"))
    bulk = page.select_one("form#bulk-form")
    boxes = page.select("input[type=checkbox][name=ids][form=bulk-form]")
    assert sorted(int(b["value"]) for b in boxes) == sorted(m.id for m in pending(sample))
    response = client.post(bulk["action"], data={"ids": [str(i) for i in ids]})
    assert response.status_code == 303
    sample.expire_all()
    assert {sample.get(Mention, i).origin for i in ids} == {"analyst"}
    assert sorted(e.entity_id for e in events(sample, "suggestion.accept")) == sorted(ids)
    flash = soup(client.get(response.headers["location"])).select_one("#queue-flash")
    assert flash.get_text() == "Accepted 2 suggestions."

    star = pending(sample)[0]
    response = client.post(bulk["action"], data={"ids": [str(ids[0]), str(star.id)]})
    flash = soup(client.get(response.headers["location"])).select_one("#queue-flash")
    assert flash.get_text().startswith("Accepted 1 suggestion. 1 could not be accepted")
    assert "error" in flash["class"]
    assert len(events(sample, "suggestion.accept")) == 3

    empty = client.post(bulk["action"], data={})
    assert empty.status_code == 422
    assert "select at least one" in soup(empty).select_one("#queue-flash").get_text()
    assert client.post(bulk["action"], data={"ids": ["x1"]}).status_code == 422


def test_a_decided_suggestion_is_a_409_with_a_clear_message(client, sample):
    voice, star = suggestion_of(sample, PIPES, "Eastside Voice"), suggestion_of(sample, PIPES, "Harbour Star")
    page = soup(client.get("/suggestions"))
    accept, fields = form_of(page, voice.id, "decide-accept")
    reject, reject_fields = form_of(page, star.id, "decide-reject")
    assert client.post(accept, data=fields).status_code == 303
    assert client.post(reject, data=reject_fields).status_code == 303

    again = client.post(accept, data=fields)
    assert again.status_code == 409
    flash = soup(again).select_one("#queue-flash[role=alert]")
    assert "another analyst decided it first" in flash.get_text() and "accepted by tester" in flash.get_text()
    rejected = client.post(reject, data=reject_fields)
    assert rejected.status_code == 409 and "rejected by tester" in soup(rejected).select_one("#queue-flash").get_text()
    assert len(events(sample, "suggestion.accept")) == 1 and len(events(sample, "suggestion.reject")) == 1


def test_unknown_ids_and_bad_stances_are_4xx_never_500(client, app, sample):
    library = suggestion_of(sample, LIBRARY, "Eastside Voice")
    for mention_id in (999999, 2**31, 10**15):
        for name in ("suggestion_accept", "suggestion_reject"):
            response = client.post(app.url_path_for(name, mention_id=str(mention_id)))
            assert response.status_code == 404, (name, mention_id)
    assert client.post("/suggestions/abc/accept").status_code == 422
    bad = client.post(app.url_path_for("suggestion_accept", mention_id=str(library.id)),
                      data={"stance": "agrees"})
    assert bad.status_code == 422 and "stance must be one of" in soup(bad).select_one("#queue-flash").get_text()
    assert pending(sample)[0].origin == "suggested" and len(pending(sample)) == 3


def test_htmx_decision_answers_only_the_item_block(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    page = soup(client.get("/suggestions"))
    action, fields = form_of(page, voice.id, "decide-accept")
    form = page.select_one(f"li#s{voice.id} form.decide-accept")
    assert form["hx-post"] == action and form["hx-target"] == "closest .suggestion"

    response = client.post(action, data=fields, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["vary"] == "HX-Request"
    fragment = soup(response)
    assert fragment.find(["html", "body", "nav", "h1", "form"]) is None
    assert not fragment.select("li")  # the item is swapped for nothing
    assert {el["id"] for el in fragment.select("[hx-swap-oob]")} == {"queue-flash", "queue-count", "nav-pending"}
    assert fragment.select_one("#queue-count .pending-count").get_text() == "2"
    assert fragment.select_one("#nav-pending").get_text() == "2"

    conflict = client.post(action, data=fields, headers={"HX-Request": "true"})
    assert conflict.status_code == 409
    gone = soup(conflict).select_one(f"li#s{voice.id}.suggestion-gone[role=alert]")
    assert "already accepted by tester" in gone.get_text()


def test_every_page_links_the_queue(client, app):
    nav = soup(client.get("/")).select("nav[aria-label=Main] a")
    assert app.url_path_for("suggestions") in [a["href"] for a in nav]
    empty = soup(client.get("/suggestions"))
    assert empty.select_one(".empty") is not None and not items(empty)


def test_htmx_filter_and_bulk_accept_swap_the_queue_block(client, sample):
    star = suggestion_of(sample, PIPES, "Harbour Star")
    page = soup(client.get("/suggestions"))
    tab = page.select(".queue-kinds a")[2]
    assert tab["hx-get"] == tab["href"] and tab["hx-target"] == "#queue"
    response = client.get(tab["href"], headers={"HX-Request": "true"})
    fragment = soup(response)
    assert fragment.find(["html", "h1"]) is None and fragment.select_one("nav[aria-label=Main]") is None
    [queue] = fragment.select("section#queue")
    assert [int(li["data-mention-id"]) for li in items(queue)] == [star.id]

    bulk = page.select_one("form#bulk-form")
    assert bulk["hx-post"] == bulk["action"] and bulk["hx-target"] == "#queue"
    ids = [str(m.id) for m in pending(sample)[:2]]
    response = client.post(bulk["action"], data={"ids": ids}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = soup(response)
    assert fragment.find("h1") is None and fragment.select_one("section#queue") is not None
    assert fragment.select_one("#queue-flash").get_text() == "Accepted 2 suggestions."
    assert fragment.select_one("#nav-pending[hx-swap-oob]").get_text() == "1"
    assert [int(li["data-mention-id"]) for li in items(fragment)] == [pending(sample)[0].id]
