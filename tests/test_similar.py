"""`claimtracker similar`, GET /api/v1/claims/similar and `claimtracker rematch`, on stored claims."""
from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Mention
from tests.factories import DENIAL, GAZETTE, HERALD, STATEMENT
from tests.test_api_support import API, assert_error

QUESTION = "Will the harbour authority close the northern pier to cargo traffic?"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _ingest_cli(url, tmp_path, *articles):
    for n, article in enumerate(articles):
        path = tmp_path / f"a{n}.txt"
        path.write_text(article.text, encoding="utf-8")
        assert run("ingest", path, "--outlet", article.outlet, "--database-url", url).exit_code == 0


def test_similar_cli_ranks_claims_as_json(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run("db", "upgrade", "--database-url", url).exit_code == 0
    _ingest_cli(url, tmp_path, HERALD, DENIAL)
    result = run("similar", QUESTION, "--top", 5, "--json", "--database-url", url)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert hits[0]["text"] == STATEMENT
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert {"harbour", "authority", "close", "northern", "pier", "cargo", "traffic"} <= set(hits[0]["shared"])
    assert all(0 < h["score"] <= 1 for h in hits)
    lines = run("similar", QUESTION, "--top", 1, "--database-url", url).stdout.splitlines()
    assert len(lines) == 1 and lines[0].endswith(STATEMENT)


def test_similar_cli_refuses_empty_text_and_unready_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run("similar", "   ", "--database-url", url).exit_code == 2
    result = run("similar", "words", "--database-url", url)
    assert result.exit_code == 1 and "claimtracker db upgrade" in result.output


def test_rematch_cli_links_an_old_article_to_a_later_claim(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert run("db", "upgrade", "--database-url", url).exit_code == 0
    _ingest_cli(url, tmp_path, GAZETTE, HERALD)
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        before = session.scalars(select(Mention.id)).all()
    result = run("rematch", "--all", "--database-url", url)
    assert result.exit_code == 0 and result.stdout.startswith("2 articles matched again")
    again = run("rematch", "--all", "--database-url", url)
    assert "0 new links, 0 new suggestions" in again.stdout
    with make_sessionmaker(engine)() as session:
        assert len(session.scalars(select(Mention.id)).all()) >= len(before)
    engine.dispose()
    assert run("rematch", 424242, "--database-url", url).exit_code == 1
    assert run("rematch", "--database-url", url).exit_code == 2


def test_similar_api(client):
    for article in (HERALD, DENIAL):
        body = {"text": article.text, "outlet": article.outlet}
        assert client.post(f"{API}/articles", json=body).status_code == 201
    r = client.get(f"{API}/claims/similar", params={"text": QUESTION, "top": 2})
    assert r.status_code == 200
    hits = r.json()
    assert 1 <= len(hits) <= 2 and hits[0]["text"] == STATEMENT
    assert hits[0]["url"].endswith(f"/api/v1/claims/{hits[0]['id']}")
    assert client.get(hits[0]["url"]).json()["text"] == STATEMENT
    assert client.get(f"{API}/claims/similar", params={"text": "pasta recipes for winter"}).json() == []
    assert_error(client.get(f"{API}/claims/similar", params={"text": "   "}), 422)
    assert_error(client.get(f"{API}/claims/similar"), 422)
    assert_error(client.get(f"{API}/claims/similar", params={"text": "pier", "top": 0}), 422)
