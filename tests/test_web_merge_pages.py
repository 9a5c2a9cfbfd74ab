"""Merging by search, preview and confirmation: for a claim (admins) and a speaker (analysts), the
survivor is found by a search, what would move is shown before anything changes, one button merges,
and the history says it in a sentence. A pick the merge would refuse is a 4xx with its reason."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.domain.mentions import link_selection
from app.domain.review import add_tag
from app.storage.models import Article, Claim, Mention, Speaker
from tests.auth import log_in
from tests.test_speaker_merge import ingest_rulings
from tests.test_web_support import HILL_GAZETTE, RIVER, RIVERSIDE_NEWS, VALLEY_POST, claim_id_for, ingest_all, soup

DENIAL = "Nobody has decided to open any flood gate this week"
HX = {"HX-Request": "true"}


@pytest.fixture
def ids(client, app_session) -> dict[str, int]:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS, HILL_GAZETTE)
    river, denial = claim_id_for(app_session, RIVER), claim_id_for(app_session, DENIAL)
    add_tag(app_session, river, "floods", "tester")
    add_tag(app_session, denial, "floods", "tester")
    add_tag(app_session, denial, "mayor", "tester")
    app_session.commit()
    return {"river": river, "denial": denial}


def test_search_lists_other_claims_with_a_preview_link(client, ids):
    page = soup(client.get(f"/claims/{ids['denial']}/merge", params={"q": "flood gates"}))
    picks = [li["data-pick"] for li in page.select(".merge-candidates li.candidate")]
    assert str(ids["river"]) in picks and str(ids["denial"]) not in picks
    link = page.select_one(f'li.candidate[data-pick="{ids["river"]}"] a.preview-link')["href"]
    assert link.startswith(f"/claims/{ids['denial']}/merge?") and f"into={ids['river']}" in link
    fragment = soup(client.get(f"/claims/{ids['denial']}/merge", params={"q": "flood"}, headers=HX))
    assert fragment.select_one("html") is None and fragment.select_one("section#merge-choices") is not None


def test_preview_shows_what_moves_and_changes_nothing(client, app_session, ids):
    page = soup(client.get(f"/claims/{ids['denial']}/merge", params={"into": ids["river"]}))
    preview = page.select_one("section#preview")
    assert preview.select_one(".n-moving").get_text() == "1"
    # The Hill Gazette's quote moves; a suggestion on a passage the survivor has too folds into it.
    [moving] = [li for li in preview.select(".moving-mentions li") if "folds" not in li["class"]]
    assert moving.get_text(" ", strip=True).startswith("Hill Gazette")
    assert [t.get_text() for t in preview.select(".tag-moving")] == ["mayor"]
    assert "already there: floods" in preview.select_one(".merge-summary").get_text(" ", strip=True)
    form = preview.select_one("form.merge-confirm")
    assert form["method"] == "post" and form["action"] == f"/claims/{ids['denial']}/merge"
    assert form.select_one("input[name=target_id]")["value"] == str(ids["river"])
    app_session.expire_all()
    assert app_session.get(Claim, ids["denial"]).merged_into_id is None


def _count(page, cls: str) -> int:
    found = page.select_one(f".merge-summary .{cls}")
    return int(found.get_text()) if found else 0


def test_a_passage_both_claims_mention_folds_into_one(client, app_session, ids):
    """The survivor already mentions the denial's passage (an analyst linked it there too)."""
    url = f"/claims/{ids['denial']}/merge"
    before = soup(client.get(url, params={"into": ids["river"]}))
    mention = app_session.scalar(select(Mention).where(Mention.claim_id == ids["denial"],
                                                       Mention.origin != "suggested"))
    link_selection(app_session, mention.article_id, mention.start, mention.end, "contradicts", "ana",
                   claim_id=ids["river"])
    app_session.commit()
    preview = soup(client.get(url, params={"into": ids["river"]}))
    assert _count(preview, "n-moving") == _count(before, "n-moving") - 1
    assert _count(preview, "n-folding") == _count(before, "n-folding") + 1
    folded = preview.select_one(f'.moving-mentions li[data-mention-id="{mention.id}"]')
    assert "folds" in folded["class"] and "kept once" in folded.get_text()


