"""speakers can be merged by an analyst: the merged one keeps its slug as a redirect

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 16:10:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_speakers_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_speakers_merged_into_id_speakers'), 'speakers',
                                    ['merged_into_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_speakers_merged_into_id_speakers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_speakers_merged_into_id'))
        batch_op.drop_column('merged_into_id')
