"""Read an RSS or Atom feed's bytes into its items, with feedparser; no fetching, no storage.

An item is known by its guid (Atom id, RSS guid), else by its link: that key is what
`ingest-feed` remembers, so an item whose page moves keeps its identity when the feed gives a guid.
The item's time is the feed's own (published, else updated), kept as the feed wrote it so the
article stores the date as the source states it and the moment in UTC (documents.parse_published).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timezone

from app.pipeline.documents import DocumentError, parse_published

MAX_KEY = 2000


class FeedError(ValueError):
    """The bytes are not a feed we can read; the message says why in a few words."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    key: str                    # guid, else link: what marks the item as seen
    link: str | None            # the article page (absolute)
    title: str | None
    published: str | None       # as parse_published reads it: the feed's text, else ISO in UTC
    author: str | None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]   # oldest first, as they were published


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """The feed's items, oldest first. Malformed XML that still yields items is read (feeds often
    are); bytes that give neither a feed type nor an item are refused."""
    import feedparser

    headers = {"content-location": url, **({"content-type": content_type} if content_type else {})}
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    if not parsed.entries and not parsed.version:
        why = getattr(parsed, "bozo_exception", None)
        raise FeedError(f"not an RSS or Atom feed ({why or 'no items found'})")
    entries = [e for e in map(_entry, parsed.entries) if e is not None]
    return ParsedFeed(_clean(parsed.feed.get("title")), tuple(reversed(entries)))


def _entry(raw) -> FeedEntry | None:
    link = _clean(raw.get("link"))
    key = _clean(raw.get("id")) or link
    if not key:
        return None
    return FeedEntry(key=key[:MAX_KEY], link=link, title=_clean(raw.get("title")),
                     published=_published(raw), author=_clean(raw.get("author")))


def _published(raw) -> str | None:
    """The item's time as the feed wrote it when parse_published reads that, else feedparser's
    reading of it in UTC (it knows more date styles), else nothing."""
    for name in ("published", "updated"):
        text = _clean(raw.get(name))
        if not text:
            continue
        try:
            parse_published(text)
            return text
        except DocumentError:
            pass
        stamp = raw.get(f"{name}_parsed")
        if stamp:
            return datetime.fromtimestamp(calendar.timegm(stamp), timezone.utc).isoformat()
    return None


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
