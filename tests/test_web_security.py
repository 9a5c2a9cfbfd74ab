"""Security headers on every kind of response, 413 for bodies over the limit (declared or streamed),
and a 422 or 413 naming the limit for every length rule of the input a person types."""
from __future__ import annotations

import socket
import time
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from app.web.access import RULES
from tests.auth import log_in
from tests.test_api_support import API, LEDGER, assert_error, ingest, new_claim
from tests.test_web_support import VALLEY_POST, soup

HX = {"HX-Request": "true"}
MAX_BODY = 4096
MAX_UPLOAD = 16384


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = [p.split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


def assert_secure(response) -> None:
    """The page policy (no inline script or style, nothing from elsewhere) and the usual headers."""
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"]
    assert set(csp["img-src"]) == {"'self'", "data:"}
    h = response.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "same-origin"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in h["Permissions-Policy"]


@pytest.fixture
def limited(database_url):
    """An app with small body limits, so a 413 needs no megabytes."""
    app = create_app(Settings(database_url=database_url, actor="tester", max_body_bytes=MAX_BODY,
                              max_upload_bytes=MAX_UPLOAD))
    with TestClient(app, follow_redirects=False) as c:
        yield log_in(c, app)
    app.state.engine.dispose()


# --- headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, status, kind", [
    ("/", 200, "text/html"),
    ("/claims", 200, "text/html"),
    (f"{API}/claims", 200, "application/json"),
    ("/claims/999999", 404, "text/html"),
    (f"{API}/claims/999999", 404, "application/json"),
    ("/no/such/page", 404, "text/html"),
    ("/static/app.css", 200, "text/css"),
    ("/static/app.js", 200, "javascript"),
    ("/claims?status=nonsense", 422, "text/html"),
])
def test_every_kind_of_response_carries_the_headers(client, path, status, kind):
    response = client.get(path)
    assert response.status_code == status
    assert kind in response.headers["content-type"]
    assert_secure(response)


@pytest.mark.parametrize("path", ["/", "/claims", "/outlets", "/ingest", f"{API}/claims", "/claims/999999",
                                  "/static/app.css", "/login", "/openapi.json"])
def test_head_answers_like_get_without_a_body(client, path):
    """Link checkers and monitors send HEAD: same status and headers as GET, no body (not a 405)."""
    got, head = client.get(path), client.head(path)
    assert (head.status_code, head.headers["content-type"]) == (got.status_code, got.headers["content-type"])
    assert head.content == b""
    assert_secure(head)


def test_head_on_a_post_only_route_is_still_405(client):
    assert client.head("/ingest/text").status_code == 405


def test_a_500_carries_the_headers_too(client, app, monkeypatch):
    monkeypatch.setitem(RULES, "boom_for_test", "public")  # every route needs an access rule

    @app.get("/boom-for-test", name="boom_for_test")
    def boom():
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/boom-for-test")
    assert response.status_code == 500
    assert_secure(response)


def test_a_header_a_route_sets_itself_is_kept(client, app, monkeypatch):
    monkeypatch.setitem(RULES, "own_policy_for_test", "public")  # every route needs an access rule

    @app.get("/own-policy-for-test", name="own_policy_for_test")
    def own():
        from fastapi.responses import PlainTextResponse
        return PlainTextResponse("x", headers={"Referrer-Policy": "no-referrer"})

    assert client.get("/own-policy-for-test").headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_only_our_own_assets_under_their_own_policy(client, path):
    """Every script and stylesheet of /docs and /redoc is under /static/vendor (from the npm
    registry, no CDN); the page's inline start-up script is allowed by its hash, no other inline one."""
    docs = client.get(path)
    assert docs.status_code == 200
    page = soup(docs)
    urls = [t["src"] for t in page.select("script[src]")] + [t["href"] for t in page.select("link[href]")]
    assert urls and all(u.startswith("/static/vendor/") for u in urls), urls
    assert all(client.get(u).status_code == 200 for u in urls)
    csp = directives(docs)
    assert "'unsafe-inline'" not in csp["script-src"] and csp["frame-ancestors"] == ["'none'"]
    assert not any("http" in source for sources in csp.values() for source in sources), csp
    inline = [s.string for s in page.select("script:not([src])")]
    assert len([h for h in csp["script-src"] if h.startswith("'sha256-")]) == len(inline)


