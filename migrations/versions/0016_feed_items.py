"""feeds and feed_items: the RSS/Atom feeds `ingest-feed` polls, their validators, and the items seen

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 21:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('url_hash', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=1000), nullable=True),
        sa.Column('etag', sa.String(length=500), nullable=True),
        sa.Column('modified', sa.String(length=200), nullable=True),
        sa.Column('last_checked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_status', sa.String(length=500), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feeds')),
        sa.UniqueConstraint('url_hash', name=op.f('uq_feeds_url_hash')),
    )
    op.create_table(
        'feed_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('feed_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=2000), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('link', sa.String(length=2000), nullable=True),
        sa.Column('article_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('error', sa.String(length=1000), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('added', 'present', 'failed')", name=op.f('ck_feed_items_status')),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_feed_items_article_id_articles'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['feed_id'], ['feeds.id'], name=op.f('fk_feed_items_feed_id_feeds'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_items')),
        sa.UniqueConstraint('feed_id', 'key_hash', name='uq_feed_items_feed_id_key_hash'),
    )


def downgrade() -> None:
    op.drop_table('feed_items')
    op.drop_table('feeds')
