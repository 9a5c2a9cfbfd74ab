"""What every `claimtracker` command shares: its settings and one database session, with failures
turned into one line and an exit code instead of a traceback."""
from __future__ import annotations

import click

from app.settings import Settings


def cli_settings(database_url: str | None) -> Settings:
    return Settings(database_url=database_url) if database_url else Settings()


def run_in_session(settings: Settings, work, commit: bool = False):
    """Call work(session) on a fresh engine and dispose of it after; `commit` ends with a commit.
    A refused change (DomainError) or a database without the schema is a ClickException."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from app.domain.errors import DomainError
    from app.storage.engine import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url, batch=True)
    try:
        with make_sessionmaker(engine)() as session:
            result = work(session)
            if commit:
                session.commit()
            return result
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    except (OperationalError, ProgrammingError) as exc:
        raise click.ClickException(f"database not ready ({exc.orig}); run `claimtracker db upgrade`") from None
    except UnicodeEncodeError:
        # An argument with bytes that were not UTF-8 reaches Python as lone surrogates, which no
        # driver can send; nothing was written (the session rolls back on close).
        raise click.ClickException("an argument is not valid UTF-8 text; nothing was changed") from None
    finally:
        engine.dispose()
