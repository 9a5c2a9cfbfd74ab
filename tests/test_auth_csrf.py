"""Cross-site requests: every unsafe route of the app refuses a write another site makes a logged-in
browser send, and passes the CSRF layer for our own pages (same-origin headers, or the form token).
Every form the pages render carries the token, so pages work without JavaScript."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.storage.models import Event
from app.web.access import SESSION_COOKIE
from app.web.csrf import CSRF_COOKIE, CSRF_HEADER
from tests.auth import CSRF, session_cookie
from tests.test_auth_routes import app_routes, fill
from tests.test_api_support import ingest_pair, shared_claim

CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://testserver.evil.example"},
    {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", CSRF_HEADER: CSRF},
]


def unsafe_routes(app) -> list[tuple[str, str, str]]:
    routes = [r for r in app_routes(app) if r[1] not in ("GET", "HEAD", "OPTIONS")]
    assert len(routes) >= 25
    return routes


@pytest.fixture
def admin(app) -> TestClient:
    """An admin's browser: logged in, holding the token cookie, but sending no header by default."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def fresh_login(client: TestClient, app) -> None:
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, session_cookie(app, "root", "admin"))
    client.cookies.set(CSRF_COOKIE, CSRF)


def refusal_message(response) -> str:
    """The message of an error answer: JSON's `message`, or the error page's paragraph, parsed."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.json().get("message", "")
    found = BeautifulSoup(response.text, "html.parser").select_one("#error p.error")
    return found.get_text() if found else ""


def is_csrf_refusal(response) -> bool:
    message = refusal_message(response)
    return response.status_code == 403 and ("cross-site" in message or "form token" in message)


def test_every_unsafe_route_refuses_cross_site_requests(app, admin):
    fresh_login(admin, app)
    for name, method, path in unsafe_routes(app):
        for headers in CROSS_SITE:
            response = admin.request(method, fill(path), headers=headers, data={"csrf_token": CSRF})
            assert is_csrf_refusal(response), (name, headers, response.status_code)
        for data in ({}, {"csrf_token": "forged"}):
            response = admin.request(method, fill(path), data=data)
            assert is_csrf_refusal(response), (name, data, response.status_code)
    with app.state.sessionmaker() as session:
        assert session.scalar(select(func.count(Event.id))) == 0


@pytest.mark.parametrize("how", [{"headers": {"Sec-Fetch-Site": "same-origin"}},
                                 {"headers": {"Origin": "http://testserver"}},
                                 {"headers": {CSRF_HEADER: CSRF}},
                                 {"data": {"csrf_token": CSRF}}],
                         ids=["sec-fetch-site", "origin", "htmx-header", "form-field"])
def test_every_unsafe_route_lets_our_own_pages_through(app, admin, how):
    for name, method, path in unsafe_routes(app):
        if "data" in how and path.startswith("/api/"):
            continue  # the JSON API takes the token as a header only
        fresh_login(admin, app)  # logout ends the session and renews the token cookie
        response = admin.request(method, fill(path), **how)
        assert not is_csrf_refusal(response), (name, how, response.text[:200])


def test_api_tokens_need_no_form_token_but_cross_site_is_still_refused(app, client):
    from app.domain import users

    with app.state.sessionmaker() as session:
        _, secret = users.create_token(session, users.user_by_name(session, "tester"), "script")
        session.commit()
    with TestClient(app) as script:
        bearer = {"Authorization": f"Bearer {secret}"}
        change = {"status": "verified", "reason": "checked"}
        assert script.post("/api/v1/claims/999/status", json=change, headers=bearer).status_code == 404
        refused = script.post("/api/v1/claims/999/status", json=change,
                              headers={**bearer, "Origin": "https://evil.example"})
        assert refused.status_code == 403 and "cross-site" in refused.json()["message"]


def test_every_rendered_form_carries_the_token(app, client):
    """Pages with every kind of form: the claim page, an article, the queue, ingest, import, account."""
    ingest_pair(client)
    claim = shared_claim(client)
    article_id = client.get("/api/v1/articles").json()[0]["id"]
    pages = ["/", f"/claims/{claim['id']}", f"/articles/{article_id}", "/suggestions", "/ingest",
             "/claims/import", "/account"]
    forms = 0
    for url in pages:
        page = BeautifulSoup(client.get(url).text, "html.parser")
        for form in page.select("form"):
            if (form.get("method") or "get").lower() != "post":
                continue
            field = form.select_one("input[name=csrf_token]")
            assert field is not None and field["value"] == CSRF, (url, form.get("action"))
            forms += 1
    assert forms >= 12
