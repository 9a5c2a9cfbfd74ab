"""Copy a whole store into another database: `claimtracker db copy --to postgresql+psycopg://...`.

Why: a team starts on the SQLite file and moves to PostgreSQL when it outgrows one machine. The
move must keep every id (a claim's permalink is its id), every row of every table, and leave the
target serving exactly as the source did. So the target is migrated to the newest schema by the
same migrations, every table the models declare is copied row by row with its ids (parents before
children), columns that point into their own table (a merged claim or speaker points at the one it
was merged into, which may come later) are filled in a second pass, and on PostgreSQL each id
sequence is moved past the highest copied id. What each engine derives by itself (the full-text
index: FTS5 triggers on SQLite, a generated column on PostgreSQL) is left to it.

All of it runs in one target transaction: a copy that fails leaves the target as empty as it was.
The source is only read. Both must be at the newest schema (the target is migrated here; the source
is never changed behind its owner's back: `claimtracker db upgrade` first).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import DateTime, Table, bindparam, func, select, text
from sqlalchemy.engine import Connection

from app.storage.engine import is_sqlite, make_engine, run_ddl
from app.storage.migrate import upgrade
from app.storage.models import Base, as_utc
from app.storage.search import article_index_ddl, drop_gin_indexes_ddl, search_index_ddl

BATCH = 1000


class CopyError(Exception):
    """The copy cannot start or did not finish; the message says why, the target is unchanged."""


@dataclass(frozen=True, slots=True)
class CopyReport:
    rows: dict[str, int]          # table -> rows copied (and counted again in the target)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def copy_database(source_url: str, target_url: str,
                  progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy every table of the store at source_url into the empty database at target_url."""
    if _same_database(source_url, target_url):
        raise CopyError("the source and the target are the same database")
    source, target = make_engine(source_url), make_engine(target_url)
    try:
        with source.connect() as src:
            _check_source(src)
            upgrade(target_url)
            with target.begin() as dst:
                _check_empty(dst)
                postgres = not is_sqlite(target_url)
                if postgres:   # built once from the copied rows: far cheaper than row by row
                    run_ddl(dst, drop_gin_indexes_ddl())
                rows = {}
                for table in Base.metadata.sorted_tables:
                    rows[table.name] = _copy_table(src, dst, table)
                    if progress is not None:
                        progress(table.name, rows[table.name])
                if postgres:
                    run_ddl(dst, search_index_ddl("postgresql") + article_index_ddl("postgresql"))
                    _move_sequences(dst)
                _verify(dst, rows)
                # Statistics for the planner, in the same transaction: a freshly copied
                # PostgreSQL database has none until autovacuum gets to it, and meanwhile the
                # claims list filtered by outlet and status took over 200 s at 100k claims
                # (1.2 s after ANALYZE).
                dst.execute(text("ANALYZE"))
        return CopyReport(rows)
    finally:
        source.dispose()
        target.dispose()


def _same_database(a: str, b: str) -> bool:
    from sqlalchemy.engine import make_url

    return make_url(a).render_as_string(hide_password=False) == make_url(b).render_as_string(hide_password=False)


def _check_source(src: Connection) -> None:
    from app.storage.migrate import schema_versions

    current, head = schema_versions(src)
    if current is None:
        raise CopyError("the source holds no claimtracker store (no schema version)")
    if current != head:
        raise CopyError(f"the source is at schema {current}, not the newest ({head}): "
                        "run `claimtracker db upgrade` on it first")


def _check_empty(dst: Connection) -> None:
    held = {t.name: n for t in Base.metadata.sorted_tables
            if (n := dst.scalar(select(func.count()).select_from(t)))}
    if held:
        listed = ", ".join(f"{n} {name}" for name, n in sorted(held.items()))
        raise CopyError(f"the target already holds data ({listed}): copy only into an empty database")


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _copy_table(src: Connection, dst: Connection, table: Table) -> int:
    later = _self_references(table)
    times = [c.name for c in table.columns if isinstance(c.type, DateTime) and c.type.timezone]
    pk = list(table.primary_key.columns)
    result = src.execution_options(stream_results=True, yield_per=BATCH).execute(
        select(table).order_by(*pk))
    copied, pending = 0, []
    for chunk in result.mappings().partitions(BATCH):
        rows = [dict(r) for r in chunk]
        for row in rows:
            for c in times:
                row[c] = as_utc(row[c])   # SQLite keeps no zone; PostgreSQL answers in the session's
            if any(row.get(c) is not None for c in later):
                pending.append({"_pk": row[pk[0].name], **{c: row[c] for c in later}})
                row.update({c: None for c in later})
        dst.execute(table.insert(), rows)
        copied += len(rows)
    if pending:   # a merged row points at a row copied after it: set the pointers now
        key = pk[0]
        update = table.update().where(key == bindparam("_pk")).values({c: bindparam(c) for c in later})
        for at in range(0, len(pending), BATCH):
            dst.execute(update, pending[at:at + BATCH])
    return copied


def _move_sequences(dst: Connection) -> None:
    """Each id sequence past the highest id copied, so the next row made in the app gets a new id."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if not column.autoincrement or column.type.python_type is not int:
                continue
            sequence = dst.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                  {"t": table.name, "c": column.name})
            if sequence is None:
                continue
            highest = dst.scalar(select(func.max(column)))
            dst.execute(text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
                        {"s": sequence, "v": highest or 1, "called": highest is not None})


def _verify(dst: Connection, rows: dict[str, int]) -> None:
    for table in Base.metadata.sorted_tables:
        have = dst.scalar(select(func.count()).select_from(table))
        if have != rows[table.name]:
            raise CopyError(f"{table.name}: {rows[table.name]} rows read but {have} in the target")
