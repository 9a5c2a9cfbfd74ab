"""`claimtracker db copy --to URL`: a SQLite store copied whole into an empty database (a private
PostgreSQL schema when the PostgreSQL tests run, else another SQLite file), ids kept so every
permalink opens the same claim, sequences moved on, and a refused copy leaves the target alone."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from app.cli import main
from app.domain.review import add_tag, merge_claims, set_status
from app.domain.speakers import merge_speakers
from app.main import create_app
from app.settings import Settings
from app.storage.copy import CopyError, copy_database
from app.storage.engine import is_sqlite, make_engine, make_sessionmaker
from app.storage.migrate import upgrade
from app.storage.models import Base, Claim, Speaker
from tests.auth import log_in

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def source_url(tmp_path_factory) -> str:
    """The seeds ingested, two claims merged (the survivor has the higher id), two speakers merged,
    a status with its reason and a tag: every kind of row the app writes."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not checked out beside the repository")
    url = f"sqlite:///{tmp_path_factory.mktemp('copy') / 'source.db'}"
    upgrade(url)
    result = CliRunner().invoke(main, ["ingest", str(SEEDS), "--sources", str(SEEDS / "sources.csv"),
                                       "--database-url", url])
    assert result.exit_code == 0, result.output
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        low, high = s.scalars(select(Claim.id).order_by(Claim.id).limit(2)).all()[0], s.scalar(select(func.max(Claim.id)))
        merge_claims(s, low, high, "tester")           # claims.merged_into_id points forward
        a, b = s.scalars(select(Speaker.slug).order_by(Speaker.id).limit(2)).all()
        merge_speakers(s, a, b, "tester")              # speakers.merged_into_id points forward
        set_status(s, high, "disputed", "two outlets word it otherwise", "tester")
        add_tag(s, high, "briefing", "tester")
        s.commit()
    engine.dispose()
    return url


def _pages(url: str, claim_ids: list[int]) -> dict[str, object]:
    app = create_app(Settings(database_url=url, actor="tester"))
    try:
        with TestClient(app, follow_redirects=False) as c:
            log_in(c, app)
            out: dict[str, object] = {}
            for cid in claim_ids:
                page = c.get(f"/claims/{cid}")
                out[f"page {cid}"] = (page.status_code, page.headers.get("location"))
                sources = c.get(f"/claims/{cid}/sources.json")
                out[f"sources {cid}"] = sources.json() if sources.status_code == 200 else sources.status_code
            return out
    finally:
        app.state.engine.dispose()


def test_a_store_is_copied_whole_and_every_permalink_answers_the_same(source_url, empty_database_url):
    report = copy_database(source_url, empty_database_url)

    before, after = _counts(source_url), _counts(empty_database_url)
    assert after == before == report.rows
    assert before["claims"] > 50 and before["mentions"] > 100 and before["events"] > 5
    engine = make_engine(source_url)
    with engine.connect() as conn:
        ids = conn.scalars(select(Claim.id).order_by(Claim.id)).all()
    engine.dispose()
    # the merged claim (a redirect), the survivor (tagged, disputed) and a few more, by permalink
    picked = sorted({ids[0], ids[-1], *ids[1:len(ids):10]})
    assert _pages(empty_database_url, picked) == _pages(source_url, picked)


