"""The claims list as an overview: when and where each claim was first seen, its outlets by stance,
the number of results (counted up to a cap, and said so), a date range, speakers found by the search
box, and the filtered list exported as CSV and JSON."""
from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from app.domain import claims as claims_domain
from app.domain.claims import ClaimFilter, iter_claims
from app.settings import Settings
from app.storage.models import Claim
from tests.test_web_support import HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, soup

DENIAL = "Nobody has decided to open any flood gate this week"


@pytest.fixture
def settings(database_url) -> Settings:
    """One claim per page: the count and the exports must reach past the first page. The page cache
    off: a test below changes the count's cap (code, not the store) between two requests."""
    return Settings(database_url=database_url, actor="tester", page_size=1, page_cache_mb=0)


@pytest.fixture
def ids(client, app_session) -> dict[str, int]:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    return {"river": claim_id_for(app_session, RIVER), "denial": claim_id_for(app_session, DENIAL),
            "all": app_session.scalar(select(func.count(Claim.id)).where(Claim.merged_into_id.is_(None)))}


def listed(response) -> list[int]:
    assert response.status_code == 200, response.text[:300]
    return [int(tr["data-claim-id"]) for tr in soup(response).select("#results tr.claim-row")]


def test_each_row_says_first_seen_first_outlet_and_outlets_by_stance(client, ids):
    row = soup(client.get("/claims")).select_one(f'tr.claim-row[data-claim-id="{ids["river"]}"]')
    assert row.select_one(".first-seen time")["datetime"] == "2024-03-01"
    assert row.select_one(".first-outlet a").get_text() == "Valley Post"
    counts = {s["data-stance"]: int(s.get_text()) for s in row.select(".by-stance .stance-n")}
    assert counts == {"repeats": 2, "contradicts": 0, "discusses": 0}


def test_the_total_counts_past_the_page_and_says_when_it_stopped(client, ids, monkeypatch):
    assert ids["all"] > 1   # more than one page
    total = soup(client.get("/claims")).select_one("#results .result-count .total")
    assert total["data-total"] == str(ids["all"]) and not total.has_attr("data-capped")
    assert total.get_text() == str(ids["all"])
    monkeypatch.setattr(claims_domain, "COUNT_CAP", 1)
    count = soup(client.get("/claims")).select_one("#results .result-count")
    assert count.select_one(".total")["data-capped"] == "true"
    assert count.select_one(".total").get_text() == "More than 1"
    assert "counting stops at 1" in count.get_text()


def test_date_range_keeps_claims_mentioned_in_it(client, ids):
    assert listed(client.get("/claims", params={"from": "2024-03-03"})) == [ids["denial"]]
    assert ids["river"] in listed(client.get("/claims", params={"from": "2024-03-02", "to": "2024-03-02"}))
    assert ids["denial"] not in listed(client.get("/claims", params={"to": "2024-03-02"}))
    assert listed(client.get("/claims", params={"from": "2025-01-01"})) == []


@pytest.mark.parametrize("params, message", [
    ({"from": "2024-03-05", "to": "2024-03-01"}, "'from' is after 'to'"),
    ({"from": "yesterday"}, "from must be a date"),
    ({"to": "2024-13-40"}, "to must be a date"),
])
def test_a_bad_range_is_a_422_with_a_message(client, ids, params, message):
    for path in ("/claims", "/claims.csv", "/claims.json"):
        response = client.get(path, params=params)
        assert response.status_code == 422, path
        assert message in soup(response).get_text()


def test_search_finds_speakers_too(client, ids):
    assert DENIAL.find("Ruiz") < 0
    assert listed(client.get("/claims", params={"q": "Ruiz"})) == [ids["denial"]]
    assert ids["river"] in listed(client.get("/claims", params={"q": "tomas ferr"}))
    assert listed(client.get("/claims", params={"q": "100%_"})) == []   # LIKE wildcards are text


def _csv(response) -> list[dict]:
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_exports_carry_the_filtered_list_past_one_page(client, ids, app_session):
    rows = _csv(client.get("/claims.csv"))
    assert len(rows) == ids["all"]
    body = client.get("/claims.json")
    assert body.headers["content-type"].startswith("application/json")
    data = json.loads(body.text)
    assert [c["claim_id"] for c in data["claims"]] == [int(r["claim_id"]) for r in rows]
    river = next(c for c in data["claims"] if c["claim_id"] == ids["river"])
    assert (river["first_seen"], river["first_outlet"], river["repeating"], river["speaker"]) == \
        ("2024-03-01", "Valley Post", 2, "Tomas Ferreira")
    assert river["url"].endswith(f"/claims/{ids['river']}")
    # The domain walks the list a keyset page at a time and never repeats a claim.
    walked = [c.id for page in iter_claims(app_session, ClaimFilter(), batch=1) for c in page.claims]
    assert sorted(walked) == sorted(c["claim_id"] for c in data["claims"])


def test_exports_keep_the_filter_the_page_shows(client, ids):
    page = soup(client.get("/claims", params={"q": "Ruiz", "from": "2024-03-01"}))
    csv_href = page.select_one("a.export-csv")["href"]
    json_href = page.select_one("a.export-json")["href"]
    assert "q=Ruiz" in csv_href and "from=2024-03-01" in json_href
    [row] = _csv(client.get(csv_href))
    assert (int(row["claim_id"]), row["speaker"], row["first_outlet"]) == (ids["denial"], "Lena Ruiz", "Hill Gazette")
    data = json.loads(client.get(json_href).text)
    assert [c["claim_id"] for c in data["claims"]] == [ids["denial"]]
    assert data["filter"]["q"] == "Ruiz" and data["filter"]["from"] == "2024-03-01"


def test_the_next_page_keeps_the_date_range(client, ids):
    page = soup(client.get("/claims", params={"from": "2024-03-01", "to": "2024-03-31"}))
    nxt = page.select_one("a.next-page")
    assert nxt is not None and "from=2024-03-01" in nxt["href"] and "to=2024-03-31" in nxt["href"]
