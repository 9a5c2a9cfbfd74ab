"""speakers.first_word / last_word: the name's first and last word, lower-cased and indexed, so the
check "does another speaker bear this surname" on every speaker lookup is an index lookup instead
of a scan of every speaker (issue 13)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 00:50:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.storage.models import name_words

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('speakers', sa.Column('first_word', sa.String(200), nullable=True))
    op.add_column('speakers', sa.Column('last_word', sa.String(200), nullable=True))
    speakers = sa.table('speakers', sa.column('id', sa.Integer), sa.column('name', sa.String),
                        sa.column('first_word', sa.String), sa.column('last_word', sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(speakers.c.id, speakers.c.name)).all()
    filled = [{"key": i, "first": first, "last": last}
              for i, name in rows for first, last in [name_words(name)]]
    if filled:
        bind.execute(speakers.update().where(speakers.c.id == sa.bindparam("key"))
                     .values(first_word=sa.bindparam("first"), last_word=sa.bindparam("last")), filled)
    op.create_index('ix_speakers_first_word', 'speakers', ['first_word'])
    op.create_index('ix_speakers_last_word', 'speakers', ['last_word'])


def downgrade() -> None:
    op.drop_index('ix_speakers_last_word', table_name='speakers')
    op.drop_index('ix_speakers_first_word', table_name='speakers')
    with op.batch_alter_table('speakers') as batch:
        batch.drop_column('last_word')
        batch.drop_column('first_word')
