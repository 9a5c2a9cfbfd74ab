"""Ingest from a URL through every surface (domain, CLI, ingest page, API), on pages served by the
test's own server on 127.0.0.1 with the test-only allowance; without it the same URL is refused."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.domain.spread import as_utc
from app.domain.url_ingest import ingest_url
from app.settings import Settings
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article, Quote
from tests.fetch_server import fence, server  # noqa: F401 (fixtures)


@pytest.fixture
def settings(settings):
    """conftest's settings with loopback opened for the test's own server."""
    return settings.model_copy(update={"fetch_allow_loopback_for_tests": True, "fetch_timeout": 5.0})


def test_article_is_stored_with_final_url_and_site_name(server, session, settings):
    result = ingest_url(session, server.url("/r/2"), {}, "tester", settings)
    assert result.status == "added" and result.quotes == 2
    assert result.name == server.url("/article")
    article = session.get(Article, result.article_id)
    assert article.url == server.url("/article")             # after the redirects
    assert article.outlet.name == "Harbour Ledger"            # og:site_name
    assert article.title == "Ferry timetable to change in spring"
    assert article.published.isoformat() == "2024-04-02"
    # the page's article:published_time keeps its time of day (UTC)
    assert as_utc(article.published_at).strftime("%Y-%m-%d %H:%M") == "2024-04-02 09:00"
    assert "every forty minutes" in article.text and "Sport" not in article.text
    again = ingest_url(session, server.url("/article"), {}, "tester", settings)
    assert (again.status, again.article_id) == ("present", article.id)


def test_given_outlet_wins_and_host_is_the_last_resort(server, session, settings):
    named = ingest_url(session, server.url("/article"), {"outlet": "Coast Wire"}, "tester", settings)
    assert session.get(Article, named.article_id).outlet.name == "Coast Wire"
    plain = ingest_url(session, server.url("/plain"), {}, "tester", settings)
    article = session.get(Article, plain.article_id)
    assert article.outlet.name == "127.0.0.1"                 # plain text names no site
    assert article.text.startswith("Library hours extended")


def test_declared_charset_is_decoded(server, session, settings):
    result = ingest_url(session, server.url("/latin1"), {"outlet": "Square News"}, "tester", settings)
    assert result.status == "added", result.error
    assert "Lené Varga" in session.get(Article, result.article_id).text


def test_refusal_is_a_failed_result_and_stores_nothing(server, session, settings):
    guarded = settings.model_copy(update={"fetch_allow_loopback_for_tests": False})
    result = ingest_url(session, server.url("/article"), {}, "tester", guarded)
    assert result.status == "failed" and result.error.startswith("refused: ")
    bad_target = ingest_url(session, server.url("/to?target=http://10.0.0.5/"), {}, "tester", settings)
    assert bad_target.error == "refused: 10.0.0.5 is a private address"
    assert session.scalar(select(func.count()).select_from(Article)) == 0
    assert server.hits.paths == ["/to?target=http://10.0.0.5/"]


def _cli_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'fetch.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--database-url", url]).exit_code == 0
    return url


def test_cli_fetch_needs_the_allowance_for_its_own_server(server, tmp_path):
    url = _cli_db(tmp_path)
    refused = CliRunner().invoke(main, ["fetch", server.url("/article"), "--database-url", url])
    assert refused.exit_code == 1
    assert "failed: refused:" in refused.stderr and "0 added, 0 already present, 1 failed" in refused.stdout
    env = {"CLAIMTRACKER_FETCH_ALLOW_LOOPBACK_FOR_TESTS": "1"}
    ok = CliRunner(env=env).invoke(main, ["fetch", server.url("/r/1"), server.url("/image"),
                                          "--outlet", "Coast Wire", "--database-url", url])
    assert ok.exit_code == 1, ok.output                     # one of two failed
    assert f"{server.url('/article')}: added article 1 (2 quotes" in ok.stdout
    assert "sent image/png, not an HTML or text page" in ok.stderr
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(Article.url)) == server.url("/article")
        assert s.scalar(select(func.count()).select_from(Quote)) == 2
    engine.dispose()


def test_cli_fetch_rejects_a_bad_date_before_fetching(server, tmp_path):
    result = CliRunner().invoke(main, ["fetch", server.url("/article"), "--published", "soon",
                                       "--database-url", _cli_db(tmp_path)])
    assert result.exit_code == 2 and "unparseable date" in result.output
    assert server.hits.paths == []


def _rows(response) -> list[tuple[str, str, str]]:
    page = BeautifulSoup(response.text, "html.parser")
    return [(tr.select_one("td.name").get_text(strip=True), tr["data-status"],
             (tr.select_one(".reason") or tr.select_one(".muted")).get_text(strip=True))
            for tr in page.select("#ingest-results tr.result")]


def test_ingest_page_has_a_url_form_that_ingests(server, client, app_session):
    page = BeautifulSoup(client.get("/ingest").text, "html.parser")
    form = page.select_one("form.ingest-url")
    assert form["action"] == "/ingest/url" and form.select_one("input[name=url]")["type"] == "url"
    response = client.post("/ingest/url", data={"url": server.url("/article"), "outlet": ""})
    assert response.status_code == 200
    assert _rows(response) == [(server.url("/article"), "added", "2 quotes, 2 new claims, 2 mentions")]
    assert app_session.scalar(select(Article.url)) == server.url("/article")


def test_ingest_page_reports_a_refused_url_and_keeps_it_in_the_form(server, client, app_session):
    target = "http://169.254.169.254/latest/meta-data/"
    response = client.post("/ingest/url", data={"url": server.url(f"/to?target={target}")})
    assert response.status_code == 422
    assert _rows(response)[0][1:] == ("failed", "refused: 169.254.169.254 is a cloud metadata address")
    page = BeautifulSoup(response.text, "html.parser")
    assert page.select_one("form.ingest-url input[name=url]")["value"] == server.url(f"/to?target={target}")
    assert app_session.scalar(select(func.count()).select_from(Article)) == 0


def test_api_fetch_creates_then_finds_the_article(server, client):
    response = client.post("/api/v1/articles/fetch", json={"url": server.url("/r/1")})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["url"] == server.url("/article") and body["created"] is True and body["quotes"] == 2
    assert response.headers["location"].endswith(f"/api/v1/articles/{body['id']}")
    article = client.get(response.headers["location"]).json()
    assert article["url"] == server.url("/article") and article["outlet"]["name"] == "Harbour Ledger"
    again = client.post("/api/v1/articles/fetch", json={"url": server.url("/article")})
    assert again.status_code == 200 and again.json()["created"] is False


@pytest.mark.parametrize("path, status, message", [
    ("/to?target=http://10.0.0.5/", 422, "refused: 10.0.0.5 is a private address"),
    ("/missing", 502, "127.0.0.1 answered 404 Not Found"),
    ("/image", 422, "refused: 127.0.0.1 sent image/png, not an HTML or text page"),
])
def test_api_fetch_errors_say_why(server, client, path, status, message):
    response = client.post("/api/v1/articles/fetch", json={"url": server.url(path)})
    assert (response.status_code, response.json()["message"]) == (status, message)


def test_api_fetch_refuses_a_scheme_and_the_server_without_allowance(server, client, app):
    response = client.post("/api/v1/articles/fetch", json={"url": "file:///etc/passwd"})
    assert response.status_code == 422 and "only http and https" in response.json()["message"]
    app.state.settings = Settings(**{**app.state.settings.model_dump(),
                                     "fetch_allow_loopback_for_tests": False})
    response = client.post("/api/v1/articles/fetch", json={"url": server.url("/article")})
    assert response.status_code == 422 and response.json()["message"].startswith("refused: ")
    assert server.hits.paths == []
