"""Alembic environment: batch mode so SQLite can alter tables; the URL comes from settings or the caller."""
from __future__ import annotations

from contextlib import contextmanager

from alembic import context

from app.settings import Settings
from app.storage.engine import make_engine
from app.storage.models import Base
from app.storage.search import include_name

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("database_url") or Settings().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, render_as_batch=True,
                      literal_binds=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, include_name=include_name)
    with _foreign_keys_off(connection):
        with context.begin_transaction():
            context.run_migrations()


@contextmanager
def _foreign_keys_off(connection):
    """SQLite batch mode rebuilds a table by copying it and dropping the old one; with foreign keys
    on, that DROP deletes every row pointing at the table (ON DELETE CASCADE): rebuilding `articles`
    would empty quotes and mentions. The pragma only takes effect outside a transaction, so it is set
    here, around the migrations, and the keys are checked before they are switched back on."""
    if connection.dialect.name != "sqlite" or connection.in_transaction():
        yield
        return
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        if connection.in_transaction():
            connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
