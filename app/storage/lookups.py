"""The lookups matching runs for every quote statement and passage, sent straight to the driver.

Why not SQLAlchemy statements: these run once per statement and sentence of every ingested article
and once per quote in the matching benchmark; building and expanding the ORM statement (a list of
hashes that changes length every call) cost three times what the database took (0.9 ms against
0.3 ms a quote at 100,000 claims). The SQL is the same as the models describe; a list of hashes
travels as one parameter (a JSON array on SQLite, an array on PostgreSQL), so the text never changes.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache

_NAMED = re.compile(r"(?<![:\w]):(\w+)")

_SAME_WORDS = "SELECT id, merged_into_id FROM claims WHERE norm_hash = :norm ORDER BY id LIMIT 20"
_MOST_SHARED = ("SELECT c.id, c.merged_into_id FROM claims AS c JOIN ("
                "SELECT claim_id, count(*) AS n FROM claim_shingles WHERE hash {members} "
                "GROUP BY claim_id ORDER BY count(*) DESC, claim_id LIMIT 20) AS ranked "
                "ON ranked.claim_id = c.id ORDER BY ranked.n DESC, c.id")


def members(dialect: str, name: str) -> str:
    """"IN" a list of values given as one parameter `name` (list_value): a JSON array on SQLite, an
    array on PostgreSQL, so the statement's text never changes with the list's length."""
    return f"IN (SELECT value FROM json_each(:{name}))" if dialect == "sqlite" else f"= ANY(:{name})"


def list_value(dialect: str, values) -> str | list:
    """The parameter `members` reads: `values` as a JSON array on SQLite, a list on PostgreSQL."""
    return json.dumps(list(values)) if dialect == "sqlite" else list(values)


MEMBERS = {dialect: members(dialect, "hashes") for dialect in ("sqlite", "postgresql")}


def driver_rows(session, sql: str, params: dict) -> list[tuple]:
    """Rows of `sql` written with :name parameters (sqlite3 reads them as they are; psycopg is
    given %(name)s), after flushing what the session holds: these reads must see the claims and
    shingles this transaction added a moment ago, as an ORM query would. The statement goes to a
    cursor of the session's own DBAPI connection (same transaction): SQLAlchemy's result wrapping
    cost ~0.1 ms a lookup, a tenth of a quote's budget."""
    session.flush()
    conn = session.connection()
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql if conn.dialect.name == "sqlite" else _pyformat(sql), params)
        return cursor.fetchall()
    finally:
        cursor.close()


def driver_insert_many(session, table, rows: list[dict]) -> None:
    """Plain rows into `table` (a Table; each row a dict of all the same columns) in one executemany
    of the session's own DBAPI connection (same transaction): for rows nothing reads back as
    objects (shingles). SQLAlchemy's insertmanyvalues processed each row's parameters in Python
    (a tenth of a millisecond a dozen rows), four times what SQLite took to store them."""
    if not rows:
        return
    conn = session.connection()
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(_insert_sql(table.name, tuple(rows[0]), conn.dialect.name),
                           [tuple(r.values()) for r in rows])
    finally:
        cursor.close()


@lru_cache(maxsize=64)
def _insert_sql(table: str, columns: tuple[str, ...], dialect: str) -> str:
    mark = "?" if dialect == "sqlite" else "%s"
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join([mark] * len(columns))})'


def index_rows(session, sql: str, params: dict) -> list[tuple]:
    """driver_rows for a full-text candidate query that must walk its GIN index (PostgreSQL).

    The planner costs `tsvector @@ tsquery` like a cheap operator and never counts reading a
    TOASTed tsvector back, so once a word is in a few percent of the rows (a small store, or a
    common word among an article's rarest) it scans the whole table instead: an article query of
    six words read all 1,111 articles' tsvectors six times (171 ms against 2 ms through the index,
    10k claims); a claim query tested each of 10,000 rows against seven prefixes (26 against
    0.4 ms). Sequential scans are switched off for this statement only (set_config(..., true) is
    the transaction's, so the old value is put back after); SQLite has no such choice to make."""
    if session.get_bind().dialect.name != "postgresql":
        return driver_rows(session, sql, params)
    session.flush()
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute("SELECT current_setting('enable_seqscan'), set_config('enable_seqscan', 'off', true)")
        before = cursor.fetchone()[0]
        try:
            cursor.execute(_pyformat(sql), params)
            return cursor.fetchall()
        finally:
            cursor.execute("SELECT set_config('enable_seqscan', %(v)s, true)", {"v": before})
    finally:
        cursor.close()


@lru_cache(maxsize=256)
def _pyformat(sql: str) -> str:
    return _NAMED.sub(r"%(\1)s", sql)


def _first_live(rows: list[tuple]) -> int | None:
    return next((cid for cid, merged in rows if merged is None), None)


def live_claim_with_words(session, norm_hash: int) -> int | None:
    """The oldest live claim whose normalized words hash to `norm_hash`."""
    return _first_live(driver_rows(session, _SAME_WORDS, {"norm": norm_hash}))


def live_claim_sharing_most(session, hashes: list[int]) -> int | None:
    """The live claim sharing most of these shingle hashes (ties: the oldest). Liveness is checked
    on the 20 best rows, not in the lookup: see find_matching_claim."""
    if not hashes:
        return None
    dialect = session.get_bind().dialect.name
    value = json.dumps(hashes) if dialect == "sqlite" else hashes
    return _first_live(driver_rows(session, _MOST_SHARED.format(members=MEMBERS[dialect]), {"hashes": value}))
