"""The application factory: `create_app(settings)` builds an app on its own database; nothing at import."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.settings import Settings
from app.storage.engine import limit_statements, make_engine, make_sessionmaker, pool_args
from app.storage.migrate import check_schema_is_current

ROOT = Path(__file__).resolve().parents[1]


def fewer_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread that allocates at once an arena of its own (up to 8 per core), and
    memory freed in one is not reused by another: with Starlette's worker threads building pages
    side by side, the process kept about a fifth more resident memory than with two arenas (10k
    store, wrk -c32 on the biggest claim page: 293 against 250 MiB peak). Only arenas made after
    this call are limited, so it runs before the first request thread; MALLOC_ARENA_MAX in the
    environment, if set, wins. A no-op off glibc."""
    import ctypes
    import ctypes.util
    import os

    if "MALLOC_ARENA_MAX" in os.environ:
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


def create_app(settings: Settings | None = None) -> FastAPI:
    from app.web.inputs import form_limits
    from app.web.security import body_limits

    settings = settings or Settings()
    fewer_malloc_arenas()
    limits = form_limits(*body_limits(settings))
    # /docs and /redoc come from app/web/api_docs.py (assets from /static/vendor, not a CDN).
    app = FastAPI(title="claimtracker", version="1", openapi_url="/openapi.json",
                  docs_url=None, redoc_url=None, form_limits=limits)
    app.state.settings = settings
    app.state.form_limits = limits
    app.state.engine = make_engine(settings.database_url,
                                   **pool_args(settings.database_url, settings.max_concurrent_requests,
                                               settings.db_pool_timeout))
    limit_statements(app.state.engine, settings.db_statement_timeout)
    check_schema_is_current(app.state.engine)
    app.state.sessionmaker = make_sessionmaker(app.state.engine)
    if settings.embeddings_model:
        # A wrong model setting fails here, at start, with its reason, not on the first ingest.
        from app.pipeline.embeddings import load_embedder

        load_embedder(settings.embeddings_model)

    from app.api.errors import install_error_handlers
    from app.api.v1 import router as api_router
    from app.web.access import install_access
    from app.web.inputs import install_input_checks
    from app.web.load import install_load_limit
    from app.web.page_cache import install_page_cache
    from app.web.routes import router as web_router
    from app.web.security import install_security
    from app.web.templating import templates

    templates.env.auto_reload = settings.template_reload

    install_error_handlers(app)
    install_input_checks(app)  # before the access guard: bad input is refused before any login work
    if settings.api_docs:
        from app.web.api_docs import install_api_docs

        install_api_docs(app)
    install_load_limit(app)  # before the access guard: its session is taken inside a request's turn
    install_page_cache(app, settings)  # outside the load limit, inside the CSRF cookie (install_access)
    install_access(app)
    install_security(app, settings)
    static_dir = Path(settings.static_dir) if settings.static_dir else ROOT / "static"
    static_dir.mkdir(parents=True, exist_ok=True)
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    app.state.static_dir = static_dir      # templating.static_url versions its files' URLs
    app.include_router(api_router)
    app.include_router(web_router)
    return app


def serve_app() -> FastAPI:
    """The app as a server process runs it (`uvicorn --factory app.main:serve_app`): create_app,
    then the objects it made (modules, routes, templates, about 180,000 of them) are moved out of
    the garbage collector's sight (gc.freeze). They live as long as the process; traversing them
    again in each full collection cost 100-150 ms every few big pages (at 100k claims a 2,000-mention
    claim page spent 5-30 ms a request in the collector, 1-4 ms with them frozen). Not in
    create_app: a process that makes many apps (the tests) would keep each one's cycles forever."""
    import gc

    app = create_app()
    gc.collect()
    gc.freeze()
    return app