def test_confirming_merges_and_the_history_says_so(client, app_session, ids):
    page = soup(client.get(f"/claims/{ids['denial']}/merge", params={"into": ids["river"]}))
    form = page.select_one("form.merge-confirm")
    fields = {i["name"]: i["value"] for i in form.select("input[name]")}
    response = client.post(form["action"], data=fields)
    assert response.status_code == 303 and response.headers["location"] == f"/claims/{ids['river']}"
    survivor = soup(client.get(response.headers["location"]))
    sentences = [s.get_text() for s in survivor.select(".history .sentence")]
    assert any(s.startswith(f"tester merged claim #{ids['denial']} into claim #{ids['river']}")
               for s in sentences)
    assert {t.get_text() for t in survivor.select(".tags-line a.tag")} == {"floods", "mayor"}


@pytest.mark.parametrize("into, status, words", [
    ("self", 422, "itself"), ("999999", 404, "999999"), ("abc", 422, "claim to merge into"),
    ("99999999999999999999", 422, "claim to merge into")])
def test_a_pick_the_merge_would_refuse_is_a_4xx_with_its_reason(client, ids, into, status, words):
    into = str(ids["denial"]) if into == "self" else into
    response = client.get(f"/claims/{ids['denial']}/merge", params={"into": into})
    assert response.status_code == status
    assert words in soup(response).select_one("#merge-choices .flash.error").get_text()
    assert soup(response).select_one("form.merge-confirm") is None


def test_claim_merge_pages_are_for_admins(app, ids):
    with TestClient(app, follow_redirects=False) as c:
        log_in(c, app, name="ana", role="analyst")
        assert c.get(f"/claims/{ids['denial']}/merge").status_code == 403
        assert soup(c.get(f"/claims/{ids['denial']}")).select_one("form.merge-search") is None


def test_a_merged_claims_merge_page_moves_to_its_survivor(client, ids):
    client.post(f"/claims/{ids['denial']}/merge", data={"target_id": str(ids["river"])})
    response = client.get(f"/claims/{ids['denial']}/merge", params={"q": "x"})
    assert response.status_code == 301
    assert response.headers["location"] == f"/claims/{ids['river']}/merge?q=x"


# --- speakers --------------------------------------------------------------------------------------

@pytest.fixture
def rulings(app_session):
    ingest_rulings(app_session)
    return app_session


def test_speaker_merge_by_search_preview_and_confirmation(client, app_session, rulings):
    page = soup(client.get("/speakers/solberg/merge", params={"q": "solberg"}))
    picks = [li["data-pick"] for li in page.select(".merge-candidates li.candidate")]
    assert picks == ["hanna-solberg", "henrik-solberg"]   # never itself
    preview = soup(client.get("/speakers/solberg/merge", params={"q": "solberg", "into": "henrik-solberg"}))
    summary = preview.select_one("#preview .merge-summary")
    assert summary.select_one(".n-quotes").get_text() == "1" and summary.select_one(".n-claims").get_text() == "1"
    assert "“Solberg”" in summary.get_text()
    assert app_session.scalar(select(Speaker.merged_into_id).where(Speaker.slug == "solberg")) is None
    form = preview.select_one("form.merge-confirm")
    response = client.post(form["action"], data={i["name"]: i["value"] for i in form.select("input[name]")})
    assert response.status_code == 303 and response.headers["location"] == "/speakers/henrik-solberg"
    henrik = soup(client.get("/speakers/henrik-solberg"))
    [line] = [s.get_text() for s in henrik.select(".history .sentence")]
    assert line == ("tester merged speaker Solberg into Henrik Solberg, moving 1 quote, 1 claim, "
                    "1 alias; Solberg is now another name of Henrik Solberg")
    assert "=" not in henrik.select_one(".history").get_text()


@pytest.mark.parametrize("into, status, words", [
    ("solberg", 422, "itself"), ("nobody-here", 404, "nobody-here")])
def test_a_refused_speaker_pick_is_a_4xx_with_its_reason(client, rulings, into, status, words):
    response = client.get("/speakers/solberg/merge", params={"into": into})
    assert response.status_code == status
    assert words in soup(response).select_one("#merge-choices .flash.error").get_text()


def test_a_speaker_merged_away_is_refused_as_a_survivor(client, rulings):
    client.post("/speakers/hanna-solberg/merge", data={"target": "henrik-solberg"})
    response = client.get("/speakers/solberg/merge", params={"into": "hanna-solberg"})
    assert response.status_code == 409
    assert "henrik-solberg" in soup(response).select_one(".flash.error").get_text()
    assert [li["data-pick"] for li in soup(client.get("/speakers/solberg/merge", params={"q": "solberg"}))
            .select("li.candidate")] == ["henrik-solberg"]
    assert rulings.scalar(select(Article.id).limit(1)) is not None
