"""Several writers at once: the SQLite pragmas hold, and parallel ingests that share a new outlet and
speaker all succeed (on PostgreSQL this is a real race on the unique names)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select, text

from app.domain.articles import ArticleInput, ingest_article
from app.storage.engine import (
    SQLITE_BATCH_MMAP_BYTES,
    SQLITE_BUSY_TIMEOUT_MS,
    is_sqlite,
    make_engine,
    make_sessionmaker,
)
from app.storage.models import Article, Outlet, Speaker


def test_sqlite_pragmas(database_url):
    if not is_sqlite(database_url):
        return
    engine = make_engine(database_url)
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
        assert conn.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS
        assert conn.scalar(text("PRAGMA mmap_size")) == 0      # the web server reads through its cache
    engine.dispose()


def test_sqlite_batch_engine_maps_the_file(database_url, monkeypatch):
    """A command's engine (and an ingest worker's) reads the file through a memory map; the
    database is the same, the pragmas above hold there too."""
    if not is_sqlite(database_url):
        return
    import app.storage.engine as storage_engine
    from app.cli_support import run_in_session
    from app.settings import Settings

    engine = make_engine(database_url, batch=True)
    with engine.connect() as conn:
        assert 0 < conn.scalar(text("PRAGMA mmap_size")) <= SQLITE_BATCH_MMAP_BYTES   # capped by the build
        assert conn.scalar(text("PRAGMA busy_timeout")) == SQLITE_BUSY_TIMEOUT_MS
    engine.dispose()
    made = []
    monkeypatch.setattr(storage_engine, "make_engine", lambda url, **kw: made.append(kw) or make_engine(url, **kw))
    assert run_in_session(Settings(database_url=database_url),
                          lambda session: session.scalar(text("PRAGMA mmap_size"))) > 0
    assert made == [{"batch": True}]


def test_parallel_ingests_share_new_outlet_and_speaker(database_url):
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        text_ = f"Report {i}\n\n“Crews will inspect bridge number {i} on the coast road next week,” engineer Rosa Vidal said.\n"
        try:
            with factory() as session:
                barrier.wait(timeout=10)
                ingest_article(session, ArticleInput(text=text_, outlet="Shared Wire"), "t")
                session.commit()
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    with factory() as session:
        assert errors == []
        assert session.scalar(select(func.count()).select_from(Article)) == 6
        assert session.scalars(select(Outlet.name)).all() == ["Shared Wire"]
        assert session.scalars(select(Speaker.name)).all() == ["Rosa Vidal"]
    engine.dispose()
