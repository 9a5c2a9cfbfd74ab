"""POST /api/v1/claims/import: JSON records, a multipart file or a raw CSV body; 413 and 422 as
Error bodies; created claims are readable at the URLs the answer gives."""
from __future__ import annotations

from app.pipeline.known_claims import MAX_IMPORT_BYTES
from tests.test_api_support import API, assert_error

LAMPS = "Every street lamp in the old town will be replaced by the end of June"
TRAMS = "The tram line to the airport will be finished two years ahead of schedule"


def test_json_records_create_claims(client):
    response = client.post(f"{API}/claims/import", json=[
        {"claim": LAMPS, "claimant": "Ida Marsh", "rating": "Mostly False",
         "review_url": "https://checkdesk.example/r/7", "publisher": "Check Desk"},
        {"@type": "ClaimReview", "claimReviewed": TRAMS, "reviewRating": {"alternateName": "True"}},
        {"claim": ""},
    ])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["summary"] == "2 created, 0 already known, 0 updated"
    assert body["errors"] == ["item 3: missing claim text"]
    first = client.get(body["created"][0]["url"]).json()
    assert (first["text"], first["status"], first["status_reason"]) == (
        LAMPS, "misleading", "Mostly False (Check Desk)")
    assert first["speaker"]["name"] == "Ida Marsh"
    assert client.get(body["created"][1]["url"]).json()["status"] == "verified"

    again = client.post(f"{API}/claims/import", json=[{"text": LAMPS}]).json()
    assert [c["id"] for c in again["existing"]] == [body["created"][0]["id"]]


def test_multipart_file_and_raw_csv(client):
    files = {"file": ("ratings.jsonl", f'{{"text": "{LAMPS}", "verdict": "fake"}}\n'.encode())}
    response = client.post(f"{API}/claims/import", files=files)
    assert response.status_code == 200 and len(response.json()["created"]) == 1
    csv_body = f"claim;rating\n{TRAMS};unproven\n".encode()
    response = client.post(f"{API}/claims/import", content=csv_body,
                           headers={"Content-Type": "text/csv"})
    assert response.status_code == 200
    claim = client.get(response.json()["created"][0]["url"]).json()
    assert (claim["text"], claim["status"]) == (TRAMS, "disputed")


def test_import_is_recorded_in_the_history(client):
    body = client.post(f"{API}/claims/import", json=[{"text": LAMPS, "rating": "False"}]).json()
    claim_id = body["created"][0]["id"]
    [event] = client.get(f"{API}/claims/{claim_id}/history").json()["events"]
    assert event["action"] == "claim.import" and event["after"]["rating"] == "False"


def test_nothing_importable_is_422_listing_the_rows(client):
    body = assert_error(client.post(f"{API}/claims/import", content=b"{broken\n",
                                     headers={"Content-Type": "application/x-ndjson"}), 422)
    assert body["message"] == "nothing could be imported"
    assert body["errors"][0]["msg"].startswith("line 1: invalid JSON")


def test_empty_and_unknown_format_are_422(client):
    assert "empty" in assert_error(client.post(f"{API}/claims/import", content=b""), 422)["message"]
    assert_error(client.post(f"{API}/claims/import", params={"format": "xml"}, json=[]), 422)


def test_too_large_is_413(client):
    response = client.post(f"{API}/claims/import", content=b"x" * (MAX_IMPORT_BYTES + 1),
                           headers={"Content-Type": "text/csv"})
    assert "over the limit" in assert_error(response, 413)["message"]


def test_documented_in_openapi(client):
    operation = client.get("/openapi.json").json()["paths"][f"{API}/claims/import"]["post"]
    assert set(operation["requestBody"]["content"]) >= {"multipart/form-data", "application/json"}
    assert {"413", "422"} <= set(operation["responses"])
