"""claims.review_title: the headline of a known claim's fact-check, searched and matched with its text

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 18:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.search import drop_search_index_ddl, search_index_ddl

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def _reindex(with_title: bool) -> None:
    """The claim search index rebuilt over text (and the headline): FTS5 on SQLite, the generated
    tsvector column on PostgreSQL (an expression cannot be altered in place)."""
    dialect = op.get_context().dialect.name
    for statement in drop_search_index_ddl(dialect) + search_index_ddl(dialect, with_title=with_title, words_only=False, joined=False):
        op.execute(statement)


def upgrade() -> None:
    op.add_column('claims', sa.Column('review_title', sa.Text(), nullable=True))
    _reindex(with_title=True)


def downgrade() -> None:
    _reindex(with_title=False)
    with op.batch_alter_table('claims') as batch:
        batch.drop_column('review_title')
    if op.get_context().dialect.name == "sqlite":   # a batch rebuild of claims drops its triggers
        _reindex(with_title=False)
