"""Turn the bytes of an uploaded or on-disk file into article text and metadata, without touching storage."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm")


class DocumentError(ValueError):
    """A file that cannot become an article; the message names the reason in a few words."""


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    site_name: str | None = None    # from HTML metadata (og:site_name and the like)


def decode_text(data: bytes) -> str:
    """Accept UTF-8 (with or without BOM) and refuse binary, so offsets always index real text. The
    whole file is searched for NUL (no database text column stores one), not only its start."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DocumentError(f"binary file (contains a NUL byte at offset {nul:,})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"not UTF-8 text (undecodable byte at offset {exc.start})") from None


def first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:1000]
    return None


def parse_txt(data: bytes) -> Document:
    text = decode_text(data)
    return Document(text=text, title=first_line_title(text))


def parse_html(data: bytes) -> Document:
    """Main text and metadata through trafilatura; the extracted text is what gets stored."""
    import trafilatura

    html = decode_text(data)
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         favor_precision=True)
    if result is None:
        raise DocumentError("no article text found in the HTML")
    get = result.get if isinstance(result, dict) else (lambda k: getattr(result, k, None))
    text = get("text") or ""
    return Document(text=text, title=get("title"), author=get("author"),
                    published=get("date"), url=get("url"), site_name=get("sitename"))


def parse_document(name: str, data: bytes) -> Document:
    lower = name.lower()
    if lower.endswith(HTML_SUFFIXES):
        return parse_html(data)
    return parse_txt(data)


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y")


def parse_date(value: str | None) -> date | None:
    """Dates as news sources write them; an unreadable one is an error, never a silent guess."""
    if value is None or not str(value).strip():
        return None
    value = str(value).strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise DocumentError(f"unparseable date {value!r} (use YYYY-MM-DD)")


SOURCE_COLUMNS = ("file", "outlet", "published", "author", "title")


def parse_sources_csv(text: str) -> dict[str, dict[str, str]]:
    """sources.csv rows keyed by file name; only the columns we know, empty cells dropped."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise DocumentError("sources CSV needs a 'file' column (file,outlet,published,author,title)")
    rows: dict[str, dict[str, str]] = {}
    for row in reader:
        name = (row.get("file") or "").strip()
        if name:
            rows[name] = {k: v.strip() for k in SOURCE_COLUMNS[1:]
                          if (v := (row.get(k) or "")) and v.strip()}
    return rows


_WS = re.compile(r"\s+")


def clean_field(value: str | None, limit: int) -> str | None:
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value[:limit] or None
