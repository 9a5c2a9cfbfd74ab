"""Settings come from the environment so a test, a CLI call and a server can each point at their own database."""
from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMTRACKER_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./claimtracker.db",
        validation_alias=AliasChoices("DATABASE_URL", "CLAIMTRACKER_DATABASE_URL"),
    )
    # Until accounts exist every change is recorded under this name.
    actor: str = "analyst"
    page_size: int = 25
    max_article_bytes: int = 2 * 1024 * 1024
    # Where `make run`/npm put htmx; pages work without it.
    static_dir: str | None = None
