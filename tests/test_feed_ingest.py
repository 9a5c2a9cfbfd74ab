"""Ingest from RSS and Atom feeds: only new items on each run, the feed's time and title kept, pages
fetched under the address guard, failures retried a few times; served by the test's own server."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from app.domain.feed_ingest import MAX_ATTEMPTS, ingest_feed
from app.domain.spread import as_utc
from app.storage.engine import make_engine, make_sessionmaker
from app.storage.models import Article, Feed, FeedItem
from tests.fetch_server import fence, server  # noqa: F401 (fixtures)

RSS = "application/rss+xml"
ATOM = "application/atom+xml"


@pytest.fixture
def settings(settings):
    return settings.model_copy(update={"fetch_allow_loopback_for_tests": True, "fetch_timeout": 5.0})


def article_html(title: str, speaker: str, words: str) -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
            "<meta property='og:site_name' content='Valley Courier'></head><body><article>"
            f"<h1>{title}</h1><p>The county board met on Tuesday evening to discuss the plan.</p>"
            f"<p>\u201c{words},\u201d {speaker} told the meeting.</p>"
            "<p>Residents asked questions for an hour before the vote was postponed.</p>"
            "</article></body></html>")


def rss(*items: tuple[str, str, str, str]) -> str:
    """items: (guid, link, title, pubDate)."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link><guid isPermaLink='false'>{g}</guid>"
                   f"<pubDate>{d}</pubDate></item>" for g, link, t, d in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Courier news"
            f"</title><link>http://example.org/</link><description>d</description>{body}</channel></rss>")


def atom(*entries: tuple[str, str, str, str]) -> str:
    """entries: (id, link, title, updated)."""
    body = "".join(f"<entry><id>{i}</id><title>{t}</title><link href='{link}'/><updated>{u}</updated>"
                   "</entry>" for i, link, t, u in entries)
    return ("<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            "<title>Courier atom</title><id>urn:x</id><updated>2024-05-01T00:00:00Z</updated>"
            f"{body}</feed>")


def serve_articles(server) -> None:
    server.serve("/news/1", "text/html", article_html(
        "Bridge repairs", "engineer Ada Brook", "The old bridge needs new cables before the winter storms"))
    server.serve("/news/2", "text/html", article_html(
        "School roof", "principal Tom Reyes", "The school roof will be replaced during the summer break"))
    server.serve("/news/3", "text/html", article_html(
        "Market days", "trader Lena Ruiz", "The market will open on Sundays from the first of June"))


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_rss_items_are_ingested_once_with_the_feeds_time_and_title(server, session, settings):
    serve_articles(server)
    url = server.serve("/feed.xml", RSS, rss(
        ("g2", "/news/2", "School roof to be replaced", "Wed, 03 Apr 2024 10:30:00 +0200"),
        ("g1", server.url("/news/1"), "Bridge repairs due", "Tue, 02 Apr 2024 08:00:00 GMT")), etag='"v1"')
    run = ingest_feed(session, url, {}, "tester", settings)
    assert (run.status, run.items, run.seen) == ("read", 2, 0)
    assert [r.status for r in run.results] == ["added", "added"]
    first, second = (session.get(Article, r.article_id) for r in run.results)
    assert first.url == server.url("/news/1") and first.title == "Bridge repairs due"
    assert second.url == server.url("/news/2")          # the relative link, resolved against the feed
    assert as_utc(second.published_at).strftime("%Y-%m-%d %H:%M") == "2024-04-03 08:30"
    assert second.published.isoformat() == "2024-04-03" and second.outlet.name == "Valley Courier"

    again = ingest_feed(session, url, {}, "tester", settings)
    assert again.status == "not modified" and again.results == []
    server.serve("/feed.xml", RSS, rss(
        ("g3", "/news/3", "Market days", "Thu, 04 Apr 2024 07:00:00 GMT"),
        ("g2", "/news/2", "School roof to be replaced", "Wed, 03 Apr 2024 10:30:00 +0200"),
        ("g1", server.url("/news/1"), "Bridge repairs due", "Tue, 02 Apr 2024 08:00:00 GMT")), etag='"v2"')
    server.hits.paths.clear()
    third = ingest_feed(session, url, {"outlet": "Courier"}, "tester", settings)
    assert (third.items, third.seen, [r.name for r in third.results]) == (3, 2, [server.url("/news/3")])
    assert server.hits.paths == ["/feed.xml", "/news/3"]
    assert session.get(Article, third.results[0].article_id).outlet.name == "Courier"
    feed = session.scalar(select(Feed))
    assert (feed.etag, feed.title, _count(session, FeedItem)) == ('"v2"', "Courier news", 3)
    assert feed.last_status.endswith("3 items, 1 new, 2 seen before")


