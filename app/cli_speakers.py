"""`claimtracker speaker ...`: the analyst's speaker merge from a shell, thin over domain/speakers.py."""
from __future__ import annotations

import click

from app.cli_support import cli_settings, run_in_session


@click.group()
def speaker() -> None:
    """Speakers: merge two rows that are one person."""


@speaker.command("merge")
@click.argument("source")
@click.argument("target")
@click.option("--database-url", envvar="DATABASE_URL")
def speaker_merge(source: str, target: str, database_url: str | None) -> None:
    """Merge the speaker with slug SOURCE into the one with slug TARGET: quotes, claims and names
    move, SOURCE's URL redirects to TARGET, and the audit log records it under the settings' actor."""
    from app.domain.speakers import merge_speakers

    settings = cli_settings(database_url)

    def run(session) -> str:
        survivor = merge_speakers(session, source, target, settings.actor)
        return f"merged {source} into {survivor.slug} ({survivor.name})"

    click.echo(run_in_session(settings, run, commit=True))
