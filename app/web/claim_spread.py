"""A claim's spread and its ClaimReview for the claim and sources pages, and
`/claims/{id}/claimreview.json`.

Who sees what: suggestions awaiting an analyst are drawn (hollow) only for a logged-in reader;
an anonymous reader of a public-read site sees confirmed mentions only, in the picture and in the
JSON alike. The ClaimReview never holds suggestions, whoever asks.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from app.deps import SessionDep
from app.domain.claimreview import Appearance, claim_review, has_review, review_articles, reviewed_at, spread_articles
from app.domain.claims import resolve_claim
from app.domain.spread import (
    Spread,
    SpreadMention,
    planned_spread,
    stored_spread,
    suggested_spread,
    timeline_of,
    usable_suggested_plan,
    with_details,
)
from app.storage.models import Claim, ClaimSpread
from app.web.access import sees_suggestions
from app.web.templating import external_href, templates, url_path
from app.domain.timeline import STANCE_MARKS, X_END, X_START, Row, timeline_from_plan, timeline_layout

router = APIRouter()

LD_JSON = "application/ld+json"


def review_for(request: Request, session: Session, claim: Claim, spread: Spread | None = None) -> dict | None:
    """The claim's ClaimReview with absolute URLs (it is read by other sites), or None.
    `spread`: the claim's mentions read whole already (not light), to list its articles from
    instead of reading them (domain/claimreview.review_articles)."""
    if not has_review(claim):
        return None
    settings = request.app.state.settings
    article_link = str(request.url_for("article", article_id=_ID_MARK))     # one route lookup a review

    def article_url(a: Appearance) -> str:
        return external_href(a.url) or article_link.replace(_ID_MARK, str(a.article_id))

    whole = spread is not None and not spread.light
    articles = spread_articles(spread) if whole else review_articles(session, claim.id)
    return claim_review(claim, articles, organization=settings.organization,
                        organization_url=settings.organization_url,
                        review_url=str(request.url_for("claim", claim_id=claim.id)),
                        article_url=article_url, at=reviewed_at(session, claim))


def spread_context(request: Request, session: Session, claim: Claim, light=None, planned: bool = False) -> dict:
    """What templates/_spread.html and the JSON-LD in the page head need. `light`: the claim's
    mentions as mentions.claim_mentions_light read them, when the page has them already.
    `planned`: the reader sees no suggestion of this claim (none waits, or they may not see
    them), so a big claim's stored plan draws the picture (spread.planned_spread). A reader who sees
    the suggestions of a big claim gets the same picture as from every mention read, with the
    confirmed ones placed from the stored plan and only the suggestions read (spread.suggested_spread),
    or, when the plan was worked out with the suggestions waiting now, from the plan alone
    (spread.usable_suggested_plan)."""
    article_path = url_path(request, "article", article_id=_ID_MARK)

    def href(m: SpreadMention) -> str:
        return article_path.replace(_ID_MARK, str(m.article_id)) + f"#m{m.id}"

    summary = session.get(ClaimSpread, claim.id) if light is None else None
    # A reader who sees the suggestions of a big claim: the stored picture with them, when it was
    # worked out with the suggestions waiting now (spread_summary.suggested_plan).
    suggested = (usable_suggested_plan(session, summary)
                 if not planned and summary is not None and sees_suggestions(request) else None)
    if (planned or suggested) and summary is not None and summary.page is not None:
        spread, whole, names = planned_spread(session, summary, suggested)
        plan = timeline_of(summary, suggested)
        timeline = timeline_from_plan(plan, summary.first_mention_id, href, whole, names.get) if plan else None
    else:
        spread = (suggested_spread(session, summary) if summary is not None and sees_suggestions(request)
                  else None) or stored_spread(session, claim.id, include_suggested=sees_suggestions(request),
                                              light=light)
        timeline = timeline_layout(spread.mentions, spread.first.id if spread.first else None, href,
                                   details=(lambda drawn: with_details(session, drawn)) if spread.light else None)
    # The ClaimReview lists every article carrying a confirmed mention: from the spread when it was
    # read whole (a small claim), else one light read of the articles (a big claim's stored plan).
    review = review_for(request, session, claim, spread) if has_review(claim) else None
    return {"spread": spread, "timeline": timeline, "claim_review": review,
            "stance_marks": STANCE_MARKS, "axis_x": (X_START, X_END)}


def timeline_marks(row: Row) -> Markup:
    """A timeline row's marks as SVG (templates/_timeline.html draws the rest of the picture).

    Why here and not in the template: a picture draws up to MAX_MARKS of them, each a link with
    its label, its place, shape and count; as a Jinja loop that was 10 us a mark (2.2 ms for a big
    claim's 223, the costliest part of its page), as one format string here 2 us. Values are
    escaped as the template's autoescape would.

    Why so little in each: a big claim's picture is most of its page's bytes (217 marks at ~370 B
    each were 84 KB of a 155 KB page, what a kept page costs to send). The label is written once, as
    the link's <title>: that is the link's accessible name (SVG-AAM) and its tooltip, where it was
    also repeated in an aria-label; the colours come from static/app.css by shape (`use[href]`) and
    class (`suggested`), not from fill and stroke attributes on every mark."""
    out = []
    for m in row.marks:
        shift = f' transform="translate({m.dx})"' if m.dx else ""
        ring = f'<circle class="tl-ring" cx="{m.x}%" cy="{m.y}" r="11"{shift}/>' if m.first else ""
        count = (f'<text class="tl-count" x="{m.x}%" y="{m.y + 4}" dx="{m.dx + 12}">{m.count}</text>'
                 if m.count > 1 else "")
        out.append(f'<a href="{escape(m.href)}" class="tl-mark'
                   f'{" suggested" if m.suggested else ""}{" first" if m.first else ""}" data-mention-id="{m.mention_id}">'
                   f'<title>{escape(m.label)}</title>{ring}<use href="#{m.shape}" x="{m.x}%" y="{m.y}"{shift}/>{count}</a>')
    return Markup("\n    ".join(out))


templates.env.filters["timeline_marks"] = timeline_marks

#: A placeholder article id in a route's path, replaced by each mark's own: one route lookup a page
#: instead of one a mark (the timeline draws up to 300).
_ID_MARK = "918273645"


@router.get("/claims/{claim_id}/claimreview.json", name="claim_claimreview_json")
def claim_claimreview_json(request: Request, session: SessionDep, claim_id: int):
    """The ClaimReview alone, for a fact-check feed or `claimtracker import-claims` elsewhere."""
    claim = resolve_claim(session, claim_id)
    if claim.id != claim_id:
        return RedirectResponse(str(request.app.url_path_for("claim_claimreview_json", claim_id=claim.id)),
                                status_code=301)
    if not has_review(claim):
        return JSONResponse({"message": f"claim {claim.id} has no verdict yet (status "
                                        f"{claim.status}), so there is no ClaimReview to publish"},
                            status_code=404)
    review = review_for(request, session, claim)
    headers = {"Content-Disposition": f'inline; filename="claim-{claim.id}-claimreview.json"'}
    return JSONResponse(review, media_type=LD_JSON, headers=headers)
