"""The claim page: outlets by stance, the analyst's actions with and without htmx, and its URLs."""
from __future__ import annotations

import pytest

from app.domain.mentions import set_stance
from app.domain.review import merge_claims
from app.storage.models import Claim
from app.web.templating import claim_slug
from tests.test_web_support import (
    HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, mentions_of, soup)

HX = {"HX-Request": "true"}
DENIAL = "Nobody has decided to open any flood gate this week"


@pytest.fixture
def claim_id(client, app_session) -> int:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    return claim_id_for(app_session, RIVER)


def _groups(page) -> dict[str, list[str]]:
    return {g["data-stance"]: [a.get_text() for a in g.select("a.outlet")]
            for g in page.select(".stance-group")}


def test_claim_page_shows_text_speaker_and_outlets_grouped_by_stance(client, app_session, claim_id):
    # The Hill Gazette's denial is linked to this claim as a contradiction.
    denial_mention = mentions_of(app_session, claim_id_for(app_session, DENIAL))[0]
    merge_claims(app_session, denial_mention.claim_id, claim_id, "tester")
    set_stance(app_session, denial_mention.id, "contradicts", "tester")
    app_session.commit()

    page = soup(client.get(f"/claims/{claim_id}"))
    assert page.select_one("blockquote.claim-text").get_text() == RIVER
    assert page.select_one('.speaker a')["href"] == "/speakers/tomas-ferreira"
    assert _groups(page) == {"repeats": ["Valley Post", "Riverside News"],
                             "contradicts": ["Hill Gazette"], "discusses": []}
    mention = page.select_one(".stance-repeats .mention")
    assert mention.select_one("mark").get_text() == RIVER
    assert mention.select_one("a.article-link").get_text() == "Flood gates to open"
    assert mention.select_one(".date").get_text() == "2024-03-01"
    assert mention.select_one(".fidelity").get_text() == "verbatim"
    assert mention.select_one(".origin").get_text() == "extracted"
    first = mentions_of(app_session, claim_id)[0]
    assert mention.select_one("a.span-link")["href"] == f"/articles/{first.article_id}#m{first.id}"
    # The excerpt sits inside its sentence: text before the mark is the opening quotation mark.
    assert mention.select_one(".excerpt").get_text().startswith("“" + RIVER)


def test_status_without_reason_shows_the_error_inline(client, app_session, claim_id):
    response = client.post(f"/claims/{claim_id}/status",
                           data={"status": "false", "reason": "  ", "version": "1"})
    assert response.status_code == 422
    page = soup(response)
    assert "reason" in page.select_one(".status-form .field-error").get_text()
    assert page.select_one(".status-line .badge").get_text() == "unreviewed"
    app_session.expire_all()
    assert app_session.get(Claim, claim_id).status == "unreviewed"


def test_status_with_reason_redirects_and_shows_status_reason_and_history(client, claim_id):
    version = soup(client.get(f"/claims/{claim_id}")).select_one(".status-form input[name=version]")["value"]
    response = client.post(f"/claims/{claim_id}/status",
                           data={"status": "disputed", "reason": "The mayor denies it", "version": version})
    assert response.status_code == 303
    assert response.headers["location"] == f"/claims/{claim_id}"
    page = soup(client.get(response.headers["location"]))
    assert page.select_one(".status-line .badge").get_text() == "disputed"
    assert page.select_one(".status-reason").get_text() == "The mayor denies it"
    event = page.select_one('.events li[data-action="claim.status"]')
    assert event.select_one(".sentence").get_text() == \
        "tester set status to disputed (was unreviewed) because The mayor denies it"
    assert "=" not in event.get_text()   # a sentence, never key=value


def test_htmx_status_change_returns_the_claim_block(client, claim_id):
    response = client.post(f"/claims/{claim_id}/status", headers=HX,
                           data={"status": "verified", "reason": "Checked with the authority", "version": "1"})
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("html") is None
    assert page.select_one("article#claim .status-line .badge").get_text() == "verified"
    assert response.headers["Vary"] == "HX-Request"


def test_stale_version_is_a_409_with_the_current_state(client, claim_id):
    client.post(f"/claims/{claim_id}/status", data={"status": "verified", "reason": "first", "version": "1"})
    response = client.post(f"/claims/{claim_id}/status",
                           data={"status": "false", "reason": "second", "version": "1"})
    assert response.status_code == 409
    page = soup(response)
    assert "changed since" in page.select_one(".flash.error").get_text()
    assert page.select_one(".status-line .badge").get_text() == "verified"
    assert page.select_one(".status-form input[name=version]")["value"] == "2"


def test_edit_text_changes_the_claim(client, claim_id):
    response = client.post(f"/claims/{claim_id}/text", data={"text": "Flood gates open Friday at dawn", "version": "1"})
    assert response.status_code == 303
    page = soup(client.get(f"/claims/{claim_id}"))
    assert page.select_one("blockquote.claim-text").get_text() == "Flood gates open Friday at dawn"
    assert page.select_one('.events li[data-action="claim.edit"]') is not None


