"""Every route of the route table, fed hostile strings in each of its inputs one at a time, as the
admin and as an anonymous caller, on each engine: no answer may be a 5xx.

The inputs come from the routes themselves (path, query, form and JSON fields as FastAPI declares
them; routes that read their form or body by hand get the fields their pages send). The hostile
strings are what broke the app before: NUL, lone surrogates (through JSON escapes and as the
surrogate's UTF-8-style bytes in URLs and forms), digits that are not ASCII, numbers past the 32- and
64-bit ranges, FTS5 and tsquery syntax, right-to-left and zero-width characters, crafted cursors.
Run with -s to see how many requests were tried."""
from __future__ import annotations

import base64
import json
import typing
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select

from app.domain.articles import ingest_article
from app.storage.models import Outlet, Speaker
from app.web.access import SESSION_COOKIE
from tests.auth import session_cookie, with_csrf
from tests.factories import DENIAL, GAZETTE, HERALD


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# name -> value, tried in every input. A lone surrogate travels as the bytes ED A0 80 in a URL or form.
HOSTILE: dict[str, str] = {
    "nul": "a\x00b",
    "surrogate": "x\ud800y",
    "superscript-digit": "²",
    "math-digit": "𝟗",
    "arabic-digit": "٣",
    "int32-overflow": str(2**31),
    "int64-overflow": str(2**63),
    "huge-number": "9" * 40,
    "negative": "-1",
    "fts5": '"a" OR b* NEAR(c d) ^e col:f -g AND (',
    "tsquery": "a & !b | (c <-> d):* ' \\",
    "rtl": "\u202eevil\u202c\u200f",
    "zero-width": "a\u200b\u200c\u200d\ufeffb",
}
# Tried in the inputs named `cursor` only: what a crafted keyset cursor can hold.
CURSORS: dict[str, str] = {
    "cursor-huge": _b64("9" * 40),
    "cursor-huge-pair": _b64("9" * 12 + "~" + "9" * 12),
    "cursor-int32-pair": _b64(f"{2**31}~{2**31}"),
    "cursor-huge-date": _b64("9999-12-31T23:59:59-23:59~1"),
    "cursor-digits": _b64("²~𝟗"),
    "cursor-score": "1e308_99999999999",
    "cursor-nan": "nan_𝟗",
}
# JSON bodies also get numbers as numbers.
JSON_NUMBERS = {"json-int64-overflow": 2**63, "json-huge": 10**40, "json-negative": -1}

# Routes that read their form or body themselves: the fields their pages (or clients) send.
MANUAL_FIELDS = {"ingest_files": ("outlet", "published", "files"),
                 "import_claims_upload": ("format", "text", "file"),
                 "api_import_claims": ("body",)}
# Routes run last, since a success changes what the others see.
LAST = ("logout", "merge_claim", "api_claim_merge", "delete_article", "api_article_delete")


def wire(value: str) -> bytes:
    """The UTF-8 bytes a browser would send; a lone surrogate as its (invalid) 3-byte form."""
    return value.encode("utf-8", "surrogatepass")


def pct(value: str) -> str:
    return quote(wire(value), safe="")


def _flat(dependant, acc=None) -> dict[str, list]:
    acc = acc if acc is not None else {"path": [], "query": [], "body": []}
    acc["path"] += dependant.path_params
    acc["query"] += dependant.query_params
    acc["body"] += dependant.body_params
    for sub in dependant.dependencies:
        _flat(sub, acc)
    return acc


def _model(annotation) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def route_inputs(app) -> list[dict]:
    """One entry per (route, method): its path and where its inputs go."""
    out = []
    for ctx in iter_route_contexts(app.routes):
        route = getattr(ctx, "original_route", ctx)
        if not isinstance(route, APIRoute):
            continue
        flat = _flat(route.dependant)
        form, json_fields = [], []
        for field in flat["body"]:
            model = _model(field.field_info.annotation)
            if model is not None:
                json_fields += list(model.model_fields)
            else:
                form.append(field.alias)
        manual = MANUAL_FIELDS.get(route.name, ())
        for method in sorted(route.methods - {"HEAD"}):
            out.append({"name": route.name, "method": method, "path": ctx.path,
                        "path_params": [p.alias for p in flat["path"]],
                        "query": [p.alias for p in flat["query"]], "form": form,
                        "json": json_fields, "manual": manual})
    return sorted(out, key=lambda r: r["name"] in LAST)


