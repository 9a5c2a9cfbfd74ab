"""claim_spreads.page: a big claim's timeline grouped (one mark per outlet, stance and day, week or
month, with its count; app/domain/timeline_bins.py) instead of a few hundred marks picked one per
spot, so the claim page draws it from the plan without reading the mentions. The stored plans are
worked out again here, through the code that keeps them after.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 19:50:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sqlalchemy.orm import Session

    from app.domain.spread_summary import refresh_page_plans

    refresh_page_plans(Session(bind=op.get_bind()))


def downgrade() -> None:
    """The plans of 0024's code are not kept: a downgrade leaves them grouped, which that code
    cannot read, so they are dropped (the claim page then reads the mentions, as before 0024)."""
    op.execute("UPDATE claim_spreads SET page = NULL")
