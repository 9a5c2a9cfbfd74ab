"""One engine factory so SQLite always runs with WAL, foreign keys and a busy timeout."""
from __future__ import annotations

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression


def normalize_url(url: str) -> str:
    """Let people write postgresql:// or postgres:// and still get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def is_sqlite(url: str) -> bool:
    return make_url(normalize_url(url)).get_backend_name() == "sqlite"


# How long a write waits for SQLite's one write lock before "database is locked" (then a 503).
# An ingest holds the lock for one short step at a time (domain/write_steps.py), so writers rarely
# wait at all; a minute covers a bulk job on a loaded machine (a merge, a large import). At 5 s a
# login behind a large ingest failed, back when an ingest held the lock for a whole article.
SQLITE_BUSY_TIMEOUT_MS = 60_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


#: What a request or a batch item refused for a busy database says (a 503 with Retry-After on the web).
BUSY_MESSAGE = "the database is busy with another write; try again in a few seconds"
BUSY_RETRY_AFTER_SECONDS = 5

# PostgreSQL SQLSTATEs of a wait given up: lock_not_available (lock_timeout, NOWAIT),
# deadlock_detected, serialization_failure, query_canceled (statement_timeout).
_PG_BUSY_STATES = frozenset({"55P03", "40P01", "40001", "57014"})


def is_busy_error(exc: BaseException) -> bool:
    """A write that gave up waiting for another one: SQLite's "database is locked" / "database
    table is locked" (busy_timeout ran out), or a PostgreSQL lock or statement timeout. Retrying
    later succeeds; nothing is wrong with the request itself."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlstate", None) in _PG_BUSY_STATES:
        return True
    message = str(orig).lower()
    return "database is locked" in message or "database table is locked" in message


#: What a request refused because the server is overloaded says (a 503 with Retry-After): it waited
#: its turn (Settings.request_queue_seconds) or a pooled connection (Settings.db_pool_timeout).
OVERLOADED_MESSAGE = "the server is busy with other requests; try again in a few seconds"


#: What a request whose query ran past Settings.db_statement_timeout is told (a 503 with Retry-After).
STATEMENT_TIMEOUT_MESSAGE = ("the database took too long on this request and stopped it; "
                             "narrow the filter or try again in a few seconds")


def is_statement_timeout(exc: BaseException) -> bool:
    """PostgreSQL cancelled the statement at statement_timeout (SQLSTATE 57014, query_canceled)."""
    return getattr(getattr(exc, "orig", exc), "sqlstate", None) == "57014"


def limit_statements(engine: Engine, seconds: float) -> None:
    """Every PostgreSQL connection of `engine` stops a statement after `seconds` (0: no limit).
    For the web app's engine: a request whose reader has gone (a closed tab, a proxy's timeout)
    would otherwise keep its query running on the server, holding a connection and a core.
    SQLite has no such setting; there a process runs at most max_concurrent_requests at once."""
    if seconds <= 0 or engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "connect")
    def _statement_timeout(dbapi_conn, _record) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        dbapi_conn.commit()  # a SET inside a transaction later rolled back would be undone


def pool_args(url: str, max_concurrent_requests: int, timeout: float) -> dict:
    """Connection pool sized to the requests a process runs at once (app/web/load.py bounds them):
    one connection each for the route's session, as many again for what a request may hold beside
    it (the access check's own session, a streamed download's reader). SQLAlchemy's default (5 + 10
    overflow, 30 s wait) under Starlette's 40 worker threads left 25 requests queued on the pool and
    failed them with a 500 after 30 s. An in-memory SQLite database keeps its one-connection pool."""
    parsed = make_url(normalize_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        return {}
    return {"pool_size": max_concurrent_requests, "max_overflow": max_concurrent_requests,
            "pool_timeout": timeout}


# SQLite pages a batch process (the `claimtracker` commands, ingest's worker processes) reads
# through a memory map instead of read() calls into its 2 MB page cache: an ingest's candidate
# queries walk the search index of a store of hundreds of MB, and each page missed in that cache
# was a system call and a copy (at 100,000 claims about a twentieth of an ingest's CPU time, more
# of its wall time on a busy machine). The map is the operating system's file cache, shared and
# given back under pressure, but counted in the process's resident memory: the web server keeps
# read() (its figure is measured against a memory target). SQLite's build caps the map (at just
# under 2 GiB here, SQLITE_MAX_MMAP_SIZE): a bigger file is read past it as before.
SQLITE_BATCH_MMAP_BYTES = 2 << 30


def _sqlite_batch_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA mmap_size={SQLITE_BATCH_MMAP_BYTES}")
    cur.close()


def make_engine(url: str, batch: bool = False, **kwargs) -> Engine:
    """`batch`: for a command-line or worker process, not the web server (see
    SQLITE_BATCH_MMAP_BYTES); no difference on PostgreSQL."""
    url = normalize_url(url)
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        if batch:
            event.listen(engine, "connect", _sqlite_batch_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def insert_ignoring_conflicts(session: Session, model, **values) -> None:
    """INSERT that yields to a row another writer just made (unique name or slug): both engines
    support ON CONFLICT DO NOTHING, so concurrent ingests never fail on a shared outlet or speaker."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


def run_ddl(bind, statements) -> None:
    """Run raw DDL on an engine (in its own transaction) or on a connection (in the caller's)."""
    from sqlalchemy import Engine, text

    if isinstance(bind, Engine):
        with bind.begin() as conn:
            run_ddl(conn, statements)
        return
    for stmt in statements:
        bind.execute(text(stmt))


def unindexed(col, off: bool = True):
    """`+col` when `off`: the same value, which SQLite's planner will not look up by an index.
    PostgreSQL knows a unary plus on numbers only: give it text columns only in SQLite's plans."""
    return UnaryExpression(col, operator=operators.custom_op("+"), type_=col.type) if off else col
