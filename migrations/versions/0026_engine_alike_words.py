"""PostgreSQL's search columns (claims.text_tsv, articles.text_tsv) hold the words FTS5 holds on
SQLite: the text with punctuation read as spaces and diacritics folded (storage.search,
_pg_words). Before, PostgreSQL's parser kept hyphenated compounds beside their parts ('open-berth',
'open', 'berth'), so the claims' vocabulary counted a compound's first part twice and a hyphenated
claim word weighed less than on SQLite (matching scored differently on the two engines); it read
'3.5', '-19', 'u.s' or 'example.com' as single words that a search for their parts never found;
and it kept 'café' apart from 'cafe'. The generated columns are rebuilt (an expression cannot be
altered in place), which reads every claim and article again. SQLite: nothing to do.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 20:10:00.000000
"""
from __future__ import annotations

from alembic import op

from app.storage.search import (
    article_index_ddl,
    drop_article_index_ddl,
    drop_search_index_ddl,
    search_index_ddl,
)

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def _reindex(words_only: bool) -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for statement in (drop_search_index_ddl("postgresql") + search_index_ddl("postgresql", words_only=words_only, joined=False)
                      + drop_article_index_ddl("postgresql")
                      + article_index_ddl("postgresql", words_only=words_only, joined=False)):
        op.execute(statement)


def upgrade() -> None:
    _reindex(words_only=True)


def downgrade() -> None:
    _reindex(words_only=False)
