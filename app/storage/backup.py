"""A consistent copy of a live SQLite database, taken while the app keeps writing.

Copying the file with `cp` can catch it half-written, and misses what still sits in the -wal file.
SQLite's online backup API copies every page inside one read transaction: in WAL mode writers go on
while it runs, and the copy is the database exactly as of one commit. The copy is written beside
the destination under a temporary name, checked with PRAGMA integrity_check, and only then renamed
into place, so a failed backup never leaves a half-written file where a good one was expected.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app.storage.engine import is_sqlite, normalize_url


class BackupError(Exception):
    """A backup that cannot be taken; the message says why, for a person."""


@dataclass(frozen=True)
class BackupResult:
    source: Path
    path: Path
    size: int
    integrity: str          # "ok", or the first problems PRAGMA integrity_check found


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite URL; BackupError for PostgreSQL or an in-memory database."""
    if not is_sqlite(database_url):
        raise BackupError("backup copies SQLite databases only; for PostgreSQL use pg_dump, e.g. "
                          "pg_dump --format=custom --file=claimtracker.dump DATABASE_URL")
    name = make_url(normalize_url(database_url)).database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        raise BackupError("an in-memory database has nothing to back up")
    return Path(name)


def backup_sqlite(database_url: str, dest: Path, force: bool = False) -> BackupResult:
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    dest = Path(dest)
    if dest.exists() and not force:
        raise BackupError(f"{dest} exists; pass --force to replace it")
    if dest.exists() and dest.resolve() == source.resolve():
        raise BackupError("the backup cannot replace the database it copies")
    if not dest.parent.is_dir():
        raise BackupError(f"no folder {dest.parent}")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    try:
        integrity = _copy(source, tmp)
        if integrity != "ok":
            raise BackupError(f"the copy failed PRAGMA integrity_check: {integrity}")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(source, dest, dest.stat().st_size, integrity)


def _copy(source: Path, tmp: Path) -> str:
    """Back up `source` into `tmp` in one step (one read transaction: a snapshot as of one commit),
    make the copy a single self-contained file, and return its integrity_check verdict."""
    src = sqlite3.connect(f"file:{source}?mode=rw", uri=True, timeout=30)
    dst = sqlite3.connect(tmp)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")
        rows = [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()]
        dst.commit()
    finally:
        dst.close()
        src.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    return "ok" if rows == ["ok"] else "; ".join(rows[:5])
