"""articles.published_at: the publication moment (UTC) when the source gives a time of day

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 19:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.search import article_index_ddl

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('articles', sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('published_at')
    if op.get_context().dialect.name == "sqlite":   # a batch rebuild of articles drops its triggers
        for statement in article_index_ddl("sqlite", joined=False):
            op.execute(statement)
