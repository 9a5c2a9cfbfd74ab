"""claim search index: FTS5 on SQLite, a tsvector GIN index on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:10:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import drop_search_index_ddl, search_index_ddl

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The DDL lives in app/storage/search.py, shared with the test fixtures.
    for statement in search_index_ddl(op.get_context().dialect.name, with_title=False, words_only=False, joined=False):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_search_index_ddl(op.get_context().dialect.name):
        op.execute(statement)
