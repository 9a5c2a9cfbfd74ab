"""/api/v1/articles: ingest a text, list recent ones, read one with its quotes and mentions."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from app.api import schemas
from app.api.present import api_url, article_summary, mention_out
from app.deps import ActorDep, SessionDep, SettingsDep
from app.domain.api_views import speaker_slugs
from app.domain.articles import (
    delete_article,
    ArticleInput,
    article_mentions,
    article_quotes,
    get_article,
    ingest_and_commit,
    list_articles,
)
from app.domain.errors import InvalidInput
from app.domain.matching import MatchConfig
from app.domain.people import outlet_by_slug
from app.pipeline.documents import DocumentError, parse_published
from app.web.access import sees_suggestions

router = APIRouter(prefix="/articles", tags=["articles"])

ArticleId = Annotated[int, Path(ge=1, le=schemas.MAX_ID, description="Article id")]


def _article_input(body: schemas.ArticleIn) -> ArticleInput:
    """The domain's input, with the date read the way every other entry point reads it."""
    try:
        published, published_at = parse_published(body.published)
    except DocumentError as exc:
        raise InvalidInput(f"published: {exc}") from None
    return ArticleInput(text=body.text, outlet=body.outlet, title=body.title, author=body.author,
                        url=body.url, published=published, published_at=published_at)


@router.post(
    "", name="api_ingest_article", response_model=schemas.IngestOut,
    status_code=status.HTTP_201_CREATED, summary="Ingest an article",
    description="Stores the text untouched, extracts its quotes and links them to claims. "
                "Posting the same text again changes nothing and answers 200 with `created: false`, "
                "so a client can retry safely. `Location` is the article's API URL.",
    responses={200: {"model": schemas.IngestOut, "description": "The same text was already stored."},
               **schemas.error_responses(413, 422)})
def ingest(body: schemas.ArticleIn, request: Request, response: Response, session: SessionDep,
           settings: SettingsDep, actor: ActorDep) -> schemas.IngestOut:
    result = ingest_and_commit(session, _article_input(body), actor, settings.max_article_bytes,
                     MatchConfig.from_settings(settings))
    response.status_code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    response.headers["Location"] = api_url(request, "api_article", article_id=result.article_id)
    return schemas.IngestOut(id=result.article_id, created=result.created, quotes=result.quotes,
                             new_claims=result.new_claims, mentions=result.mentions, notes=list(result.notes))


@router.get(
    "", name="api_articles", response_model=list[schemas.ArticleSummary],
    summary="Recent articles", description="Newest first by ingest order, optionally of one outlet.",
    responses=schemas.error_responses(404, 422))
def recent_articles(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    outlet: Annotated[schemas.Text | None, Query(max_length=200, description="Outlet slug")] = None,
) -> list[schemas.ArticleSummary]:
    outlet_id = outlet_by_slug(session, outlet).id if outlet else None
    return [article_summary(a) for a in list_articles(session, limit=limit, outlet_id=outlet_id)]


@router.get(
    "/{article_id}", name="api_article", response_model=schemas.ArticleDetail,
    summary="One article", description="Metadata, the stored text, the quotes found in it and the "
    "claims it mentions; every start/end is a character offset into `text`.",
    responses=schemas.error_responses(404, 422))
def article_detail(article_id: ArticleId, request: Request, session: SessionDep) -> schemas.ArticleDetail:
    article = get_article(session, article_id)
    quotes = article_quotes(session, article.id)
    slugs = speaker_slugs(session, (q.speaker_id for q in quotes))
    return schemas.ArticleDetail(
        **article_summary(article).model_dump(), text=article.text,
        quotes=[schemas.QuoteOut(id=q.id, speaker=q.speaker_name, speaker_slug=slugs.get(q.speaker_id),
                                 start=q.start, end=q.end, text=q.text, cue=q.cue, kind=q.kind)
                for q in quotes],
        mentions=[schemas.ArticleMentionOut(**mention_out(m).model_dump(), claim_text=c.text)
                  for m, c in article_mentions(session, article.id, sees_suggestions(request))])


@router.delete(
    "/{article_id}", name="api_article_delete", response_model=schemas.ArticleDeleted,
    summary="Delete an article (admins)",
    description="Removes the article with its quotes and mentions; the claims stay (their ids keep "
    "working) and their outlet counts are recounted. The audit log keeps what was removed.",
    responses=schemas.error_responses(404, 422))
def delete(article_id: ArticleId, session: SessionDep, actor: ActorDep) -> schemas.ArticleDeleted:
    removed = delete_article(session, article_id, actor)
    session.commit()
    return schemas.ArticleDeleted(id=article_id, title=removed["title"], outlet=removed["outlet"],
                                  mentions_removed=len(removed["mentions"]))
