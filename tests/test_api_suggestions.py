"""/api/v1/suggestions: the queue as JSON, and accept / reject / bulk accept with JSON errors."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.storage.models import Claim, DismissedMatch, Event, Mention
from tests.test_api_support import API, assert_error
from tests.test_web_suggestions import LIBRARY, PIPES, ingest_sample, pending, suggestion_of

URL = f"{API}/suggestions"


@pytest.fixture
def sample(app_session):
    ingest_sample(app_session)
    assert len(pending(app_session)) == 3
    return app_session


def events(session, action: str) -> list[Event]:
    session.expire_all()
    return list(session.scalars(select(Event).where(Event.action == action)))


def test_list_best_first_with_reason_marks_and_links(client, sample):
    body = client.get(URL).json()
    expected = pending(sample)
    assert [s["id"] for s in body["items"]] == [m.id for m in expected]
    assert body["pending"] == 3 and body["next_cursor"] is None
    star = suggestion_of(sample, PIPES, "Harbour Star")
    item = next(s for s in body["items"] if s["id"] == star.id)
    assert item["claim_text"] == PIPES and item["stance"] == "contradicts"
    assert item["outlet"]["name"] == "Harbour Star" and item["polarity_differs"] is True
    assert item["excerpt"] == star.excerpt and item["score"] == pytest.approx(star.score)
    assert [item["excerpt"][a:b].lower() for a, b in item["marks"]][:2] == ["water", "board"]
    assert "water" in item["shared"] and "polarity differs" in item["reason"]
    assert item["claim_url"].endswith(f"/claims/{star.claim_id}")
    assert client.get(item["article_url"]).json()["id"] == star.article_id


def test_filters_and_keyset_paging(client, sample):
    contradicts = client.get(URL, params={"kind": "contradicts"}).json()
    assert [s["stance"] for s in contradicts["items"]] == ["contradicts"] and contradicts["pending"] == 1
    library = suggestion_of(sample, LIBRARY, "Eastside Voice")
    one = client.get(URL, params={"claim": library.claim_id}).json()
    assert [s["id"] for s in one["items"]] == [library.id]

    seen, cursor = [], None
    while True:
        page = client.get(URL, params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        seen += [s["id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [m.id for m in pending(sample)]
    for bad in ({"kind": "maybe"}, {"claim": 0}, {"cursor": "x_1"}, {"cursor": "7_1"}, {"limit": 0}):
        assert_error(client.get(URL, params=bad), 422)


def test_accept_with_a_stance_and_one_event(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    response = client.post(f"{URL}/{voice.id}/accept", json={"stance": "contradicts"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["origin"], body["stance"], body["confirmed_by"]) == (
        voice.id, "analyst", "contradicts", "tester")
    sample.expire_all()
    assert sample.get(Claim, voice.claim_id).outlet_count == 2
    [event] = events(sample, "suggestion.accept")
    assert event.entity_id == voice.id and event.after["stance"] == "contradicts"

    assert "already accepted by tester" in assert_error(client.post(f"{URL}/{voice.id}/accept"), 409)["message"]
    assert "already accepted by tester" in client.post(f"{URL}/{voice.id}/reject").json()["message"]
    assert len(events(sample, "suggestion.accept")) == 1


def test_accept_without_a_body_keeps_the_proposed_stance(client, sample):
    library = suggestion_of(sample, LIBRARY, "Eastside Voice")
    assert client.post(f"{URL}/{library.id}/accept").json()["stance"] == "repeats"
    assert_error(client.post(f"{URL}/{pending(sample)[0].id}/accept", json={"stance": "agrees"}), 422)
    assert_error(client.post(f"{URL}/{pending(sample)[0].id}/accept", json={"extra": 1}), 422)


def test_reject_remembers_and_a_second_decision_is_409(client, sample):
    star = suggestion_of(sample, PIPES, "Harbour Star")
    star_id, claim_id = star.id, star.claim_id
    response = client.post(f"{URL}/{star_id}/reject")
    assert response.status_code == 200 and response.json() == {"id": star_id, "claim_id": claim_id,
                                                               "rejected": True}
    sample.expire_all()
    assert sample.scalar(select(Mention.id).where(Mention.id == star_id)) is None
    assert sample.scalar(select(DismissedMatch.claim_id)) == claim_id
    assert len(events(sample, "suggestion.reject")) == 1
    assert "rejected by tester" in assert_error(client.post(f"{URL}/{star_id}/accept"), 409)["message"]
    assert_error(client.post(f"{URL}/{star_id}/reject"), 409)
    assert star_id not in [s["id"] for s in client.get(URL).json()["items"]]


def test_bulk_accept_reports_what_it_skipped(client, sample):
    first, second, third = (m.id for m in pending(sample))
    assert client.post(f"{URL}/{third}/reject").status_code == 200
    response = client.post(f"{URL}/accept", json={"ids": [first, second, third, 999999]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["accepted"] == [first, second] and len(body["skipped"]) == 2
    assert any("rejected by tester" in line for line in body["skipped"])
    assert any("no suggestion 999999" in line for line in body["skipped"])
    assert sorted(e.entity_id for e in events(sample, "suggestion.accept")) == sorted([first, second])
    assert client.get(URL).json()["pending"] == 0
    for bad in ({"ids": []}, {"ids": ["a"]}, {"ids": [0]}, {}, {"ids": list(range(1, 502))}):
        assert_error(client.post(f"{URL}/accept", json=bad), 422)


def test_unknown_ids_are_json_404s(client):
    for path in (f"{URL}/999999/accept", f"{URL}/999999/reject"):
        assert "no suggestion 999999" in assert_error(client.post(path), 404)["message"]


def test_openapi_documents_the_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    for method, path in (("get", URL), ("post", f"{URL}/accept"), ("post", f"{URL}/{{mention_id}}/accept"),
                         ("post", f"{URL}/{{mention_id}}/reject")):
        op = paths[path][method]
        assert op["summary"] and op["tags"] == ["suggestions"], path
        assert "$ref" in str(op["responses"]["200"]["content"]), path
    assert "409" in paths[f"{URL}/{{mention_id}}/accept"]["post"]["responses"]
