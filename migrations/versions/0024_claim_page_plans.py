"""claim_spreads.page: what the claim page draws of a big claim (past spread.READ_WHOLE confirmed
mentions): the mention list's order, the first renderings, the timeline's marks and the undated
mentions (spread_summary.page_plan), kept with the rest of the summary whenever the claim's mentions
change, so a claim with 2,000 mentions renders its page without reading them all. Filled here for
the big claims of a stored archive.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 17:20:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

FILL_CHUNK = 500


def upgrade() -> None:
    with op.batch_alter_table('claim_spreads') as batch:
        batch.add_column(sa.Column('page', sa.JSON(none_as_null=True), nullable=True))
    _fill()


def _fill() -> None:
    """The claims past READ_WHOLE confirmed mentions, through the code that keeps them after."""
    from sqlalchemy.orm import Session

    from app.domain.spread import READ_WHOLE
    from app.domain.spread_summary import refresh_spreads

    session = Session(bind=op.get_bind())
    ids = list(session.scalars(sa.text("SELECT claim_id FROM claim_spreads WHERE linked > :n ORDER BY claim_id"),
                               {"n": READ_WHOLE}))
    for at in range(0, len(ids), FILL_CHUNK):
        refresh_spreads(session, ids[at:at + FILL_CHUNK])
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('claim_spreads') as batch:
        batch.drop_column('page')