def test_atom_item_failing_is_tried_again_then_given_up(server, session, settings):
    serve_articles(server)
    url = server.serve("/atom.xml", ATOM, atom(
        ("urn:a:1", server.url("/news/1"), "Bridge", "2024-04-02T09:00:00+01:00"),
        ("urn:a:gone", server.url("/gone"), "Gone", "2024-04-03T09:00:00Z")))
    runs = [ingest_feed(session, url, {}, "tester", settings) for _ in range(MAX_ATTEMPTS + 1)]
    assert [(r.status, r.error) for r in runs[0].results] == [
        ("failed", "127.0.0.1 answered 404 Not Found"), ("added", None)]
    assert [len(r.results) for r in runs] == [2] + [1] * (MAX_ATTEMPTS - 1) + [0]
    gone = session.scalar(select(FeedItem).where(FeedItem.key == "urn:a:gone"))
    assert (gone.status, gone.attempts) == ("failed", MAX_ATTEMPTS)
    article = session.get(Article, runs[0].results[1].article_id)
    assert as_utc(article.published_at).strftime("%H:%M") == "08:00"


def test_feed_items_go_through_the_address_guard(server, session, settings):
    url = server.serve("/feed.xml", RSS, rss(("p", "http://10.0.0.5/admin", "Inside", "Tue, 02 Apr 2024 08:00:00 GMT")))
    run = ingest_feed(session, url, {}, "tester", settings)
    assert run.results[0].error == "refused: 10.0.0.5 is a private address"
    guarded = settings.model_copy(update={"fetch_allow_loopback_for_tests": False})
    refused = ingest_feed(session, server.url("/other.xml"), {}, "tester", guarded)
    assert refused.status == "failed" and refused.error.startswith("refused: ")
    scheme = ingest_feed(session, "file:///etc/passwd", {}, "tester", settings)
    assert scheme.error == "refused: only http and https URLs can be fetched, not file:"
    assert _count(session, Article) == 0
    assert session.scalars(select(Feed.url)).all() == [url]     # no row for the refused ones


@pytest.mark.parametrize("ctype, body, message", [
    ("text/html", "<html><body>hello</body></html>", "refused: 127.0.0.1 sent text/html, not an RSS or Atom feed"),
    ("application/xml", "<not-a-feed><x/></not-a-feed>", "not an RSS or Atom feed (no items found)"),
])
def test_what_is_not_a_feed_fails_with_why(server, session, settings, ctype, body, message):
    url = server.serve("/feed.xml", ctype, body)
    run = ingest_feed(session, url, {}, "tester", settings)
    assert (run.status, run.error) == ("failed", message)
    assert session.scalar(select(Feed.last_status)) == f"{url}: failed: {message}"


def test_cli_ingest_feed_reports_items_and_feeds(server, tmp_path):
    serve_articles(server)
    url = server.serve("/feed.xml", RSS, rss(
        ("g1", "/news/1", "Bridge repairs due", "Tue, 02 Apr 2024 08:00:00 GMT"),
        ("g9", "/missing", "Missing", "Tue, 02 Apr 2024 09:00:00 GMT")))
    db = f"sqlite:///{tmp_path / 'feeds.db'}"
    assert CliRunner().invoke(main, ["db", "upgrade", "--database-url", db]).exit_code == 0
    env = {"CLAIMTRACKER_FETCH_ALLOW_LOOPBACK_FOR_TESTS": "1"}
    first = CliRunner(env=env).invoke(main, ["ingest-feed", url, server.url("/nothing.xml"), "--database-url", db])
    assert first.exit_code == 2, first.output           # one item and one feed failed
    assert f"{server.url('/news/1')}: added article 1" in first.stdout
    assert f"{server.url('/missing')}: failed: 127.0.0.1 answered 404 Not Found" in first.stderr
    assert f"{url}: 2 items, 2 new, 0 seen before" in first.stdout
    assert f"{server.url('/nothing.xml')}: failed: 127.0.0.1 answered 404 Not Found" in first.stderr
    assert first.stdout.strip().endswith("1 added, 0 already present, 2 failed")
    second = CliRunner(env=env).invoke(main, ["ingest-feed", url, "--database-url", db])
    assert f"{url}: 2 items, 1 new, 1 seen before" in second.stdout and second.exit_code == 1
    engine = make_engine(db)
    with make_sessionmaker(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Article)) == 1
    engine.dispose()
