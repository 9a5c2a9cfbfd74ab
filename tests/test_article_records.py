"""Files of many articles (JSON lines, CSV): each record its own article with its metadata, a bad
record reported by its line while the others go in; parsed as text in, records out, and through
the CLI with the same lines, progress and exit code as files."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli import main
from app.domain.spread import as_utc
from app.pipeline.article_records import RecordsError, parse_article_records
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article
from tests.factories import DENIAL, GAZETTE, HERALD


def _jsonl(*rows) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows).encode()


def test_json_lines_give_one_record_a_line_and_say_which_lines_are_bad():
    data = _jsonl({"text": "First text.", "outlet": " Wire ", "published": "2024-05-01T10:00Z", "extra": 1},
                  "", "{not json", [1, 2], {"title": "no text"}, {"text": "x", "outlet": 5})
    records = parse_article_records("a.jsonl", data)
    assert [(r.line, r.error) for r in records] == [
        (1, None), (3, "not JSON (Expecting property name enclosed in double quotes)"),
        (4, "not a JSON object"), (5, "needs a non-empty 'text'"), (6, "'outlet' must be a string")]
    assert records[0].text == "First text."
    assert records[0].meta == {"outlet": "Wire", "published": "2024-05-01T10:00Z"}


def test_csv_rows_may_span_lines_and_need_a_text_column():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "text", "outlet"])
    writer.writerow(["One", "Line one.\n\nLine two.", "Wire"])
    writer.writerow(["Two", "", "Wire"])
    writer.writerow(["Three", "Short.", ""])
    records = parse_article_records("a.CSV", out.getvalue().encode("utf-8-sig"))
    assert [(r.line, r.error) for r in records] == [(2, None), (5, "needs a non-empty 'text'"), (6, None)]
    assert records[0].text == "Line one.\n\nLine two." and records[2].meta == {"title": "Three"}
    with pytest.raises(RecordsError, match="needs a 'text' column .a sources CSV"):
        parse_article_records("sources.csv", b"file,outlet\na.txt,Wire\n")
    with pytest.raises(RecordsError, match="not UTF-8"):
        parse_article_records("a.jsonl", b'{"text": "\xff"}')


def test_cli_ingests_json_lines_and_csv_like_files(tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--database-url", db]).exit_code == 0
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_bytes(_jsonl(
        {"text": HERALD.text, "outlet": "Northport Herald", "published": "2024-05-01T14:05+02:00",
         "title": "Pier closes", "url": "https://herald.example/pier", "author": "Ann Lee"},
        {"text": GAZETTE.text, "published": "2024-05-02"},
        "[]"))
    table = tmp_path / "more.csv"
    table.write_text(f"text,outlet\n\"{DENIAL.text}\",Shipping Daily\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(jsonl), str(table), "--outlet", "Default Wire",
                                       "--database-url", db])
    assert result.exit_code == 1, result.output
    assert f"{jsonl}:1: added article 1" in result.stdout
    assert f"{jsonl}:3: failed: not a JSON object" in result.stderr
    assert f"{table}:2: added article 3" in result.stdout
    assert "3 added, 0 already present, 1 failed" in result.stdout
    again = CliRunner().invoke(main, ["ingest", str(jsonl), "--database-url", db])
    assert f"{jsonl}:1: already present (article 1)" in again.stdout
    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        herald, gazette, denial = s.scalars(select(Article).order_by(Article.id)).all()
        assert (herald.outlet.name, herald.title, herald.url, herald.author) == (
            "Northport Herald", "Pier closes", "https://herald.example/pier", "Ann Lee")
        assert as_utc(herald.published_at).strftime("%Y-%m-%d %H:%M") == "2024-05-01 12:05"
        assert (gazette.outlet.name, gazette.published.isoformat()) == ("Default Wire", "2024-05-02")
        assert denial.outlet.name == "Shipping Daily" and herald.source_name == "articles.jsonl:1"
    engine.dispose()


def test_cli_says_a_sources_csv_is_not_an_articles_file(tmp_path):
    db = f"sqlite:///{tmp_path / 'r.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--database-url", db]).exit_code == 0
    sources = tmp_path / "sources.csv"
    sources.write_text("file,outlet\na.txt,Wire\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(sources), "--database-url", db])
    assert result.exit_code == 1
    assert f"{sources}: failed: an articles CSV needs a 'text' column (a sources CSV? give it with --sources)" in result.stderr
