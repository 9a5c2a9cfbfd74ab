"""Atom feeds out: a claim's new mentions and status changes, new claims of an outlet, a speaker and
a tag, and every status change. Each is read as a feed reader reads it (feedparser: well-formed,
no bozo, entries with ids, links and times) and checked by an XML parser for what RFC 4287 requires
(feed id, title, updated, link rel=self; entry id, title, updated). Suggestions never show."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.domain.articles import ingest_article
from app.domain.review import add_tag, set_status
from app.main import create_app
from app.settings import Settings
from app.storage.models import Article, Claim, Mention, Outlet, Speaker
from tests.factories import GAZETTE, HERALD, STATEMENT
from tests.test_web_suggestions import ingest_sample, pending
from tests.test_web_support import soup

NS = {"a": "http://www.w3.org/2005/Atom"}
ATOM_TYPE = "application/atom+xml"


def read_feed(response, self_url: str) -> feedparser.FeedParserDict:
    """Parse as a reader does, and check the Atom elements every feed and entry must have."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(ATOM_TYPE)
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated"):
        assert (root.findtext(f"a:{name}", namespaces=NS) or "").strip(), name
    assert [link.get("href") for link in root.findall("a:link[@rel='self']", NS)] == [self_url]
    for entry in root.findall("a:entry", NS):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"a:{name}", namespaces=NS) or "").strip(), name
        datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS).replace("Z", "+00:00"))
        assert entry.find("a:link[@rel='alternate']", NS).get("href").startswith("http")
    for entry in parsed.entries:
        assert entry.id and entry.link and entry.updated_parsed
    return parsed


@pytest.fixture
def pier(app_session):
    """Two outlets carrying one claim, then a verdict and a tag on it."""
    for article in (HERALD, GAZETTE):
        ingest_article(app_session, article, "loader")
    app_session.commit()
    claim = app_session.scalar(select(Claim).where(Claim.text == STATEMENT))
    set_status(app_session, claim.id, "disputed", "The authority <b>denies</b> it", "vera")
    add_tag(app_session, claim.id, "Harbour & Port", "vera")
    app_session.commit()
    return claim


def test_claim_feed_has_its_mentions_and_status_changes(client, pier):
    parsed = read_feed(client.get(f"/claims/{pier.id}/feed.atom"),
                       f"http://testserver/claims/{pier.id}/feed.atom")
    titles = [e.title for e in parsed.entries]
    assert titles[0].startswith(f"Claim {pier.id} set to disputed: The harbour authority will close")
    assert sorted(t.split(" repeats")[0] for t in titles[1:]) == ["Coastal Gazette", "Northport Herald"]
    status = parsed.entries[0]
    # The reason was stored as text: the summary (HTML to a reader) shows it as typed, no markup.
    assert "vera set the status from unreviewed to disputed because The authority &lt;b&gt;denies" \
        "&lt;/b&gt; it" in status.summary and "<b>" not in status.summary
    assert status.link == f"http://testserver/claims/{pier.id}#event-{status.id.rsplit('-', 1)[1]}"
    mention_links = {e.link for e in parsed.entries[1:]}
    assert all(link.startswith("http://testserver/articles/") and "#m" in link for link in mention_links)
    assert parsed.feed.link == f"http://testserver/claims/{pier.id}"


def test_status_changes_feed_lists_every_verdict_newest_first(client, pier, app_session):
    set_status(app_session, pier.id, "false", "Checked with the authority", "olga")
    app_session.commit()
    parsed = read_feed(client.get("/status-changes.atom"), "http://testserver/status-changes.atom")
    assert [e.title.split(":")[0] for e in parsed.entries] == [
        f"Claim {pier.id} set to false", f"Claim {pier.id} set to disputed"]
    assert [e.author for e in parsed.entries] == ["olga", "vera"]
    assert parsed.entries[0].updated_parsed >= parsed.entries[1].updated_parsed


def test_outlet_speaker_and_tag_feeds_list_their_claims(client, pier, app_session):
    herald = app_session.scalar(select(Outlet).where(Outlet.name == "Northport Herald"))
    speaker = app_session.get(Speaker, pier.speaker_id)
    feeds = {f"/outlets/{herald.slug}/feed.atom": f"http://testserver/outlets/{herald.slug}",
             f"/speakers/{speaker.slug}/feed.atom": f"http://testserver/speakers/{speaker.slug}",
             "/tags/harbour%20%26%20port/feed.atom": "http://testserver/claims?tag=harbour+%26+port"}
    for path, page in feeds.items():
        parsed = read_feed(client.get(path), "http://testserver" + path)
        assert parsed.feed.link == page
        entries = {int(e.link.rsplit("/", 1)[1]): e for e in parsed.entries}
        assert entries[pier.id].title.startswith("The harbour authority will close"), path


def test_pages_point_to_their_feeds(client, pier, app_session):
    herald = app_session.scalar(select(Outlet).where(Outlet.name == "Northport Herald"))
    speaker = app_session.get(Speaker, pier.speaker_id)
    pages = {f"/claims/{pier.id}": f"/claims/{pier.id}/feed.atom",
             f"/claims/{pier.id}/sources": f"/claims/{pier.id}/feed.atom",
             f"/outlets/{herald.slug}": f"/outlets/{herald.slug}/feed.atom",
             f"/speakers/{speaker.slug}": f"/speakers/{speaker.slug}/feed.atom",
             "/claims?tag=harbour+%26+port": "/tags/harbour%20%26%20port/feed.atom"}
    for page, feed in pages.items():
        head = soup(client.get(page)).select(f'head link[rel=alternate][type="{ATOM_TYPE}"]')
        assert feed in [link["href"] for link in head], page
        assert client.get(feed).status_code == 200


