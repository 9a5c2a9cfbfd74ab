"""passages: hashed 8-word runs of articles' own sentences (copied passages across outlets); queue index on mentions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 17:01:00.960782
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('passage_shingles',
    sa.Column('hash', sa.BigInteger(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_passage_shingles_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('hash', 'article_id', 'start', name=op.f('pk_passage_shingles'))
    )
    with op.batch_alter_table('passage_shingles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_passage_shingles_article_id'), ['article_id'], unique=False)

    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.create_index('ix_mentions_origin_score', ['origin', 'score'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_mentions_origin_score')

    with op.batch_alter_table('passage_shingles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_passage_shingles_article_id'))

    op.drop_table('passage_shingles')
