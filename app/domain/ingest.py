"""Batches of files into articles: each file committed on its own, one bad file never stops the rest."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.domain.articles import ArticleInput, ingest_and_commit
from app.domain.matching import MatchConfig
from app.domain.errors import DomainError
from app.domain.inputs import check_storable
from app.pipeline.documents import HTML_SUFFIXES, TEXT_SUFFIXES, DocumentError, parse_document, parse_published
from app.storage.engine import BUSY_MESSAGE, is_busy_error

FOLDER_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES


@dataclass(frozen=True)
class BatchResult:
    name: str
    status: str                 # "added", "present" or "failed"
    article_id: int | None = None
    error: str | None = None
    quotes: int = 0
    new_claims: int = 0
    mentions: int = 0
    suggestions: int = 0
    notes: tuple[str, ...] = ()       # what the bounds on work per article left out


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the article files inside folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES))
        else:
            out.append(p)
    return out


def shown_name(name: str | Path) -> str:
    """A file name fit to print and store: bytes that were not UTF-8 (read with surrogateescape)
    become U+FFFD instead of lone surrogates that no encoder or text column takes."""
    try:
        raw = str(name).encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte
        raw = str(name).encode("utf-8", "replace")
    return raw.decode("utf-8", "replace")


def article_input(name: str, data: bytes, meta: dict[str, str | None]) -> ArticleInput:
    """Parse a file and merge its metadata: given fields win over what the document says. Text no
    column can store (NUL, a lone surrogate) in the metadata is refused here, naming the field."""
    for key, value in meta.items():
        check_storable(value, key)
    doc = parse_document(name, data)
    published, published_at = parse_published(meta.get("published") or doc.published)
    article = ArticleInput(
        text=doc.text, outlet=(meta.get("outlet") or "").strip(),
        title=meta.get("title") or doc.title, author=meta.get("author") or doc.author,
        url=meta.get("url") or doc.url, published=published, published_at=published_at,
        source_name=shown_name(Path(name).name))
    for key in ("text", "title", "author", "url"):
        check_storable(getattr(article, key), key)
    return article


def ingest_bytes(session: Session, name: str, data: bytes, meta: dict[str, str | None], actor: str,
                 max_bytes: int, matching: MatchConfig | None = None) -> BatchResult:
    """One file, committed on success and rolled back on failure, reported either way. The same
    text stored by another request or process at the same moment is "present" (ingest_and_commit)."""
    try:
        if len(data) > max_bytes:
            raise DocumentError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
        result = ingest_and_commit(session, article_input(name, data, meta), actor, max_bytes, matching)
    except (DocumentError, DomainError) as exc:
        session.rollback()
        return BatchResult(name, "failed", error=getattr(exc, "message", None) or str(exc))
    return BatchResult(name, "added" if result.created else "present", result.article_id,
                       quotes=result.quotes, new_claims=result.new_claims, mentions=result.mentions,
                       suggestions=result.suggestions, notes=result.notes)


def ingest_files(session: Session, files: list[Path], defaults: dict[str, str | None],
                 sources: dict[str, dict[str, str]], actor: str, max_bytes: int,
                 progress: Callable[[BatchResult], None] | None = None,
                 matching: MatchConfig | None = None) -> list[BatchResult]:
    results = []
    for path in files:
        meta = {**{k: v for k, v in defaults.items() if v}, **sources.get(path.name, {})}
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = BatchResult(shown_name(path), "failed", error=f"cannot read: {exc.strerror or exc}")
        else:
            try:
                result = ingest_bytes(session, str(path), data, meta, actor, max_bytes, matching)
                result = replace(result, name=shown_name(result.name))
            except OperationalError as exc:
                # Another writer held the database past the wait: this file fails, the batch goes
                # on, and running the batch again adds it (stored files are "already present").
                if not is_busy_error(exc):
                    raise
                session.rollback()
                result = BatchResult(shown_name(path), "failed", error=BUSY_MESSAGE)
        results.append(result)
        if progress:
            progress(result)
    return results
