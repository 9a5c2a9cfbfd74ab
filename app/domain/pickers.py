"""The outlet and speaker pickers of the claims list and the outlet matrix: a few names that hold
what a person typed, never a drop-down of every outlet and speaker.

At a million claims there are ~20,000 speakers: listing them all made the claims page 1 MB, and
counting each outlet's distinct claims over every mention cost more than a second a load. A picker
asks for at most MAX_PICK names and counts each one's claims only up to PICK_COUNT_CAP (shown as
"1,000+"), which reads at most that many index entries however big the store grows.

A filter names its outlet or speaker by slug (the permalink) or, when a person typed it without
JavaScript, by its name in any case: `find_named` turns either into the row."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.domain.errors import InvalidInput, NotFound
from app.domain.linking import LINKED
from app.domain.people import live_speaker
from app.storage.models import Article, Claim, Mention, Outlet, Speaker

PICK_KINDS = ("outlet", "speaker")
PICK_LIMIT = 8
MAX_PICK = 50
#: A picked name's claims are counted up to this many; more is shown as "1,000+".
PICK_COUNT_CAP = 1000


@dataclass(frozen=True, slots=True)
class Pick:
    name: str
    slug: str
    claims: int         # counted up to PICK_COUNT_CAP
    capped: bool        # there are more than `claims`


def _model(kind: str):
    if kind not in PICK_KINDS:
        raise NotFound(f"no picker for {kind!r}; there is one for {' and '.join(PICK_KINDS)}")
    return Outlet if kind == "outlet" else Speaker


def _needle(typed: str | None) -> str:
    return " ".join((typed or "").split()).lower()


def pick_names(session: Session, kind: str, typed: str | None, limit: int = PICK_LIMIT) -> list[Pick]:
    """Outlets or live speakers whose name holds what was typed (any case), those starting with it
    first, then the shortest: "li" offers "Li Wei" before "Bolivia Today". Nothing typed, nothing
    offered (the picker never lists every name)."""
    model = _model(kind)
    if not 1 <= limit <= MAX_PICK:
        raise InvalidInput(f"limit must be between 1 and {MAX_PICK}")
    needle = _needle(typed)
    if not needle:
        return []
    name = func.lower(model.name)
    stmt = select(model.id, model.name, model.slug).where(name.contains(needle, autoescape=True))
    if model is Speaker:
        stmt = stmt.where(Speaker.merged_into_id.is_(None))
    first = case((name.startswith(needle, autoescape=True), 0), else_=1)
    rows = session.execute(stmt.order_by(first, func.length(model.name), model.name).limit(limit)).all()
    return [Pick(name, slug, *claims_capped(session, kind, row_id)) for row_id, name, slug in rows]


def claims_capped(session: Session, kind: str, row_id: int, cap: int | None = None) -> tuple[int, bool]:
    """(claims, more than that): an outlet's distinct claims through its confirmed mentions, or a
    speaker's live claims, counted up to `cap` (PICK_COUNT_CAP): the query stops at cap + 1 rows."""
    cap = cap or PICK_COUNT_CAP
    if _model(kind) is Speaker:
        ids = select(Claim.id).where(Claim.speaker_id == row_id, Claim.merged_into_id.is_(None))
    else:
        ids = (select(Mention.claim_id).join(Article, Article.id == Mention.article_id)
               .where(Article.outlet_id == row_id, LINKED).distinct())
    found = session.scalar(select(func.count()).select_from(ids.limit(cap + 1).subquery())) or 0
    return min(found, cap), found > cap


def find_named(session: Session, kind: str, value: str | None) -> Outlet | Speaker | None:
    """The outlet or speaker a filter names: by its slug, else by its name in any case (the picker
    typed into without JavaScript); a merged speaker leads to its survivor. None when none is."""
    model = _model(kind)
    value = " ".join((value or "").split())
    if not value:
        return None
    row = session.scalar(select(model).where(model.slug == value))
    if row is None:
        row = session.scalar(select(model).where(func.lower(model.name) == value.lower()).limit(1))
    if row is not None and model is Speaker:
        row = live_speaker(session, row)
    return row
