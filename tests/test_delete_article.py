"""An admin deletes an article ingested by mistake: its quotes and mentions go, its claims stay
(their permalinks keep working), outlet counts are recounted and one event keeps what was removed."""
from __future__ import annotations

from sqlalchemy import func, select

from app.storage.models import Article, Claim, Event, Mention, Quote
from tests.auth import log_in
from tests.test_web_support import (
    RIVER, RIVERSIDE_NEWS, VALLEY_POST, article_id_for, claim_id_for, ingest_all, soup)


def _setup(client, app_session) -> tuple[int, int, int]:
    ingest_all(client, VALLEY_POST, RIVERSIDE_NEWS)
    claim = claim_id_for(app_session, RIVER)
    return (article_id_for(app_session, VALLEY_POST["title"]),
            article_id_for(app_session, RIVERSIDE_NEWS["title"]), claim)


def _count(session, model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return session.scalar(stmt)


def test_admin_deletes_an_article_from_its_page(client, app_session):
    first, second, claim_id = _setup(client, app_session)
    page = soup(client.get(f"/articles/{second}"))
    form = page.select_one("details.delete-article form")
    assert form["action"] == f"/articles/{second}/delete"
    held = _count(app_session, Mention, article_id=second)
    assert held >= 1
    before = app_session.get(Claim, claim_id).outlet_count

    response = client.post(form["action"])
    assert response.status_code == 303
    assert response.headers["location"] == "/outlets/riverside-news"
    app_session.expire_all()
    assert app_session.get(Article, second) is None
    assert _count(app_session, Mention, article_id=second) == 0
    assert _count(app_session, Quote, article_id=second) == 0
    claim = app_session.get(Claim, claim_id)
    assert claim is not None and claim.outlet_count == before - 1
    assert client.get(f"/claims/{claim_id}").status_code == 200
    assert client.get(f"/articles/{second}").status_code == 404
    event = app_session.scalar(select(Event).where(Event.action == "article.delete"))
    assert (event.actor, event.entity_id, event.before["title"]) == ("tester", second, RIVERSIDE_NEWS["title"])
    assert len(event.before["mentions"]) == held
    # The same text can be ingested again afterwards: nothing of it is left behind.
    ingest_all(client, RIVERSIDE_NEWS)
    assert article_id_for(app_session, RIVERSIDE_NEWS["title"]) != second


def test_only_admins_see_and_may_use_it(app, client, app_session):
    first, _, _ = _setup(client, app_session)
    log_in(client, app, "ana", "analyst")
    assert soup(client.get(f"/articles/{first}")).select_one("details.delete-article") is None
    assert client.post(f"/articles/{first}/delete").status_code == 403
    assert client.delete(f"/api/v1/articles/{first}").status_code == 403
    assert app_session.get(Article, first) is not None


def test_api_delete_answers_what_was_removed_and_404_after(client, app_session):
    first, _, _ = _setup(client, app_session)
    held = _count(app_session, Mention, article_id=first)
    response = client.delete(f"/api/v1/articles/{first}")
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["title"], body["mentions_removed"]) == (first, VALLEY_POST["title"], held)
    assert client.delete(f"/api/v1/articles/{first}").status_code == 404
    assert client.get(f"/api/v1/articles/{first}").status_code == 404
