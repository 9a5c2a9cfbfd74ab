"""Suggestions where they appear: the article page and the claim page draw them apart from confirmed
mentions (own class, a "suggested" label, never counted as outlets or mentions) and decide them in
place (plain POST + 303 back, or the page's block for htmx), for those allowed to review only."""
from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.storage.models import Claim, DismissedMatch, Event, Mention
from tests.auth import log_in
from tests.test_web_suggestions import sample  # noqa: F401  (the fixture)
from tests.test_web_suggestions import LIBRARY, PIPES, suggestion_of
from tests.test_web_support import soup

HX = {"HX-Request": "true"}


def _claim_id(session, text: str) -> int:
    return session.scalar(select(Claim.id).where(Claim.text == text))


def test_article_page_draws_suggestions_apart_and_does_not_count_them(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    library = suggestion_of(sample, LIBRARY, "Eastside Voice")
    page = soup(client.get(f"/articles/{voice.article_id}"))
    mark = page.select_one(f"mark#m{voice.id}")
    assert "suggested" in mark["class"] and "mention" not in mark["class"]
    assert not any(c.startswith("stance-") for c in mark["class"])  # no confirmed stance colour
    assert mark["data-suggestion-ids"] == str(voice.id) and not mark.has_attr("data-mention-ids")
    assert "Suggested: claim" in mark["title"]
    # The Voice has no confirmed mention: the count says so, the suggestions are counted apart.
    assert page.select_one(".article-meta .mention-count").get_text(strip=True) == "0 mentions"
    assert page.select_one(".article-meta .suggested-count").get_text(strip=True) == "2 suggested"
    assert page.select(".mention-list li") == []
    rows = page.select("#suggested li.suggested-item")
    assert [int(li["data-mention-id"]) for li in rows] == sorted([voice.id, library.id], key=lambda i: (
        sample.get(Mention, i).start, i))
    li = page.select_one(f"#suggestion-item-{voice.id}")
    assert li.select_one(".suggested-label").get_text() == "suggested"
    assert li.select_one("form.inline-accept")["action"] == \
        f"/articles/{voice.article_id}/suggestions/{voice.id}/accept"
    assert li.select_one("form.inline-reject")["hx-target"] == "#article"


def test_claim_page_lists_suggestions_apart_from_the_outlets(client, sample):
    claim_id = _claim_id(sample, PIPES)
    page = soup(client.get(f"/claims/{claim_id}"))
    meta = page.select_one(".claim-meta").get_text(" ", strip=True)
    assert "1 outlet" in meta  # the Courier only
    grouped = {a.get_text() for a in page.select("section.sources .outlet-block a.outlet")}
    assert grouped == {"Millbrook Courier"}
    section = page.select_one("section#suggested")
    outlets = {a.get_text() for a in section.select(".suggested-mention a.outlet")}
    assert outlets == {"Eastside Voice", "Harbour Star"}
    for block in section.select(".suggested-mention"):
        assert block.select_one(".suggested-label").get_text() == "suggested"
        assert block.select_one("mark.suggested") is not None
        mid = block["data-mention-id"]
        assert block.select_one("form.inline-accept")["action"] == \
            f"/claims/{claim_id}/suggestions/{mid}/accept"


def test_accept_on_the_article_page_without_javascript(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    response = client.post(f"/articles/{voice.article_id}/suggestions/{voice.id}/accept")
    assert response.status_code == 303
    assert response.headers["location"] == f"/articles/{voice.article_id}?linked={voice.id}#m{voice.id}"
    sample.expire_all()
    assert sample.get(Mention, voice.id).origin == "analyst"
    assert sample.scalar(select(Event.actor).where(Event.action == "suggestion.accept",
                                                   Event.entity_id == voice.id)) == "tester"
    page = soup(client.get(response.headers["location"]))
    mark = page.select_one(f"mark#m{voice.id}")
    assert "mention" in mark["class"] and "suggested" not in mark["class"]
    assert page.select_one(".article-meta .mention-count").get_text(strip=True) == "1 mention"
    assert page.select_one(f"#suggestion-item-{voice.id}") is None


def test_reject_on_the_claim_page_with_htmx(client, sample):
    star = suggestion_of(sample, PIPES, "Harbour Star")
    star_id, claim_id = star.id, star.claim_id
    response = client.post(f"/claims/{claim_id}/suggestions/{star_id}/reject", headers=HX)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("article#claim") is not None and page.select_one("html") is None
    assert "Rejected suggestion" in page.select_one(".flash.ok").get_text()
    assert page.select_one(f"#suggestion-{star_id}") is None
    sample.expire_all()
    assert sample.get(Mention, star_id) is None
    assert sample.scalar(select(DismissedMatch.claim_id)) == claim_id


def test_accept_on_the_claim_page_counts_the_outlet(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    response = client.post(f"/claims/{voice.claim_id}/suggestions/{voice.id}/accept")
    assert response.status_code == 303 and response.headers["location"] == f"/claims/{voice.claim_id}#suggested"
    page = soup(client.get(f"/claims/{voice.claim_id}"))
    assert "2 outlets" in page.select_one(".claim-meta").get_text(" ", strip=True)


def test_a_suggestion_from_another_page_or_decided_already_is_refused(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    star = suggestion_of(sample, PIPES, "Harbour Star")
    sample.expunge(voice)  # read its ids after it is rejected below
    library_claim = _claim_id(sample, LIBRARY)
    wrong_article = client.post(f"/articles/{star.article_id}/suggestions/{voice.id}/accept")
    assert wrong_article.status_code == 404
    assert f"not on article {star.article_id}" in wrong_article.text
    wrong_claim = client.post(f"/claims/{library_claim}/suggestions/{voice.id}/reject", headers=HX)
    assert wrong_claim.status_code == 404
    assert "not a suggestion of claim" in soup(wrong_claim).select_one(".flash.error").get_text()
    assert sample.scalar(select(Mention.origin).where(Mention.id == voice.id)) == "suggested"
    assert client.post(f"/claims/{voice.claim_id}/suggestions/{voice.id}/reject").status_code == 303
    again = client.post(f"/articles/{voice.article_id}/suggestions/{voice.id}/accept", headers=HX)
    assert again.status_code == 409
    assert "already rejected by tester" in soup(again).select_one(".flash.error").get_text()
    for url in (f"/articles/{voice.article_id}/suggestions/abc/accept",
                f"/claims/{voice.claim_id}/suggestions/99999999999/reject"):
        bad = client.post(url)
        assert 400 <= bad.status_code < 500


def test_viewer_sees_suggestions_without_the_buttons_and_cannot_decide(app, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    with TestClient(app, follow_redirects=False) as c:
        log_in(c, app, name="vera", role="viewer")
        page = soup(c.get(f"/articles/{voice.article_id}"))
        assert page.select_one(f"#suggestion-item-{voice.id}") is not None
        assert page.select("form.inline-accept, form.inline-reject") == []
        claim_page = soup(c.get(f"/claims/{voice.claim_id}"))
        assert claim_page.select_one("section#suggested") is not None
        assert claim_page.select("form.inline-accept") == []
        assert c.post(f"/articles/{voice.article_id}/suggestions/{voice.id}/accept").status_code == 403
    sample.expire_all()
    assert sample.get(Mention, voice.id).origin == "suggested"


def test_an_anonymous_reader_of_a_public_site_sees_no_suggestion(settings, sample):
    from app.main import create_app

    public = create_app(settings.model_copy(update={"public_read": True}))
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    try:
        with TestClient(public, follow_redirects=False) as c:
            page = soup(c.get(f"/articles/{voice.article_id}"))
            assert page.select_one("#article-text") is not None
            assert page.select("mark.suggested, #suggested, .suggested-count") == []
            claim_page = soup(c.get(f"/claims/{voice.claim_id}"))
            assert claim_page.select_one("#claim") is not None
            assert claim_page.select_one("section#suggested") is None
    finally:
        public.state.engine.dispose()
