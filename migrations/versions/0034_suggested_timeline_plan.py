"""claim_spreads.page: a big claim's plan with suggestions waiting also keeps the timeline a reader
who sees them gets ("suggested", spread_summary.suggested_plan), with the suggestions it was
worked out with, so that page draws the picture from the plan instead of laying out every mention
on each load. The stored plans are worked out again here, through the code that keeps them after.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 08:40:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sqlalchemy.orm import Session

    from app.domain.spread_summary import refresh_page_plans

    refresh_page_plans(Session(bind=op.get_bind()))


def downgrade() -> None:
    """0033's code reads a plan without its "suggested" key and ignores it: nothing to undo."""
