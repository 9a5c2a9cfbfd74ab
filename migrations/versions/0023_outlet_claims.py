"""outlet_claims: which side (repeats, contradicts) each outlet takes on each claim counted in
outlet_pairs, kept with it by app/domain/spread_summary.py, so a matrix cell walks two outlets'
claims newest first and stops at its page instead of reading every mention of both outlets, and a
matrix filtered by tag or speaker reads its claims' sides. Filled here from claim_spreads (the
sides 0022 stored for every counted claim).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 07:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

_FILL = {
    "sqlite": ("INSERT INTO outlet_claims (outlet_id, side, claim_id) "
               "SELECT CAST(j.value AS INTEGER), :side, s.claim_id "
               "FROM claim_spreads AS s, json_each(s.outlets, '$.' || :side) AS j WHERE s.sided "
               "ORDER BY 1, 3"),
    "postgresql": ("INSERT INTO outlet_claims (outlet_id, side, claim_id) "
                   "SELECT CAST(j.value AS INTEGER), :side, s.claim_id "
                   "FROM claim_spreads AS s, json_array_elements_text(s.outlets -> :side) AS j WHERE s.sided "
                   "ORDER BY 1, 3"),
}


def upgrade() -> None:
    op.create_table(
        'outlet_claims',
        sa.Column('outlet_id', sa.Integer(), nullable=False),
        sa.Column('side', sa.String(length=16), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['outlet_id'], ['outlets.id'], name='fk_outlet_claims_outlet_id_outlets',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name='fk_outlet_claims_claim_id_claims',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('outlet_id', 'side', 'claim_id', name='pk_outlet_claims'),
    )
    bind = op.get_bind()
    for side in ("repeats", "contradicts"):
        bind.execute(sa.text(_FILL[bind.dialect.name]), {"side": side})
    # After the fill: one sorted build instead of an index grown by random inserts.
    op.create_index('ix_outlet_claims_claim_id', 'outlet_claims', ['claim_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outlet_claims_claim_id', table_name='outlet_claims')
    op.drop_table('outlet_claims')
