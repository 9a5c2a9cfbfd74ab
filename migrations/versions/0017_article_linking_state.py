"""articles.linking_by / linking_at: an article an ingest is still linking (in short transactions)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 21:50:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.search import article_index_ddl

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL: complete, as every article stored before this revision is.
    op.add_column('articles', sa.Column('linking_by', sa.String(200), nullable=True))
    op.add_column('articles', sa.Column('linking_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('linking_at')
        batch.drop_column('linking_by')
    if op.get_context().dialect.name == "sqlite":   # a batch rebuild of articles drops its triggers
        for statement in article_index_ddl("sqlite", joined=False):
            op.execute(statement)