def test_a_tag_with_a_slash_and_unknown_names_are_404s_with_a_message(client, pier, app_session):
    add_tag(app_session, pier.id, "ports/europe", "vera")
    app_session.commit()
    read_feed(client.get("/tags/ports%2Feurope/feed.atom"), "http://testserver/tags/ports%2Feurope/feed.atom")
    for path, message in [("/tags/nothing/feed.atom", "no claim is tagged 'nothing'"),
                          ("/outlets/nowhere/feed.atom", "no outlet 'nowhere'"),
                          ("/speakers/nobody/feed.atom", "no speaker 'nobody'"),
                          ("/claims/999999/feed.atom", "no claim 999999")]:
        response = client.get(path)
        assert response.status_code == 404 and message in soup(response).get_text(), path


def test_stored_control_characters_and_markup_make_a_valid_feed(client, app_session):
    odd = HERALD.__class__(**{**HERALD.__dict__, "outlet": "Odd News <i>", "text": HERALD.text.replace(
        "cargo traffic", "cargo\x0b\x0ctraffic")})
    ingest_article(app_session, odd, "loader")
    app_session.commit()
    claim = app_session.scalar(select(Claim))
    parsed = read_feed(client.get(f"/claims/{claim.id}/feed.atom"), f"http://testserver/claims/{claim.id}/feed.atom")
    assert any("\x0b" in m for m in app_session.scalars(select(Mention.excerpt)))   # stored as given
    titles = [e.title for e in parsed.entries]
    assert any(t.startswith("Odd News <i> repeats: The harbour authority will close the northern pier "
                            "to all cargotraffic") for t in titles), titles


def test_merged_claim_feed_moves_to_the_survivor(client, pier, app_session):
    from app.domain.review import merge_claims

    other = app_session.scalar(select(Claim).where(Claim.id != pier.id))
    merge_claims(app_session, other.id, pier.id, "vera")
    app_session.commit()
    response = client.get(f"/claims/{other.id}/feed.atom")
    assert response.status_code == 301 and response.headers["location"] == f"/claims/{pier.id}/feed.atom"


def test_feed_urls_follow_the_public_base_url(database_url, app_session, pier):
    app = create_app(Settings(database_url=database_url, public_read=True,
                              public_base_url="https://claims.example.org/ct"))
    with TestClient(app) as anon:
        parsed = read_feed(anon.get("/status-changes.atom"), "https://claims.example.org/ct/status-changes.atom")
    assert parsed.entries[0].link.startswith(f"https://claims.example.org/ct/claims/{pier.id}#event-")
    app.state.engine.dispose()


def test_suggestions_never_reach_a_feed(database_url):
    app = create_app(Settings(database_url=database_url, public_read=True))
    with app.state.sessionmaker() as session:
        ingest_sample(session)
        suggestion = pending(session)[0]
        linked = session.scalars(select(Mention).where(Mention.origin != "suggested",
                                                       Mention.claim_id == suggestion.claim_id)).all()
        outlet = session.get(Article, suggestion.article_id).outlet
        outlet_claims_linked = set(session.scalars(
            select(Mention.claim_id).join(Article).where(Article.outlet_id == outlet.id,
                                                         Mention.origin != "suggested")))
    with TestClient(app) as anon:
        claim = read_feed(anon.get(f"/claims/{suggestion.claim_id}/feed.atom"),
                          f"http://testserver/claims/{suggestion.claim_id}/feed.atom")
        links = {e.link for e in claim.entries}
        assert not any(link.endswith(f"#m{suggestion.id}") for link in links)
        assert {int(link.rsplit("#m", 1)[1]) for link in links} == {m.id for m in linked}
        by_outlet = read_feed(anon.get(f"/outlets/{outlet.slug}/feed.atom"),
                              f"http://testserver/outlets/{outlet.slug}/feed.atom")
        assert {int(e.link.rsplit("/", 1)[1]) for e in by_outlet.entries} == outlet_claims_linked
    app.state.engine.dispose()


def test_a_feed_needs_a_login_unless_reading_is_public(anon_client):
    response = anon_client.get("/status-changes.atom")
    assert response.status_code == 303 and "/login" in response.headers["location"]


def test_an_accepted_suggestion_enters_the_claim_feed_when_accepted(client, database_url, app_session):
    from app.domain.suggestions import accept as accept_suggestion

    ingest_sample(app_session)
    suggestion = pending(app_session)[0]
    before = client.get(f"/claims/{suggestion.claim_id}/feed.atom")
    assert f"#m{suggestion.id}<" not in before.text
    accept_suggestion(app_session, suggestion.id, "vera")
    app_session.commit()
    parsed = read_feed(client.get(f"/claims/{suggestion.claim_id}/feed.atom"),
                       f"http://testserver/claims/{suggestion.claim_id}/feed.atom")
    assert parsed.entries[0].link.endswith(f"#m{suggestion.id}")   # newest: confirmed just now