def benign_path(app, route: dict, slugs: dict[str, str]) -> dict[str, str]:
    values = {}
    for name in route["path_params"]:
        if name == "slug":
            values[name] = slugs["outlet" if "/outlets/" in route["path"] else "speaker"]
        elif name == "user_name":
            values[name] = "tester"
        elif name == "tag":
            values[name] = "economy"
        else:
            values[name] = "1"
    return values


def _url(route: dict, path_values: dict[str, str], query: dict[str, str]) -> str:
    url = route["path"]
    for name, value in path_values.items():
        url = url.replace("{" + name + "}", pct(value))
    if query:
        url += "?" + "&".join(f"{pct(k)}={pct(v)}" for k, v in query.items())
    return url


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "fuzzboundary7d1c"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                     + wire(value) + b"\r\n")
    for name, (filename, data) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '.encode()
                     + b'filename="' + wire(filename) + b'"\r\nContent-Type: text/plain\r\n\r\n'
                     + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def requests_for(route: dict, path_values: dict[str, str]):
    """(label, method, url, kwargs) for each hostile value in each input of the route."""
    method = route["method"]
    for label, value in CURSORS.items():
        if "cursor" in route["query"]:
            yield f"query cursor={label}", method, _url(route, path_values, {"cursor": value}), {}
    for label, value in HOSTILE.items():
        for param in route["path_params"]:
            yield f"path {param}={label}", method, _url(route, {**path_values, param: value}, {}), {}
        for param in route["query"]:
            yield f"query {param}={label}", method, _url(route, path_values, {param: value}), {}
        if label in ("nul", "surrogate"):  # an unknown parameter's name and value are input too
            yield f"query extra={label}", method, _url(route, path_values, {value: value}), {}
        url = _url(route, path_values, {})
        for field in route["form"]:
            body = f"{pct(field)}={pct(value)}".encode()
            yield (f"form {field}={label}", method, url,
                   {"content": body, "headers": {"content-type": "application/x-www-form-urlencoded"}})
        for field in route["json"]:
            raw = json.dumps({field: value})
            yield f"json {field}={label}", method, url, {"content": raw, "headers": {
                "content-type": "application/json"}}
        for field in route["manual"]:
            if field == "body":
                csv = f"claim,speaker,rating\nThe {value} pier will close next {value},{value},{value}\n"
                yield f"body={label}", method, url, {"content": wire(csv), "headers": {
                    "content-type": "text/csv"}}
            elif field in ("files", "file"):
                content = b"Title\n\n" + b"x" * 9000 + wire(value) + b"\n"
                body, kind = _multipart({"outlet": "Fuzz Times"}, {field: (value + ".txt", content)})
                yield f"upload {field}={label}", method, url, {"content": body, "headers": {
                    "content-type": kind}}
            else:
                body, kind = _multipart({field: value}, {})
                yield f"multipart {field}={label}", method, url, {"content": body, "headers": {
                    "content-type": kind}}
    for label, number in JSON_NUMBERS.items():
        for field in route["json"]:
            yield f"json {field}={label}", method, _url(route, path_values, {}), {
                "content": json.dumps({field: number}), "headers": {"content-type": "application/json"}}


def test_no_route_answers_5xx_to_hostile_input(app, app_session):
    for article in (HERALD, GAZETTE, DENIAL):
        ingest_article(app_session, article, "tester")
    app_session.commit()
    slugs = {"outlet": app_session.scalar(select(Outlet.slug).order_by(Outlet.id)),
             "speaker": app_session.scalar(select(Speaker.slug).order_by(Speaker.id))}
    routes = route_inputs(app)
    tried, failures = 0, []
    with TestClient(app, follow_redirects=False, raise_server_exceptions=False) as client:
        for caller in ("admin", None):
            cookie = session_cookie(app, "tester", "admin") if caller else None
            for route in routes:
                path_values = benign_path(app, route, slugs)
                for label, method, url, kwargs in requests_for(route, path_values):
                    client.cookies.clear()
                    if cookie:
                        client.cookies.set(SESSION_COOKIE, cookie)
                    with_csrf(client)
                    response = client.request(method, url, **kwargs)
                    if cookie and route["name"] == "logout":
                        cookie = session_cookie(app, "tester", "admin")
                    tried += 1
                    if response.status_code >= 500:
                        failures.append((caller, route["name"], label, response.status_code))
    print(f"\nfuzz: {len(routes)} routes x {len(HOSTILE)} hostile strings in each input (+{len(CURSORS)} "
          f"cursors, +{len(JSON_NUMBERS)} JSON numbers) = {tried} requests as admin and anonymous; "
          f"5xx: {len(failures)}")
    assert failures == [], f"{len(failures)} of {tried} requests answered 5xx: {failures[:40]}"
