"""Run Alembic from code, so `claimtracker db upgrade` and tests use the same migrations."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def upgrade_connection(connection, revision: str = "head") -> None:
    """Upgrade over a connection the caller owns (tests use it to migrate a private schema)."""
    cfg = alembic_config("")
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)
