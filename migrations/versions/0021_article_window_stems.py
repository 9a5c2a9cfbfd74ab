"""articles.window_stems: each matchable window of an article's text with its content stems, kept
so that matching a new claim back into a stored article reads them instead of cutting and stemming
its sentences again (two thirds of matching back at 100,000 claims; issue 13). Filled here for the
articles stored before, a few hundred at a time.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 03:50:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.domain.matching import window_stems_text
from app.storage.search import article_index_ddl

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    op.add_column('articles', sa.Column('window_stems', sa.Text(), nullable=True))
    articles = sa.table('articles', sa.column('id', sa.Integer), sa.column('text', sa.Text),
                        sa.column('window_stems', sa.Text))
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.select(articles.c.id, articles.c.text).where(articles.c.id > last)
                            .order_by(articles.c.id).limit(_BATCH)).all()
        if not rows:
            break
        bind.execute(articles.update().where(articles.c.id == sa.bindparam("key"))
                     .values(window_stems=sa.bindparam("stems")),
                     [{"key": i, "stems": window_stems_text(text)} for i, text in rows])
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('articles') as batch:
        batch.drop_column('window_stems')
    if op.get_context().dialect.name == "sqlite":   # a batch rebuild of articles drops its triggers
        for statement in article_index_ddl("sqlite", joined=False):
            op.execute(statement)
