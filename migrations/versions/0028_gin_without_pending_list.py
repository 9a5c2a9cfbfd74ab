"""PostgreSQL: the claims' and articles' full-text GIN indexes keep no pending list
(fastupdate = off), and what waits in it now is merged. With the default, new rows' words wait in
an unsorted list that every search reads through until a vacuum merges it; ingest inserts claims and
articles between its own candidate searches, so each search read that list again (a store copied
into PostgreSQL had every claim there: 12.8 ms a claim query against 0.44 ms merged). See
storage.search.PG_GIN_OPTIONS. SQLite: nothing to do.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 22:50:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import ARTICLE_PG_INDEX, PG_INDEX

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def _set(fastupdate: str) -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for index in (PG_INDEX, ARTICLE_PG_INDEX):
        op.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = {fastupdate})")
        if fastupdate == "off":
            op.execute(f"SELECT gin_clean_pending_list(to_regclass('{index}')) WHERE to_regclass('{index}') IS NOT NULL")


def upgrade() -> None:
    _set("off")


def downgrade() -> None:
    _set("on")
