"""articles get a full-text index (FTS5 / tsvector): new claims are matched back against stored articles

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 06:20:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import article_index_ddl, drop_article_index_ddl

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent DDL shared with the test fixtures; indexes the articles already stored.
    for statement in article_index_ddl(op.get_context().dialect.name, words_only=False, joined=False):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_article_index_ddl(op.get_context().dialect.name):
        op.execute(statement)
