"""The shareable sources of a claim: HTML with OpenGraph and alternates, JSON and CSV."""
from __future__ import annotations

import csv
import io

import pytest

from app.domain.review import merge_claims, set_status
from tests.test_web_support import (
    HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, mentions_of, soup)

DENIAL = "Nobody has decided to open any flood gate this week"


@pytest.fixture
def claim_id(client, app_session) -> int:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    cid = claim_id_for(app_session, RIVER)
    set_status(app_session, cid, "verified", "Confirmed by the river authority", "tester")
    app_session.commit()
    return cid


def test_sources_page_lists_every_outlet_with_og_and_alternates(client, claim_id):
    response = client.get(f"/claims/{claim_id}/sources")
    assert response.status_code == 200
    page = soup(response)
    og = {m["property"]: m["content"] for m in page.select("head meta[property^='og:']")}
    assert og["og:type"] == "article"
    assert og["og:title"] == RIVER
    assert og["og:url"] == f"http://testserver/claims/{claim_id}/sources"
    assert "verified" in og["og:description"] and "Riverside News" in og["og:description"]
    alternates = {link["type"]: link["href"] for link in page.select("head link[rel=alternate]")}
    assert alternates == {"application/json": f"/claims/{claim_id}/sources.json",
                          "text/csv": f"/claims/{claim_id}/sources.csv",
                          "application/ld+json": f"/claims/{claim_id}/claimreview.json",
                          "application/atom+xml": f"/claims/{claim_id}/feed.atom"}
    assert page.select_one(".status-reason").get_text() == "Confirmed by the river authority"
    rows = page.select("tr.source")
    assert [r.select_one("td a").get_text() for r in rows] == ["Valley Post", "Riverside News"]
    assert [r.select_one(".date").get_text() for r in rows] == ["2024-03-01", "2024-03-02"]
    assert {r.select_one(".stance").get_text() for r in rows} == {"repeats"}
    assert rows[0].select_one("mark").get_text() == RIVER
    assert rows[0].select_one("a.ext")["href"] == "https://valley.example/flood-gates"


def test_sources_json(client, app_session, claim_id):
    response = client.get(f"/claims/{claim_id}/sources.json")
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["claim"]["id"] == claim_id
    assert body["claim"]["status"] == "verified"
    assert body["claim"]["reason"] == "Confirmed by the river authority"
    assert body["claim"]["speaker"] == "Tomas Ferreira"
    first = mentions_of(app_session, claim_id)[0]
    assert [s["outlet"] for s in body["sources"]] == ["Valley Post", "Riverside News"]
    assert {k: body["sources"][0][k] for k in ("article_id", "start", "end", "excerpt", "published")} == {
        "article_id": first.article_id, "start": first.start, "end": first.end, "excerpt": RIVER,
        "published": "2024-03-01"}


def test_sources_csv(client, claim_id):
    response = client.get(f"/claims/{claim_id}/sources.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["claim_id", "claim", "status", "outlet", "article_id", "title", "published",
                       "url", "stance", "fidelity", "excerpt", "start", "end"]
    assert len(rows) == 3
    record = dict(zip(rows[0], rows[1]))
    assert record["claim_id"] == str(claim_id)
    assert record["claim"] == RIVER and record["excerpt"] == RIVER
    assert record["status"] == "verified"
    assert record["outlet"] == "Valley Post"
    assert record["url"] == "https://valley.example/flood-gates"
    assert [dict(zip(rows[0], r))["outlet"] for r in rows[1:]] == ["Valley Post", "Riverside News"]


@pytest.mark.parametrize("suffix", ["sources", "sources.json", "sources.csv"])
def test_merged_claim_sources_redirect_to_the_survivor(client, app_session, claim_id, suffix):
    other = claim_id_for(app_session, DENIAL)
    merge_claims(app_session, other, claim_id, "tester")
    app_session.commit()
    response = client.get(f"/claims/{other}/{suffix}")
    assert response.status_code == 301
    assert response.headers["location"] == f"/claims/{claim_id}/{suffix}"


def test_unsafe_article_url_is_not_a_link(client, app_session):
    ingest_all(client, {**VALLEY_POST, "url": "javascript:alert(1)"})
    cid = claim_id_for(app_session, RIVER)
    page = soup(client.get(f"/claims/{cid}/sources"))
    assert page.select("a.ext") == []
