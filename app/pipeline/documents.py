"""Turn the bytes of an uploaded or on-disk file into article text and metadata, without touching storage."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from email.utils import parsedate_to_datetime

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
    from trafilatura.settings import set_date_params

    # The page's publication time too, when its metadata states one (article:published_time,
    # <time datetime>, JSON-LD datePublished): htmldate prints it with its UTC offset.
    dates = {**set_date_params(), "outputformat": HTML_DATE_FORMAT}
    result = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                         favor_precision=True, date_extraction_params=dates)
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


HTML_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y")


def parse_date(value: str | None) -> date | None:
    """Dates as news sources write them; an unreadable one is an error, never a silent guess."""
    return parse_published(value)[0]


def parse_published(value: str | None) -> tuple[date | None, datetime | None]:
    """(the date as the source states it, the moment in UTC when the value carries a time of day).

    Why two values: analysts ask who published first, and two outlets on the same day differ by
    their hour; but most sources give only a day, which must not turn into a made-up midnight. So
    a plain date, and a midnight without a UTC offset (what date tools print for a date-only page),
    give no moment; a time without an offset is read as UTC. ISO 8601 (2024-03-01T14:05+08:00) and
    RFC 2822 (feeds: Fri, 01 Mar 2024 14:05:00 +0800) are read with their time."""
    if value is None or not str(value).strip():
        return None, None
    value = str(value).strip()
    try:
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        stamp = _rfc2822(value)
    if stamp is not None:
        return stamp.date(), _moment(stamp, has_time=len(value) > 10)
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date(), None
        except ValueError:
            continue
    raise DocumentError(f"unparseable date {value!r} (use YYYY-MM-DD, or YYYY-MM-DDTHH:MM+HH:MM)")


def _rfc2822(value: str) -> datetime | None:
    if not re.search(r"\d{1,2}:\d{2}", value):
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _moment(stamp: datetime, has_time: bool) -> datetime | None:
    if not has_time or (stamp.tzinfo is None and stamp.time() == time(0)):
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    try:
        return stamp.astimezone(timezone.utc)
    except OverflowError:
        raise DocumentError(f"date {stamp.isoformat()!r} is out of range") from None


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
