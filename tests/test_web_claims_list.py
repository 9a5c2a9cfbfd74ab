"""The claims list: facets in the query string, active search fragments, keyset pages; the dashboard."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.domain.review import add_tag, set_status
from app.main import create_app
from app.settings import Settings
from tests.auth import log_in
from tests.test_web_support import (
    HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, soup)

DENIAL = "Nobody has decided to open any flood gate this week"


@pytest.fixture
def settings(database_url) -> Settings:
    """Two claims per page, so three articles' claims need a second page."""
    return Settings(database_url=database_url, actor="tester", page_size=2)


@pytest.fixture
def claims(client, app_session) -> dict[str, int]:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    ids = {"river": claim_id_for(app_session, RIVER), "denial": claim_id_for(app_session, DENIAL)}
    set_status(app_session, ids["denial"], "disputed", "contradicted by the engineer", "tester")
    add_tag(app_session, ids["river"], "floods", "tester")
    app_session.commit()
    return ids


def listed(response) -> list[int]:
    return [int(tr["data-claim-id"]) for tr in soup(response).select("#results tr.claim-row")]


def test_list_shows_each_claim_with_speaker_status_outlets_and_tags(client, claims):
    page = soup(client.get("/claims"))
    row = page.select_one(f'tr.claim-row[data-claim-id="{claims["river"]}"]')
    assert row.select_one(".claim-text a").get_text() == RIVER
    assert row.select_one(".claim-text a")["href"] == f"/claims/{claims['river']}"
    assert row.select_one('a[href="/speakers/tomas-ferreira"]').get_text() == "Tomas Ferreira"
    assert row.select_one(".badge").get_text() == "unreviewed"
    assert row.select_one(".outlet-count").get_text() == "2"
    assert [a.get_text() for a in row.select(".tags a")] == ["floods"]


def test_default_sort_puts_most_outlets_first(client, claims):
    assert listed(client.get("/claims"))[0] == claims["river"]


def test_filter_by_status(client, claims):
    assert listed(client.get("/claims", params={"status": "disputed"})) == [claims["denial"]]
    page = soup(client.get("/claims", params={"status": "disputed"}))
    assert page.select_one('select[name=status] option[selected]')["value"] == "disputed"


def test_filter_by_outlet_speaker_and_tag(client, claims):
    assert listed(client.get("/claims", params={"outlet": "hill-gazette"})) == [claims["denial"]]
    assert listed(client.get("/claims", params={"speaker": "tomas-ferreira"})) == [claims["river"]]
    assert listed(client.get("/claims", params={"tag": "floods"})) == [claims["river"]]


def test_search_q_filters_by_words(client, claims):
    assert listed(client.get("/claims", params={"q": "flood gates dawn"})) == [claims["river"]]
    assert listed(client.get("/claims", params={"q": "nobody decided"})) == [claims["denial"]]
    assert soup(client.get("/claims", params={"q": "volcano"})).select_one("#results .empty")


def test_htmx_request_gets_only_the_results_fragment(client, claims):
    response = client.get("/claims", params={"q": "nobody"}, headers={"HX-Request": "true"})
    page = soup(response)
    assert page.select_one("html") is None and page.select_one("nav") is None
    assert page.select_one("section#results") is not None
    assert listed(response) == [claims["denial"]]
    assert response.headers["Vary"] == "HX-Request"
    full = client.get("/claims", params={"q": "nobody"})
    assert soup(full).select_one("html") is not None
    assert full.headers["Vary"] == "HX-Request"


def test_search_box_is_wired_for_active_search(client, claims):
    box = soup(client.get("/claims")).select_one("input[name=q]")
    assert box["hx-get"] == "/claims"
    assert box["hx-trigger"] == "input changed delay:300ms, search"
    assert box["hx-target"] == "#results"
    assert box["hx-push-url"] == "true"


def test_next_page_link_uses_the_cursor_and_keeps_filters(client, claims, app_session):
    from tests.test_web_support import paste
    paste(client, {"outlet": "Valley Post", "title": "Weather", "published": "2024-03-04",
                   "text": "Weather\n\n“Heavy rain is expected across the whole valley until Sunday night,” "
                           "forecaster Ivo Lenz said.\n"})
    first = client.get("/claims", params={"sort": "newest"})
    assert len(listed(first)) == 2
    link = soup(first).select_one("a.next-page")
    assert "cursor=" in link["href"] and "sort=newest" in link["href"]
    second = client.get(link["href"])
    assert len(listed(second)) == 1
    assert set(listed(first)).isdisjoint(listed(second))
    assert soup(second).select_one("a.next-page") is None


def test_bad_status_filter_is_a_422_page_not_a_500(client, claims):
    response = client.get("/claims", params={"status": "nonsense"})
    assert response.status_code == 422
    assert "status" in soup(response).select_one(".error").get_text()


def test_dashboard_lists_recent_disputed_and_outlets(client, claims):
    page = soup(client.get("/"))
    assert claims["denial"] in [int(tr["data-claim-id"]) for tr in page.select(".dash-disputed tr.claim-row")]
    assert claims["river"] not in [int(tr["data-claim-id"]) for tr in page.select(".dash-disputed tr.claim-row")]
    assert len(page.select(".dash-recent tr.claim-row")) == 2
    outlets = {a.get_text(): a["href"] for a in page.select(".dash-outlets a")}
    assert outlets["Hill Gazette"] == "/outlets/hill-gazette"
    nav = [a.get_text() for a in page.select("header nav a")]
    assert nav == ["Dashboard", "Claims", "Outlets", "Speakers", "Suggestions", "Ingest", "Import",
                   "Audit log"]


READING = ["Dashboard", "Claims", "Outlets", "Speakers"]


@pytest.mark.parametrize("role, expected", [
    (None, READING),
    ("viewer", READING + ["Suggestions"]),
    ("analyst", READING + ["Suggestions", "Ingest", "Import"]),
    ("admin", READING + ["Suggestions", "Ingest", "Import", "Audit log"]),
])
def test_the_navigation_offers_the_pages_the_role_may_open(database_url, role, expected):
    """The import and audit pages are in the navigation for those allowed, and no one is offered a
    page that would only send them to the login or answer 403."""
    app = create_app(Settings(database_url=database_url, public_read=True))
    with TestClient(app, follow_redirects=False) as browser:
        if role:
            log_in(browser, app, f"a-{role}", role)
        links = {a.get_text(strip=True): a["href"] for a in soup(browser.get("/claims")).select("header nav a")}
        assert list(links) == expected
        assert all(browser.get(href).status_code == 200 for href in links.values())
    app.state.engine.dispose()


def test_outlet_and_speaker_pages_list_their_claims(client, claims):
    outlet = client.get("/outlets/riverside-news")
    assert listed(outlet) == [claims["river"]]
    assert [a.get_text() for a in soup(outlet).select(".article-list a")] == ["Gates will open Friday"]
    assert listed(client.get("/speakers/lena-ruiz")) == [claims["denial"]]
    assert client.get("/outlets/no-such-outlet").status_code == 404
    names = [a.get_text() for a in soup(client.get("/speakers")).select("table.speakers a")]
    assert names == ["Lena Ruiz", "Tomas Ferreira"]
