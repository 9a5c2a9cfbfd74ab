"""The API as a whole: OpenAPI lists it, outlets and speakers read back, and no path parameter can
turn an unknown id into a 500."""
from __future__ import annotations

import re

import pytest

try:  # FastAPI 0.13x+ includes routers lazily; this walks into them
    from fastapi.routing import iter_route_contexts
except ImportError:  # older FastAPI flattens included routes into app.routes
    def iter_route_contexts(routes):
        return iter(routes)

from tests.test_api_support import API, assert_error, ingest_pair, shared_claim

EXPECTED = {
    ("post", "/api/v1/articles"), ("get", "/api/v1/articles"), ("get", "/api/v1/articles/{article_id}"),
    ("get", "/api/v1/claims"), ("get", "/api/v1/claims/{claim_id}"),
    ("get", "/api/v1/claims/{claim_id}/sources"), ("get", "/api/v1/claims/{claim_id}/history"),
    ("post", "/api/v1/claims/{claim_id}/status"), ("patch", "/api/v1/claims/{claim_id}"),
    ("post", "/api/v1/claims/{claim_id}/tags"), ("delete", "/api/v1/claims/{claim_id}/tags/{tag}"),
    ("post", "/api/v1/claims/{claim_id}/merge"), ("post", "/api/v1/mentions"),
    ("patch", "/api/v1/mentions/{mention_id}"), ("delete", "/api/v1/mentions/{mention_id}"),
    ("get", "/api/v1/outlets"), ("get", "/api/v1/outlets/{slug}"),
    ("get", "/api/v1/speakers"), ("get", "/api/v1/speakers/{slug}"),
}


def test_openapi_lists_every_route_with_typed_responses(client):
    spec = client.get("/openapi.json").json()
    listed = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert EXPECTED <= listed
    for method, path in EXPECTED:
        op = spec["paths"][path][method]
        assert op["summary"] and op["tags"], (method, path)
        ok = next(code for code in op["responses"] if code.startswith("2"))
        if ok != "204":
            assert "$ref" in str(op["responses"][ok]["content"]), (method, path)
    claim_schema = spec["components"]["schemas"]["ClaimOut"]["properties"]
    assert {"id", "text", "speaker", "status", "version", "outlet_count", "tags", "url"} <= set(claim_schema)
    assert client.get("/docs").status_code == 200


def test_outlets_and_speakers(client):
    ingest_pair(client)
    outlets = client.get(f"{API}/outlets").json()
    assert [o["name"] for o in outlets] == ["Hillside Beacon", "Riverside Ledger"]
    assert all(o["article_count"] == 1 and o["claim_count"] >= 1 for o in outlets)
    claim = shared_claim(client)
    detail = client.get(f"{API}/outlets/{outlets[0]['slug']}").json()
    assert detail["name"] == "Hillside Beacon" and len(detail["recent_articles"]) == 1
    assert claim["id"] in [c["id"] for c in detail["claims"]["items"]]
    speaker = claim["speaker"]
    assert speaker["slug"] in [s["slug"] for s in client.get(f"{API}/speakers").json()]
    one = client.get(f"{API}/speakers/{speaker['slug']}").json()
    assert one["name"] == speaker["name"] and one["claim_count"] >= 1
    assert claim["id"] in [c["id"] for c in one["claims"]["items"]]
    assert_error(client.get(f"{API}/outlets/no-such-outlet"), 404)
    assert_error(client.get(f"{API}/speakers/no-such-speaker"), 404)


def api_routes_with_params(app) -> list[tuple[str, str]]:
    routes = [(method, r.path) for r in iter_route_contexts(app.routes)
              if (r.path or "").startswith(API) and "{" in r.path for method in sorted(r.methods or ())]
    assert len(routes) >= 10
    return routes


def fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


@pytest.mark.parametrize("value", ["999999", "0", "-1", "abc", "99999999999999999999", "%00"])
def test_unknown_ids_never_500(app, client, value):
    """Every /api/v1 route with a path parameter, fed an id that names nothing: a JSON error, never 500.
    TestClient re-raises server errors, so an unhandled exception fails the test too."""
    ingest_pair(client)
    for method, path in api_routes_with_params(app):
        for body in (None, {}):
            kwargs = {"json": body} if body is not None else {}
            response = client.request(method, fill(path, value), **kwargs)
            assert response.status_code in (404, 405, 422), (method, path, value, response.text)
            assert_error(response, response.status_code)
