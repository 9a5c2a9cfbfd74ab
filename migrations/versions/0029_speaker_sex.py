"""speakers.sex: what articles told of a speaker's sex ("f", "m"; NULL when nothing did), from an
honorific ("Mrs. Obama") or a "he"/"she" that names them, so a lone "Mr. Obama" in a later
article never joins a stored "Michelle Obama" (app/domain/people.py). Existing rows stay NULL:
nothing was stored to tell it by.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 23:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("speakers") as batch:
        batch.add_column(sa.Column("sex", sa.String(1), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("speakers") as batch:
        batch.drop_column("sex")
