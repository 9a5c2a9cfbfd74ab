"""The `claimtracker` command: thin over domain/, one line per failure, exit code = number failed."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from app.settings import Settings


def _settings(database_url: str | None) -> Settings:
    return Settings(database_url=database_url) if database_url else Settings()


@click.group()
def main() -> None:
    """Track quoted claims across news outlets."""


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--database-url", envvar="DATABASE_URL", help="Defaults to the setting (SQLite file).")
def db_upgrade(database_url: str | None) -> None:
    """Apply every migration up to the newest."""
    from app.storage.migrate import upgrade

    settings = _settings(database_url)
    upgrade(settings.database_url)
    click.echo(f"database is at the newest schema ({_safe(settings.database_url)})")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--sources", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with columns file,outlet,published,author,title.")
@click.option("--outlet", help="Outlet for files the CSV does not name.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for files the CSV does not name.")
@click.option("--author")
@click.option("--title")
@click.option("--url")
@click.option("--database-url", envvar="DATABASE_URL")
def ingest(paths, sources, outlet, published, author, title, url, database_url) -> None:
    """Ingest .txt and .html files and folders of them. Exit code: how many files failed."""
    from app.domain.ingest import collect_files
    from app.pipeline.documents import DocumentError, parse_date, parse_sources_csv

    settings = _settings(database_url)
    try:
        if published:
            parse_date(published)
        rows = parse_sources_csv(sources.read_text(encoding="utf-8-sig")) if sources else {}
    except (DocumentError, UnicodeDecodeError) as exc:
        raise click.UsageError(str(exc)) from None
    missing = [p for p in paths if not p.exists()]
    files = collect_files([p for p in paths if p.exists()])
    defaults = {"outlet": outlet, "published": published, "author": author, "title": title, "url": url}
    results = _run_ingest(settings, files, defaults, rows)
    for p in missing:
        click.echo(f"{p}: failed: no such file or folder", err=True)
    failed = sum(r.status == "failed" for r in results) + len(missing)
    added = sum(r.status == "added" for r in results)
    present = sum(r.status == "present" for r in results)
    click.echo(f"{added} added, {present} already present, {failed} failed")
    sys.exit(min(failed, 125))


def _run_ingest(settings: Settings, files, defaults, rows):
    from app.domain.ingest import ingest_files
    from app.storage.engine import make_engine, make_sessionmaker

    engine = make_engine(settings.database_url)
    lines: list[str] = []

    def report(result) -> None:
        if result.status == "failed":
            lines.append(f"{result.name}: failed: {result.error}")
        elif result.status == "present":
            lines.append(f"{result.name}: already present (article {result.article_id})")
        else:
            lines.append(f"{result.name}: added article {result.article_id} "
                         f"({result.quotes} quotes, {result.new_claims} new claims)")

    try:
        with make_sessionmaker(engine)() as session, click.progressbar(
                length=len(files), label="ingesting", file=sys.stderr) as bar:
            def progress(result) -> None:
                report(result)
                bar.update(1)
            results = ingest_files(session, files, defaults, rows, settings.actor,
                                   settings.max_article_bytes, progress)
    finally:
        engine.dispose()
    for line in lines:
        click.echo(line, err=": failed:" in line)
    return results


@main.command("eval")
@click.argument("seeds", type=click.Path(exists=True, file_okay=False, path_type=Path))
def eval_command(seeds: Path) -> None:
    """Ingest SEEDS into a scratch database and score extraction against its gold.json."""
    from app.domain.evaluation import evaluate_folder

    for line in evaluate_folder(seeds):
        click.echo(line)


@main.command()
@click.argument("source", type=click.File("rb"))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of lines.")
def extract(source, as_json: bool) -> None:
    """Print the quotes found in a text or HTML file (- for stdin) without storing anything."""
    import dataclasses
    import json

    from app.pipeline.documents import DocumentError, parse_document
    from app.pipeline.quotes import extract_quotes

    try:
        doc = parse_document(getattr(source, "name", "-"), source.read())
    except DocumentError as exc:
        raise click.ClickException(f"{getattr(source, 'name', '-')}: {exc}") from None
    quotes = extract_quotes(doc.text)
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(q) for q in quotes], ensure_ascii=False, indent=2))
        return
    for q in quotes:
        click.echo(f"{q.start}-{q.end}\t{q.kind}\t{q.speaker or '?'}\t{q.cue or ''}\t{q.text}")
