"""events are append-only in the database: triggers refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 18:00:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.audit import append_only_ddl, drop_append_only_ddl

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent DDL shared with the test fixtures.
    for statement in append_only_ddl(op.get_context().dialect.name):
        op.execute(statement)


def downgrade() -> None:
    for statement in drop_append_only_ddl(op.get_context().dialect.name):
        op.execute(statement)
