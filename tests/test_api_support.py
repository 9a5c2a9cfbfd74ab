"""Shared material for the /api/v1 tests (no tests here): small articles written for these tests and
helpers that arrange data through the API itself, so each test exercises the routes it relies on."""
from __future__ import annotations

STATEMENT = ("The city council will double the number of night buses on every route "
             "before the winter holidays")

LEDGER = {
    "outlet": "Riverside Ledger", "title": "Night buses to double", "published": "2024-03-04",
    "author": "Tomas Vey", "url": "https://ledger.example/night-buses",
    "text": ("Night buses to double\n\n"
             "Transport chiefs met on Monday to approve the new timetable.\n\n"
             f"“{STATEMENT},” councillor Priya Ramaswamy said on Monday.\n\n"
             "Some drivers said they had not been consulted about the longer shifts.\n"),
}

BEACON = {
    "outlet": "Hillside Beacon", "title": "More buses after dark", "published": "2024-03-05",
    "text": ("More buses after dark\n\n"
             f"Councillor Priya Ramaswamy said: “{STATEMENT}.” "
             "Passenger groups welcomed the news at a meeting on Tuesday evening.\n"),
}

API = "/api/v1"


def ingest(client, article: dict) -> dict:
    response = client.post(f"{API}/articles", json=article)
    assert response.status_code in (200, 201), response.text
    return response.json()


def ingest_pair(client) -> tuple[int, int]:
    """Both outlets carrying STATEMENT; returns the two article ids."""
    return ingest(client, LEDGER)["id"], ingest(client, BEACON)["id"]


def shared_claim(client) -> dict:
    """The claim both outlets repeat: the list's first item when sorted by outlet count."""
    items = client.get(f"{API}/claims", params={"sort": "outlets", "limit": 1}).json()["items"]
    assert items and items[0]["outlet_count"] == 2, items
    return items[0]


def new_claim(client, article_id: int, text: str, start: int = 0, end: int = 5) -> int:
    """An analyst-made claim, linked to a span of the article; returns the claim id."""
    response = client.post(f"{API}/mentions", json={
        "article_id": article_id, "start": start, "end": end, "stance": "discusses",
        "new_claim_text": text})
    assert response.status_code == 201, response.text
    return response.json()["claim_id"]


def assert_error(response, status: int) -> dict:
    """Every API error is JSON with a human message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("message"), str) and body["message"]
    return body
