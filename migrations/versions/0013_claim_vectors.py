"""claim_vectors: one sentence embedding per claim, for candidates that share few words

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 16:05:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('claim_vectors',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('model', sa.String(length=200), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_vectors_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', name=op.f('pk_claim_vectors'))
    )


def downgrade() -> None:
    op.drop_table('claim_vectors')
