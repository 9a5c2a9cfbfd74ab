"""A claim with many suggestions waiting: its page lists the first SUGGESTIONS_SHOWN of them for
whoever sees suggestions, with "More suggestions" bringing the next batch in place with htmx (the
suggestions queue for the claim without it); every suggestion is still counted, and following the
batches brings each one once, in the order one long list would. A small claim (its mentions read
whole) and a big one (past READ_WHOLE, drawn from its stored plan) alike; a batch kept by the page
cache is the same answer as one computed."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.domain.bulk import load_records
from app.domain.mentions import claim_sources
from app.domain.spread import READ_WHOLE
from app.domain.views import SUGGESTIONS_SHOWN
from app.main import create_app
from app.settings import Settings
from app.storage.models import Claim
from tests.auth import log_in
from tests.test_web_page_cache import _served_again_without_sql
from tests.test_web_support import soup

HX = {"HX-Request": "true"}
CLAIM = "The ferry to the north island will run every hour from the first of May"
WAITING = 25          # three batches of 10


def _records(confirmed: int):
    yield {"type": "claim", "key": "c", "text": CLAIM, "speaker": "Ada Batch Morrow"}
    day = date(2024, 3, 1)
    for i in range(confirmed + WAITING):
        suggested = i >= confirmed
        text = f"Report {i}. “{CLAIM},” said Ada Batch Morrow at the pier."
        start = text.index(CLAIM)
        yield {"type": "article", "outlet": f"Batch Outlet {i % 7}", "title": f"Ferry report {i}", "text": text,
               "published": (day + timedelta(days=(i * 7) % 90)).isoformat(),
               "quotes": [{"start": start, "end": start + len(CLAIM), "speaker": "Ada Batch Morrow",
                           "cue": "said", "kind": "direct"}],
               "mentions": [{"claim": "c", "start": start, "end": start + len(CLAIM), "quote": 0,
                             "stance": ("repeats", "discusses")[i % 2],
                             **({"origin": "suggested", "score": 0.5 + i / 1000} if suggested else {})}]}


@pytest.fixture(params=[5, READ_WHOLE + 10], ids=["small", "planned"])
def batched(request, database_url):
    app = create_app(Settings(database_url=database_url, public_read=True, page_cache_mb=4))
    with app.state.sessionmaker() as session:
        report = load_records(session, enumerate(_records(request.param), 1), "tester")
        assert not report.errors
        claim_id = session.scalar(select(Claim.id).where(Claim.text == CLAIM))
        order = [m.id for m in claim_sources(session, claim_id, suggested=True)]
    assert len(order) == WAITING
    with TestClient(app, follow_redirects=False) as c:
        yield app, log_in(c, app, "batch-analyst", "analyst"), claim_id, order
    app.state.engine.dispose()


def _listed(page) -> list[int]:
    return [int(d["data-mention-id"]) for d in page.select(".suggested-mention")]


def test_the_page_lists_a_first_batch_and_counts_every_suggestion(batched):
    _, analyst, claim_id, order = batched
    page = soup(analyst.get(f"/claims/{claim_id}"))
    assert _listed(page) == order[:SUGGESTIONS_SHOWN]
    assert page.select_one("#suggested-heading .count").get_text() == f"({WAITING})"
    more = page.select_one("#suggested .more-suggestions a.more-link")
    assert more["hx-get"] == f"/claims/{claim_id}/suggested?page=2"
    assert more["href"] == f"/suggestions?claim={claim_id}"
    assert f"{SUGGESTIONS_SHOWN + 1}–{2 * SUGGESTIONS_SHOWN} of {WAITING}" in more.get_text()
    # "How each outlet renders it" shows the batch's wordings, its badge counts them all.
    assert len(page.select("tr.rendering.suggested")) == SUGGESTIONS_SHOWN
    assert page.select_one(".renderings-summary .origin-suggested").get_text() == f"{WAITING} suggested"
    assert page.select_one(".fidelity-summary").get_text(" ", strip=True).endswith(f"{WAITING} suggested, not counted")


def test_more_suggestions_bring_each_one_once_with_its_forms(batched):
    _, analyst, claim_id, order = batched
    seen = _listed(soup(analyst.get(f"/claims/{claim_id}")))
    url, batches = f"/claims/{claim_id}/suggested?page=2", 1
    while url:
        response = analyst.get(url, headers=HX)
        assert response.status_code == 200
        fragment = soup(response)
        for block in fragment.select(".suggested-mention"):
            mid = block["data-mention-id"]
            assert block.select_one("form.inline-accept")["action"] == f"/claims/{claim_id}/suggestions/{mid}/accept"
            assert block.select_one("form.inline-reject")["hx-target"] == "#claim"
            assert block.select_one('input[name="csrf_token"]') is not None
        seen += _listed(fragment)
        batches += 1
        more = fragment.select_one(".more-suggestions a.more-link")
        url = more["hx-get"] if more else None
    assert seen == order and batches == -(-WAITING // SUGGESTIONS_SHOWN)


def test_without_htmx_or_a_login_the_batch_is_elsewhere(batched):
    app, analyst, claim_id, _ = batched
    response = analyst.get(f"/claims/{claim_id}/suggested?page=2")
    assert response.status_code == 303 and response.headers["location"] == f"/suggestions?claim={claim_id}"
    with TestClient(app, follow_redirects=False) as anonymous:
        refused = anonymous.get(f"/claims/{claim_id}/suggested?page=2", headers=HX)
        assert refused.status_code == 401 and refused.headers["hx-redirect"].startswith("/login")
        assert anonymous.get(f"/claims/{claim_id}/suggested?page=2").headers["location"].startswith("/login")
        page = soup(anonymous.get(f"/claims/{claim_id}"))
        assert page.select_one("#suggested") is None and not page.select("tr.rendering.suggested")


def test_a_kept_batch_is_the_computed_one(batched, database_url):
    app, analyst, claim_id, _ = batched
    url = f"/claims/{claim_id}/suggested?page=2"
    assert _served_again_without_sql(app, lambda: analyst.get(url, headers=HX))
    kept = analyst.get(url, headers=HX).text
    computed_app = create_app(Settings(database_url=database_url, public_read=True, page_cache_mb=0))
    with TestClient(computed_app, follow_redirects=False) as other:
        other.cookies.update(analyst.cookies)
        assert other.get(url, headers=HX).text == kept
    computed_app.state.engine.dispose()
