"""A claim carried by many articles: the claim page shows its mentions a page at a time (the same
groups, in the same order, as one long list would), "More mentions" brings the next page with htmx
or as ?page=N without it, and the summaries above (spread, first appearance, outlets by stance,
fidelity) still count every mention. sources.json is paged the same way. Action forms are only
drawn for a reader who may use them."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from app.domain.bulk import load_records
from app.domain.mentions import claim_sources, group_by_stance
from app.main import create_app
from app.settings import Settings
from app.storage.models import Claim, Mention
from sqlalchemy import select
from tests.auth import log_in
from tests.test_web_support import soup

HX = {"HX-Request": "true"}
CLAIM = "The harbour tunnel will carry trams before the winter of next year"
OUTLETS = [f"Paging Courier {i}" for i in range(9)]
STANCE_CYCLE = ("repeats", "repeats", "discusses", "contradicts")
MENTIONS = 130          # three pages of 50
EARLY_OUTLET = "Paging Latecomer Weekly"   # published first, but its group is the last one shown


def _records():
    yield {"type": "claim", "key": "c", "text": CLAIM, "speaker": "Ines Paging Okafor"}
    day = date(2024, 1, 10)
    for i in range(MENTIONS):
        outlet = OUTLETS[i % len(OUTLETS)] if i else EARLY_OUTLET
        stance = STANCE_CYCLE[i % len(STANCE_CYCLE)] if i else "discusses"
        published = (day - timedelta(days=30) if i == 0 else day + timedelta(days=i % 40)).isoformat()
        text = f"Report {i} from {outlet}. “{CLAIM},” said Ines Paging Okafor on the quay."
        start = text.index(CLAIM)
        yield {"type": "article", "outlet": outlet, "title": f"Tunnel report {i}", "text": text,
               "published": published,
               "quotes": [{"start": start, "end": start + len(CLAIM), "speaker": "Ines Paging Okafor",
                           "cue": "said", "kind": "direct"}],
               "mentions": [{"claim": "c", "start": start, "end": start + len(CLAIM), "quote": 0,
                             "stance": stance}]}


@pytest.fixture
def paged(database_url):
    app = create_app(Settings(database_url=database_url, public_read=True))
    with app.state.sessionmaker() as session:
        report = load_records(session, enumerate(_records(), 1), "tester")
        assert not report.errors
        claim_id = session.scalar(select(Claim.id).where(Claim.text == CLAIM))
        whole = [m.id for blocks in group_by_stance(claim_sources(session, claim_id)).values()
                 for ms in blocks.values() for m in ms]
        early = session.scalar(select(Mention.id).join(Mention.article)
                               .where(Mention.claim_id == claim_id, Mention.article.has(title="Tunnel report 0")))
    yield app, claim_id, whole, early
    app.state.engine.dispose()


@pytest.fixture
def editor(paged):
    with TestClient(paged[0], follow_redirects=False) as c:
        yield log_in(c, paged[0])


@pytest.fixture
def reader(paged):
    with TestClient(paged[0], follow_redirects=False) as c:
        yield c


def _ids(page) -> list[int]:
    return [int(m["data-mention-id"]) for m in page.select(".stance-group .mention")]


def test_first_page_holds_fifty_mentions_and_a_more_link(paged, reader):
    _, claim_id, whole, _ = paged
    page = soup(reader.get(f"/claims/{claim_id}"))
    assert _ids(page) == whole[:50]
    more = page.select_one(".more-mentions a")
    assert more["href"] == f"/claims/{claim_id}?page=2#mentions"
    assert more["hx-get"] == f"/claims/{claim_id}/mentions?page=2"
    assert "51–100 of 130" in more.get_text()


def test_more_pages_bring_every_mention_once_in_the_order_of_the_whole_list(paged, reader):
    _, claim_id, whole, _ = paged
    seen = _ids(soup(reader.get(f"/claims/{claim_id}")))
    url = f"/claims/{claim_id}/mentions?page=2"
    while url:
        response = reader.get(url, headers=HX)
        assert response.status_code == 200
        fragment = soup(response)
        seen += _ids(fragment)
        more = fragment.select_one(".more-mentions a")
        url = more["hx-get"] if more else None
    assert seen == whole and len(set(seen)) == MENTIONS


def test_a_group_going_on_from_the_page_before_says_continued(paged, reader):
    _, claim_id, whole, _ = paged
    fragment = soup(reader.get(f"/claims/{claim_id}/mentions?page=2", headers=HX))
    first_group = fragment.select_one(".stance-group")
    page1 = soup(reader.get(f"/claims/{claim_id}"))
    last_group = page1.select(".stance-group .mention")[-1].find_parent("section")
    assert ("(continued)" in first_group.h3.get_text()) == (first_group["data-stance"] == last_group["data-stance"])


def test_without_javascript_the_more_link_opens_the_next_page(paged, reader):
    _, claim_id, whole, _ = paged
    response = reader.get(f"/claims/{claim_id}/mentions?page=2")
    assert response.status_code == 303 and response.headers["location"] == f"/claims/{claim_id}?page=2#mentions"
    page = soup(reader.get(f"/claims/{claim_id}?page=2"))
    assert _ids(page) == whole[50:100]
    assert "Mentions 51–100 of 130" in page.select_one(".mentions-range").get_text()
    assert page.select_one(".mentions-range a")["href"] == f"/claims/{claim_id}#mentions"
    assert _ids(soup(reader.get(f"/claims/{claim_id}?page=3"))) == whole[100:]
    assert _ids(soup(reader.get(f"/claims/{claim_id}?page=9"))) == []


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999"])
def test_a_bad_page_is_a_422(paged, reader, page):
    _, claim_id, _, _ = paged
    assert reader.get(f"/claims/{claim_id}?page={page}").status_code == 422
    assert reader.get(f"/claims/{claim_id}/sources.json?page={page}").status_code == 422


def test_summaries_count_every_mention_not_the_page(paged, reader):
    _, claim_id, whole, early = paged
    page = soup(reader.get(f"/claims/{claim_id}"))
    # The earliest article's mention is in the last stance group (discusses), past page 1; it is
    # still the first appearance.
    assert early in whole[50:] and early not in _ids(page)
    assert int(page.select_one(".first-appearance")["data-mention-id"]) == early
    expected = {"repeats": len(OUTLETS), "discusses": 1 + len(OUTLETS), "contradicts": len(OUTLETS)}
    counts = {li["data-stance"]: int(li.select_one(".n").get_text()) for li in page.select(".stance-count")}
    assert counts == expected
    # Each stance's heading counts its outlets over all pages, on whichever page it is drawn.
    heads = {}
    for n in (1, 2, 3):
        for g in soup(reader.get(f"/claims/{claim_id}?page={n}")).select(".stance-group"):
            heads.setdefault(g["data-stance"], set()).add(g.select_one(".count").get_text())
    assert heads == {s: {f"({n} outlets)"} for s, n in expected.items()}
    assert page.select_one(".outlet-total").get_text() == str(len(OUTLETS) + 1)
    assert sum(int(f.select_one(".n").get_text()) for f in page.select(".fidelity-count")) == MENTIONS
    # "How each outlet renders it": 50 rows, its counts over all 130.
    assert len(page.select("tr.rendering")) == 50
    assert "The first 50 of 130" in page.select_one(".renderings-more").get_text()
    assert page.select_one(".renderings-summary .badge").get_text() == f"{MENTIONS} verbatim"


def test_a_reader_sees_no_action_forms_an_editor_does(paged, reader, editor):
    _, claim_id, _, _ = paged
    anonymous = reader.get(f"/claims/{claim_id}")
    assert anonymous.status_code == 200
    page = soup(anonymous)
    assert page.select(".mention") and not page.select(".mention-actions")
    assert not page.select("form.status-form") and not page.select('input[name="csrf_token"]')
    page = soup(editor.get(f"/claims/{claim_id}"))
    assert len(page.select(".stance-group .mention-actions")) == 50
    assert page.select_one("form.status-form") is not None
    fragment = soup(editor.get(f"/claims/{claim_id}/mentions?page=2", headers=HX))
    assert len(fragment.select(".mention-actions")) == 50
    assert not soup(reader.get(f"/claims/{claim_id}/mentions?page=2", headers=HX)).select(".mention-actions")


def test_sources_json_keeps_its_shape_and_pages(paged, reader):
    _, claim_id, _, early = paged
    first = reader.get(f"/claims/{claim_id}/sources.json")
    body = first.json()
    assert set(body) == {"claim", "sources", "spread", "paging"}
    assert len(body["sources"]) == 100 and len(body["spread"]["timeline"]) == 100
    assert body["paging"]["total"] == MENTIONS and body["paging"]["pages"] == 2
    assert body["paging"]["prev"] is None
    assert body["paging"]["next"] == f"http://testserver/claims/{claim_id}/sources.json?page=2"
    assert first.headers["link"] == f'<{body["paging"]["next"]}>; rel="next"'
    # The summary is over every mention, whatever the page.
    assert body["spread"]["first"]["mention_id"] == early
    assert body["spread"]["outlet_count"] == len(OUTLETS) + 1
    seen, url = [], f"/claims/{claim_id}/sources.json?per_page=40"
    while url:
        page = reader.get(url).json()
        assert page["spread"]["first"]["mention_id"] == early
        seen += [s["mention_id"] for s in page["sources"]]
        url = page["paging"]["next"]
    assert len(seen) == MENTIONS and len(set(seen)) == MENTIONS
    everything = reader.get(f"/claims/{claim_id}/sources.json?per_page=500").json()
    assert [s["mention_id"] for s in everything["sources"]] == seen
    assert everything["paging"]["next"] is None
    assert reader.get(f"/claims/{claim_id}/sources.json?per_page=501").status_code == 422
