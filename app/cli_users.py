"""`claimtracker user ...`: accounts from the server's shell. This is how the first admin is made, so it
needs no login: whoever can run it already controls the database. Events record the operator as
`--actor`, else `settings.actor` (CLAIMTRACKER_ACTOR, by default the OS user running the command), as
every CLI change does."""
from __future__ import annotations

import sys

import click

from app.cli_support import cli_settings, run_in_session
from app.storage.models import ROLES


def _run(database_url: str | None, work, actor: str | None = None):
    """One transaction as the operator (--actor, else settings.actor: CLAIMTRACKER_ACTOR or the OS
    user); a refused change is one line and exit 1."""
    settings = cli_settings(database_url)
    who = (actor or "").strip() or settings.actor
    return run_in_session(settings, lambda session: work(session, who), commit=True)


def _read_password() -> str:
    """At a terminal: asked twice, not echoed. Piped: the first line of stdin (for scripts)."""
    if sys.stdin is not None and not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


database_option = click.option("--database-url", envvar="DATABASE_URL")
actor_option = click.option(
    "--actor", envvar="CLAIMTRACKER_ACTOR",
    help="Name the audit log records for this change (default: your OS user name).")


@click.group()
def user() -> None:
    """Accounts: add, list, disable, enable, change role or password, make an API token."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@database_option
@actor_option
def user_add(name: str, role: str, database_url: str | None, actor: str | None) -> None:
    """Add a user; the password is asked at the prompt, or read from stdin."""
    from app.domain.users import add_user

    password = _read_password()
    _run(database_url, lambda s, who: add_user(s, who, name, password, role), actor)
    click.echo(f"user {name} added ({role})")


@user.command("first-admin")
@database_option
@actor_option
def user_first_admin(database_url: str | None, actor: str | None) -> None:
    """Make the first admin from CLAIMTRACKER_ADMIN_NAME and CLAIMTRACKER_ADMIN_PASSWORD (or
    CLAIMTRACKER_ADMIN_PASSWORD_FILE, e.g. a Docker secret) while the database has no user; with
    users already there, or without those variables, it changes nothing and says so (exit 0, so a
    container's start goes on)."""
    import os

    from app.domain.users import first_admin

    name = os.environ.get("CLAIMTRACKER_ADMIN_NAME", "").strip()
    password = os.environ.get("CLAIMTRACKER_ADMIN_PASSWORD", "")
    secret = os.environ.get("CLAIMTRACKER_ADMIN_PASSWORD_FILE", "").strip()
    if secret and not password:
        try:
            with open(secret, encoding="utf-8") as f:
                password = f.readline().rstrip("\r\n")
        except OSError as exc:
            raise click.ClickException(f"cannot read CLAIMTRACKER_ADMIN_PASSWORD_FILE: {exc.strerror}") from None
    if not name or not password:
        click.echo("no first admin made: set CLAIMTRACKER_ADMIN_NAME and CLAIMTRACKER_ADMIN_PASSWORD "
                   "(or _FILE), or run: claimtracker user add NAME --role admin", err=True)
        return
    made = _run(database_url, lambda s, who: first_admin(s, who, name, password) is not None, actor)
    click.echo(f"first admin {name} added" if made else "users exist already: no admin added")


@user.command("list")
@database_option
def user_list(database_url: str | None) -> None:
    """One line per user: name, role, and whether disabled."""
    from app.domain.users import list_users

    rows = _run(database_url, lambda s, actor: [(u.name, u.role, u.disabled) for u in list_users(s)])
    for name, role, disabled in rows:
        click.echo("\t".join([name, role] + (["disabled"] if disabled else [])))
    if not rows:
        click.echo("no users yet: claimtracker user add NAME --role admin", err=True)


@user.command("disable")
@click.argument("name")
@database_option
@actor_option
def user_disable(name: str, database_url: str | None, actor: str | None) -> None:
    """Refuse the user's logins and tokens from now on; their sessions end at once."""
    from app.domain.users import set_disabled

    _run(database_url, lambda s, who: set_disabled(s, who, name, True), actor)
    click.echo(f"user {name} disabled")


@user.command("enable")
@click.argument("name")
@database_option
@actor_option
def user_enable(name: str, database_url: str | None, actor: str | None) -> None:
    from app.domain.users import set_disabled

    _run(database_url, lambda s, who: set_disabled(s, who, name, False), actor)
    click.echo(f"user {name} enabled")


@user.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@database_option
@actor_option
def user_role(name: str, role: str, database_url: str | None, actor: str | None) -> None:
    """Change a user's role; it applies to their next request."""
    from app.domain.users import set_role

    _run(database_url, lambda s, who: set_role(s, who, name, role), actor)
    click.echo(f"user {name} is now {role}")


@user.command("password")
@click.argument("name")
@database_option
@actor_option
def user_password(name: str, database_url: str | None, actor: str | None) -> None:
    """Set a new password (prompt or stdin); the user's sessions end and API tokens are revoked."""
    from app.domain.users import set_password

    password = _read_password()
    _run(database_url, lambda s, who: set_password(s, who, name, password), actor)
    click.echo(f"password of {name} changed")


@user.command("token")
@click.argument("name")
@click.argument("token_name")
@database_option
def user_token(name: str, token_name: str, database_url: str | None) -> None:
    """Make an API token for NAME's scripts and print it: it is shown this once."""
    from app.domain.users import create_token, get_user

    secret = _run(database_url, lambda s, actor: create_token(s, get_user(s, name), token_name)[1])
    click.echo(secret)
