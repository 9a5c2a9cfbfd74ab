"""claim_vectors.code: each vector's sign bits (48 bytes for 384 dimensions), the compact index
searched by Hamming distance before the float vectors re-rank the best (app/domain/vectors.py);
and an index on (model, claim_id, code), so that a process loads the codes, and counts and finds
new vectors, from the index alone instead of reading every 1.5 KB row

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 00:30:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for the vectors stored before: the index computes those codes when it loads, and
    # `claimtracker embed` stores them (no numpy in a migration, no long rewrite of a big table).
    op.add_column('claim_vectors', sa.Column('code', sa.LargeBinary(), nullable=True))
    op.create_index('ix_claim_vectors_model_code', 'claim_vectors', ['model', 'claim_id', 'code'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_claim_vectors_model_code', table_name='claim_vectors')
    with op.batch_alter_table('claim_vectors') as batch:
        batch.drop_column('code')
