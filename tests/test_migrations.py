"""`alembic upgrade head` on an empty database must give exactly the schema the models describe."""
from __future__ import annotations

import pytest

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.storage.engine import make_engine
from app.storage.migrate import upgrade
from app.storage.models import Base
from app.storage.search import include_name


def test_upgrade_head_matches_models(empty_database_url):
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
            diff = compare_metadata(ctx, Base.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_upgrade_is_repeatable(empty_database_url):
    upgrade(empty_database_url)
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() is not None
    finally:
        engine.dispose()


def test_rebuilding_articles_keeps_every_quote_and_mention(tmp_path):
    """0011 copies the articles table (AUTOINCREMENT); with foreign keys on, dropping the old copy
    would cascade-delete every quote and mention. Everything must survive, the article index too."""
    from datetime import date

    from sqlalchemy import func, select, text

    from app.domain.articles import ArticleInput, delete_article, ingest_article
    from app.storage.engine import make_sessionmaker
    from app.storage.models import Article, ClaimSpread, Mention, OutletClaim, OutletPair, Quote
    from app.storage.search import article_candidates

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0010")
    engine = make_engine(url)
    with engine.begin() as conn:  # columns of later revisions, so today's models can write at 0010
        conn.execute(text("ALTER TABLE speakers ADD COLUMN merged_into_id INTEGER"))
        conn.execute(text("ALTER TABLE claims ADD COLUMN review_title TEXT"))
        conn.execute(text("ALTER TABLE articles ADD COLUMN published_at DATETIME"))
        conn.execute(text("ALTER TABLE articles ADD COLUMN linking_by VARCHAR(200)"))
        conn.execute(text("ALTER TABLE articles ADD COLUMN linking_at DATETIME"))
        conn.execute(text("ALTER TABLE speakers ADD COLUMN first_word VARCHAR(200)"))
        conn.execute(text("ALTER TABLE speakers ADD COLUMN last_word VARCHAR(200)"))
        conn.execute(text("ALTER TABLE articles ADD COLUMN window_stems TEXT"))
        conn.execute(text("ALTER TABLE speakers ADD COLUMN sex VARCHAR(1)"))   # 0029
        conn.execute(text("ALTER TABLE claims ADD COLUMN stems TEXT"))   # 0032
        for table in (ClaimSpread, OutletPair, OutletClaim):   # 0022 and 0023's tables
            table.__table__.create(conn)
    texts = [f"“The harbour will open to container ships next spring, {n},” said mayor Ana Lopes."
             for n in ("the mayor added", "she repeated on Friday", "officials confirmed")]
    with make_sessionmaker(engine)() as session:
        for i, t in enumerate(texts):
            ingest_article(session, ArticleInput(text=f"Harbour {i}\n\n{t}\n", outlet="Port Post",
                                                 published=date(2024, 5, 1)), "tester")
        session.commit()
        counts = [session.scalar(select(func.count()).select_from(m)) for m in (Article, Quote, Mention)]
    engine.dispose()
    assert counts[1] >= 3 and counts[2] >= 3

    upgrade(url, "0011")
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            assert [session.scalar(select(func.count()).select_from(m))
                    for m in (Article, Quote, Mention)] == counts
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert len(article_candidates(session, ["harbou", "contai"], 10)) == 3
            last = session.scalar(select(func.max(Article.id)))
            delete_article(session, last, "tester")
            session.commit()
            again = ingest_article(session, ArticleInput(text=f"Harbour 9\n\n{texts[2]}\n", outlet="Port Post"),
                                   "tester")
            session.commit()
            assert again.article_id > last   # the deleted article's id is not handed out again
    finally:
        engine.dispose()


def test_speaker_name_words_are_filled_for_existing_speakers(empty_database_url):
    """0018 gives the speakers stored before it their first and last word, as new rows get them."""
    from sqlalchemy import text

    upgrade(empty_database_url, "0017")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            for i, name in enumerate(["Mirela Dunst", "Varga", "Chief Justice Olaf Brandt Jr."]):
                conn.execute(text("INSERT INTO speakers (name, slug) VALUES (:n, :s)"), {"n": name, "s": f"s{i}"})
        upgrade(empty_database_url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT name, first_word, last_word FROM speakers ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("Mirela Dunst", "mirela", "dunst"), ("Varga", "varga", "varga"),
                                        ("Chief Justice Olaf Brandt Jr.", "chief", "jr.")]


def test_article_window_stems_are_kept_for_existing_articles(empty_database_url):
    """0021 gives the articles stored before it their windows' stems, as new ingests keep them;
    its downgrade drops the column and keeps the article index working."""
    from sqlalchemy import text

    from alembic import command

    from app.domain.matching import window_stems_text
    from app.storage.engine import make_sessionmaker
    from app.storage.migrate import alembic_config
    from app.storage.search import article_candidates

    body = "Ferries\n\nThe ferry routes will keep running this winter. Officials said so on Monday.\n"
    upgrade(empty_database_url, "0020")
    engine = make_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO outlets (name, slug, created_at) VALUES ('Port Post', 'port-post', CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO articles (outlet_id, title, text, content_hash, ingested_at) "
                              "VALUES (1, 'Ferries', :t, 'h1', CURRENT_TIMESTAMP)"), {"t": body})
        upgrade(empty_database_url)
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT window_stems FROM articles")).scalar_one()
        assert kept == window_stems_text(body) and "ferry" in kept
        command.downgrade(alembic_config(empty_database_url), "0020")
        assert "window_stems" not in {c["name"] for c in inspect(engine).get_columns("articles")}
        with make_sessionmaker(engine)() as session:
            assert article_candidates(session, ["ferry"], 5) == [1]   # the index's triggers are back
    finally:
        engine.dispose()


def test_the_app_refuses_a_store_behind_its_schema(empty_database_url):
    """Code updated without `claimtracker db upgrade`: the server says so at start, not a 500 a page."""
    from app.main import create_app
    from app.settings import Settings

    upgrade(empty_database_url, "0020")
    with pytest.raises(RuntimeError, match=r"schema 0020 .*needs \d{4}: run `claimtracker db upgrade`"):
        create_app(Settings(database_url=empty_database_url))
    upgrade(empty_database_url)
    create_app(Settings(database_url=empty_database_url)).state.engine.dispose()


def test_every_migration_goes_down_and_up_again(empty_database_url):
    """Each downgrade runs (a team stepping back a release), and head is reached again after."""
    from alembic import command

    from app.storage.migrate import alembic_config

    upgrade(empty_database_url)
    command.downgrade(alembic_config(empty_database_url), "base")
    upgrade(empty_database_url)
    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
            assert compare_metadata(ctx, Base.metadata) == []
    finally:
        engine.dispose()