def test_add_and_remove_tag(client, claim_id):
    assert client.post(f"/claims/{claim_id}/tags", data={"tag": "Infrastructure"}).status_code == 303
    page = soup(client.get(f"/claims/{claim_id}"))
    assert [a.get_text() for a in page.select(".tags-line .tags a")] == ["infrastructure"]
    response = client.post(f"/claims/{claim_id}/tags/remove", data={"tag": "infrastructure"}, headers=HX)
    assert response.status_code == 200
    assert soup(response).select(".tags-line .tags a") == []
    assert soup(response).select_one('.events li[data-action="claim.tag.remove"]') is not None


def test_empty_tag_is_refused_inline(client, claim_id):
    response = client.post(f"/claims/{claim_id}/tags", data={"tag": " "})
    assert response.status_code == 422
    assert soup(response).select_one(".tag-form .field-error") is not None


def test_change_stance_moves_the_outlet_to_its_group(client, app_session, claim_id):
    mention = mentions_of(app_session, claim_id)[1]
    response = client.post(f"/mentions/{mention.id}/stance", data={"stance": "discusses"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/claims/{claim_id}"
    page = soup(client.get(f"/claims/{claim_id}"))
    assert _groups(page)["discusses"] == ["Riverside News"]
    assert _groups(page)["repeats"] == ["Valley Post"]


def test_unlink_removes_the_mention(client, app_session, claim_id):
    keep, drop = [m.id for m in mentions_of(app_session, claim_id)]
    response = client.post(f"/mentions/{drop}/unlink", headers=HX)
    assert response.status_code == 200
    assert _groups(soup(response))["repeats"] == ["Valley Post"]
    assert soup(response).select_one(".claim-meta").get_text().count("1 outlet") == 1
    assert [m.id for m in mentions_of(app_session, claim_id)] == [keep]
    assert client.post(f"/mentions/{drop}/unlink").status_code == 404


def test_correct_slug_renders_and_stale_slug_redirects(client, claim_id):
    slug = claim_slug(RIVER)
    assert client.get(f"/claims/{claim_id}/{slug}").status_code == 200
    response = client.get(f"/claims/{claim_id}/an-old-wording")
    assert response.status_code == 301
    assert response.headers["location"] == f"/claims/{claim_id}/{slug}"
    canonical = soup(client.get(f"/claims/{claim_id}/{slug}")).select_one('link[rel=canonical]')
    assert canonical["href"] == f"http://testserver/claims/{claim_id}"


def test_merge_through_the_form_redirects_the_old_id(client, app_session, claim_id):
    other = claim_id_for(app_session, DENIAL)
    response = client.post(f"/claims/{other}/merge", data={"target_id": str(claim_id)})
    assert response.status_code == 303
    assert response.headers["location"] == f"/claims/{claim_id}"
    moved = client.get(f"/claims/{other}")
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/claims/{claim_id}"
    with_slug = client.get(f"/claims/{other}/whatever")
    assert with_slug.status_code == 301
    assert with_slug.headers["location"] == f"/claims/{claim_id}/{claim_slug(RIVER)}"


def test_merge_into_itself_is_refused_inline(client, claim_id):
    response = client.post(f"/claims/{claim_id}/merge", data={"target_id": str(claim_id)})
    assert response.status_code == 422
    assert soup(response).select_one(".merge .field-error") is not None


@pytest.mark.parametrize("path", ["/claims/999999", "/claims/999999/some-slug", "/claims/999999/sources"])
def test_unknown_claim_is_a_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("h1").get_text().startswith("404")
    assert "999999" in page.select_one(".error").get_text()


def test_non_integer_id_is_a_client_error_page(client):
    response = client.get("/claims/not-a-number")
    assert response.status_code in (404, 422)
    assert soup(response).select_one(".error-page") is not None


def test_action_on_unknown_claim_is_a_404(client):
    response = client.post("/claims/424242/status", data={"status": "false", "reason": "x"})
    assert response.status_code == 404


def test_htmx_merge_sends_the_browser_to_the_survivor(client, app_session, claim_id):
    other = claim_id_for(app_session, DENIAL)
    response = client.post(f"/claims/{other}/merge", data={"target_id": str(claim_id)}, headers=HX)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/claims/{claim_id}"
    assert client.get(f"/claims/{other}").headers["location"] == f"/claims/{claim_id}"


def test_claim_forms_work_with_and_without_htmx(client, claim_id):
    """Each action is a real form (method + action) that htmx enhances with the same URL; the merge
    starts with a plain search (GET) that leads to its preview and confirmation."""
    page = soup(client.get(f"/claims/{claim_id}"))
    search = page.select_one("article#claim form.merge-search")
    assert search["method"] == "get" and search["action"] == f"/claims/{claim_id}/merge"
    forms = page.select("article#claim form:not(.merge-search)")
    assert len(forms) >= 5
    for form in forms:
        assert form["method"] == "post"
        assert form["hx-post"] == form["action"]
        assert form["hx-target"] == "#claim"
    assert page.select("script:not([src])") == []
    assert all(not attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs)


def test_ids_too_large_for_the_database_are_404_not_500(client):
    for path in ("/claims/99999999999999999999", "/claims/2147483648/sources.json",
                 "/articles/99999999999999999999", "/api/v1/claims/99999999999999999999"):
        response = client.get(path)
        assert response.status_code in (404, 422), (path, response.status_code)
