"""PostgreSQL's search indexes fold the diacritics of Latin letters only, as FTS5's unicode61 does
(app/storage/search.py, _FTS5_KEEPS): 'ά', 'ё' and 'й' stay as written.

Before, the query words and PostgreSQL's index folded every precomposed letter, Greek and Cyrillic
too, while FTS5 keeps those: on SQLite a search or a candidate query for a Greek word with an
accent or a Russian word with 'й' ("который") found nothing, on PostgreSQL it found the claim.
The query side changed in the code; SQLite's index holds the same words as before and is left
alone; PostgreSQL's generated tsvector columns are made again (every claim and article read).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 05:50:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import (
    article_index_ddl,
    drop_article_index_ddl,
    drop_search_index_ddl,
    search_index_ddl,
)

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def _reindex(latin_only: bool) -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for statement in (drop_search_index_ddl("postgresql") + search_index_ddl("postgresql", latin_only=latin_only)
                      + drop_article_index_ddl("postgresql")
                      + article_index_ddl("postgresql", latin_only=latin_only)):
        op.execute(statement)


def upgrade() -> None:
    _reindex(latin_only=True)


def downgrade() -> None:
    _reindex(latin_only=False)
