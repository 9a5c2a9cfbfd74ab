"""The upload page for known claims: a plain form (no JavaScript needed) that answers with the
summary, the rows not imported and links to the claims; 413 and 422 for what cannot be read."""
from __future__ import annotations

import json

from sqlalchemy import select

from app.pipeline.known_claims import MAX_IMPORT_BYTES
from app.storage.models import Claim
from tests.test_web_support import RIVER, VALLEY_POST, claim_id_for, paste, soup

LAMPS = "Every street lamp in the old town will be replaced by the end of June"
CSV = (f"claim,claimant,rating,review_url,publisher\n"
       f"{LAMPS},Ida Marsh,Mostly False,https://checkdesk.example/r/7,Check Desk\n"
       f",Ida Marsh,False,,\n").encode()


def upload(client, data: bytes, name: str = "ratings.csv", fmt: str = "auto", **headers):
    return client.post("/claims/import", files={"file": (name, data, "text/plain")},
                       data={"format": fmt}, headers=headers)


def results(response):
    return soup(response).select_one("#import-results")


def test_the_page_has_a_form_and_the_claims_list_links_to_it(client):
    response = client.get("/claims/import")
    assert response.status_code == 200
    form = soup(response).select_one("form.import-claims")
    assert form["method"] == "post" and form["action"] == "/claims/import"
    assert form["enctype"] == "multipart/form-data"
    assert {o["value"] for o in form.select("select[name=format] option")} == {
        "auto", "csv", "jsonl", "claimreview"}
    assert form.select_one("input[type=file][name=file]") and form.select_one("textarea[name=text]")
    link = soup(client.get("/claims")).select_one("a.import-link")
    assert link["href"] == "/claims/import"


def test_upload_creates_claims_and_links_to_them(client, app_session):
    response = upload(client, CSV)
    assert response.status_code == 200
    section = results(response)
    assert section.select_one(".summary").get_text(strip=True) == "1 created, 0 already known, 0 updated"
    assert [li.get_text(strip=True) for li in section.select(".import-errors li")] == [
        "line 3: missing claim text"]
    claim_id = claim_id_for(app_session, LAMPS)
    [link] = section.select(".imported-created a")
    assert link["href"] == f"/claims/{claim_id}"
    claim = app_session.get(Claim, claim_id)
    assert (claim.status, claim.status_reason, claim.source_url, claim.speaker.name) == (
        "misleading", "Mostly False (Check Desk)", "https://checkdesk.example/r/7", "Ida Marsh")
    assert client.get(link["href"]).status_code == 200


def test_pasted_claimreview_reuses_a_known_claim(client, app_session):
    paste(client, VALLEY_POST)
    claim_id = claim_id_for(app_session, RIVER)
    review = {"@type": "ClaimReview", "claimReviewed": RIVER, "url": "https://checkdesk.example/r/8",
              "reviewRating": {"alternateName": "False"}, "author": {"name": "Check Desk"}}
    response = client.post("/claims/import", data={"text": json.dumps(review), "format": "auto"})
    assert response.status_code == 200
    section = results(response)
    assert section.select_one(".summary").get_text(strip=True) == "0 created, 0 already known, 1 updated"
    assert [a["href"] for a in section.select(".imported-updated a")] == [f"/claims/{claim_id}"]
    app_session.expire_all()
    assert app_session.get(Claim, claim_id).status == "false"


def test_htmx_gets_only_the_results_block(client):
    response = upload(client, CSV, **{"HX-Request": "true"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("form.import-claims") is None and page.select_one("h1") is None
    assert page.select_one("section#import-results .summary") is not None


def test_nothing_importable_is_422_and_keeps_the_pasted_text(client, app_session):
    pasted = "claim,rating\nshort,False\n"
    response = client.post("/claims/import", data={"text": pasted, "format": "csv"})
    assert response.status_code == 422
    section = results(response)
    assert "fewer than 3 words" in section.select_one(".import-errors li").get_text()
    form = soup(response).select_one("form.import-claims")
    assert form.select_one("textarea[name=text]").get_text() == pasted
    assert form.select_one("select[name=format] option[selected]")["value"] == "csv"
    assert app_session.scalar(select(Claim.id)) is None


def test_binary_upload_is_422_with_the_reason(client):
    response = upload(client, "claim,rating\n".encode("utf-16-le") * 20)
    assert response.status_code == 422
    assert "binary" in results(response).select_one("[role=alert]").get_text()


def test_empty_form_is_422(client):
    response = client.post("/claims/import", data={"format": "auto", "text": "  "})
    assert response.status_code == 422
    assert "choose a file" in results(response).select_one("[role=alert]").get_text()


def test_too_large_upload_is_413(client):
    response = upload(client, b"claim\n" + b"x" * MAX_IMPORT_BYTES)
    assert response.status_code == 413
    assert "over the limit" in results(response).select_one("[role=alert]").get_text()


def test_import_route_is_not_taken_for_a_claim_id(client):
    """/claims/import is registered before /claims/{id}: it must not answer as a bad claim id."""
    assert client.get("/claims/import").status_code == 200
    assert client.get("/claims/import/extra").status_code in (404, 422)
