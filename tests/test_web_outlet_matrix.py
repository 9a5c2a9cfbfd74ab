"""Outlets side by side on the page, its cells' claim lists, its JSON under /api/v1 and the outlet
page's record, over the hand-built dataset of tests/outlet_dataset.py (its docstring states every
count). HTML is read through BeautifulSoup, never by substring."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.domain.suggestions import accept
from app.main import create_app
from app.settings import Settings
from tests.outlet_dataset import build, build_many
from tests.test_web_support import soup

API = "/api/v1"


@pytest.fixture
def data(app_session):
    return build(app_session)


def cells(page, kind: str) -> dict[tuple[str, str], tuple[int, str | None]]:
    """(row outlet slug, column outlet slug) -> (count shown, link) for one heatmap."""
    table = page.select_one(f'table.matrix[data-kind="{kind}"]')
    assert table is not None, f"no {kind} table"
    out = {}
    for tr in table.select("tbody tr"):
        for td in tr.select("td.cell"):
            link = td.select_one("a")
            text = link.get_text() if link else "0"
            assert int(td["data-count"]) == int(text)
            out[(tr["data-outlet"], td["data-b"])] = (int(text), link["href"] if link else None)
    return out


def nonzero(page, kind: str) -> dict[tuple[str, str], int]:
    """Each unordered pair once, slugs in alphabetical order."""
    return {tuple(sorted(k)): n for k, (n, _) in cells(page, kind).items() if n}


BOTH = {("alpha", "alpha"): 4, ("alpha", "gamma"): 2, ("alpha", "beta"): 1, ("gamma", "gamma"): 3,
        ("beta", "gamma"): 1, ("beta", "beta"): 2}
SPLIT = {("alpha", "alpha"): 1, ("alpha", "gamma"): 2, ("alpha", "beta"): 1, ("beta", "gamma"): 1}


def test_matrix_page_draws_both_heatmaps_with_linked_counts(client, data):
    response = client.get("/outlet-matrix")
    assert response.status_code == 200
    page = soup(response)
    rows = [tr["data-outlet"] for tr in page.select('table.matrix[data-kind="both_repeat"] tbody tr')]
    assert rows == ["alpha", "gamma", "beta"]              # most claims first, then by name
    assert nonzero(page, "both_repeat") == BOTH
    assert nonzero(page, "split") == SPLIT
    for kind in ("both_repeat", "split"):
        for (a, b), (n, href) in cells(page, kind).items():
            if not n:
                assert href is None
                continue
            url = urlsplit(href)
            assert url.path == "/outlet-matrix/cell"
            assert parse_qs(url.query) == {"a": [a], "b": [b], "kind": [kind]}
    # Shading by class only: the largest count between two outlets is level 5.
    table = page.select_one('table.matrix[data-kind="split"]')
    assert "h5" in table.select_one('tr[data-outlet="alpha"] td[data-b="gamma"]')["class"]
    # The diagonal (an outlet with itself) is outlined, never shaded: Alpha's 4 would pale the rest.
    diagonal = page.select_one('table.matrix[data-kind="both_repeat"] tr[data-outlet="alpha"] td[data-b="alpha"]')
    assert {"diag", "h0"} <= set(diagonal["class"]) and diagonal.get_text(strip=True) == "4"
    assert "h3" in page.select_one('table.matrix[data-kind="both_repeat"] tr[data-outlet="alpha"] '
                                   'td[data-b="beta"]')["class"]     # 1 of at most 2: ceil(5 * 1 / 2)
    assert not page.select("table.matrix [style]")
    note = " ".join(page.select_one("p.hint").get_text().split())
    assert "confirmed mentions only" in note and "suggestions" in note
    assert page.select_one("p.matrix-cap") is None
    alternate = page.select_one('link[rel="alternate"][type="application/json"]')["href"]
    assert urlsplit(alternate).path == f"{API}/outlet-matrix"


def test_a_cell_lists_its_claims_with_each_outlets_excerpts(client, data):
    page = soup(client.get("/outlet-matrix"))
    _, href = cells(page, "split")[("alpha", "gamma")]
    cell = soup(client.get(href))
    items = cell.select("li.cell-claim")
    assert [int(li["data-claim-id"]) for li in items] == [data.claims["c4"], data.claims["c1"]]
    c4 = items[0]
    sides = c4.select(".cell-side")
    assert [s.select_one("h4").get_text(strip=True) for s in sides] == ["Alpha", "Gamma"]
    assert [int(li["data-mention-id"]) for li in sides[0].select("li")] == [
        data.mentions[("c4", "Alpha", "repeats")], data.mentions[("c4", "Alpha", "contradicts")]]
    link = sides[1].select_one("li[data-mention-id] a")["href"]
    assert link.endswith(f"#m{data.mentions[('c4', 'Gamma', 'repeats')]}")
    assert c4.select_one("a.claim-link")["href"] == f"/claims/{data.claims['c4']}"
    # every non-empty cell's list is as long as its number
    for kind in ("both_repeat", "split"):
        for (a, b), (n, href) in cells(page, kind).items():
            if n:
                assert len(soup(client.get(href)).select("li.cell-claim")) == n, (kind, a, b)


def test_filters_narrow_the_matrix_and_travel_with_the_cell_links(client, data):
    page = soup(client.get("/outlet-matrix", params={"tag": "port"}))
    assert nonzero(page, "both_repeat") == {("beta", "beta"): 2, ("beta", "gamma"): 1, ("alpha", "beta"): 1,
                                            ("alpha", "alpha"): 1, ("gamma", "gamma"): 1}
    _, href = cells(page, "both_repeat")[("beta", "alpha")]
    assert parse_qs(urlsplit(href).query)["tag"] == ["port"]
    assert [int(li["data-claim-id"]) for li in soup(client.get(href)).select("li.cell-claim")] == [data.claims["c1"]]
    assert page.select_one('select[name="tag"] option[selected]')["value"] == "port"

    speaker = data.speakers["Omar Haddad"]
    ranged = soup(client.get("/outlet-matrix", params={"since": "2024-02-01", "until": "2024-03-31"}))
    assert nonzero(ranged, "split") == {("alpha", "beta"): 1}
    by_speaker = soup(client.get("/outlet-matrix", params={"speaker": speaker}))
    assert nonzero(by_speaker, "split") == {("alpha", "alpha"): 1, ("alpha", "gamma"): 1}


def test_top_limits_the_outlets_drawn_and_says_so(client, data):
    page = soup(client.get("/outlet-matrix", params={"top": "2"}))
    assert [tr["data-outlet"] for tr in page.select('table.matrix[data-kind="split"] tbody tr')] == ["alpha", "gamma"]
    assert "1 more outlet not shown" in " ".join(page.select_one("p.matrix-cap").get_text().split())


def test_accepting_a_suggestion_makes_it_count(client, app_session, data):
    assert nonzero(soup(client.get("/outlet-matrix")), "both_repeat")[("alpha", "beta")] == 1
    accept(app_session, data.mentions[("c3", "Alpha", "repeats")], "tester")
    app_session.commit()
    assert nonzero(soup(client.get("/outlet-matrix")), "both_repeat")[("alpha", "beta")] == 2


@pytest.mark.parametrize(("query", "message"), [
    ({"since": "2024-02-30"}, "since must be a day written YYYY-MM-DD, not '2024-02-30'"),
    ({"until": "yesterday"}, "until must be a day written YYYY-MM-DD, not 'yesterday'"),
    ({"since": "2024-05-01", "until": "2024-01-01"}, "since (2024-05-01) is after until (2024-01-01)"),
    ({"tag": "harbor"}, "no tag 'harbor'"),
    ({"speaker": "nobody"}, "no speaker 'nobody'"),
    ({"top": "1"}, "top must be between 2 and 60, not '1'"),
    ({"top": "𝟗"}, "top must be a whole number written with the digits 0-9, not '𝟗'"),
])
def test_bad_filters_are_422_with_the_message_on_the_page_and_in_json(client, data, query, message):
    response = client.get("/outlet-matrix", params=query)
    assert response.status_code == 422
    page = soup(response)
    assert page.select_one('p.error[role="alert"]').get_text(strip=True) == message
    assert page.select_one("form.matrix-filters") is not None and not page.select("table.matrix")
    if "top" not in query:      # the API takes `top` as a number: FastAPI's own 422
        api = client.get(f"{API}/outlet-matrix", params=query)
        assert api.status_code == 422 and api.json()["message"] == message
        cell = client.get("/outlet-matrix/cell", params={"a": "alpha", "b": "beta", "kind": "split", **query})
        assert cell.status_code == 422 and message in soup(cell).get_text()


def test_cell_refuses_a_bad_kind_or_outlet(client, data):
    bad_kind = client.get("/outlet-matrix/cell", params={"a": "alpha", "b": "beta", "kind": "agree"})
    assert bad_kind.status_code == 422
    assert "kind must be one of both_repeat, split" in soup(bad_kind).get_text()
    assert client.get("/outlet-matrix/cell", params={"a": "alpha", "kind": "split"}).status_code == 422
    missing = client.get("/outlet-matrix/cell", params={"a": "alpha", "b": "nowhere", "kind": "split"})
    assert missing.status_code == 404 and "no outlet 'nowhere'" in soup(missing).get_text()
    api = client.get(f"{API}/outlet-matrix/cell", params={"a": "alpha", "b": "nowhere", "kind": "split"})
    assert api.status_code == 404 and api.json()["message"] == "no outlet 'nowhere'"
    assert client.get(f"{API}/outlet-matrix/cell", params={"a": "alpha", "b": "beta", "kind": "x"}).status_code == 422


def test_json_has_every_pair_once_and_links_to_its_claims(client, data):
    body = client.get(f"{API}/outlet-matrix").json()
    assert [(o["slug"], o["claims"], o["repeats"], o["contradicts"]) for o in body["outlets"]] == [
        ("alpha", 4, 4, 1), ("gamma", 4, 3, 1), ("beta", 3, 2, 1)]
    assert (body["claim_count"], body["outlet_count"], body["outlets_left_out"], body["top"]) == (5, 3, 0, 20)
    pairs = {tuple(sorted((p["a"], p["b"]))): p for p in body["pairs"]}
    assert len(pairs) == len(body["pairs"])
    assert {k: p["both_repeat"] for k, p in pairs.items() if p["both_repeat"]} == BOTH
    assert {k: p["split"] for k, p in pairs.items() if p["split"]} == SPLIT
    assert pairs[("beta", "beta")]["split_url"] is None
    url = urlsplit(pairs[("alpha", "gamma")]["split_url"])
    cell = client.get(f"{url.path}?{url.query}").json()
    assert (cell["kind"], cell["total"], cell["a"]["slug"], cell["b"]["slug"]) == ("split", 2, "alpha", "gamma")
    assert [c["id"] for c in cell["items"]] == [data.claims["c4"], data.claims["c1"]]
    assert [m["stance"] for m in cell["items"][0]["a"]] == ["repeats", "contradicts"]
    assert cell["items"][0]["speaker"] == {"name": "Omar Haddad", "slug": data.speakers["Omar Haddad"]}

    tagged = client.get(f"{API}/outlet-matrix", params={"tag": "port", "top": 2}).json()
    assert tagged["filter"] == {"tag": "port", "speaker": None, "since": None, "until": None}
    assert [o["slug"] for o in tagged["outlets"]] == ["beta", "gamma"] and tagged["outlets_left_out"] == 1


def test_outlet_page_shows_what_it_carried_first_and_what_it_contradicts(client, data):
    page = soup(client.get(f"/outlets/{data.outlets['Alpha']}"))
    firsts = page.select(".record-firsts li")
    assert [int(li["data-claim-id"]) for li in firsts] == [data.claims[c] for c in ("c1", "c7", "c4", "c2")]
    assert firsts[1].select_one(".tie").get_text(strip=True) == "same day as Gamma"
    assert firsts[0].select_one(".others").get_text(strip=True) == "then 2 other outlets"
    contradicts = page.select(".record-contradicts li")
    assert [int(li["data-claim-id"]) for li in contradicts] == [data.claims["c4"]]
    assert contradicts[0].select("a")[1]["href"].endswith(f"#m{data.mentions[('c4', 'Alpha', 'contradicts')]}")
    beta = soup(client.get(f"/outlets/{data.outlets['Beta']}"))
    assert [int(li["data-claim-id"]) for li in beta.select(".record-firsts li")] == [data.claims["c3"]]
    delta = soup(client.get(f"/outlets/{data.outlets['Delta']}"))
    assert not delta.select(".record-firsts li")
    assert " ".join(delta.select_one(".only-here").get_text().split()) == "1 claim no other outlet carried."
    assert page.select_one("a.matrix-link")["href"] == "/outlet-matrix"
    outlets = soup(client.get("/outlets"))
    assert outlets.select_one("a.matrix-link")["href"] == "/outlet-matrix"


def test_public_read_opens_the_matrix_to_anonymous_readers_only_when_set(anon_client, database_url, data):
    assert anon_client.get("/outlet-matrix").status_code == 303
    assert anon_client.get(f"{API}/outlet-matrix").status_code == 401
    app = create_app(Settings(database_url=database_url, public_read=True))
    try:
        with TestClient(app, follow_redirects=False) as anon:
            page = soup(anon.get("/outlet-matrix"))
            assert nonzero(page, "both_repeat") == BOTH
            assert anon.get(f"{API}/outlet-matrix").status_code == 200
            assert anon.get("/outlet-matrix/cell", params={"a": "alpha", "b": "beta", "kind": "split"}).status_code == 200
    finally:
        app.state.engine.dispose()


@pytest.mark.parametrize(("top", "drawn"), [(None, 20), ("60", 60)])
def test_three_hundred_outlets_draw_the_top_ones_and_say_how_many_are_left_out(client, app_session, top, drawn):
    names = build_many(app_session, outlets=300)
    page = soup(client.get("/outlet-matrix", params={"top": top} if top else {}))
    rows = page.select('table.matrix[data-kind="both_repeat"] tbody tr')
    # outlets 0-74 carry all four claims: the most claims first, then by name
    assert [tr.select_one("th.row").get_text(strip=True) for tr in rows] == names[:drawn]
    assert all(len(tr.select("td.cell")) == drawn for tr in rows)
    cap = " ".join(page.select_one("p.matrix-cap").get_text().split())
    assert f"Showing the {drawn} outlets with the most claims; {300 - drawn} more outlets not shown" in cap
    counts = {n for (a, b), (n, _) in cells(page, "both_repeat").items() if a != b}
    assert counts == {4}
    assert page.select_one('table.matrix[data-kind="split"]') is None
    assert page.select_one('section[data-kind="split"] p.empty') is not None
    body = client.get(f"{API}/outlet-matrix", params={"top": top or 20}).json()
    assert (body["outlet_count"], body["outlets_left_out"], len(body["outlets"])) == (300, 300 - drawn, drawn)
    assert len(body["pairs"]) == drawn * (drawn + 1) // 2
