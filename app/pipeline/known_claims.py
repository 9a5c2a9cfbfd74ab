"""Read a list of known claims (a fact-checker's ratings) from CSV, JSON lines or schema.org
ClaimReview JSON-LD into small records, without touching storage.

Why lenient on shape and strict on content: exports from different fact-checkers name their columns
differently and nest ClaimReview in pages, lists or graphs, so every common spelling is accepted;
but one bad row (no text, undecodable bytes, broken JSON) is reported with its line and skipped,
never guessed at and never allowed to stop the rows after it.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from app.pipeline import constants as C
from app.pipeline.claims import normalize_words
from app.pipeline.documents import DocumentError, parse_date

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_KNOWN_CLAIM_TEXT = 5000
MAX_URL = 2000
MAX_NAME = 200
FORMATS = ("auto", "csv", "jsonl", "claimreview")

#: Accepted column (or JSON key) names per field, compared lowercased without spaces, _ or -.
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("claim", "text", "claimtext", "claimreviewed", "statement"),
    "speaker": ("claimant", "speaker", "author", "claimauthor"),
    "rating": ("rating", "verdict", "status", "textualrating", "alternatename"),
    "url": ("url", "reviewurl", "link"),
    "date": ("date", "claimdate", "datepublished", "reviewdate"),
    "reviewer": ("reviewer", "publisher", "factchecker", "reviewedby"),
    "title": ("title", "headline", "reviewtitle", "reviewheadline"),
}
_KEY_TO_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def _key(name) -> str:
    return re.sub(r"[\s_\-]", "", str(name or "")).lower()

_LD_SCRIPT = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL)


class ImportRefused(ValueError):
    """The whole input is refused (too large, binary, unknown format); `too_large` tells a web
    route to answer 413 rather than 422."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.message, self.too_large = message, too_large


class _BadRow(ValueError):
    """One record that cannot be imported; the message is shown after its line or item number."""


@dataclass(frozen=True, slots=True)
class KnownClaim:
    text: str
    speaker: str | None = None
    rating: str | None = None          # as the source wrote it
    status: str | None = None          # rating mapped into app.vocab.STATUSES, or None
    url: str | None = None
    date: date | None = None
    reviewer: str | None = None
    title: str | None = None           # the fact-check's headline, another wording of the claim
    explanation: str | None = None     # why the rating (ClaimReview ratingExplanation)
    where: str | None = field(default=None, compare=False)  # "line 7" / "item 3", for messages


def rating_status(rating: str | None) -> str | None:
    """The status a textual rating means, or None when it is not one we know.

    "False: the photo is from 2019" counts as "false" (the label before a colon or full stop);
    "True, but ..." matches nothing, so a hedged verdict never becomes a confident one."""
    if not rating:
        return None
    for candidate in (rating, re.split(r"[:.!]", rating, maxsplit=1)[0]):
        key = " ".join(re.sub(r"[^\w\s]|_", " ", candidate.lower()).split())
        for status, words in (("false", C.RATINGS_FALSE), ("misleading", C.RATINGS_MISLEADING),
                              ("verified", C.RATINGS_VERIFIED), ("disputed", C.RATINGS_DISPUTED)):
            if key in words:
                return status
    return None


def numeric_status(value: float, best: float, worst: float) -> str | None:
    position = (value - worst) / (best - worst) if best != worst else -1.0
    if not 0 <= position <= 1:
        return None
    if position < C.NUMERIC_RATING_FALSE_BELOW:
        return "false"
    return "misleading" if position < C.NUMERIC_RATING_MISLEADING_BELOW else "verified"


# --- values ----------------------------------------------------------------------------------------

