"""claims.stems: each claim's content stems (pipeline.matching.kept_claim_stems), kept so that
scoring a candidate claim the in-process cache has lost reads them instead of cutting and stemming
its text again (at 1,000,000 claims nearly every candidate of an ingested article; issue 13).
Filled here for the claims stored before, a few hundred at a time; a claim whose stems are of
another version (a change to stem()) is scored from its text, as before.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 02:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.pipeline.matching import kept_claim_stems

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    op.add_column('claims', sa.Column('stems', sa.Text(), nullable=True))
    claims = sa.table('claims', sa.column('id', sa.Integer), sa.column('text', sa.Text),
                      sa.column('stems', sa.Text))
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.select(claims.c.id, claims.c.text).where(claims.c.id > last)
                            .order_by(claims.c.id).limit(_BATCH)).all()
        if not rows:
            break
        bind.execute(claims.update().where(claims.c.id == sa.bindparam("key"))
                     .values(stems=sa.bindparam("kept")),
                     [{"key": i, "kept": kept_claim_stems(text)} for i, text in rows])
        last = rows[-1][0]


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN on both engines (SQLite >= 3.35): no rebuild of claims, whose
    # triggers (the search index's) a batch rebuild would drop.
    op.drop_column('claims', 'stems')
