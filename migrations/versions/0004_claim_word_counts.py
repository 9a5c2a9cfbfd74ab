"""claim word counts for matching: an fts5vocab table over the claim index (SQLite only)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:00:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import SQLITE_VOCAB_DDL, VOCAB_TABLE

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Databases made at 0002 before the vocabulary table existed get it here (idempotent).
    if op.get_context().dialect.name == "sqlite":
        op.execute(SQLITE_VOCAB_DDL)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute(f"DROP TABLE IF EXISTS {VOCAB_TABLE}")
