"""The article page: quotes and mentions highlighted at exact offsets, and linking a selection."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.storage.models import Claim, Mention
from tests.test_web_support import (
    RIVER, RIVERSIDE_NEWS, VALLEY_POST, article_id_for, claim_id_for, ingest_all, mentions_of, soup)

HX = {"HX-Request": "true"}
RESIDENTS = "Residents were told to move cars away from the embankment."


@pytest.fixture
def ids(client, app_session) -> dict[str, int]:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS)
    return {"article": article_id_for(app_session, "Flood gates to open"),
            "claim": claim_id_for(app_session, RIVER)}


def _text_pieces(page) -> list:
    return page.select("#article-text [data-start]")


def test_article_page_shows_metadata_and_the_exact_text(client, ids):
    page = soup(client.get(f"/articles/{ids['article']}"))
    assert page.select_one("h1").get_text() == "Flood gates to open"
    assert page.select_one(".article-meta a.outlet")["href"] == "/outlets/valley-post"
    assert page.select_one(".article-meta .author").get_text() == "Ana Brook"
    # The pieces, joined, are the stored text, and each one's offsets point at itself.
    pieces = _text_pieces(page)
    assert "".join(p.get_text() for p in pieces) == VALLEY_POST["text"]
    for p in pieces:
        assert VALLEY_POST["text"][int(p["data-start"]):int(p["data-end"])] == p.get_text()


def test_mentions_and_quotes_are_highlighted_with_ids(client, app_session, ids):
    mention = [m for m in mentions_of(app_session, ids["claim"]) if m.article_id == ids["article"]][0]
    page = soup(client.get(f"/articles/{ids['article']}"))
    mark = page.select_one(f"mark#m{mention.id}")
    assert mark is not None
    assert "mention" in mark["class"] and "stance-repeats" in mark["class"] and "quote" in mark["class"]
    assert (int(mark["data-start"]), int(mark["data-end"])) == (mention.start, mention.end)
    # A highlight is not a link (dragging across one must select text); its list entry links the claim.
    assert mark.find("a") is None and page.select_one("#article-text a") is None
    assert mark["data-mention-ids"] == str(mention.id)
    item = page.select_one(f"#mention-item-{mention.id}")
    assert item.select_one("a.claim-link")["href"] == f"/claims/{ids['claim']}"
    assert mark.get_text() == RIVER
    assert "Tomas Ferreira" in mark["title"]


def test_start_end_query_highlights_a_span(client, ids):
    start = VALLEY_POST["text"].index(RESIDENTS)
    page = soup(client.get(f"/articles/{ids['article']}",
                           params={"start": start, "end": start + len(RESIDENTS)}))
    assert page.select_one("mark.selected").get_text() == RESIDENTS
    assert page.select_one("#link-start")["value"] == str(start)


def test_link_selection_makes_an_analyst_mention_shown_on_the_claim_page(client, app_session, ids):
    start = VALLEY_POST["text"].index(RESIDENTS)
    response = client.post(f"/articles/{ids['article']}/mentions",
                           data={"start": start, "end": start + len(RESIDENTS), "stance": "discusses",
                                 "claim_id": str(ids["claim"])})
    assert response.status_code == 303
    app_session.expire_all()
    mention = app_session.scalar(select(Mention).where(Mention.origin == "analyst"))
    assert (mention.claim_id, mention.start, mention.stance) == (ids["claim"], start, "discusses")
    assert mention.confirmed_by == "tester"
    assert response.headers["location"] == f"/articles/{ids['article']}?linked={mention.id}#m{mention.id}"
    article_page = soup(client.get(response.headers["location"]))
    assert article_page.select_one(f"mark#m{mention.id}").get_text() == RESIDENTS
    assert article_page.select_one(".flash a")["href"] == f"/claims/{ids['claim']}"
    claim_page = soup(client.get(f"/claims/{ids['claim']}"))
    discussed = claim_page.select_one(".stance-discusses .mention")
    assert discussed.select_one("mark").get_text() == RESIDENTS
    assert discussed.select_one(".origin").get_text() == "analyst"


def test_link_selection_can_make_a_new_claim(client, app_session, ids):
    start = VALLEY_POST["text"].index(RESIDENTS)
    response = client.post(f"/articles/{ids['article']}/mentions", headers=HX,
                           data={"start": start, "end": start + len(RESIDENTS), "stance": "repeats",
                                 "claim_id": ""})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("html") is None
    new_id = app_session.scalar(select(Claim.id).where(Claim.text == RESIDENTS))
    assert new_id is not None
    assert page.select_one(".flash a")["href"] == f"/claims/{new_id}"


def test_bad_span_shows_the_error_and_keeps_the_form(client, ids):
    response = client.post(f"/articles/{ids['article']}/mentions",
                           data={"start": "50", "end": "10", "stance": "repeats", "claim_id": ""})
    assert response.status_code == 422
    page = soup(response)
    assert "outside" in page.select_one(".flash.error").get_text()
    assert page.select_one("#link-start")["value"] == "50"


def test_linking_the_same_span_twice_is_refused(client, app_session, ids):
    mention = [m for m in mentions_of(app_session, ids["claim"]) if m.article_id == ids["article"]][0]
    response = client.post(f"/articles/{ids['article']}/mentions",
                           data={"start": mention.start, "end": mention.end, "stance": "repeats",
                                 "claim_id": str(ids["claim"])})
    assert response.status_code == 422
    assert "already linked" in soup(response).select_one(".flash.error").get_text()


def test_claim_choices_fragment_and_no_js_fallback(client, ids):
    fragment = client.get(f"/articles/{ids['article']}/claim-choices", params={"q": "flood gates"},
                          headers=HX)
    values = [i["value"] for i in soup(fragment).select("#choices input[name=claim_id]")]
    assert values == ["", str(ids["claim"])]
    plain = client.get(f"/articles/{ids['article']}/claim-choices", params={"q": "flood gates"})
    assert plain.status_code == 303
    page = soup(client.get(plain.headers["location"]))
    assert [i["value"] for i in page.select("#choices input[name=claim_id]")] == ["", str(ids["claim"])]


def test_unknown_article_is_a_404_page(client):
    response = client.get("/articles/31337")
    assert response.status_code == 404
    assert soup(response).select_one(".error-page") is not None


def test_crlf_article_pieces_never_span_a_line(client, app_session):
    """Browsers turn "\\r\\n" into "\\n" in the page; pieces end at each line so offsets stay exact."""
    files = [("files", ("crlf.txt", VALLEY_POST["text"].replace("\n", "\r\n").encode(), "text/plain"))]
    client.post("/ingest/files", files=files, data={"outlet": "Wire"})
    article_id = article_id_for(app_session, "Flood gates to open")
    for piece in _text_pieces(soup(client.get(f"/articles/{article_id}"))):
        assert "\n" not in piece.get_text()[:-1]
