"""Ingest from RSS and Atom feeds, run from cron every few minutes: only items not seen before.

Each feed is fetched under the same address guard as an article URL (domain.fetch), conditionally
(If-None-Match / If-Modified-Since from the last run), so an unchanged feed costs one 304. Each new
item's page is then fetched and ingested like `claimtracker fetch URL` (domain.url_ingest), with
the feed's time and title for the item. What an item became is remembered in feed_items: added or
already present, it is never fetched again; failed, it is tried again on the next runs, up to
MAX_ATTEMPTS, then left alone. One bad item never stops the others or the other feeds.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.fetch import FEED, FetchError, FetchLimits, check_url, fetch_page
from app.domain.ingest import BatchResult
from app.domain.matching import MatchConfig
from app.domain.url_ingest import ingest_url
from app.pipeline.feeds import FeedEntry, FeedError, parse_feed
from app.storage.models import Feed, FeedItem, utcnow

MAX_ATTEMPTS = 3


@dataclass
class FeedRun:
    url: str
    status: str                       # "read", "not modified" or "failed"
    error: str | None = None
    items: int = 0                    # items the feed lists
    seen: int = 0                     # of which ingested (or given up on) by an earlier run
    results: list[BatchResult] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "failed":
            return f"{self.url}: failed: {self.error}"
        if self.status == "not modified":
            return f"{self.url}: not modified since the last run"
        return f"{self.url}: {self.items} items, {len(self.results)} new, {self.seen} seen before"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def feed_for(session: Session, url: str) -> Feed:
    """The stored feed of this URL (as given), made on its first run."""
    url = url.strip()[:2000]
    feed = session.scalar(select(Feed).where(Feed.url_hash == _digest(url)))
    if feed is None:
        feed = Feed(url=url, url_hash=_digest(url))
        session.add(feed)
        try:
            session.commit()
        except IntegrityError:      # another run made it at the same moment
            session.rollback()
            feed = session.scalar(select(Feed).where(Feed.url_hash == _digest(url)))
    return feed


def _validators(feed: Feed) -> dict[str, str]:
    out = {}
    if feed.etag:
        out["If-None-Match"] = feed.etag
    if feed.modified:
        out["If-Modified-Since"] = feed.modified
    return out


def ingest_feed(session: Session, url: str, meta: dict[str, str | None], actor: str, settings,
                matching: MatchConfig | None = None,
                progress: Callable[[BatchResult], None] | None = None) -> FeedRun:
    """Read one feed and ingest the pages of its new items, oldest first. `meta` (the outlet)
    applies to every item; the feed's title and time for each item win over its page's."""
    limits = FetchLimits.from_settings(settings)
    try:
        check_url(url, limits.allow_loopback)    # nothing is stored for a URL that is refused
    except FetchError as exc:
        return FeedRun(url.strip()[:500], "failed", exc.message)
    feed = feed_for(session, url)
    run = FeedRun(feed.url, "read")
    try:
        page = fetch_page(feed.url, limits, FEED, _validators(feed))
        parsed = None if page.not_modified else parse_feed(page.body, page.final_url, page.content_type)
    except (FetchError, FeedError) as exc:
        session.rollback()
        run.status, run.error = "failed", getattr(exc, "message", None) or str(exc)
        _finish(session, feed, run)
        return run
    if parsed is None:
        run.status = "not modified"
        _finish(session, feed, run)
        return run
    run.items = len(parsed.entries)
    known = _known_items(session, feed, parsed.entries)
    for entry in parsed.entries:
        item = known.get(_digest(entry.key))
        if item is not None and (item.status != "failed" or item.attempts >= MAX_ATTEMPTS):
            run.seen += 1
            continue
        result = _ingest_entry(session, entry, meta, actor, settings, matching)
        _remember(session, feed.id, entry, result, item)
        run.results.append(result)
        if progress:
            progress(result)
    _finish(session, feed, run, page.etag, page.last_modified, parsed.title)
    return run


def _known_items(session: Session, feed: Feed, entries: tuple[FeedEntry, ...]) -> dict[str, FeedItem]:
    hashes = [_digest(e.key) for e in entries]
    known: dict[str, FeedItem] = {}
    for start in range(0, len(hashes), 500):
        stmt = select(FeedItem).where(FeedItem.feed_id == feed.id,
                                      FeedItem.key_hash.in_(hashes[start:start + 500]))
        known.update((item.key_hash, item) for item in session.scalars(stmt))
    return known


def _ingest_entry(session: Session, entry: FeedEntry, meta: dict[str, str | None], actor: str,
                  settings, matching: MatchConfig | None) -> BatchResult:
    if not entry.link:
        return BatchResult(entry.key[:500], "failed", error="the item has no link to an article page")
    item_meta = {**meta, "published": entry.published, "title": entry.title}
    return ingest_url(session, entry.link, item_meta, actor, settings, matching)


def _remember(session: Session, feed_id: int, entry: FeedEntry, result: BatchResult,
              item: FeedItem | None) -> None:
    """Write what the item became, committed at once so a run cut short keeps what it did."""
    error = (result.error or "")[:1000] or None
    if item is None:
        item = FeedItem(feed_id=feed_id, key=entry.key, key_hash=_digest(entry.key), attempts=0)
        session.add(item)
    item.link = (entry.link or "")[:2000] or None
    item.status, item.error, item.article_id = result.status, error, result.article_id
    item.attempts += 1
    item.seen_at = utcnow()
    try:
        session.commit()
    except IntegrityError:      # an overlapping run remembered it first
        session.rollback()


def _finish(session: Session, feed: Feed, run: FeedRun, etag: str | None = None,
            modified: str | None = None, title: str | None = None) -> None:
    """The run's outcome; the validators only once every item was handled, so a run cut short
    reads the feed again next time instead of being answered 304."""
    feed = session.merge(feed)
    if run.status == "read":
        feed.etag, feed.modified = etag, modified
        feed.title = (title or "")[:1000] or feed.title
    feed.last_checked_at = utcnow()
    failed = sum(r.status == "failed" for r in run.results)
    feed.last_status = (run.line() + (f" ({failed} failed)" if failed else ""))[:500]
    session.commit()
