"""claim_spreads: each claim's spread summed up (first appearance, outlets by stance, fidelity
counts), and outlet_pairs: the unfiltered outlet matrix's counts, both kept by
app/domain/spread_summary.py whenever a claim's mentions change, so the claim page and the matrix
stop reading every mention on each load. Filled here for a stored archive.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 03:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

FILL_CHUNK = 2000


def upgrade() -> None:
    op.create_table(
        'claim_spreads',
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('first_mention_id', sa.Integer(), nullable=True),
        sa.Column('last_mention_id', sa.Integer(), nullable=True),
        sa.Column('tie_ids', sa.JSON(), nullable=False),
        sa.Column('outlets', sa.JSON(), nullable=False),
        sa.Column('fidelity', sa.JSON(), nullable=False),
        sa.Column('linked', sa.Integer(), nullable=False),
        sa.Column('dated', sa.Integer(), nullable=False),
        sa.Column('sided', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name='fk_claim_spreads_claim_id_claims',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('claim_id', name='pk_claim_spreads'),
    )
    op.create_index('ix_claim_spreads_sided', 'claim_spreads', ['sided'], unique=False)
    op.create_table(
        'outlet_pairs',
        sa.Column('a', sa.Integer(), nullable=False),
        sa.Column('b', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['a'], ['outlets.id'], name='fk_outlet_pairs_a_outlets', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['b'], ['outlets.id'], name='fk_outlet_pairs_b_outlets', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('a', 'b', 'kind', name='pk_outlet_pairs'),
    )
    _fill()


def _fill() -> None:
    """Every claim with a confirmed mention, through the same code that keeps the tables after."""
    from sqlalchemy.orm import Session

    from app.domain.spread_summary import refresh_spreads

    bind = op.get_bind()
    session = Session(bind=bind)
    ids = list(session.scalars(sa.text("SELECT DISTINCT claim_id FROM mentions ORDER BY claim_id")))
    for at in range(0, len(ids), FILL_CHUNK):
        refresh_spreads(session, ids[at:at + FILL_CHUNK])
    session.flush()


def downgrade() -> None:
    op.drop_table('outlet_pairs')
    op.drop_index('ix_claim_spreads_sided', table_name='claim_spreads')
    op.drop_table('claim_spreads')
