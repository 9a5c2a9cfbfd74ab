"""matching: suggestion scores, dismissed matches, speaker aliases, known-claim source

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 16:19:35.585461
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('speaker_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_speaker_aliases_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_aliases')),
    sa.UniqueConstraint('alias', name=op.f('uq_speaker_aliases_alias'))
    )
    with op.batch_alter_table('speaker_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaker_aliases_speaker_id'), ['speaker_id'], unique=False)

    op.create_table('dismissed_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_dismissed_matches_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_dismissed_matches_claim_id_claims'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dismissed_matches')),
    sa.UniqueConstraint('claim_id', 'article_id', 'start', 'end', name='uq_dismissed_matches_span')
    )
    with op.batch_alter_table('dismissed_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dismissed_matches_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dismissed_matches_claim_id'), ['claim_id'], unique=False)

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_url', sa.String(length=2000), nullable=True))

    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('score', sa.Float(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('mentions', schema=None) as batch_op:
        batch_op.drop_column('score')

    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_column('source_url')

    with op.batch_alter_table('dismissed_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dismissed_matches_claim_id'))
        batch_op.drop_index(batch_op.f('ix_dismissed_matches_article_id'))

    op.drop_table('dismissed_matches')
    with op.batch_alter_table('speaker_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_speaker_aliases_speaker_id'))

    op.drop_table('speaker_aliases')
