"""Ingest an article from a URL: fetch it under the guard of domain.fetch, read the page like an
uploaded file, and store it through ingest_article with the final URL (after redirects) as its url.

The outlet is the one given, else the page's site name (og:site_name), else the host without "www.".
"""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app.domain.articles import ArticleInput, IngestResult, ingest_and_commit
from app.domain.errors import DomainError
from app.domain.fetch import FetchedPage, FetchError, FetchLimits, fetch_page
from app.domain.ingest import BatchResult
from app.domain.matching import MatchConfig
from app.pipeline.documents import Document, DocumentError, parse_document, parse_published

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def page_text(page: FetchedPage) -> bytes:
    """The body as UTF-8 (what parse_document reads): the header's charset, else an HTML <meta>
    charset, else UTF-8 as sent."""
    charset = page.charset
    if not charset and page.suffix == ".html":
        found = _META_CHARSET.search(page.body[:4096])
        charset = found.group(1).decode("ascii") if found else None
    if not charset or charset.lower().replace("_", "-") in ("utf-8", "utf8", "us-ascii", "ascii"):
        return page.body
    try:
        return page.body.decode(charset).encode("utf-8")
    except LookupError:
        raise DocumentError(f"the page is in an unknown character set {charset!r}") from None
    except UnicodeDecodeError as exc:
        raise DocumentError(f"the page is not valid {charset} (byte at offset {exc.start})") from None


def page_input(page: FetchedPage, meta: dict[str, str | None]) -> ArticleInput:
    """What to store: the page's text and metadata, with the fields given winning."""
    doc = parse_document("page" + page.suffix, page_text(page))
    published, published_at = parse_published(meta.get("published"))
    if published is None:
        published, published_at = _page_date(doc)
    return ArticleInput(
        text=doc.text, outlet=(meta.get("outlet") or "").strip() or outlet_of(doc, page),
        title=meta.get("title") or doc.title, author=meta.get("author") or doc.author,
        url=page.final_url, published=published, published_at=published_at, source_name=None)


def outlet_of(doc: Document, page: FetchedPage) -> str:
    name = (doc.site_name or "").strip()
    if name:
        return name[:200]
    host = page.host
    return host[4:] if host.startswith("www.") else host


def _page_date(doc: Document):
    """The date (and time) the page states; one we cannot read is left out rather than failing
    the article."""
    try:
        return parse_published(doc.published)
    except DocumentError:
        return None, None


def ingest_page(session: Session, page: FetchedPage, meta: dict[str, str | None], actor: str,
                max_bytes: int, matching: MatchConfig | None = None) -> IngestResult:
    """Store a fetched page and commit; a concurrent ingest of the same text makes ours a no-op."""
    return ingest_and_commit(session, page_input(page, meta), actor, max_bytes, matching)


def ingest_url(session: Session, url: str, meta: dict[str, str | None], actor: str, settings,
               matching: MatchConfig | None = None) -> BatchResult:
    """Fetch and ingest one URL, reported like a file of a batch: added, present or failed with why."""
    name = url.strip()[:500]
    try:
        page = fetch_page(url, FetchLimits.from_settings(settings))
        name = page.final_url[:500]
        result = ingest_page(session, page, meta, actor, settings.max_article_bytes, matching)
    except (FetchError, DocumentError, DomainError) as exc:
        session.rollback()
        return BatchResult(name, "failed", error=getattr(exc, "message", None) or str(exc))
    return BatchResult(name, "added" if result.created else "present", result.article_id,
                       quotes=result.quotes, new_claims=result.new_claims, mentions=result.mentions,
                       suggestions=result.suggestions, notes=result.notes)
