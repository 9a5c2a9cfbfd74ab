"""Public-read mode opens the read pages and GET /api/v1 to anyone, but the suggestions queue stays the
team's: a suggestion awaiting an analyst must not show through the claim page, the article page or
the API to an anonymous reader (it does to a logged-in viewer)."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.main import create_app
from app.settings import Settings
from app.storage.models import Mention
from tests.auth import log_in
from tests.test_api_support import API
from tests.test_web_suggestions import ingest_sample, pending
from tests.test_web_support import soup


@pytest.fixture
def public_app(database_url):
    app = create_app(Settings(database_url=database_url, public_read=True))
    with app.state.sessionmaker() as session:
        ingest_sample(session)
        suggestion = pending(session)[0]
        linked = session.scalars(select(Mention.id).where(Mention.origin != "suggested")).first()
    yield app, suggestion, linked
    app.state.engine.dispose()


def seen(client: TestClient, suggestion) -> dict[str, bool]:
    """Where the suggestion shows for this client."""
    claim_page = soup(client.get(f"/claims/{suggestion.claim_id}"))
    article_page = client.get(f"/articles/{suggestion.article_id}")
    article_ids = {m["id"] for m in client.get(f"{API}/articles/{suggestion.article_id}").json()["mentions"]}
    return {
        "claim page": claim_page.select_one(f'tr.rendering[data-mention-id="{suggestion.id}"]') is not None,
        "article page": f'href="#m{suggestion.id}"' in article_page.text,
        "api article": suggestion.id in article_ids,
        "api mention": client.get(f"{API}/mentions/{suggestion.id}").status_code == 200,
    }


def test_pending_suggestions_are_hidden_from_anonymous_readers(public_app):
    app, suggestion, linked = public_app
    with TestClient(app, follow_redirects=False) as anon:
        assert seen(anon, suggestion) == dict.fromkeys(
            ("claim page", "article page", "api article", "api mention"), False)
        missing = anon.get(f"{API}/mentions/{suggestion.id}")
        assert missing.status_code == 404 and missing.json()["message"] == f"no mention {suggestion.id}"
        assert anon.get(f"{API}/mentions/{linked}").status_code == 200  # linked ones stay public
    with TestClient(app, follow_redirects=False) as viewer:
        log_in(viewer, app, "vera", "viewer")
        assert seen(viewer, suggestion) == dict.fromkeys(
            ("claim page", "article page", "api article", "api mention"), True)
