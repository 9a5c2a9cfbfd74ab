"""Batches of files into articles: each file in its own transaction, one bad file never stops the rest."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app.domain.articles import ArticleInput, ingest_article
from app.domain.matching import MatchConfig
from app.domain.errors import DomainError
from app.pipeline.documents import HTML_SUFFIXES, TEXT_SUFFIXES, DocumentError, parse_document, parse_published

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


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the article files inside folders named, in a stable order."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES))
        else:
            out.append(p)
    return out


def article_input(name: str, data: bytes, meta: dict[str, str | None]) -> ArticleInput:
    """Parse a file and merge its metadata: given fields win over what the document says."""
    doc = parse_document(name, data)
    published, published_at = parse_published(meta.get("published") or doc.published)
    return ArticleInput(
        text=doc.text, outlet=(meta.get("outlet") or "").strip(),
        title=meta.get("title") or doc.title, author=meta.get("author") or doc.author,
        url=meta.get("url") or doc.url, published=published, source_name=Path(name).name,
        published_at=published_at)


def ingest_bytes(session: Session, name: str, data: bytes, meta: dict[str, str | None], actor: str,
                 max_bytes: int, matching: MatchConfig | None = None) -> BatchResult:
    """One file, committed on success and rolled back on failure, reported either way."""
    try:
        if len(data) > max_bytes:
            raise DocumentError(f"file is {len(data):,} bytes, over the limit of {max_bytes:,} bytes")
        result = ingest_article(session, article_input(name, data, meta), actor, max_bytes, matching)
        session.commit()
    except (DocumentError, DomainError) as exc:
        session.rollback()
        return BatchResult(name, "failed", error=getattr(exc, "message", None) or str(exc))
    return BatchResult(name, "added" if result.created else "present", result.article_id,
                       quotes=result.quotes, new_claims=result.new_claims, mentions=result.mentions,
                       suggestions=result.suggestions)


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
            result = BatchResult(str(path), "failed", error=f"cannot read: {exc.strerror or exc}")
        else:
            result = ingest_bytes(session, str(path), data, meta, actor, max_bytes, matching)
        results.append(result)
        if progress:
            progress(result)
    return results
