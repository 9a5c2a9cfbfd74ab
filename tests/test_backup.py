"""`claimtracker backup`: a consistent copy of a live SQLite database taken while another thread keeps
ingesting, which passes integrity_check, has no half-stored article, and serves the app when
restored (the app pointed at the copy)."""
from __future__ import annotations

import sqlite3
import threading

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.domain.articles import ArticleInput, ingest_article
from app.main import create_app
from app.settings import Settings
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.migrate import upgrade
from tests.generated_articles import small_article


@pytest.fixture
def live_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(url)
    return url


class Writer(threading.Thread):
    """Ingests generated articles, one commit each, until stopped (at most `limit`)."""

    def __init__(self, url: str, limit: int = 3000) -> None:
        super().__init__(daemon=True)
        self.url, self.limit = url, limit
        self.stop, self.started_writing = threading.Event(), threading.Event()
        self.done, self.errors = 0, []

    def run(self) -> None:
        engine = make_engine(self.url)
        try:
            with make_sessionmaker(engine)() as session:
                while not self.stop.is_set() and self.done < self.limit:
                    ingest_article(session, ArticleInput(text=small_article(self.done), outlet="Wire"), "writer")
                    session.commit()
                    self.done += 1
                    if self.done == 20:
                        self.started_writing.set()
        except Exception as exc:  # reported by the test, not lost in the thread
            self.errors.append(exc)
        finally:
            self.started_writing.set()
            engine.dispose()


def backup(url: str, dest, *extra: str):
    return CliRunner().invoke(main, ["backup", str(dest), "--database-url", url, *extra])


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    q = {"articles": "SELECT count(*) FROM articles",
         "orphan_mentions": "SELECT count(*) FROM mentions m LEFT JOIN articles a ON a.id = m.article_id "
                            "LEFT JOIN claims c ON c.id = m.claim_id WHERE a.id IS NULL OR c.id IS NULL",
         "orphan_quotes": "SELECT count(*) FROM quotes q LEFT JOIN articles a ON a.id = q.article_id "
                          "WHERE a.id IS NULL",
         "articles_without_quote": "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                                   "(SELECT 1 FROM quotes q WHERE q.article_id = a.id)"}
    return {k: conn.execute(sql).fetchone()[0] for k, sql in q.items()}


def test_backup_while_writing_is_consistent_and_restores(live_db, tmp_path):
    writer = Writer(live_db)
    writer.start()
    assert writer.started_writing.wait(60)
    copy = tmp_path / "copy.db"
    before = writer.done
    result = backup(live_db, copy)
    after = writer.done
    while writer.is_alive() and writer.done < after + 10:     # the writer goes on after the backup
        writer.join(0.05)
    writer.stop.set()
    writer.join(60)
    assert result.exit_code == 0, result.output
    assert "integrity_check: ok" in result.output and f"{copy.stat().st_size:,} bytes" in result.output
    assert writer.errors == [] and writer.done >= after + 10

    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"    # one self-contained file
    got = counts(conn)
    # Commits still in the -wal file are in the copy; later ones are not.
    assert before <= got["articles"] <= after + 1 < writer.done
    # Each article was one transaction: the copy has all of one or none of it.
    assert got["orphan_mentions"] == got["orphan_quotes"] == got["articles_without_quote"] == 0
    claim_id = conn.execute("SELECT claim_id FROM mentions ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()

    restored = create_app(Settings(database_url=f"sqlite:///{copy}", public_read=True))
    try:
        with TestClient(restored) as client:
            response = client.get(f"/api/v1/claims/{claim_id}")
            assert response.status_code == 200 and response.json()["id"] == claim_id
            assert client.get(f"/claims/{claim_id}").status_code == 200
    finally:
        restored.state.engine.dispose()


def test_backup_refuses_to_overwrite_without_force(live_db, tmp_path):
    dest = tmp_path / "keep.db"
    dest.write_bytes(b"an older backup")
    refused = backup(live_db, dest)
    assert refused.exit_code == 1 and "exists; pass --force" in refused.output
    assert dest.read_bytes() == b"an older backup"
    forced = backup(live_db, dest, "--force")
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(dest) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_backup_names_pg_dump_for_postgresql_and_needs_a_database(tmp_path):
    pg = backup("postgresql://user@db.example/claims", tmp_path / "x.db")
    assert pg.exit_code == 1 and "pg_dump" in pg.output
    missing = backup(f"sqlite:///{tmp_path / 'nothing.db'}", tmp_path / "x.db")
    assert missing.exit_code == 1 and "no database at" in missing.output
    assert not (tmp_path / "nothing.db").exists() and not (tmp_path / "x.db").exists()
