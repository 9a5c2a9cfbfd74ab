"""claim_spreads.page: a big claim's plan keeps where the timeline places each confirmed dated
mention ("placed", spread.pack_placed), so the page of a reader who also sees the claim's
suggestions draws them without reading every mention (spread.suggested_spread); and its grouped
timeline is worked out with the marks of a unit centred on it, the units that give them room
beside each other, spans of years past a year, and fewer rows when even a decade passes the mark
budget (timeline.timeline_plan). The stored plans are worked out again here, through the code that
keeps them after.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 22:50:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sqlalchemy.orm import Session

    from app.domain.spread_summary import refresh_page_plans

    refresh_page_plans(Session(bind=op.get_bind()))


def downgrade() -> None:
    """0027's code does not know the spans of years a plan may now be grouped by: the plans are
    dropped (the claim page then reads the mentions, as before 0024) rather than left in a form it
    cannot draw."""
    op.execute("UPDATE claim_spreads SET page = NULL")
