"""Outlets and speakers: named things with a stable slug, found or made on ingest."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.errors import Conflict, InvalidInput, NotFound
from app.domain.linking import LINKED
from app.pipeline.claims import slugify
from app.storage.engine import insert_ignoring_conflicts
from app.storage.models import Article, Claim, Mention, Outlet, Speaker


def _unique_slug(session: Session, model, name: str) -> str:
    base = slugify(name, max_words=12) or "x"
    slug, n = base, 2
    while session.scalar(select(model.id).where(model.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def get_or_create_named(session: Session, model, name: str):
    """The row called `name`, made if missing; safe when another process makes it at the same time."""
    for _ in range(3):
        row = session.scalar(select(model).where(model.name == name))
        if row is not None:
            return row
        values = {"name": name}
        if hasattr(model, "slug"):
            values["slug"] = _unique_slug(session, model, name)
        insert_ignoring_conflicts(session, model, **values)
    raise Conflict(f"could not create {model.__tablename__[:-1]} {name!r}; try again")


def get_or_create_outlet(session: Session, name: str) -> Outlet:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("an outlet is required")
    if len(name) > 200:
        raise InvalidInput("outlet name is longer than 200 characters")
    return get_or_create_named(session, Outlet, name)


def get_or_create_speaker(session: Session, name: str | None) -> Speaker | None:
    name = " ".join((name or "").split())[:200]
    if not name:
        return None
    return get_or_create_named(session, Speaker, name)


def outlet_by_slug(session: Session, slug: str) -> Outlet:
    outlet = session.scalar(select(Outlet).where(Outlet.slug == slug))
    if outlet is None:
        raise NotFound(f"no outlet {slug!r}")
    return outlet


def speaker_by_slug(session: Session, slug: str) -> Speaker:
    speaker = session.scalar(select(Speaker).where(Speaker.slug == slug))
    if speaker is None:
        raise NotFound(f"no speaker {slug!r}")
    return speaker


def list_outlets(session: Session) -> list[dict]:
    """Outlets with their article and claim counts, in one grouped query each."""
    articles = dict(session.execute(
        select(Article.outlet_id, func.count(Article.id)).group_by(Article.outlet_id)).all())
    claims = dict(session.execute(
        select(Article.outlet_id, func.count(func.distinct(Mention.claim_id)))
        .join(Mention, Mention.article_id == Article.id).where(LINKED).group_by(Article.outlet_id)).all())
    outlets = session.scalars(select(Outlet).order_by(Outlet.name))
    return [{"id": o.id, "name": o.name, "slug": o.slug, "articles": articles.get(o.id, 0),
             "claims": claims.get(o.id, 0)} for o in outlets]


def list_speakers(session: Session) -> list[dict]:
    counts = dict(session.execute(
        select(Claim.speaker_id, func.count(Claim.id))
        .where(Claim.merged_into_id.is_(None)).group_by(Claim.speaker_id)).all())
    speakers = session.scalars(select(Speaker).order_by(Speaker.name))
    return [{"id": s.id, "name": s.name, "slug": s.slug, "claims": counts.get(s.id, 0)}
            for s in speakers]
