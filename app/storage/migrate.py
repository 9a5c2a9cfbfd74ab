"""Run Alembic from code, so `claimtracker db upgrade` and tests use the same migrations."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url
    return cfg


def database_is_empty(database_url: str) -> bool:
    """No table yet (a new SQLite file, an empty PostgreSQL database or schema)."""
    from sqlalchemy import inspect

    from app.storage.engine import make_engine

    engine = make_engine(database_url)
    try:
        return not inspect(engine).get_table_names()
    finally:
        engine.dispose()


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def upgrade_connection(connection, revision: str = "head") -> None:
    """Upgrade over a connection the caller owns (tests use it to migrate a private schema)."""
    cfg = alembic_config("")
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


def schema_versions(connection) -> tuple[str | None, str]:
    """(the store's schema revision, None where Alembic never ran on it; the newest this code has)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("")).get_current_head()
    return MigrationContext.configure(connection).get_current_revision(), head


def check_schema_is_current(engine) -> None:
    """Refuse to serve a store migrated to another schema than this code's: after an update
    without `claimtracker db upgrade`, pages would fail one by one on a missing table or index
    (a 500 each) instead of saying once what to do. A store Alembic never ran on (tests build
    theirs from the models) is left alone, and so is one that cannot be reached yet: the server
    starts and /healthz says the database is down."""
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect() as conn:
            current, head = schema_versions(conn)
    except OperationalError:
        return
    if current is not None and current != head:
        raise RuntimeError(f"the database is at schema {current} and this version of claimtracker needs {head}: "
                           "run `claimtracker db upgrade` (make run does) and start again")
