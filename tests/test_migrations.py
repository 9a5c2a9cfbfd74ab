"""`alembic upgrade head` on an empty database must give exactly the schema the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.storage.engine import make_engine
from app.storage.migrate import upgrade
from app.storage.models import Base
from app.storage.search import include_name


def test_upgrade_head_matches_models(empty_database_url):
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
            diff = compare_metadata(ctx, Base.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrade_is_repeatable(empty_database_url):
    upgrade(empty_database_url)
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() is not None
    finally:
        engine.dispose()
