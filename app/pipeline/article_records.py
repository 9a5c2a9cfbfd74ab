"""Files that hold many articles, one a record: JSON lines (one object a line) and CSV (a header
row, one article a row). Each record is the article's text with its metadata; a bad record is
reported by its line and the others still go. Pure: bytes in, records and errors out.

Fields: text (required), outlet, published, author, title, url; other keys are ignored.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv")
RECORD_FIELDS = ("outlet", "published", "author", "title", "url")
# An article is up to a few MiB; csv's default field limit (128 KiB) would cut long ones.
CSV_FIELD_LIMIT = 64 * 1024 * 1024


class RecordsError(ValueError):
    """The whole file cannot be read as records; the message says why."""


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    line: int
    text: str | None               # None when the record is refused (error says why)
    meta: dict[str, str]
    error: str | None = None


def is_records_file(name: str) -> bool:
    return name.lower().endswith(RECORD_SUFFIXES)


def is_sources_csv(name: str, data: bytes) -> bool:
    """A CSV that describes other files (a 'file' column, no 'text'): sources.csv, not articles."""
    if not name.lower().endswith(".csv"):
        return False
    first = data[:65536].decode("utf-8-sig", "replace").splitlines()[:1]
    header = [c.strip().lower() for c in next(csv.reader(first), [])]
    return "file" in header and "text" not in header


def parse_article_records(name: str, data: bytes) -> list[ArticleRecord]:
    """Every record of a .jsonl or .csv file, in file order."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordsError(f"not UTF-8 text (undecodable byte at offset {exc.start})") from None
    if name.lower().endswith(".csv"):
        return _csv_records(text)
    return _json_records(text)


def _record(line: int, raw: dict) -> ArticleRecord:
    body = raw.get("text")
    if not isinstance(body, str) or not body.strip():
        return ArticleRecord(line, None, {}, "needs a non-empty 'text'")
    meta: dict[str, str] = {}
    for key in RECORD_FIELDS:
        value = raw.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            return ArticleRecord(line, None, {}, f"'{key}' must be a string")
        meta[key] = value.strip()
    return ArticleRecord(line, body, {k: v for k, v in meta.items() if v})


def _json_records(text: str) -> list[ArticleRecord]:
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            records.append(ArticleRecord(number, None, {}, f"not JSON ({getattr(exc, 'msg', exc)})"))
            continue
        if not isinstance(raw, dict):
            records.append(ArticleRecord(number, None, {}, "not a JSON object"))
            continue
        records.append(_record(number, raw))
    return records


def _csv_records(text: str) -> list[ArticleRecord]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    if "text" not in fields:
        hint = " (a sources CSV? give it with --sources)" if "file" in fields else ""
        raise RecordsError(f"an articles CSV needs a 'text' column{hint}")
    records = []
    start = reader.line_num + 1      # a row's first line (a quoted text may span several)
    try:
        for row in reader:
            records.append(_record(start, {k: v for k, v in row.items() if isinstance(k, str)}))
            start = reader.line_num + 1
    except csv.Error as exc:
        records.append(ArticleRecord(start, None, {}, f"unreadable CSV ({exc}); the rest of the file is skipped"))
    return records
