"""Both search indexes hold the words the matcher reads (pipeline.words): a hyphenated prefix joined
to its word ("multi-polar", "Anti-war", "co-operation" as 'multipolar', 'antiwar', 'cooperation')
and combining marks kept in theirs (Devanagari vowel signs, Hebrew points, Arabic harakat).

Before, both indexes held 'multi' and 'polar', so a search for "multipolar" missed "multi-polar"
and a candidate query asked for a word no index held; FTS5 cut "हिन्दी" at its vowel signs where
PostgreSQL kept it whole, and PostgreSQL's canonical decomposition reordered the marks of an Arabic
letter that FTS5 kept as written. SQLite: the FTS5 indexes are made again, contentless (the
triggers hand them the joined texts; see storage.search._fts5_install) with marks as word
characters. PostgreSQL: the generated tsvector columns are rebuilt. Both read every claim and
article again. The articles' kept window stems (0021) are worked out again with the matcher's new
words, a few hundred articles at a time (domain.matching.WINDOW_STEMS_VERSION "2"; stems of
version "1" would be ignored and made from the text at every matching back).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 23:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.domain.matching import window_stems_text

from app.storage.search import (
    article_index_ddl,
    drop_article_index_ddl,
    drop_search_index_ddl,
    search_index_ddl,
)

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def _reindex(joined: bool) -> None:
    dialect = op.get_context().dialect.name
    # every precomposed letter folded on PostgreSQL, Greek and Cyrillic too, as until 0033
    for statement in (drop_search_index_ddl(dialect) + search_index_ddl(dialect, joined=joined, latin_only=False)
                      + drop_article_index_ddl(dialect)
                      + article_index_ddl(dialect, joined=joined, latin_only=False)):
        op.execute(statement)


_BATCH = 500


def _refill_window_stems() -> None:
    articles = sa.table('articles', sa.column('id', sa.Integer), sa.column('text', sa.Text),
                        sa.column('window_stems', sa.Text))
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(sa.select(articles.c.id, articles.c.text).where(articles.c.id > last)
                            .order_by(articles.c.id).limit(_BATCH)).all()
        if not rows:
            break
        bind.execute(articles.update().where(articles.c.id == sa.bindparam("key"))
                     .values(window_stems=sa.bindparam("stems")),
                     [{"key": i, "stems": window_stems_text(text)} for i, text in rows])
        last = rows[-1][0]


def upgrade() -> None:
    _reindex(joined=True)
    _refill_window_stems()


def downgrade() -> None:
    _reindex(joined=False)   # window stems of version "2" are ignored by the code of before: kept
