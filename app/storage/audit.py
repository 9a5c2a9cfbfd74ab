"""The audit log is append-only in the database itself, not only by convention: triggers refuse every
UPDATE and DELETE on `events` (and TRUNCATE on PostgreSQL), whoever sends them. A REVOKE would not
do: the application connects as the tables' owner.

The DDL is used by the Alembic migration and by the test fixtures (after `create_all`), like the
search index in app/storage/search.py. A batch-mode migration that rebuilds `events` on SQLite drops
its triggers: such a migration must call install_append_only_events again at its end.

Events carry no foreign keys, so deleting an article or a claim is never blocked by its history.
"""
from __future__ import annotations

from app.storage.engine import run_ddl

MESSAGE = "events are append-only"
PG_FUNCTION = "events_append_only"

_SQLITE_INSTALL = tuple(
    f"CREATE TRIGGER IF NOT EXISTS events_no_{op.lower()} BEFORE {op} ON events "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    for op in ("UPDATE", "DELETE"))
_SQLITE_UNINSTALL = ("DROP TRIGGER IF EXISTS events_no_update", "DROP TRIGGER IF EXISTS events_no_delete")

_PG_INSTALL = (
    f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$",
    "DROP TRIGGER IF EXISTS events_no_change ON events",
    "CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events "
    f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
    "DROP TRIGGER IF EXISTS events_no_truncate ON events",
    "CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
)
_PG_UNINSTALL = ("DROP TRIGGER IF EXISTS events_no_change ON events",
                 "DROP TRIGGER IF EXISTS events_no_truncate ON events",
                 f"DROP FUNCTION IF EXISTS {PG_FUNCTION}()")


def append_only_ddl(dialect_name: str) -> tuple[str, ...]:
    """Statements installing the guard (idempotent)."""
    return {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(dialect_name, ())


def drop_append_only_ddl(dialect_name: str) -> tuple[str, ...]:
    return {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(dialect_name, ())


def install_append_only_events(bind) -> None:
    """Guard `events` on the engine or connection's database. Needed after `create_all`."""
    run_ddl(bind, append_only_ddl(bind.dialect.name))


def uninstall_append_only_events(bind) -> None:
    run_ddl(bind, drop_append_only_ddl(bind.dialect.name))
