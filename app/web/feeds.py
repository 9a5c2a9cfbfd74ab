"""Atom feeds a newsroom subscribes to in its reader: a claim's new mentions and status changes
(`/claims/{id}/feed.atom`), the new claims of an outlet, a speaker or a tag, and every status
change (`/status-changes.atom`). Written by feedgenerator (Pelican's standalone Django feed
generator), from the entries of domain/feed_entries.py.

Everything in an entry is text: titles are Atom text constructs, and the summary (which the
generator marks type="html") is HTML-escaped first, so a reader shows stored text as typed and never
runs markup that came in with an article. Characters XML 1.0 cannot carry are dropped. Links and ids
are absolute (CLAIMTRACKER_PUBLIC_BASE_URL when set); an entry's id is its permalink.
"""
from __future__ import annotations

import html
import re

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from feedgenerator import Atom1Feed

from app.deps import SessionDep
from app.domain.claims import resolve_claim
from app.domain.feed_entries import (
    FeedUpdate,
    claim_updates,
    outlet_claims,
    speaker_claims,
    status_changes,
    tag_by_name,
    tag_claims,
)
from app.domain.people import outlet_by_slug
from app.domain.speakers import resolve_speaker
from app.web.templating import absolute_url, tag_feed_path, url_with

router = APIRouter()

ATOM = "application/atom+xml; charset=utf-8"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
TITLE_WORDS = 14


def xml_text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def _short(text: str, words: int = TITLE_WORDS) -> str:
    parts = xml_text(text).split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _absolute(request: Request, path: str) -> str:
    base = request.app.state.settings.public_base_url
    return (base or str(request.base_url).rstrip("/")) + path


def _entry_title(u: FeedUpdate) -> str:
    if u.kind == "mention":
        return f"{xml_text(u.outlet)} {u.stance}: {_short(u.claim_text)}"
    if u.kind == "status":
        return f"Claim {u.claim_id} set to {u.status}: {_short(u.claim_text)}"
    return _short(u.claim_text)


def _entry_summary(u: FeedUpdate) -> str:
    if u.kind == "mention":
        text = f"{u.outlet} ({u.article_title}) {u.stance} the claim: “{u.excerpt}”"
    elif u.kind == "status":
        why = f" because {u.reason}" if u.reason else ""
        text = f"{u.actor} set the status from {u.previous or 'unreviewed'} to {u.status}{why}. Claim: {u.claim_text}"
    else:
        who = f"{u.speaker}: " if u.speaker else ""
        text = f"{who}“{u.claim_text}” (status {u.status})"
    return html.escape(xml_text(text))


def _entry_link(request: Request, u: FeedUpdate) -> str:
    if u.kind == "mention":
        return _absolute(request, url_with(request, "article", article_id=u.article_id) + f"#m{u.mention_id}")
    link = absolute_url(request, "claim", claim_id=u.claim_id)
    return f"{link}#event-{u.event_id}" if u.kind == "status" else link


def atom_response(request: Request, self_path: str, title: str, page: str, updates: list[FeedUpdate],
                  subtitle: str) -> Response:
    """The feed of `updates` at `self_path`, whose HTML page is `page` (absolute)."""
    settings = request.app.state.settings
    self_url = _absolute(request, self_path)
    feed = Atom1Feed(title=xml_text(title), link=page, description=xml_text(subtitle), feed_url=self_url,
                     feed_guid=self_url, author_name=xml_text(settings.organization), language="en")
    for u in updates:
        link = _entry_link(request, u)
        feed.add_item(title=_entry_title(u), link=link, unique_id=link, description=_entry_summary(u),
                      updateddate=u.at, pubdate=u.at,
                      author_name=xml_text(u.actor or u.outlet or settings.organization))
    return Response(feed.writeString("utf-8"), media_type=ATOM)


def _moved(request: Request, name: str, **params) -> RedirectResponse:
    return RedirectResponse(url_with(request, name, **params), status_code=301)


@router.get("/claims/{claim_id}/feed.atom", name="claim_feed")
def claim_feed(request: Request, session: SessionDep, claim_id: int):
    """A claim's new confirmed mentions and its status changes; a merged id moves to the survivor."""
    claim = resolve_claim(session, claim_id)
    if claim.id != claim_id:
        return _moved(request, "claim_feed", claim_id=claim.id)
    return atom_response(request, url_with(request, "claim_feed", claim_id=claim.id), f"Claim {claim.id}: {_short(claim.text)}",
                         absolute_url(request, "claim", claim_id=claim.id), claim_updates(session, claim),
                         "New mentions of this claim by outlets, and its status changes")


@router.get("/outlets/{slug}/feed.atom", name="outlet_feed")
def outlet_feed(request: Request, session: SessionDep, slug: str):
    outlet = outlet_by_slug(session, slug)
    return atom_response(request, url_with(request, "outlet_feed", slug=outlet.slug), f"Claims carried by {outlet.name}", absolute_url(request, "outlet", slug=slug),
                         outlet_claims(session, outlet), f"New claims that {outlet.name} carries")


@router.get("/speakers/{slug}/feed.atom", name="speaker_feed")
def speaker_feed(request: Request, session: SessionDep, slug: str):
    speaker = resolve_speaker(session, slug)
    if speaker.slug != slug:
        return _moved(request, "speaker_feed", slug=speaker.slug)
    return atom_response(request, url_with(request, "speaker_feed", slug=speaker.slug), f"Claims of {speaker.name}", absolute_url(request, "speaker", slug=slug),
                         speaker_claims(session, speaker), f"New claims made by {speaker.name}")


@router.get("/tags/{tag:path}/feed.atom", name="tag_feed")
def tag_feed(request: Request, session: SessionDep, tag: str):
    """A tag may hold any character, a slash too: the path takes it whole."""
    found = tag_by_name(session, tag)
    page = _absolute(request, url_with(request, "claims", {"tag": found.name}))
    return atom_response(request, tag_feed_path(request, found.name), f"Claims tagged {found.name}", page, tag_claims(session, found),
                         f"Claims newly tagged {found.name}")


@router.get("/status-changes.atom", name="status_changes_feed")
def status_changes_feed(request: Request, session: SessionDep):
    return atom_response(request, url_with(request, "status_changes_feed"), "Status changes", absolute_url(request, "claims"), status_changes(session),
                         "Every verdict the analysts give a claim, newest first")

