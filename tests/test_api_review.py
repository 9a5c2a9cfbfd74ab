"""/api/v1/claims writes: status with optimistic locking, text edits, tags and merges."""
from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.test_api_support import API, LEDGER, assert_error, ingest, new_claim


@pytest.fixture
def claim_id(client) -> int:
    article_id = ingest(client, LEDGER)["id"]
    return new_claim(client, article_id, "Drivers were never consulted about the longer night shifts")


def test_status_change_is_recorded_and_bumps_version(client, claim_id):
    version = client.get(f"{API}/claims/{claim_id}").json()["version"]
    response = client.post(f"{API}/claims/{claim_id}/status",
                           json={"status": "disputed", "reason": "union denies it",
                                 "expected_version": version})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "disputed" and body["status_reason"] == "union denies it"
    assert body["version"] == version + 1
    assert client.get(f"{API}/claims/{claim_id}").json()["status"] == "disputed"
    event = client.get(f"{API}/claims/{claim_id}/history").json()["events"][0]
    assert event["action"] == "claim.status" and event["after"]["reason"] == "union denies it"


def test_stale_version_is_409_and_changes_nothing(client, claim_id):
    version = client.get(f"{API}/claims/{claim_id}").json()["version"]
    client.post(f"{API}/claims/{claim_id}/status", json={"status": "verified", "reason": "first"})
    stale = client.post(f"{API}/claims/{claim_id}/status",
                        json={"status": "false", "reason": "second", "expected_version": version})
    body = assert_error(stale, 409)
    assert "version" in body["message"]
    assert client.get(f"{API}/claims/{claim_id}").json()["status"] == "verified"
    stale_edit = client.patch(f"{API}/claims/{claim_id}", json={"text": "New words entirely here",
                                                                 "expected_version": version})
    assert_error(stale_edit, 409)


@pytest.mark.parametrize("body", [
    {"status": "verified", "reason": ""},
    {"status": "verified", "reason": "   "},
    {"status": "verified"},
    {"status": "true", "reason": "x"},
    {"status": "verified", "reason": "x", "expected_version": -1},
    {"status": "verified", "reason": "x" * 2001},
])
def test_invalid_status_change_is_422(client, claim_id, body):
    assert_error(client.post(f"{API}/claims/{claim_id}/status", json=body), 422)
    assert client.get(f"{API}/claims/{claim_id}").json()["status"] == "unreviewed"


def test_edit_text(client, claim_id):
    response = client.patch(f"{API}/claims/{claim_id}",
                            json={"text": "  Drivers   were not consulted on night shifts "})
    assert response.status_code == 200
    assert response.json()["text"] == "Drivers were not consulted on night shifts"
    history = client.get(f"{API}/claims/{claim_id}/history").json()["events"]
    assert history[0]["action"] == "claim.edit"
    assert_error(client.patch(f"{API}/claims/{claim_id}", json={"text": ""}), 422)
    assert_error(client.patch(f"{API}/claims/{claim_id}", json={"text": "   "}), 422)


def test_tags_add_and_remove(client, claim_id):
    body = client.post(f"{API}/claims/{claim_id}/tags", json={"tag": "Labour  Dispute"}).json()
    assert body["tags"] == ["labour dispute"]
    client.post(f"{API}/claims/{claim_id}/tags", json={"tag": "buses"})
    assert client.get(f"{API}/claims/{claim_id}").json()["tags"] == ["buses", "labour dispute"]
    removed = client.delete(f"{API}/claims/{claim_id}/tags/labour dispute")
    assert removed.status_code == 200 and removed.json()["tags"] == ["buses"]
    assert_error(client.delete(f"{API}/claims/{claim_id}/tags/labour dispute"), 404)
    assert_error(client.post(f"{API}/claims/{claim_id}/tags", json={"tag": ""}), 422)
    assert_error(client.post(f"{API}/claims/{claim_id}/tags", json={"tag": "x" * 61}), 422)
    actions = [e["action"] for e in client.get(f"{API}/claims/{claim_id}/history").json()["events"]]
    assert actions[:3] == ["claim.tag.remove", "claim.tag.add", "claim.tag.add"]


@pytest.mark.parametrize("tag", ["news/politics", "..", ".", "a/../b", "/lead", "trail/", "50% off?#x"])
def test_every_tag_the_api_adds_it_can_remove(client, claim_id, tag):
    """A tag is one path segment only once encoded: "/" and dot segments must still reach the route."""
    assert client.post(f"{API}/claims/{claim_id}/tags", json={"tag": tag}).json()["tags"] == [tag]
    removed = client.delete(f"{API}/claims/{claim_id}/tags/{quote(tag, safe='').replace('.', '%2E')}")
    assert removed.status_code == 200, removed.text
    assert removed.json()["tags"] == []


def test_merge_then_old_id_redirects_to_survivor(client, claim_id):
    article_id = ingest(client, LEDGER)["id"]
    other = new_claim(client, article_id, "Night shift drivers were not asked for their views", 20, 40)
    client.post(f"{API}/claims/{claim_id}/tags", json={"tag": "drivers"})
    merged = client.post(f"{API}/claims/{claim_id}/merge", json={"into": other})
    assert merged.status_code == 200
    assert merged.json()["id"] == other and merged.json()["tags"] == ["drivers"]
    assert merged.json()["mention_count"] == 2

    for suffix in ("", "/sources"):
        old = client.get(f"{API}/claims/{claim_id}{suffix}")
        assert old.status_code == 301
        assert old.headers["location"].endswith(f"{API}/claims/{other}{suffix}")
        assert client.get(old.headers["location"]).json()
    survivor = client.get(f"{API}/claims/{claim_id}", follow_redirects=True).json()
    assert survivor["id"] == other

    history = client.get(f"{API}/claims/{claim_id}/history").json()
    assert history["merged_into"] == other
    ids = [c["id"] for c in client.get(f"{API}/claims", params={"limit": 200}).json()["items"]]
    assert claim_id not in ids and other in ids


def test_merge_refusals(client, claim_id):
    assert_error(client.post(f"{API}/claims/{claim_id}/merge", json={"into": claim_id}), 422)
    assert_error(client.post(f"{API}/claims/{claim_id}/merge", json={"into": 555555}), 404)
    assert_error(client.post(f"{API}/claims/{claim_id}/merge", json={"into": "x"}), 422)


@pytest.mark.parametrize("method, suffix, body", [
    ("post", "/status", {"status": "verified", "reason": "x"}),
    ("patch", "", {"text": "anything at all"}),
    ("post", "/tags", {"tag": "x"}),
    ("delete", "/tags/x", None),
    ("post", "/merge", {"into": 1}),
])
def test_writes_to_unknown_claim_are_404(client, method, suffix, body):
    kwargs = {"json": body} if body is not None else {}
    assert_error(client.request(method.upper(), f"{API}/claims/777777{suffix}", **kwargs), 404)