def _text(value) -> str | None:
    """A JSON value as one line of text: strings, numbers, {"name": ...} objects, first of a list."""
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list):
        return next((t for t in map(_text, value) if t), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return (" ".join(value.split()) or None) if isinstance(value, str) else None


def _storable(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    if "\x00" in value:
        raise _BadRow(f"{what} contains NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _BadRow(f"{what} is not valid Unicode (lone surrogate)") from None
    return value


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parse_date(value)
    except DocumentError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise _BadRow(f"unreadable date {value[:40]!r} (use YYYY-MM-DD)") from None


def make_known_claim(text, speaker=None, rating=None, url=None, date_text=None, reviewer=None,
                     status: str | None = None, where: str | None = None, title=None,
                     explanation=None) -> KnownClaim:
    """One checked record; raises _BadRow with the reason it cannot be imported."""
    text = _storable(_text(text), "claim text")
    if not text:
        raise _BadRow("missing claim text")
    if len(text) > MAX_KNOWN_CLAIM_TEXT:
        raise _BadRow(f"claim text is longer than {MAX_KNOWN_CLAIM_TEXT} characters")
    if len(normalize_words(text)) < C.MIN_CLAIM_WORDS:
        raise _BadRow(f"claim text has fewer than {C.MIN_CLAIM_WORDS} words")
    url = _storable(_text(url), "url")
    if url and len(url) > MAX_URL:
        raise _BadRow(f"url is longer than {MAX_URL} characters")
    rating = _storable(_text(rating), "rating")
    rating = rating[:MAX_NAME] if rating else None
    speaker = _storable(_text(speaker), "claimant")
    reviewer = _storable(_text(reviewer), "reviewer")
    title = _storable(_text(title), "headline")
    if title and len(title) > MAX_KNOWN_CLAIM_TEXT:
        raise _BadRow(f"headline is longer than {MAX_KNOWN_CLAIM_TEXT} characters")
    explanation = _storable(_text(explanation), "rating explanation")
    return KnownClaim(title=title, explanation=explanation or None, text=text, speaker=speaker[:MAX_NAME] if speaker else None, rating=rating,
                      status=status or rating_status(rating), url=url,
                      date=_date(_text(date_text)), where=where,
                      reviewer=reviewer[:MAX_NAME] if reviewer else None)


def _flat_record(row: dict, where: str) -> KnownClaim:
    """A CSV row or JSON object with the columns of ALIASES (the first alias present wins)."""
    values: dict[str, object] = {}
    for key, value in row.items():
        name = _KEY_TO_FIELD.get(_key(key))
        if name and name not in values and _text(value):
            values[name] = value
    return make_known_claim(values.get("text"), values.get("speaker"), values.get("rating"),
                            values.get("url"), values.get("date"), values.get("reviewer"),
                            where=where, title=values.get("title"))


# --- ClaimReview -----------------------------------------------------------------------------------

def _is_claim_review(node: dict) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.endswith("ClaimReview") for t in types) or (
        "claimReviewed" in node and ("reviewRating" in node or "itemReviewed" in node))


def _rating_explanation(rating) -> str | None:
    if isinstance(rating, list):
        rating = next((r for r in rating if isinstance(r, dict)), None)
    return _text(rating.get("ratingExplanation")) if isinstance(rating, dict) else None


def _review_rating(rating) -> tuple[str | None, str | None]:
    """(rating as written, status): the textual alternateName first, else ratingValue on its scale."""
    if isinstance(rating, list):
        rating = next((r for r in rating if isinstance(r, dict)), None)
    if not isinstance(rating, dict):
        return _text(rating), None
    label = _text(rating.get("alternateName")) or _text(rating.get("name"))
    if label:
        return label, rating_status(label)
    value = _text(rating.get("ratingValue"))
    try:
        number = float(value) if value is not None else None
        best = float(_text(rating.get("bestRating")) or 5)
        worst = float(_text(rating.get("worstRating")) or 1)
    except ValueError:
        return value, rating_status(value)
    if number is None:
        return None, None
    return f"{value}/{_text(rating.get('bestRating')) or '5'}", numeric_status(number, best, worst)


def _claim_review(node: dict, where: str) -> KnownClaim:
    item = node.get("itemReviewed")
    item = item if isinstance(item, dict) else {}
    rating, status = _review_rating(node.get("reviewRating"))
    reviewer = node.get("author") or node.get("publisher")
    claim_date = item.get("datePublished") or node.get("datePublished")
    # the review's own title: schema.org's headline, else its name
    title = node.get("headline") or node.get("name")
    return make_known_claim(node.get("claimReviewed"), item.get("author"), rating,
                            node.get("url"), claim_date, reviewer, status=status, where=where,
                            title=title, explanation=_rating_explanation(node.get("reviewRating")))


def _json_nodes(doc) -> Iterator[dict]:
    """Every object of a JSON-LD document that may be a claim: lists and @graph are opened."""
    if isinstance(doc, list):
        for item in doc:
            yield from _json_nodes(item)
    elif isinstance(doc, dict):
        if isinstance(doc.get("@graph"), list):
            yield from _json_nodes(doc["@graph"])
        else:
            yield doc


def _json_record(node: dict, where: str) -> KnownClaim | None:
    """A ClaimReview or a flat record; None for other nodes of a graph (a WebPage, an Organization)."""
    if _is_claim_review(node):
        return _claim_review(node, where)
    if "@type" in node and not {_key(k) for k in node} & set(ALIASES["text"]):
        return None
    return _flat_record(node, where)


# --- formats ---------------------------------------------------------------------------------------

def _decode_lines(data: bytes, errors: list[str]) -> list[str]:
    """Lines of UTF-8 text; a line with undecodable or NUL bytes is reported and left empty, so
    line numbers in later messages still match the file."""
    lines = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            if b"\x00" in raw:
                raise ValueError("contains NUL bytes")
            lines.append(raw.decode("utf-8").rstrip("\r"))
        except UnicodeDecodeError as exc:
            errors.append(f"line {number}: not UTF-8 text (undecodable byte at column {exc.start + 1})")
            lines.append("")
        except ValueError as exc:
            errors.append(f"line {number}: {exc}")
            lines.append("")
    return lines


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def parse_csv(text: str, errors: list[str]) -> list[KnownClaim]:
    """A header row, then one claim per row; rows are numbered by the line they start on."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header))
    records: list[KnownClaim] = []
    fields: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(f"line {start}: unreadable CSV ({exc}); stopped here")
            break
        if not any(cell.strip() for cell in row):
            continue
        if fields is None:
            fields = row
            if "text" not in {_KEY_TO_FIELD.get(_key(f)) for f in fields}:
                errors.append(f"line {start}: no claim column (expected one of claim, text, "
                              "claim_text, claimReviewed)")
                return []
            continue
        where = f"line {start}"
        _collect(records, errors, where, lambda: _flat_record(dict(zip(fields, row)), where))
    if fields is None:
        errors.append("line 1: no header row (expected a claim column)")
    return records


def _collect(records: list, errors: list[str], where: str, make) -> None:
    try:
        record = make()
    except _BadRow as exc:
        errors.append(f"{where}: {exc}")
        return
    if record is not None:
        records.append(record)


def parse_jsonl(text: str, errors: list[str]) -> list[KnownClaim]:
    """One JSON object per line (flat records or ClaimReview objects); blank lines are skipped."""
    records: list[KnownClaim] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            node = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            errors.append(f"{where}: invalid JSON ({getattr(exc, 'msg', 'too deeply nested')})")
            continue
        if not isinstance(node, dict):
            errors.append(f"{where}: expected a JSON object")
            continue
        _collect(records, errors, where, lambda: _line_record(node, where))
    return records


def _line_record(node: dict, where: str) -> KnownClaim:
    """In JSON lines every object is meant as a claim, so a typed non-claim node is an error."""
    record = _json_record(node, where)
    if record is None:
        raise _BadRow("missing claim text")
    return record


def _json_document(text: str, errors: list[str], first_line: int = 1,
                   label: str = "") -> list[KnownClaim]:
    """A JSON-LD document: one object, a list, or {"@graph": [...]}; items are numbered from 1."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = first_line + getattr(exc, "lineno", 1) - 1
        errors.append(f"line {line}: {label}invalid JSON ({getattr(exc, 'msg', 'too deeply nested')})")
        return []
    records: list[KnownClaim] = []
    prefix = f"{label}item" if label else "item"
    for number, node in enumerate(_json_nodes(doc), start=1):
        where = f"{prefix} {number}"
        _collect(records, errors, where, lambda: _json_record(node, where))
    return records


def parse_claimreview(text: str, errors: list[str]) -> list[KnownClaim]:
    """ClaimReview JSON-LD, or an HTML page whose <script type="application/ld+json"> blocks hold it."""
    if not text.lstrip().startswith("<"):
        return _json_document(text, errors)
    records: list[KnownClaim] = []
    blocks = list(_LD_SCRIPT.finditer(text))
    if not blocks:
        errors.append("no <script type=\"application/ld+json\"> block in the HTML")
    for number, match in enumerate(blocks, start=1):
        line = text.count("\n", 0, match.start(1)) + 1
        records += _json_document(match.group(1), errors, line, f"script {number} ")
    return records


def detect_format(text: str, filename: str | None) -> str:
    """By file extension first (.csv/.tsv, .jsonl/.ndjson, .jsonld/.html), else by content."""
    name = (filename or "").lower()
    for suffixes, fmt in (((".csv", ".tsv"), "csv"), ((".jsonl", ".ndjson"), "jsonl"),
                          ((".jsonld", ".html", ".htm"), "claimreview")):
        if name.endswith(suffixes):
            return fmt
    head = text.lstrip()
    if head.startswith("<"):
        return "claimreview"
    if head.startswith(("[", "{")):
        try:
            json.loads(text)
            return "claimreview"
        except (json.JSONDecodeError, RecursionError):
            return "jsonl" if head.startswith("{") else "claimreview"
    return "csv"


_PARSERS = {"csv": parse_csv, "jsonl": parse_jsonl, "claimreview": parse_claimreview}


def parse_known_claims(data: bytes | str, filename: str | None = None,
                       fmt: str = "auto") -> tuple[list[KnownClaim], list[str]]:
    """Records and one error line per row that could not be read. Raises ImportRefused when the
    whole input is unusable: over MAX_IMPORT_BYTES, binary, or an unknown format name."""
    if fmt not in FORMATS:
        raise ImportRefused(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > MAX_IMPORT_BYTES:
        raise ImportRefused(f"input is {size:,} bytes, over the limit of {MAX_IMPORT_BYTES:,} bytes",
                            too_large=True)
    errors: list[str] = []
    if isinstance(data, bytes):
        if data[:8192].count(b"\x00") > 8:
            raise ImportRefused("binary file, or text that is not UTF-8 (contains NUL bytes)")
        text = "\n".join(_decode_lines(data, errors))
    else:
        text = data.lstrip("\ufeff")
    if not text.strip():
        return [], errors
    if fmt == "auto":
        fmt = detect_format(text, filename)
    records = _PARSERS[fmt](text, errors)
    return records, sorted(errors, key=_line_number)


def _line_number(message: str) -> int:
    """Errors in file order, whichever stage found them; messages without a line keep their place."""
    match = re.match(r"line (\d+):", message)
    return int(match.group(1)) if match else 0
