"""Covering indexes for the claims list's spread columns (issue 13): mentions by (claim_id, origin,
stance, article_id), replacing the plain claim_id index, and articles by (id, outlet_id, published),
so the outlets per stance of a page of claims are counted from two indexes instead of every
mention's row and every article's 4 KB row

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 03:40:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_mentions_claim_spread', 'mentions', ['claim_id', 'origin', 'stance', 'article_id'])
    op.drop_index('ix_mentions_claim_id', table_name='mentions')
    op.create_index('ix_articles_spread', 'articles', ['id', 'outlet_id', 'published'])


def downgrade() -> None:
    op.drop_index('ix_articles_spread', table_name='articles')
    op.create_index('ix_mentions_claim_id', 'mentions', ['claim_id'])
    op.drop_index('ix_mentions_claim_spread', table_name='mentions')