def _planner_rows(url: str, table: str) -> float:
    """The rows the query planner believes `table` holds (PostgreSQL: -1 or 0 before any ANALYZE;
    SQLite: 0 without a sqlite_stat1 entry)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                return conn.scalar(text("SELECT reltuples FROM pg_class WHERE relname = :t "
                                        "AND relnamespace = current_schema()::regnamespace"), {"t": table})
            if not conn.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
                return 0
            stat = conn.scalar(text("SELECT stat FROM sqlite_stat1 WHERE tbl = :t LIMIT 1"), {"t": table})
            return float(stat.split()[0]) if stat else 0
    finally:
        engine.dispose()


def test_the_copy_leaves_the_planner_its_statistics(source_url, empty_database_url):
    """Without them PostgreSQL planned the claims list filtered by outlet and status so badly that it
    took over 200 s at 100k claims (1.2 s after ANALYZE)."""
    copy_database(source_url, empty_database_url)
    assert _planner_rows(empty_database_url, "mentions") == _counts(source_url)["mentions"]


def test_the_copy_goes_on_with_new_ids_after_the_highest_copied(source_url, empty_database_url, tmp_path):
    copy_database(source_url, empty_database_url)
    before = _counts(empty_database_url)
    engine = make_engine(empty_database_url)
    with engine.connect() as conn:
        top = conn.scalar(select(func.max(Claim.id)))
    article = tmp_path / "after-the-move.txt"
    article.write_text("Harbour master Karl Lindgren spoke on Monday.\n\n"
                       "\u201cThe new pier will open to ferries before the winter storms arrive,\u201d Lindgren said.\n",
                       encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(article), "--outlet", "Harbour Gazette",
                                       "--database-url", empty_database_url])
    assert result.exit_code == 0, result.output
    with engine.connect() as conn:
        newest = conn.scalar(select(func.max(Claim.id)))
    engine.dispose()
    after = _counts(empty_database_url)
    assert newest > top
    assert after["articles"] == before["articles"] + 1 and after["claims"] > before["claims"]


def test_a_copy_into_a_database_that_holds_data_is_refused_and_changes_nothing(source_url, empty_database_url):
    copy_database(source_url, empty_database_url)
    before = _counts(empty_database_url)
    with pytest.raises(CopyError, match="already holds data"):
        copy_database(source_url, empty_database_url)
    assert _counts(empty_database_url) == before


def test_a_source_behind_the_newest_schema_is_refused_without_touching_it(tmp_path, empty_database_url):
    old = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(old, "0014")
    with pytest.raises(CopyError, match="db upgrade"):
        copy_database(old, empty_database_url)
    engine = make_engine(old)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0014"
    engine.dispose()


def test_the_cli_says_what_it_copied_and_refuses_in_one_line(source_url, empty_database_url):
    runner = CliRunner()
    done = runner.invoke(main, ["db", "copy", "--to", empty_database_url, "--database-url", source_url])
    assert done.exit_code == 0, done.output
    assert "counts checked in the target" in done.output
    again = runner.invoke(main, ["db", "copy", "--to", empty_database_url, "--database-url", source_url])
    assert again.exit_code == 1
    assert "the target is unchanged" in again.output and "Traceback" not in again.output
    same = runner.invoke(main, ["db", "copy", "--to", source_url, "--database-url", source_url])
    assert same.exit_code == 1 and "same database" in same.output
    nowhere = runner.invoke(main, ["db", "copy", "--to", "postgresql+psycopg://nobody@127.0.0.1:1/none",
                                   "--database-url", source_url])
    assert nowhere.exit_code == 1 and "OperationalError" in nowhere.output


def test_the_copy_builds_the_postgresql_word_indexes_without_a_pending_list(source_url, empty_database_url):
    """The GIN indexes are dropped for the copy and built once from the copied rows, as migrations
    make them (no pending list: storage.search.PG_GIN_OPTIONS); a copied claim is found by its words."""
    if is_sqlite(empty_database_url):
        pytest.skip("PostgreSQL's indexes")
    copy_database(source_url, empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            options = dict(conn.execute(text(
                "SELECT c.relname, array_to_string(c.reloptions, ',') FROM pg_class AS c "
                "WHERE c.relname IN ('ix_claims_tsv', 'ix_articles_tsv') AND c.relnamespace = "
                "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())")).all())
            assert options == {"ix_claims_tsv": "fastupdate=off", "ix_articles_tsv": "fastupdate=off"}
            claim = conn.execute(text("SELECT id, text FROM claims ORDER BY id LIMIT 1")).one()
            word = max(re.findall(r"[A-Za-z]+", claim.text), key=len)
            hits = conn.scalars(text("SELECT id FROM claims WHERE text_tsv @@ plainto_tsquery('simple', :w)"),
                                {"w": word}).all()
            assert claim.id in hits
    finally:
        engine.dispose()
