"""PostgreSQL: claims keep their tsvector in a generated column with a GIN index (was an expression index)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 17:30:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import search_index_ddl

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent DDL shared with the test fixtures: adds the column and its index, drops the old one.
    if op.get_context().dialect.name == "postgresql":
        for statement in search_index_ddl("postgresql", with_title=False, words_only=False, joined=False):
            op.execute(statement)


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_claims_tsv")
        op.execute("ALTER TABLE claims DROP COLUMN IF EXISTS text_tsv")
        op.execute("CREATE INDEX IF NOT EXISTS ix_claims_text_tsv ON claims USING gin (to_tsvector('simple', text))")
