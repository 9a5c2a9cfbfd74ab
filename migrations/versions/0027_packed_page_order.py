"""claim_spreads.page: a big claim's mention order stored as one packed string
(mentions.pack_ids: 8 hex digits an id) instead of a JSON list of every id, so loading the plan
decodes one string and the claim page decodes only its page's slice (mentions.unpack_ids). The
stored plans are worked out again here, through the code that keeps them after.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 20:45:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sqlalchemy.orm import Session

    from app.domain.spread_summary import refresh_page_plans

    refresh_page_plans(Session(bind=op.get_bind()))


def downgrade() -> None:
    """0026's code reads the order as a list: the plans are dropped (the claim page then reads the
    mentions, as before 0024) rather than left in a form it cannot read."""
    op.execute("UPDATE claim_spreads SET page = NULL")
