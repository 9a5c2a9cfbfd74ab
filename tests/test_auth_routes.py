"""Access rules, checked against the application's own route table: every route (API, pages, the static
mount, the docs) must have a rule, and each rule is tried with anonymous, viewer, analyst and admin
callers, with the public-read setting off and on. A route added without a rule fails here."""
from __future__ import annotations

import re

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from app.main import create_app
from app.settings import Settings
from app.web.access import RULES, SESSION_COOKIE
from tests.auth import session_cookie, with_csrf

CALLERS = (None, "viewer", "analyst", "admin")
RANK = {None: 0, "viewer": 1, "analyst": 2, "admin": 3}


def least_role(level: str, public_read: bool) -> str | None:
    """Written out apart from app/web/access.py, so the test does not grade the code by itself."""
    return {"public": None, "read": None if public_read else "viewer", "viewer": "viewer",
            "analyst": "analyst", "admin": "admin"}[level]


def app_routes(app) -> list[tuple[str, str, str]]:
    """(name, method, path) for every route the app serves; the static mount as one GET."""
    found = []
    for ctx in iter_route_contexts(app.routes):
        route = getattr(ctx, "original_route", ctx)
        if isinstance(route, Mount):
            found.append((route.name, "GET", ctx.path + "/app.css"))
            continue
        for method in sorted((getattr(route, "methods", None) or set()) - {"HEAD"}):
            found.append((route.name, method, ctx.path))
    return found


def fill(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "x" if "slug" in m.group(0) or "tag" in m.group(0) else "1",
                  path)


def refused(response, path: str) -> bool:
    """How a refusal looks: 403; or, for an anonymous caller, 401 from the API and a redirect to the
    login page (with ?next=) from a page. A failed login answers 401 on its own page and logging out
    lands on the bare login page: neither is a refusal."""
    if response.status_code == 403:
        return True
    if path.startswith("/api/"):
        return response.status_code == 401
    return response.status_code == 303 and response.headers["location"].startswith("/login?next=")


def test_every_route_has_a_rule(app):
    names = {name for name, _, _ in app_routes(app)}
    assert len(names) > 50
    assert sorted(names - RULES.keys()) == [], "routes without an access rule in app/web/access.py"
    assert set(RULES.values()) <= {"public", "read", "viewer", "analyst", "admin"}


@pytest.mark.parametrize("public_read", [False, True], ids=["login-required", "public-read"])
def test_every_route_against_every_role(database_url, public_read):
    app = create_app(Settings(database_url=database_url, public_read=public_read))
    checked = 0
    try:
        with TestClient(app, follow_redirects=False) as client:
            for name, method, path in app_routes(app):
                need = least_role(RULES[name], public_read)
                for caller in CALLERS:
                    client.cookies.clear()  # logging out renews the CSRF cookie: start afresh
                    with_csrf(client)
                    if caller:
                        client.cookies.set(SESSION_COOKIE, session_cookie(app, f"u-{caller}", caller))
                    response = client.request(method, fill(path))
                    assert response.status_code < 500, (name, caller, response.text[:200])
                    expected_refused = RANK[caller] < RANK[need]
                    assert refused(response, path) == expected_refused, (
                        name, method, caller, response.status_code, response.headers.get("location"))
                    if expected_refused and caller is not None:
                        assert response.status_code == 403, (name, caller)
                    checked += 1
    finally:
        app.state.engine.dispose()
    assert checked >= 4 * 60


def test_a_route_without_a_rule_is_refused_to_everyone(app, client, anon_client):
    """Fail closed: even an admin cannot reach a route nobody wrote a rule for."""
    @app.get("/unruled-test-route", name="unruled_test_route")
    def unruled() -> dict:
        return {"ok": True}

    assert client.get("/unruled-test-route").status_code == 403
    assert anon_client.get("/unruled-test-route").status_code == 403
