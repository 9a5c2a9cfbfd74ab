"""Full URLs the app hands out (canonical link, og:url, the JSON `url` fields, Location headers) come
from the public_base_url setting when it is set: a request's Host header must not rewrite a permalink
someone shares or a search engine stores."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.main import create_app
from app.settings import Settings
from tests.auth import log_in
from tests.test_api_support import API, BEACON

BASE = "https://claims.example.org/ct"
FORGED = {"Host": "evil.example"}


def absolute_urls(client: TestClient) -> list[str]:
    made = client.post(f"{API}/articles", json=BEACON, headers=FORGED)
    assert made.status_code == 201, made.text
    claim = client.get(f"{API}/claims", headers=FORGED).json()["items"][0]
    cid = claim["id"]
    page = BeautifulSoup(client.get(f"/claims/{cid}", headers=FORGED).text, "html.parser")
    share = BeautifulSoup(client.get(f"/claims/{cid}/sources", headers=FORGED).text, "html.parser")
    sources = client.get(f"/claims/{cid}/sources.json", headers=FORGED).json()
    return [made.headers["Location"], claim["url"], page.select_one("link[rel=canonical]")["href"],
            share.select_one("link[rel=canonical]")["href"],
            share.select_one('meta[property="og:url"]')["content"], sources["claim"]["url"]]


@pytest.mark.parametrize("base", [BASE, BASE + "/"])
def test_absolute_urls_use_the_public_base_url(database_url, base):
    app = create_app(Settings(database_url=database_url, public_base_url=base))
    with TestClient(app, follow_redirects=False) as client:
        urls = absolute_urls(log_in(client, app))
    app.state.engine.dispose()
    assert all(u.startswith(BASE + "/") for u in urls), urls
    assert urls[1] == urls[2]  # the API's permalink is the page's canonical link


def test_without_the_setting_urls_follow_the_request(database_url):
    app = create_app(Settings(database_url=database_url))
    with TestClient(app, follow_redirects=False) as client:
        urls = absolute_urls(log_in(client, app))
    app.state.engine.dispose()
    assert all(u.startswith("http://evil.example/") for u in urls), urls


@pytest.mark.parametrize("bad", ["claims.example.org", "ftp://claims.example.org", "https://x.org/?a=1", "https://"])
def test_a_public_base_url_must_be_an_http_url(bad):
    with pytest.raises(ValidationError, match="public_base_url"):
        Settings(public_base_url=bad)
