"""API tokens: made on the account page and shown once, stored only hashed, sent as a Bearer header on
/api/v1 where they act as their user with that user's role, and dead once revoked."""
from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.domain import users
from app.storage.models import ApiToken, Event
from tests.auth import log_in
from tests.test_api_support import API, BEACON

DISPUTED = {"status": "disputed", "reason": "no source"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def make_token(client: TestClient, name: str = "nightly import") -> str:
    page = soup(client.post("/account/tokens", data={"name": name}))
    return page.select_one("#new-token code.token-secret").get_text(strip=True)


def test_a_token_is_shown_once_and_stored_hashed(app, client):
    secret = make_token(client)
    assert secret.startswith("ct_") and len(secret) > 40
    again = soup(client.get("/account"))
    assert again.select_one("#new-token") is None
    assert secret not in again.get_text()
    assert [td.get_text(strip=True) for td in again.select("tr.token td")[:1]] == ["nightly import"]
    with app.state.sessionmaker() as session:
        stored = session.scalars(select(ApiToken)).one()
    assert secret not in (stored.token_hash, stored.name) and stored.token_hash == users.digest(secret)


def test_bearer_token_acts_as_its_user_with_its_role(app):
    with TestClient(app) as browser:
        log_in(browser, app, "ana", "analyst")
        secret = make_token(browser)
    with TestClient(app) as script:
        bearer = {"Authorization": f"Bearer {secret}"}
        made = script.post(f"{API}/articles", json=BEACON, headers=bearer)
        assert made.status_code == 201, made.text
        assert script.get(f"{API}/claims", headers=bearer).status_code == 200
        # Merging needs an admin: the token carries the analyst's role, no more.
        assert script.post(f"{API}/claims/1/merge", json={"into": 2}, headers=bearer).status_code == 403
        # A token is for the API only: a page still wants a login.
        assert script.get("/claims", headers=bearer, follow_redirects=False).status_code == 303
    with app.state.sessionmaker() as session:
        assert set(session.scalars(select(Event.actor).where(Event.action != "token.create"))) == {"ana"}
        assert session.scalars(select(ApiToken)).one().last_used_at is not None


def test_revoked_or_disabled_or_unknown_tokens_are_401(app, client):
    secret = make_token(client)
    bearer = {"Authorization": f"Bearer {secret}"}
    with TestClient(app) as script:
        assert script.get(f"{API}/claims", headers=bearer).status_code == 200
        assert script.get(f"{API}/claims", headers={"Authorization": "Bearer ct_guess"}).status_code == 401
        with app.state.sessionmaker() as session:
            users.set_disabled(session, "operator", "tester", True)
            session.commit()
        assert script.get(f"{API}/claims", headers=bearer).status_code == 401
        with app.state.sessionmaker() as session:
            users.set_disabled(session, "operator", "tester", False)
            session.commit()
        assert script.get(f"{API}/claims", headers=bearer).status_code == 200
        log_in(client, app)  # disabling ended the browser session too
        token_id = soup(client.get("/account")).select_one("tr.token")["data-token-id"]
        revoked = client.post(f"/account/tokens/{token_id}/revoke")
        assert revoked.status_code == 303 and revoked.headers["location"] == "/account"
        refused = script.get(f"{API}/claims", headers=bearer)
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    state = soup(client.get("/account")).select_one("tr.token td.state").get_text(strip=True)
    assert state.startswith("revoked")


def test_nobody_revokes_another_users_token(app, client):
    secret = make_token(client)
    with app.state.sessionmaker() as session:
        token_id = session.scalar(select(ApiToken.id))
    with TestClient(app, follow_redirects=False) as other:
        log_in(other, app, "mallory", "admin")
        assert other.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    with TestClient(app) as script:
        assert script.get(f"{API}/claims", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_a_token_needs_a_name(client):
    response = client.post("/account/tokens", data={"name": "  "})
    assert response.status_code == 422
    assert soup(response).select_one("#account .error") is not None


def test_a_new_password_revokes_the_users_tokens(app, client):
    """Whoever knew the old password may have made a token with it: a password change kills those
    too (the event lists them), not only the sessions."""
    secret = make_token(client)
    bearer = {"Authorization": f"Bearer {secret}"}
    with TestClient(app) as script:
        assert script.get(f"{API}/claims", headers=bearer).status_code == 200
        with app.state.sessionmaker() as session:
            users.set_password(session, "operator", "tester", "a brand new password")
            session.commit()
        assert script.get(f"{API}/claims", headers=bearer).status_code == 401
    with app.state.sessionmaker() as session:
        token = session.scalars(select(ApiToken)).one()
        event = session.scalars(select(Event).where(Event.action == "user.password")).one()
    assert token.revoked_at is not None and event.after == {"tokens_revoked": [token.id]}
