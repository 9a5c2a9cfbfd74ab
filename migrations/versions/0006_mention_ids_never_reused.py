"""mention ids are never reused on SQLite: AUTOINCREMENT on mentions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 17:20:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _rebuild(autoincrement: bool) -> None:
    # SQLite cannot alter a primary key in place: batch mode copies the table into a new one.
    if op.get_context().dialect.name != "sqlite":
        return  # PostgreSQL sequences never hand out an id twice
    with op.batch_alter_table("mentions", recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
