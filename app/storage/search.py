"""One search API for claims whatever the engine: FTS5 on SQLite, a tsvector GIN index on PostgreSQL.

Everything engine-specific about claim search lives here: the DDL of the index (used by the Alembic
migration and by the test fixtures), the objects schema comparison must ignore, and the WHERE clause.

The user's query is never passed through as query syntax: it is cut into word tokens (runs of letters
and digits) and rebuilt, so quotes, *, -, NEAR, parentheses or operators in the input are just
separators. All words must match (AND) and the last one matches as a prefix, so a search box that
filters as you type works ("fully implem" finds "fully implement").

Migrations: a batch-mode migration that rebuilds the `claims` table on SQLite drops the triggers
that keep claims_fts in step; such a migration must call install_search_index again at its end.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import ColumnElement, String, and_, bindparam, func, literal_column, select, table, true
from sqlalchemy import text as sql_text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import Boolean

from app.storage.models import Claim

MAX_TOKENS = 16
MAX_TOKEN_CHARS = 100

FTS_TABLE = "claims_fts"
# The FTS5 virtual table and the shadow tables SQLite creates for it.
FTS_TABLES = frozenset({FTS_TABLE} | {f"{FTS_TABLE}_{s}" for s in ("data", "idx", "docsize", "config")})
PG_INDEX = "ix_claims_text_tsv"

_WORD = re.compile(r"[^\W_]+")

_SQLITE_INSTALL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text, content='claims', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON claims BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON claims BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF id, text ON claims BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.id, old.text); "
    f"INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.id, new.text); END",
    # Index whatever rows already exist (external content: rebuild reads them from claims).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
_SQLITE_UNINSTALL = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
_PG_INSTALL = (
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON claims USING gin (to_tsvector('simple', text))",
)
_PG_UNINSTALL = (f"DROP INDEX IF EXISTS {PG_INDEX}",)


def search_index_ddl(dialect_name: str) -> tuple[str, ...]:
    """Statements creating the claim search index (idempotent; backfills existing rows)."""
    return {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(dialect_name, ())


def drop_search_index_ddl(dialect_name: str) -> tuple[str, ...]:
    return {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(dialect_name, ())


def _run(bind, statements) -> None:
    from sqlalchemy import Engine, text

    if isinstance(bind, Engine):
        with bind.begin() as conn:
            _run(conn, statements)
        return
    for stmt in statements:
        bind.execute(text(stmt))


def install_search_index(bind) -> None:
    """Create the index for the engine or connection's dialect. Needed after `create_all`."""
    _run(bind, search_index_ddl(bind.dialect.name))


def uninstall_search_index(bind) -> None:
    _run(bind, drop_search_index_ddl(bind.dialect.name))


def include_name(name, type_, parent_names) -> bool:
    """Alembic hook: schema comparison ignores the search index, which the models do not describe."""
    if type_ == "table" and name in FTS_TABLES:
        return False
    if type_ == "index" and name == PG_INDEX:
        return False
    return True


def query_tokens(q: str | None) -> list[str]:
    """The words of a user's query, lower-cased: letters and digits only, never query syntax."""
    text = unicodedata.normalize("NFKC", q or "")
    return [w[:MAX_TOKEN_CHARS].lower() for w in _WORD.findall(text)][:MAX_TOKENS]


def fts5_query(tokens: list[str]) -> str:
    """`"word" AND "prefix"*`: each token quoted, so FTS5 never reads it as syntax."""
    parts = [f'"{t}"' for t in tokens]
    parts[-1] += "*"
    return " AND ".join(parts)


def tsquery(tokens: list[str]) -> str:
    """`'word' & 'prefix':*` for to_tsquery: each token quoted, so it is never read as an operator."""
    parts = [f"'{t}'" for t in tokens]
    parts[-1] += ":*"
    return " & ".join(parts)


class _ClaimTextMatch(ColumnElement[bool]):
    """Rendered per dialect at compile time, so callers need not know the engine."""

    type = Boolean()
    _is_implicitly_boolean = True  # a predicate: SQLite must not render it as `... = 1`
    inherit_cache = False  # the rendering depends on the query words: do not cache it

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens


@compiles(_ClaimTextMatch, "sqlite")
def _compile_sqlite(element, compiler, **kw):
    fts = table(FTS_TABLE)
    match = literal_column(FTS_TABLE).op("MATCH")(bindparam(None, fts5_query(element.tokens), type_=String))
    rows = select(literal_column("rowid")).select_from(fts).where(match)
    return compiler.process(Claim.id.in_(rows), **kw)


@compiles(_ClaimTextMatch, "postgresql")
def _compile_postgresql(element, compiler, **kw):
    simple = literal_column("'simple'")
    expr = func.to_tsvector(simple, Claim.text).op("@@")(
        func.to_tsquery(simple, bindparam(None, tsquery(element.tokens), type_=String)))
    return compiler.process(expr, **kw)


@compiles(_ClaimTextMatch)
def _compile_other(element, compiler, **kw):
    """No index elsewhere: the same words, as substrings."""
    return compiler.process(and_(*(Claim.text.ilike(f"%{t}%") for t in element.tokens)), **kw)


def claim_text_matches(q: str) -> ColumnElement[bool]:
    """Every word of the query appears in the claim text (the last as a prefix), case-insensitively.

    A query without any word (only punctuation) does not filter."""
    tokens = query_tokens(q)
    if not tokens:
        return true()
    return _ClaimTextMatch(tokens)


def _candidate_sql(dialect: str) -> str:
    if dialect == "sqlite":
        # Rank inside the FTS table alone (fast path of FTS5), filter merged claims afterwards.
        return (f"SELECT c.id, c.text FROM (SELECT rowid AS id FROM {FTS_TABLE} "
                f"WHERE {FTS_TABLE} MATCH :q ORDER BY rank LIMIT :n) AS hit "
                "JOIN claims AS c ON c.id = hit.id WHERE c.merged_into_id IS NULL")
    if dialect == "postgresql":
        return ("SELECT id, text FROM claims WHERE to_tsvector('simple', text) @@ to_tsquery('simple', :q) "
                "AND merged_into_id IS NULL ORDER BY ts_rank(to_tsvector('simple', text), "
                "to_tsquery('simple', :q)) DESC, id LIMIT :n")
    raise NotImplementedError(f"no claim search index for {dialect}")


def claim_candidates(session, terms: list[str], limit: int) -> list[tuple[int, str]]:
    """(id, text) of live claims sharing any of the terms as a word prefix, best ranked first.

    Terms are stems from app.pipeline.matching; they are reduced to letters and digits here so
    nothing in an article can be read as query syntax."""
    words = [w for w in (query_tokens(t) for t in terms) if w]
    clean = list(dict.fromkeys(w[0] for w in words))
    if not clean:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        q = " OR ".join(f'"{t}"*' for t in clean)
    else:
        q = " | ".join(f"'{t}':*" for t in clean)
    rows = session.execute(sql_text(_candidate_sql(dialect)), {"q": q, "n": limit})
    return [(row[0], row[1]) for row in rows]
