"""/api/v1/articles: ingest, idempotent re-ingest, validation as JSON, and reading an article back."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.auth import log_in
from tests.test_api_support import API, BEACON, LEDGER, STATEMENT, assert_error, ingest


def test_ingest_creates_then_is_idempotent(client):
    first = client.post(f"{API}/articles", json=LEDGER)
    assert first.status_code == 201
    body = first.json()
    assert body["created"] is True
    assert body["quotes"] >= 1 and body["new_claims"] >= 1 and body["mentions"] >= 1
    assert first.headers["location"].endswith(f"{API}/articles/{body['id']}")

    again = client.post(f"{API}/articles", json=LEDGER)
    assert again.status_code == 200
    assert again.json() == {"id": body["id"], "created": False, "quotes": 0, "new_claims": 0,
                            "mentions": 0, "notes": []}
    assert len(client.get(f"{API}/articles").json()) == 1


def test_article_detail_has_quotes_and_mentions(client):
    article_id = ingest(client, LEDGER)["id"]
    body = client.get(f"{API}/articles/{article_id}").json()
    assert body["text"] == LEDGER["text"]
    assert body["outlet"]["name"] == "Riverside Ledger"
    assert body["published"] == "2024-03-04" and body["author"] == "Tomas Vey"
    quote = next(q for q in body["quotes"] if STATEMENT in q["text"])
    assert body["text"][quote["start"]:quote["end"]] == quote["text"]
    assert quote["speaker"] and "Ramaswamy" in quote["speaker"] and quote["speaker_slug"]
    assert quote["cue"] and quote["kind"] in ("direct", "partial", "reported")
    mention = body["mentions"][0]
    assert body["text"][mention["start"]:mention["end"]] == mention["excerpt"]
    assert mention["stance"] == "repeats" and mention["fidelity"] and mention["claim_id"]


def test_article_list_is_newest_first_and_filters_by_outlet(client):
    ledger_id, beacon_id = ingest(client, LEDGER)["id"], ingest(client, BEACON)["id"]
    listed = client.get(f"{API}/articles").json()
    assert [a["id"] for a in listed] == [beacon_id, ledger_id]
    assert [a["id"] for a in client.get(f"{API}/articles", params={"limit": 1}).json()] == [beacon_id]
    slug = listed[1]["outlet"]["slug"]
    assert [a["id"] for a in client.get(f"{API}/articles", params={"outlet": slug}).json()] == [ledger_id]
    assert_error(client.get(f"{API}/articles", params={"outlet": "no-such-outlet"}), 404)
    assert_error(client.get(f"{API}/articles", params={"limit": 0}), 422)


@pytest.mark.parametrize("change, needle", [
    ({"published": "next tuesday"}, "date"),
    ({"published": "2024-02-31"}, "date"),
    ({"text": ""}, "text"),
    ({"text": "   \n  "}, "empty"),
    ({"text": "nul \x00 byte"}, "NUL"),
    ({"outlet": ""}, "outlet"),
    ({"outlet": None}, "outlet"),
    ({"stance": "repeats"}, "stance"),
])
def test_invalid_article_is_422_json(client, change, needle):
    article = {**LEDGER, **change}
    body = assert_error(client.post(f"{API}/articles", json=article), 422)
    assert needle.lower() in (body["message"] + str(body.get("errors"))).lower()
    assert client.get(f"{API}/articles").json() == []


def test_missing_outlet_is_422(client):
    article = {k: v for k, v in LEDGER.items() if k != "outlet"}
    body = assert_error(client.post(f"{API}/articles", json=article), 422)
    assert "outlet" in body["message"]


def test_lone_surrogate_is_422_not_500(client):
    """Valid JSON, but no UTF-8 encoder (nor database) can store it."""
    raw = b'{"outlet": "Riverside Ledger", "text": "lone \\ud800 surrogate"}'
    body = assert_error(client.post(f"{API}/articles", content=raw,
                                    headers={"content-type": "application/json"}), 422)
    assert "surrogate" in body["message"]


def test_body_that_is_not_json_is_422(client):
    response = client.post(f"{API}/articles", content=b"text=hello",
                           headers={"content-type": "application/json"})
    assert_error(response, 422)


@pytest.fixture
def small_client(database_url):
    """An app whose article limit is a few hundred bytes, to exercise the 413 without 2 MB bodies."""
    app = create_app(Settings(database_url=database_url, actor="tester", max_article_bytes=300))
    with TestClient(app) as c:
        yield log_in(c, app)
    app.state.engine.dispose()


def test_oversize_article_is_413(small_client):
    assert small_client.post(f"{API}/articles", json=BEACON).status_code == 201
    big = {**LEDGER, "text": LEDGER["text"] + "x" * 300}
    body = assert_error(small_client.post(f"{API}/articles", json=big), 413)
    assert "300" in body["message"]


def test_unknown_article_is_404(client):
    assert_error(client.get(f"{API}/articles/424242"), 404)
    assert_error(client.get(f"{API}/articles/0"), 422)
    assert_error(client.get(f"{API}/articles/abc"), 422)
    assert_error(client.get(f"{API}/articles/99999999999999999999"), 422)
