"""/api/v1/claims reads: filters, sorts, keyset pages, a claim's sources and history."""
from __future__ import annotations

import pytest

from tests.test_api_support import API, STATEMENT, assert_error, ingest_pair, new_claim, shared_claim

EXTRA_CLAIMS = [f"Analyst note number {n} about the bus timetable change" for n in range(7)]


@pytest.fixture
def seeded(client):
    """The shared claim (two outlets) plus seven analyst claims on the first article."""
    ledger_id, beacon_id = ingest_pair(client)
    extra = [new_claim(client, ledger_id, text, start=i, end=i + 10) for i, text in enumerate(EXTRA_CLAIMS)]
    return {"ledger": ledger_id, "beacon": beacon_id, "extra": extra, "shared": shared_claim(client)}


def all_pages(client, **params) -> list[int]:
    """Follow next_cursor to the end, two claims a page."""
    ids, cursor, pages = [], None, 0
    while True:
        query = {**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        body = client.get(f"{API}/claims", params=query).json()
        assert len(body["items"]) <= 2
        ids += [c["id"] for c in body["items"]]
        cursor, pages = body["next_cursor"], pages + 1
        if cursor is None:
            return ids
        assert pages < 50, "pagination does not end"


@pytest.mark.parametrize("sort", ["outlets", "newest", "changed"])
def test_cursor_pages_cover_every_claim_once(client, seeded, sort):
    everything = [c["id"] for c in client.get(f"{API}/claims", params={"sort": sort, "limit": 200}).json()["items"]]
    assert len(everything) >= 8
    paged = all_pages(client, sort=sort)
    assert paged == everything
    assert len(set(paged)) == len(paged)


def test_sorts_order_claims(client, seeded):
    by_outlets = client.get(f"{API}/claims", params={"sort": "outlets"}).json()["items"]
    assert by_outlets[0]["id"] == seeded["shared"]["id"]
    counts = [c["outlet_count"] for c in by_outlets]
    assert counts == sorted(counts, reverse=True)
    newest = [c["id"] for c in client.get(f"{API}/claims", params={"sort": "newest"}).json()["items"]]
    assert newest == sorted(newest, reverse=True) and newest[0] == seeded["extra"][-1]
    target = seeded["extra"][0]
    client.post(f"{API}/claims/{target}/status", json={"status": "disputed", "reason": "checking"})
    changed = client.get(f"{API}/claims", params={"sort": "changed"}).json()["items"]
    assert changed[0]["id"] == target


def test_filters(client, seeded):
    def ids(**params):
        return {c["id"] for c in client.get(f"{API}/claims", params={**params, "limit": 200}).json()["items"]}

    shared = seeded["shared"]
    assert ids(q="night BUSES winter") == {shared["id"]}
    assert ids(q="note number 3") == {seeded["extra"][3]}
    beacon_slug = client.get(f"{API}/articles/{seeded['beacon']}").json()["outlet"]["slug"]
    assert shared["id"] in ids(outlet=beacon_slug) and not ids(outlet=beacon_slug) & set(seeded["extra"])
    assert shared["speaker"] and shared["id"] in ids(speaker=shared["speaker"]["slug"])
    assert not ids(speaker=shared["speaker"]["slug"]) & set(seeded["extra"])
    client.post(f"{API}/claims/{seeded['extra'][1]}/status", json={"status": "verified", "reason": "ok"})
    client.post(f"{API}/claims/{seeded['extra'][2]}/tags", json={"tag": "Transport"})
    assert ids(status="verified") == {seeded["extra"][1]}
    assert ids(tag="transport") == {seeded["extra"][2]}
    assert ids(tag="nothing-tagged") == set()


def test_claim_item_shape(client, seeded):
    item = shared_claim(client)
    assert STATEMENT in item["text"]
    assert item["status"] == "unreviewed" and item["status_reason"] is None and item["version"] >= 1
    assert item["tags"] == [] and item["created_at"] and item["updated_at"]
    # The HTML permalink: an absolute URL of a page that shows this claim.
    assert item["url"].startswith("http") and item["url"].endswith(f"/claims/{item['id']}")
    page = client.get(item["url"])
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("params", [
    {"sort": "oldest"}, {"status": "maybe"}, {"limit": 0}, {"limit": 201},
    {"cursor": "not-a-cursor"}, {"cursor": "99999999999999999999"}, {"q": "a\x00b"},
])
def test_bad_list_parameters_are_422(client, params):
    assert_error(client.get(f"{API}/claims", params=params), 422)


def test_claim_detail_and_sources(client, seeded):
    claim_id = seeded["shared"]["id"]
    detail = client.get(f"{API}/claims/{claim_id}").json()
    assert detail["id"] == claim_id and detail["mention_count"] == 2
    sources = client.get(f"{API}/claims/{claim_id}/sources").json()
    assert sources["claim"]["id"] == claim_id
    outlets = [s["outlet"]["name"] for s in sources["sources"]]
    assert outlets == ["Riverside Ledger", "Hillside Beacon"]  # oldest publication first
    assert sources["outlets_by_stance"]["repeats"] == outlets
    assert sources["outlets_by_stance"]["contradicts"] == []
    for s in sources["sources"]:
        assert s["stance"] == "repeats" and s["origin"] == "extracted"
        assert STATEMENT.lower() in s["excerpt"].lower() and s["fidelity"] == "verbatim"
        assert s["article_id"] in (seeded["ledger"], seeded["beacon"]) and s["title"]
    assert sources["sources"][0]["published"] == "2024-03-04"
    assert sources["sources"][0]["url"] == "https://ledger.example/night-buses"


def test_sources_come_a_page_at_a_time_with_the_stances_of_every_mention(client, seeded):
    claim_id = seeded["shared"]["id"]
    url = f"{API}/claims/{claim_id}/sources"
    whole = client.get(url).json()
    assert whole["paging"] == {"page": 1, "per_page": 100, "total": 2, "pages": 1, "next": None, "prev": None}
    later = whole["sources"][1]
    assert client.patch(f"{API}/mentions/{later['mention_id']}", json={"stance": "contradicts"}).status_code == 200

    first = client.get(url, params={"per_page": 1})
    body = first.json()
    assert [s["outlet"]["name"] for s in body["sources"]] == ["Riverside Ledger"]
    assert body["paging"]["total"] == 2 and body["paging"]["pages"] == 2 and body["paging"]["prev"] is None
    assert body["paging"]["next"].endswith(f"/claims/{claim_id}/sources?page=2&per_page=1")
    assert first.headers["Link"] == f'<{body["paging"]["next"]}>; rel="next"'
    # who repeats and who contradicts is read over every mention, not this page's one
    assert body["outlets_by_stance"] == {"repeats": ["Riverside Ledger"], "contradicts": ["Hillside Beacon"],
                                         "discusses": []}

    second = client.get(body["paging"]["next"]).json()
    assert [s["mention_id"] for s in second["sources"]] == [later["mention_id"]]
    assert second["paging"]["next"] is None and second["paging"]["prev"].endswith("?page=1&per_page=1")
    assert second["outlets_by_stance"] == body["outlets_by_stance"]
    assert client.get(url, params={"page": 3, "per_page": 1}).json()["sources"] == []


@pytest.mark.parametrize("params", [{"per_page": 0}, {"per_page": 501}, {"page": 0}, {"page": "x"}])
def test_bad_sources_paging_is_422(client, seeded, params):
    assert_error(client.get(f"{API}/claims/{seeded['shared']['id']}/sources", params=params), 422)


def test_history_lists_changes_newest_first(client, seeded):
    claim_id = seeded["extra"][0]
    client.post(f"{API}/claims/{claim_id}/status", json={"status": "false", "reason": "no such plan"})
    history = client.get(f"{API}/claims/{claim_id}/history").json()
    assert history["claim_id"] == claim_id and history["merged_into"] is None
    actions = [e["action"] for e in history["events"]]
    assert actions[0] == "claim.status" and "claim.create" in actions
    latest = history["events"][0]
    assert latest["actor"] == "tester"
    assert latest["before"]["status"] == "unreviewed" and latest["after"]["status"] == "false"


@pytest.mark.parametrize("suffix", ["", "/sources", "/history"])
def test_unknown_claim_is_404(client, suffix):
    body = assert_error(client.get(f"{API}/claims/987654{suffix}"), 404)
    assert "987654" in body["message"]
