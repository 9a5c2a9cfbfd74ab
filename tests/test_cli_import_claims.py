"""`claimtracker import-claims FILE` on a temporary SQLite file: summary line, one line per bad row,
exit code 1 only when nothing could be imported or the file cannot be read."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.storage.engine import make_engine
from app.storage.models import Claim

BRIDGE = "The old ferry bridge will be closed to all traffic for the next ten years"
WELLS = "Every well in the eastern district was found to be contaminated last spring"


@pytest.fixture
def db_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = CliRunner().invoke(main, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 0, result.output
    return url


def run(*args, stdin: bytes | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], input=stdin, catch_exceptions=False)


def stored(url: str) -> list[tuple[str, str, str | None]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(Claim.text, Claim.status, Claim.source_url).order_by(Claim.id))
        result = [tuple(r) for r in rows]
    engine.dispose()
    return result


def test_csv_import_prints_errors_and_summary(db_url, tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("claim,rating,review_url\n"
                    f"{BRIDGE},Pants on Fire,https://checkdesk.example/r/1\n"
                    ",False,\n"
                    f"{WELLS},Unproven,\n", encoding="utf-8")
    result = run("import-claims", path, "--database-url", db_url)
    assert result.exit_code == 0
    assert result.stdout.strip() == "2 created, 0 already known, 0 updated"
    assert result.stderr.splitlines() == [f"{path}: line 3: missing claim text"]
    assert stored(db_url) == [(BRIDGE, "false", "https://checkdesk.example/r/1"),
                              (WELLS, "disputed", None)]

    again = run("import-claims", path, "--database-url", db_url)
    assert again.exit_code == 0
    assert again.stdout.strip() == "0 created, 2 already known, 0 updated"


def test_stdin_with_explicit_format(db_url):
    lines = "\n".join(json.dumps({"text": t, "verdict": "true"}) for t in (BRIDGE, WELLS))
    result = run("import-claims", "-", "--format", "jsonl", "--database-url", db_url,
                 stdin=lines.encode())
    assert result.exit_code == 0, result.output
    assert "2 created" in result.stdout
    assert [s for _, s, _ in stored(db_url)] == ["verified", "verified"]


def test_claimreview_file(db_url, tmp_path):
    path = tmp_path / "reviews.jsonld"
    path.write_text(json.dumps({"@type": "ClaimReview", "claimReviewed": BRIDGE,
                                "url": "https://checkdesk.example/r/2",
                                "reviewRating": {"alternateName": "Misleading"}}))
    result = run("import-claims", path, "--database-url", db_url)
    assert result.exit_code == 0 and "1 created" in result.stdout
    assert stored(db_url) == [(BRIDGE, "misleading", "https://checkdesk.example/r/2")]


def test_nothing_importable_exits_1(db_url, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"{broken\n\xff\xfe\n")
    result = run("import-claims", path, "--database-url", db_url)
    assert result.exit_code == 1
    assert result.stdout.strip() == "0 created, 0 already known, 0 updated"
    assert len(result.stderr.splitlines()) == 2
    assert stored(db_url) == []


def test_unreadable_or_missing_file_exits_1(db_url, tmp_path):
    missing = run("import-claims", tmp_path / "nope.csv", "--database-url", db_url)
    assert missing.exit_code == 1 and "cannot read" in missing.stderr
    binary = tmp_path / "x.csv"
    binary.write_bytes("claim,rating\n".encode("utf-16-le") * 10)
    refused = run("import-claims", binary, "--database-url", db_url)
    assert refused.exit_code == 1 and "binary" in refused.stderr


def test_empty_file_is_not_a_failure(db_url, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    result = run("import-claims", path, "--database-url", db_url)
    assert result.exit_code == 0 and "0 created" in result.stdout


def test_help_documents_formats_and_exit_code():
    result = run("import-claims", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "ClaimReview" in text and "Exit code 1" in text and "--format" in text
