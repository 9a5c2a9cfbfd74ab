"""A 5,000-article `claimtracker ingest` killed with SIGKILL half-way leaves a database that passes
integrity_check, and the same ingest run again completes with every article stored exactly once:
no duplicate articles, quotes, mentions or ingest events. Each file is linked in short transactions
(domain/article_linking.py): the article is stored first, marked incomplete, and marked complete
with its ingest event in its last transaction. The article being linked when the ingest was killed
stays marked incomplete, and the run again removes it (its process is gone) and stores it whole;
the content hash makes every complete article a no-op the second time.
"""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.storage.migrate import upgrade
from tests.generated_articles import write_articles

ARTICLES = 5000
KILL_AFTER = 1500
ROOT = Path(__file__).resolve().parents[1]

DUPLICATES = {
    "articles": "SELECT content_hash FROM articles GROUP BY content_hash HAVING count(*) > 1",
    "quotes": 'SELECT article_id FROM quotes GROUP BY article_id, start, "end" HAVING count(*) > 1',
    "mentions": 'SELECT claim_id FROM mentions GROUP BY claim_id, article_id, start, "end" HAVING count(*) > 1',
    "ingest events": "SELECT entity_id FROM events WHERE action = 'article.ingest' "
                     "GROUP BY entity_id HAVING count(*) > 1",
}


def ingest_command(folder: Path, url: str) -> list[str]:
    return [sys.executable, "-c", "from app.cli import main; main()", "ingest", str(folder),
            "--outlet", "Crash Wire", "--database-url", url]


def scalar(db: Path, sql: str):
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchone()[0]


def kill_when_stored(proc: subprocess.Popen, db: Path, count: int, limit_s: float = 600) -> tuple[int, int]:
    """SIGKILL the ingest once the database holds more than `count` articles; the count then, and
    how many of them were complete."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if scalar(db, "SELECT count(*) FROM articles") > count:
                break
        except sqlite3.OperationalError:        # busy for a moment: look again
            pass
        time.sleep(0.1)
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(30) == -signal.SIGKILL
    return (scalar(db, "SELECT count(*) FROM articles"),
            scalar(db, "SELECT count(*) FROM articles WHERE linking_by IS NULL"))


@pytest.mark.slow
def test_killed_ingest_leaves_a_sound_database_and_resumes_without_duplicates(tmp_path):
    folder = tmp_path / "articles"
    write_articles(folder, ARTICLES)
    db = tmp_path / "crash.db"
    url = f"sqlite:///{db}"
    upgrade(url)
    started = time.monotonic()

    proc = subprocess.Popen(ingest_command(folder, url), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    stored, complete = kill_when_stored(proc, db, KILL_AFTER)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')")
    assert KILL_AFTER < stored < ARTICLES
    assert stored - complete in (0, 1)    # one file at a time: at most the one being linked

    again = subprocess.run(ingest_command(folder, url), cwd=ROOT, capture_output=True, text=True,
                           timeout=900)
    elapsed = time.monotonic() - started
    assert again.returncode == 0, again.stderr[-2000:]
    summary = re.search(r"(\d+) added, (\d+) already present, (\d+) failed", again.stdout)
    assert summary and [int(n) for n in summary.groups()] == [ARTICLES - complete, complete, 0]

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
        assert conn.execute("SELECT count(*) FROM articles WHERE linking_by IS NOT NULL").fetchone()[0] == 0
        abandoned = conn.execute("SELECT count(*) FROM events WHERE action = 'article.abandon'").fetchone()[0]
        assert abandoned == stored - complete
        for what, sql in DUPLICATES.items():
            assert conn.execute(sql).fetchall() == [], f"duplicate {what}"
        # Every article has its one quote and the mention of its claim: none was stored in part.
        per_article = "SELECT count(*) FROM articles a WHERE (SELECT count(*) FROM {} x WHERE x.article_id = a.id) {}"
        assert conn.execute(per_article.format("quotes", "!= 1")).fetchone()[0] == 0
        assert conn.execute(per_article.format("mentions", "= 0")).fetchone()[0] == 0
    print(f"\nkilled at {stored} articles ({stored - complete} incomplete); kill + resume of {ARTICLES} took {elapsed:.1f} s")
