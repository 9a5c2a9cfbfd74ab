"""/docs (Swagger UI) and /redoc (ReDoc) from our own /static/vendor, never a CDN: `make install`
copies their bundles out of the npm packages swagger-ui-dist and redoc (pinned in package-lock.json,
like htmx), so both pages work offline and show nothing fetched from elsewhere.

The pages are FastAPI's own HTML. Swagger UI starts from one inline script: each answer carries a
Content-Security-Policy of its own that allows exactly that script by its hash (no 'unsafe-inline'
for scripts) and nothing outside this site. Styles stay 'unsafe-inline' (both UIs set styles from
script) and ReDoc's search runs in a blob: worker. They show the OpenAPI schema only, never stored data."""
from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

VENDOR = "/static/vendor/"
# The files `make install` (and the Dockerfile) copy into static/vendor/.
SWAGGER_JS = "swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui.css"
SWAGGER_FAVICON = "swagger-favicon-32x32.png"
REDOC_JS = "redoc.standalone.js"
ASSETS = (SWAGGER_JS, SWAGGER_CSS, SWAGGER_FAVICON, REDOC_JS)

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_policy(page: str) -> str:
    """The page's own policy: scripts from this site plus the page's inline scripts by hash."""
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
              for s in _INLINE_SCRIPT.findall(page)]
    return "; ".join((
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ))


def _answer(response: HTMLResponse) -> HTMLResponse:
    response.headers["Content-Security-Policy"] = docs_policy(response.body.decode())
    return response


def install_api_docs(app: FastAPI) -> None:
    """The two pages, under the route names FastAPI gives its own (the access table lists them)."""
    title = app.title

    def swagger_ui_html(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _answer(get_swagger_ui_html(
            openapi_url=root + app.openapi_url, title=f"{title} - Swagger UI",
            swagger_js_url=root + VENDOR + SWAGGER_JS, swagger_css_url=root + VENDOR + SWAGGER_CSS,
            swagger_favicon_url=root + VENDOR + SWAGGER_FAVICON,
            # No "validator" badge: it would send the schema to validator.swagger.io.
            swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "validatorUrl": None}))

    def redoc_html(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _answer(get_redoc_html(
            openapi_url=root + app.openapi_url, title=f"{title} - ReDoc",
            redoc_js_url=root + VENDOR + REDOC_JS, redoc_favicon_url=root + VENDOR + SWAGGER_FAVICON,
            with_google_fonts=False))

    app.add_route("/docs", swagger_ui_html, name="swagger_ui_html", include_in_schema=False)
    app.add_route("/redoc", redoc_html, name="redoc_html", include_in_schema=False)
