"""The outlet and speaker pickers (`/pick/{kind}`), the claims list filtered by a picked or typed
name, capped counts said as capped, and the claims list's planned queries (few matches: the filter
picks the rows; many: the sort order is walked) giving the same claims as a plain sort would."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain import claims as claims_domain
from app.domain import pickers
from app.domain.bulk import load_records
from app.domain.claims import ClaimFilter, count_claims, iter_claims, list_claims
from app.domain.list_spread import list_spreads
from app.domain.spread import spreads_for_claims
from app.settings import Settings
from app.storage.models import Claim, Outlet, Speaker
from tests.test_web_support import HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, soup

DENIAL = "Nobody has decided to open any flood gate this week"


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, actor="tester", page_size=2)


@pytest.fixture
def ids(client, app_session) -> dict[str, int]:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    return {"river": claim_id_for(app_session, RIVER), "denial": claim_id_for(app_session, DENIAL)}


def listed(response) -> list[int]:
    assert response.status_code == 200, response.text[:300]
    return [int(tr["data-claim-id"]) for tr in soup(response).select("#results tr.claim-row")]


def picks(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.text[:300]
    return [(a.get_text(), a["href"]) for a in soup(response).select(".pick-list a.pick")]


def test_picker_offers_names_holding_the_typed_text_starting_ones_first(client, ids):
    got = picks(client.get("/pick/outlet", params={"outlet": "post"}, headers={"HX-Request": "true"}))
    assert [name for name, _ in got] == ["Valley Post"]
    got = picks(client.get("/pick/outlet", params={"outlet": "RIVER"}))    # any case, full page too
    assert got == [("Riverside News", "/claims?outlet=riverside-news")]
    names = [n for n, _ in picks(client.get("/pick/outlet", params={"outlet": "e"}))]
    assert set(names) == {"Valley Post", "Riverside News", "Hill Gazette"}
    names = [n for n, _ in picks(client.get("/pick/speaker", params={"speaker": "l"}))]
    assert names[0] == "Lena Ruiz"                          # starts with "l": before "Ana ..." etc.


def test_picker_keeps_the_other_filters_and_counts_each_names_claims(client, ids):
    response = client.get("/pick/speaker", params={"speaker": "ferreira", "status": "unreviewed",
                                                   "q": "gates", "outlet": "Valley Post", "cursor": "x"},
                          headers={"HX-Request": "true"})
    page = soup(response)
    assert page.select_one("html") is None              # the fragment htmx swaps in
    link = page.select_one("a.pick")
    assert link.get_text() == "Tomas Ferreira"
    assert link["href"] == "/claims?q=gates&status=unreviewed&outlet=Valley+Post&speaker=tomas-ferreira"
    count = page.select_one(".pick-count")
    assert count["data-claims"] == "1" and not count.has_attr("data-capped")
    assert count.get_text() == "1 claim"


def test_picker_counts_are_capped_and_said_so(client, many, monkeypatch):
    monkeypatch.setattr(pickers, "PICK_COUNT_CAP", 5)
    for kind, typed in (("outlet", "dock"), ("speaker", "ravi")):
        count = soup(client.get(f"/pick/{kind}", params={kind: typed})).select_one(".pick-count")
        assert count["data-capped"] == "true" and count.get_text() == "5+ claims"
    monkeypatch.setattr(pickers, "PICK_COUNT_CAP", 1000)
    count = soup(client.get("/pick/outlet", params={"outlet": "dock"})).select_one(".pick-count")
    assert not count.has_attr("data-capped") and count.get_text() == "13 claims"


def test_picker_limit_and_matrix_target(client, ids):
    assert len(picks(client.get("/pick/outlet", params={"outlet": "e", "limit": 2}))) == 2
    got = picks(client.get("/pick/speaker", params={"speaker": "ruiz", "target": "outlet_matrix",
                                                    "tag": "floods", "status": "x"}))
    assert got == [("Lena Ruiz", "/outlet-matrix?tag=floods&speaker=lena-ruiz")]


@pytest.mark.parametrize("path, params, code", [
    ("/pick/outlet", {}, 200),
    ("/pick/outlet", {"outlet": "   "}, 200),
    ("/pick/outlet", {"outlet": "%_"}, 200),
    ("/pick/outlet", {"outlet": "e", "limit": 0}, 422),
    ("/pick/outlet", {"outlet": "e", "limit": 51}, 422),
    ("/pick/outlet", {"outlet": "e", "limit": "many"}, 422),
    ("/pick/outlet", {"outlet": "x" * 501}, 422),
    ("/pick/outlet", {"outlet": "e", "target": "admin_users"}, 422),
    ("/pick/tag", {"tag": "e"}, 404),
])
def test_picker_bad_or_empty_input_is_a_4xx_or_an_empty_list(client, ids, path, params, code):
    response = client.get(path, params=params, headers={"HX-Request": "true"})
    assert response.status_code == code, response.text[:300]
    if code == 200:
        assert picks(response) == []


def test_claims_page_has_pickers_not_drop_downs_of_every_name(client, ids):
    page = soup(client.get("/claims"))
    assert page.select_one("select[name=outlet]") is None and page.select_one("select[name=speaker]") is None
    field = page.select_one("input[name=outlet]")
    assert field["hx-get"] == "/pick/outlet?target=claims"
    assert field["hx-target"] == "#picks-outlet" and page.select_one("#picks-outlet") is not None
    assert "Hill Gazette" not in page.select_one("form.filters").get_text()


def test_a_picked_or_typed_name_filters_like_the_slug(client, ids):
    by_slug = listed(client.get("/claims", params={"outlet": "hill-gazette"}))
    assert by_slug == [ids["denial"]]
    for typed in ("Hill Gazette", "  hill   GAZETTE "):
        response = client.get("/claims", params={"outlet": typed, "status": "unreviewed"})
        assert listed(response) == by_slug
        page = soup(response)
        assert page.select_one("input[name=outlet]")["value"] == "Hill Gazette"
        assert "outlet=hill-gazette" in page.select_one("a.export-csv")["href"]   # the permalink
    assert listed(client.get("/claims", params={"speaker": "Tomas Ferreira"})) == [ids["river"]]
    assert listed(client.get("/claims", params={"speaker": "tomas-ferreira", "outlet": "Hill Gazette"})) == []


def test_a_name_that_names_nobody_says_so_and_offers_the_near_ones(client, ids):
    response = client.get("/claims", params={"outlet": "gazet"}, headers={"HX-Request": "true"})
    assert listed(response) == []
    note = soup(response).select_one(".pick-unknown")
    assert "No outlet is called “gazet”" in note.get_text()
    assert [a["href"] for a in note.select("a.pick")] == ["/claims?sort=outlets&outlet=hill-gazette"]
    note = soup(client.get("/claims", params={"speaker": "qqq"})).select_one(".pick-unknown")
    assert "No speaker name holds it" in note.get_text() and not note.select("a.pick")


def test_outlet_matrix_picks_its_speaker_by_name(client, ids):
    page = soup(client.get("/outlet-matrix"))
    assert page.select_one("select[name=speaker]") is None
    assert page.select_one("input[name=speaker]")["hx-get"] == "/pick/speaker?target=outlet_matrix"
    by_name = client.get("/outlet-matrix", params={"speaker": "Tomas Ferreira"})
    by_slug = client.get("/outlet-matrix", params={"speaker": "tomas-ferreira"})
    assert by_name.status_code == by_slug.status_code == 200
    assert soup(by_name).select_one(".matrix-summary").get_text() == soup(by_slug).select_one(".matrix-summary").get_text()
    assert soup(by_name).select_one("input[name=speaker]")["value"] == "Tomas Ferreira"
    unknown = client.get("/outlet-matrix", params={"speaker": "ferr"})
    assert unknown.status_code == 422
    assert [a.get_text() for a in soup(unknown).select(".pick-unknown a.pick")] == ["Tomas Ferreira"]


def test_list_spread_matches_the_full_spread(client, ids, app_session):
    claim_ids = list(app_session.scalars(select(Claim.id)))
    full, light = spreads_for_claims(app_session, claim_ids), list_spreads(app_session, claim_ids)
    for cid in claim_ids:
        assert (light[cid].first and light[cid].first.id) == (full[cid].first and full[cid].first.id)
        assert light[cid].outlets == {s: len(v) for s, v in full[cid].outlets.items()}
    assert light[ids["river"]].first.outlet == "Valley Post"


# --- many claims: the planned queries --------------------------------------------------------

COMMON, RARE = "harbour", "zebrafish"
SPEAKERS = ("Marta Quill", "Oren Vale", "Pia Strand", "Ravi Holt", "Sela Brook", "Tove Lind", "Uma Reyes")


def _records(n: int):
    """n claims, each in one article of one of three outlets; every claim holds COMMON, one RARE."""
    yield 0, {"type": "claim", "key": "rare", "text": f"The {COMMON} council keeps a {RARE} tank in the hall",
              "speaker": "Ines Calloway"}
    for i in range(n):
        yield 0, {"type": "claim", "key": f"c{i}", "text": f"The {COMMON} council approved berth number {i} for ferries",
                  "speaker": SPEAKERS[i % 7]}
    for i in range(n):
        key = "rare" if i == 0 else f"c{i}"
        sentence = (f"The {COMMON} council keeps a {RARE} tank in the hall" if i == 0 else
                    f"The {COMMON} council approved berth number {i} for ferries")
        text = f"Report {i}\n\nOfficials said: “{sentence}.” More later.\n"
        start = text.index(sentence)
        yield 0, {"type": "article", "outlet": ["Quay Daily", "Dock Times", "Pier Weekly"][i % 3],
                  "title": f"Report {i}", "published": f"2024-06-{1 + i % 28:02d}", "text": text,
                  "mentions": [{"claim": key, "start": start, "end": start + len(sentence)}]}


@pytest.fixture
def many(app_session) -> int:
    report = load_records(app_session, _records(40), "tester")
    assert report.claims == 40, report
    return 40


def _ids_plain_sort(session, f: ClaimFilter) -> list[int]:
    """Every claim the filter finds, sorted in Python: what any plan must give."""
    found = [c for page in iter_claims(session, f, batch=1000) for c in page.claims]
    return [c.id for c in sorted(found, key=lambda c: (c.outlet_count, c.id), reverse=True)]


@pytest.mark.parametrize("cap", [1000, 5])          # 5: every filter here counts as "many"
@pytest.mark.parametrize("spec", [
    {"q": COMMON}, {"q": RARE}, {"q": "zebra"}, {"q": f"{COMMON} berth 17"}, {"q": "calloway"},
    {"outlet": "dock-times"}, {"outlet": "dock-times", "status": "unreviewed"},
    {"speaker": "ravi-holt"}, {"q": COMMON, "outlet": "quay-daily", "sort": "newest"},
    {"q": "holt", "sort": "changed"},
])
def test_planned_pages_give_the_claims_a_plain_sort_gives(app_session, many, monkeypatch, cap, spec):
    monkeypatch.setattr(claims_domain, "COUNT_CAP", cap)
    f = ClaimFilter(**spec)
    expected = _ids_plain_sort(app_session, f)
    total, capped = count_claims(app_session, f)
    assert (total, capped) == ((cap, True) if len(expected) > cap else (len(expected), False))
    got, cursor = [], None
    for _ in range(20):                                  # keyset pages of 3, both plans
        page = list_claims(app_session, f, limit=3, cursor=cursor, dense=capped)
        got += [c.id for c in page.claims]
        if not (cursor := page.next_cursor):
            break
    if f.sort == "outlets":
        assert got == expected
    assert sorted(got) == sorted(expected)


def test_search_finds_rare_and_common_words_and_caps_the_common_count(client, many, monkeypatch):
    rare = soup(client.get("/claims", params={"q": RARE}))
    assert [r.select_one(".claim-text a").get_text() for r in rare.select("tr.claim-row")] == [
        f"The {COMMON} council keeps a {RARE} tank in the hall"]
    assert rare.select_one(".total").get_text() == "1"
    monkeypatch.setattr(claims_domain, "COUNT_CAP", 10)
    common = soup(client.get("/claims", params={"q": COMMON}, headers={"HX-Request": "true"}))
    assert common.select_one(".total")["data-capped"] == "true"
    assert common.select_one(".total").get_text() == "More than 10"
    assert len(common.select("tr.claim-row")) == 2 and common.select_one("a.next-page")
    assert all(COMMON in r.get_text() for r in common.select("tr.claim-row .claim-text"))


def test_find_named_by_slug_or_name_in_any_case(app_session, many):
    row = pickers.find_named(app_session, "speaker", "RAVI  holt")
    assert isinstance(row, Speaker) and row.slug == "ravi-holt"
    assert pickers.find_named(app_session, "outlet", "quay-daily").name == "Quay Daily"
    assert pickers.find_named(app_session, "outlet", "Quay") is None
    assert isinstance(pickers.find_named(app_session, "outlet", "Dock Times"), Outlet)