def test_api_docs_are_switched_off_by_the_setting(client, database_url):
    assert "'unsafe-inline'" not in directives(client.get("/openapi.json"))["script-src"]
    app = create_app(Settings(database_url=database_url, api_docs=False))
    with TestClient(app) as off:
        assert off.get("/docs").status_code == 404
        assert off.get("/redoc").status_code == 404
        assert off.get("/openapi.json").status_code == 200
    app.state.engine.dispose()


# --- request body limit --------------------------------------------------------------------------


def _big_article(size: int) -> dict:
    return {**VALLEY_POST, "text": VALLEY_POST["text"] + "x" * size}


def _chunks(total: int, size: int = 1024):
    for _ in range(total // size + 1):
        yield b"x" * size


def _refused_page(response) -> str:
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert_secure(response)
    message = soup(response).select_one(".error-page .error").get_text()
    assert f"{MAX_BODY:,} bytes" in message
    return message


def test_declared_oversize_body_is_413_on_a_form_route_as_a_page(limited):
    response = limited.post("/ingest/text", data=_big_article(MAX_BODY))
    assert "over the limit" in _refused_page(response)
    assert limited.get(f"{API}/articles").json() == []


def test_declared_oversize_body_is_413_json_on_the_api(limited):
    body = assert_error(limited.post(f"{API}/articles", json=_big_article(MAX_BODY)), 413)
    assert f"{MAX_BODY:,} bytes" in body["message"]
    assert_secure(limited.post(f"{API}/articles", json=_big_article(MAX_BODY)))


def test_streamed_oversize_body_is_413_on_both(limited):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    page = limited.post("/ingest/text", content=_chunks(MAX_BODY), headers=headers)
    assert page.request.headers.get("transfer-encoding") == "chunked"
    _refused_page(page)
    api = limited.post(f"{API}/articles", content=_chunks(MAX_BODY),
                       headers={"Content-Type": "application/json"})
    assert f"{MAX_BODY:,} bytes" in assert_error(api, 413)["message"]


def test_htmx_gets_the_refusal_in_the_flash_area(limited):
    """The form's own target expects its results block; the app's error goes to the page's #flash."""
    response = limited.post("/ingest/text", data=_big_article(MAX_BODY), headers=HX)
    assert response.status_code == 413
    assert response.headers["HX-Retarget"] == "#flash"
    page = soup(response)
    assert page.select_one("html") is None
    assert f"{MAX_BODY:,} bytes" in page.select_one("p.flash.error").get_text()


def test_uploads_may_be_larger_than_other_bodies(limited):
    text = VALLEY_POST["text"] + "More words. " * 500
    assert MAX_BODY < len(text) < MAX_UPLOAD
    files = [("files", ("valley.txt", text.encode(), "text/plain"))]
    response = limited.post("/ingest/files", files=files, data={"outlet": "Valley Post"})
    assert response.status_code == 200
    too_big = [("files", ("big.txt", b"x" * MAX_UPLOAD, "text/plain"))]
    response = limited.post("/ingest/files", files=too_big, data={"outlet": "Valley Post"})
    assert response.status_code == 413
    assert f"{MAX_UPLOAD:,} bytes" in soup(response).select_one(".error-page .error").get_text()


def test_a_raw_claims_file_import_takes_the_upload_limit(limited):
    rows = "claim,claimant\n" + "".join(f"Harbour fees rise by {i} percent next year,Port board\n"
                                        for i in range(150))
    assert MAX_BODY < len(rows) < MAX_UPLOAD
    response = limited.post(f"{API}/claims/import", content=rows.encode(),
                            headers={"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.json()["created"]


def test_body_is_refused_while_it_streams_not_after(tmp_path, monkeypatch):
    """Against the real server: the 413 arrives while the client has not finished sending."""
    from tests.browser import serve

    monkeypatch.setenv("CLAIMTRACKER_MAX_BODY_BYTES", str(MAX_BODY))
    with serve(f"sqlite:///{tmp_path / 'stream.db'}") as base:
        where = urlsplit(base)
        with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
            sock.sendall(f"POST {API}/articles HTTP/1.1\r\nHost: {where.netloc}\r\n"
                         "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                         .encode())
            chunk = b"x" * 1024
            for _ in range(MAX_BODY // len(chunk) + 2):  # past the limit, but never the last chunk
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                time.sleep(0.01)
            answer = sock.recv(65536).decode("utf-8", "replace")
    assert answer.startswith("HTTP/1.1 413")
    assert f"over the limit of {MAX_BODY:,} bytes" in answer


# --- length rules of typed input: each says its limit ---------------------------------------------


@pytest.fixture
def claim_id(client) -> int:
    article = ingest(client, LEDGER)["id"]
    return new_claim(client, article, "Night buses will run every ten minutes")


def _field_error(response, form: str) -> str:
    return soup(response).select_one(f".{form} .field-error").get_text()


def test_web_tag_reason_and_text_over_their_limits_are_422_naming_them(client, claim_id):
    response = client.post(f"/claims/{claim_id}/tags", data={"tag": "t" * 61})
    assert response.status_code == 422 and "60" in _field_error(response, "tag-form")
    response = client.post(f"/claims/{claim_id}/status",
                           data={"status": "false", "reason": "r" * 2001, "version": "1"})
    assert response.status_code == 422 and "2000" in _field_error(response, "status-form")
    response = client.post(f"/claims/{claim_id}/text", data={"text": "w " * 2600, "version": "1"})
    assert response.status_code == 422 and "5000" in _field_error(response, "edit-text")


def test_web_form_field_over_the_form_limit_is_422_naming_it(client, claim_id):
    response = client.post(f"/claims/{claim_id}/status",
                           data={"status": "false", "reason": "r" * 10_001, "version": "1"})
    assert response.status_code == 422
    assert "10000" in soup(response).select_one(".error-page .error").get_text()


def test_api_tag_reason_and_text_over_their_limits_are_422_naming_them(client, claim_id):
    url = f"{API}/claims/{claim_id}"
    cases = [(client.post(f"{url}/tags", json={"tag": "t" * 61}), "60"),
             (client.post(f"{url}/status", json={"status": "false", "reason": "r" * 2001}), "2000"),
             (client.patch(url, json={"text": "w" * 5001}), "5000")]
    for response, limit in cases:
        assert limit in assert_error(response, 422)["message"]


def test_outlet_name_and_article_size_over_their_limits_name_them(client, settings):
    response = client.post("/ingest/text", data={**VALLEY_POST, "outlet": "O" * 201})
    assert response.status_code == 422
    assert "200" in soup(response).select_one("#ingest-results").get_text()
    body = assert_error(client.post(f"{API}/articles", json={**LEDGER, "outlet": "O" * 201}), 422)
    assert "200" in body["message"]
    big = {**LEDGER, "text": "y" * (settings.max_article_bytes + 1)}
    body = assert_error(client.post(f"{API}/articles", json=big), 413)
    assert f"{settings.max_article_bytes:,} bytes" in body["message"]


def test_stylesheet_and_scripts_are_linked_with_their_content_version(client, app, tmp_path):
    """StaticFiles sends no Cache-Control: each file's URL carries its content's version, so a
    browser never draws a new page with an old stylesheet kept from before an upgrade."""
    import hashlib
    import re

    from app.web.templating import _file_version

    page = client.get("/").text
    for name in ("app.css", "app.js", "vendor/htmx.min.js"):
        content = (app.state.static_dir / name).read_bytes()
        url = f"/static/{name}?v={hashlib.sha256(content).hexdigest()[:12]}"
        assert re.search(rf'(href|src)="{re.escape(url)}"', page), name
        served = client.get(url)
        assert served.status_code == 200 and served.content == content
    changed = tmp_path / "x.css"
    changed.write_text("a { color: red }")
    before = _file_version(changed)
    changed.write_text("a { color: blue; }")
    assert _file_version(changed) not in (None, before)
    assert _file_version(tmp_path / "missing.css") is None
