"""The suggestions queue by claim: each claim once with its spread so far beside it, one score per
card, and the checked suggestions rejected in bulk (plain POST + 303, or the queue block for htmx)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.suggestions import list_claim_groups
from app.storage.models import Claim, DismissedMatch, Event, Mention
from tests.test_web_suggestions import sample  # noqa: F401  (the fixture)
from tests.test_web_suggestions import PIPES, items, queue_order, suggestion_of
from tests.test_web_support import soup

HX = {"HX-Request": "true"}


def test_each_claim_shows_its_spread_beside_its_suggestions(client, sample):
    page = soup(client.get("/suggestions"))
    pipes = sample.scalar(select(Claim.id).where(Claim.text == PIPES))
    group = page.select_one(f"li.claim-group#c{pipes}")
    spread = group.select_one(".group-spread")
    # The Courier quoted it (confirmed); the Voice and the Star are only suggested: not counted.
    assert "Millbrook Courier" in spread.select_one(".spread-first").get_text()
    assert "2024-06-01" in spread.select_one(".spread-first").get_text()
    counts = {c["data-stance"]: int(c.select_one(".n").get_text()) for c in spread.select(".stance-count")}
    assert counts == {"repeats": 1, "contradicts": 0, "discusses": 0}
    assert len(page.select(f"li.claim-group[data-claim-id='{pipes}']")) == 1


def test_one_score_per_card(client, sample):
    page = soup(client.get("/suggestions"))
    for li in items(page):
        mention = sample.get(Mention, int(li["data-mention-id"]))
        shown = f"{mention.score:.2f}"
        assert li.select_one(".score").get_text() == shown
        assert len(li.select(".score")) == 1
        reason = li.select_one(".reason").get_text()
        assert "shared words" in reason and "score" not in reason


def test_bulk_reject_without_javascript(client, app, sample):
    ids = [m.id for m in queue_order(sample)]
    page = soup(client.get("/suggestions"))
    button = page.select_one("form#bulk-form button.bulk-reject")
    assert button["formaction"] == app.url_path_for("suggestions_bulk_reject")
    response = client.post(button["formaction"], data={"ids": [str(i) for i in ids[:2]]})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/suggestions?rejected=2")
    sample.expire_all()
    assert sample.scalar(select(func.count(Mention.id)).where(Mention.id.in_(ids[:2]))) == 0
    assert sample.scalar(select(func.count(DismissedMatch.id))) == 2
    assert sample.scalar(select(func.count(Event.id)).where(Event.action == "suggestion.reject")) == 2
    after = soup(client.get(response.headers["location"]))
    assert after.select_one("#queue-flash").get_text(strip=True) == "Rejected 2 suggestions."
    assert [int(li["data-mention-id"]) for li in items(after)] == ids[2:]


def test_bulk_reject_with_htmx_reports_what_it_could_not_do(client, sample):
    voice = suggestion_of(sample, PIPES, "Eastside Voice")
    voice_id = voice.id
    response = client.post("/suggestions/reject", data={"ids": [str(voice_id), "999999"]}, headers=HX)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("section#queue") is not None and page.select_one("html") is None
    flash = page.select_one("#queue-flash")
    assert "error" in flash["class"] and flash.get_text().startswith("Rejected 1 suggestion. 1 could not be rejected")
    assert voice_id not in [int(li["data-mention-id"]) for li in items(page)]


@pytest.mark.parametrize("data", [{}, {"ids": ["x1"]}, {"ids": [str(i) for i in range(1, 502)]}])
def test_bulk_reject_bad_input_is_a_4xx_with_a_message(client, sample, data):
    response = client.post("/suggestions/reject", data=data)
    assert response.status_code == 422
    assert soup(response).select_one(".error").get_text(strip=True)


def test_groups_page_by_claim_and_rank_within_each(sample):
    groups = list_claim_groups(sample, per_claim=1)
    order = queue_order(sample)
    assert [g.claim_id for g in groups] == list(dict.fromkeys(m.claim_id for m in order))
    for g in groups:
        mine = [m for m in order if m.claim_id == g.claim_id]
        assert [v.mention_id for v in g.items] == [mine[0].id]   # the best one only
        assert g.pending == len(mine)
