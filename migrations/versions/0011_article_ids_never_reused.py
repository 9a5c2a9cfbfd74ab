"""article ids are never reused on SQLite (AUTOINCREMENT): admins can now delete an article

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 07:40:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import article_index_ddl

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _rebuild(autoincrement: bool) -> None:
    # SQLite cannot alter a primary key in place: batch mode copies the table into a new one
    # (migrations/env.py switches foreign keys off around it, or the copy would cascade-delete every
    # quote and mention). The copy loses the triggers of the article search index: they are put back.
    if op.get_context().dialect.name != "sqlite":
        return  # PostgreSQL sequences never hand out an id twice
    with op.batch_alter_table("articles", recreate="always",
                              table_kwargs={"sqlite_autoincrement": autoincrement}):
        pass
    for statement in article_index_ddl("sqlite", joined=False):
        op.execute(statement)


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
