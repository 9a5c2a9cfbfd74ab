"""The server's factory (`uvicorn --factory app.main:serve_app`): the app create_app makes, with
the objects made at start frozen out of the garbage collector's full collections."""
from __future__ import annotations

import gc

from fastapi.testclient import TestClient


def test_serve_app_freezes_the_start_up_objects_and_serves(database_url, monkeypatch):
    from app.main import serve_app

    monkeypatch.setenv("CLAIMTRACKER_DATABASE_URL", database_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    gc.unfreeze()
    app = None
    try:
        app = serve_app()
        assert gc.get_freeze_count() > 10_000      # modules, routes, templates: not one collection's worth
        with TestClient(app) as client:
            assert client.get("/healthz").status_code == 200
    finally:
        gc.unfreeze()          # this test process makes many apps: let the collector see them again
        if app is not None:
            app.state.engine.dispose()
