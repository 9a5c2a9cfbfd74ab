"""/api/v1/mentions: an analyst links, restances and unlinks spans; the claim's counts follow."""
from __future__ import annotations

import pytest

from tests.test_api_support import API, BEACON, LEDGER, assert_error, ingest, ingest_pair, shared_claim

DRIVERS = "Night shifts at the depot will stay as they are until spring."


def test_link_existing_claim_then_patch_and_delete(client):
    ledger_id, _ = ingest_pair(client)
    third = ingest(client, {"outlet": "Valley Post", "text": "Valley Post\n\n" + DRIVERS + "\n"})["id"]
    claim = shared_claim(client)
    text = client.get(f"{API}/articles/{third}").json()["text"]
    start = text.index(DRIVERS)

    created = client.post(f"{API}/mentions", json={"article_id": third, "start": start,
                                                    "end": start + len(DRIVERS),
                                                    "stance": "contradicts", "claim_id": claim["id"]})
    assert created.status_code == 201
    mention = created.json()
    assert mention["excerpt"] == DRIVERS and mention["origin"] == "analyst"
    assert mention["confirmed_by"] == "tester" and mention["stance"] == "contradicts"
    assert created.headers["location"].endswith(f"{API}/mentions/{mention['id']}")
    assert client.get(f"{API}/mentions/{mention['id']}").json() == mention
    after = client.get(f"{API}/claims/{claim['id']}/sources").json()
    assert after["outlets_by_stance"]["contradicts"] == ["Valley Post"]
    assert after["claim"]["outlet_count"] == 3

    patched = client.patch(f"{API}/mentions/{mention['id']}", json={"stance": "discusses"})
    assert patched.status_code == 200 and patched.json()["stance"] == "discusses"

    deleted = client.delete(f"{API}/mentions/{mention['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(client.get(f"{API}/mentions/{mention['id']}"), 404)
    assert client.get(f"{API}/claims/{claim['id']}").json()["outlet_count"] == 2
    actions = [e["action"] for e in client.get(f"{API}/claims/{claim['id']}/history").json()["events"]]
    assert actions[:3] == ["mention.unlink", "mention.stance", "mention.link"]


def test_link_makes_a_new_claim_from_selection(client):
    article_id = ingest(client, BEACON)["id"]
    text = client.get(f"{API}/articles/{article_id}").json()["text"]
    phrase = "Passenger groups welcomed the news"
    start = text.index(phrase)
    mention = client.post(f"{API}/mentions", json={"article_id": article_id, "start": start,
                                                    "end": start + len(phrase)}).json()
    claim = client.get(f"{API}/claims/{mention['claim_id']}").json()
    assert claim["text"] == phrase and mention["stance"] == "repeats"
    again = client.post(f"{API}/mentions", json={"article_id": article_id, "start": start,
                                                  "end": start + len(phrase),
                                                  "claim_id": claim["id"]})
    assert_error(again, 422)


@pytest.mark.parametrize("change", [
    {"stance": "agrees"},
    {"start": -1},
    {"start": 10, "end": 10},
    {"end": 10_000},
    {"claim_id": 1, "new_claim_text": "both at once"},
    {"new_claim_text": ""},
    {"article_id": 0},
])
def test_invalid_mention_is_422(client, change):
    article_id = ingest(client, LEDGER)["id"]
    body = {"article_id": article_id, "start": 0, "end": 5, **change}
    assert_error(client.post(f"{API}/mentions", json=body), 422)


def test_unknown_targets_are_404(client):
    article_id = ingest(client, LEDGER)["id"]
    assert_error(client.post(f"{API}/mentions", json={"article_id": 888888, "start": 0, "end": 5}), 404)
    assert_error(client.post(f"{API}/mentions", json={"article_id": article_id, "start": 0, "end": 5,
                                                      "claim_id": 888888}), 404)
    assert_error(client.patch(f"{API}/mentions/888888", json={"stance": "repeats"}), 404)
    assert_error(client.delete(f"{API}/mentions/888888"), 404)
    assert_error(client.patch(f"{API}/mentions/1", json={"stance": "nope"}), 422)
