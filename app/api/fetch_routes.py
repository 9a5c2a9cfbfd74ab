"""/api/v1/articles/fetch: ingest the article at a URL, fetched under the guard of domain.fetch.

A URL the guard refuses (scheme, credentials, port, a non-public address, too many redirects, a
body too large or not HTML/text) is a 422 saying why; a site that cannot be reached, times out or
answers an error status is a 502.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from app.api import schemas
from app.api.present import api_url
from app.deps import ActorDep, SessionDep, SettingsDep
from app.domain.errors import InvalidInput
from app.domain.fetch import FetchLimits, fetch_page
from app.domain.matching import MatchConfig
from app.domain.url_ingest import ingest_page
from app.pipeline.documents import DocumentError

router = APIRouter(prefix="/articles", tags=["articles"])


class FetchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: Annotated[schemas.Text, Field(min_length=1, max_length=2000, examples=["https://example.com/news/1"])]
    outlet: Annotated[schemas.Text, Field(max_length=200, description=(
        "Default: the page's site name, else its host."))] | None = None
    title: Annotated[schemas.Text, Field(max_length=1000)] | None = None
    author: Annotated[schemas.Text, Field(max_length=300)] | None = None
    published: Annotated[schemas.Text, Field(max_length=40)] | None = Field(
        None, description="Publication date, YYYY-MM-DD. Default: the date the page states.")


class FetchOut(schemas.IngestOut):
    url: str = Field(description="The page's URL after redirects, stored as the article's url.")


@router.post(
    "/fetch", name="api_fetch_article", response_model=FetchOut, status_code=status.HTTP_201_CREATED,
    summary="Ingest an article from a URL",
    description="Fetches an http(s) page (HTML or plain text), extracts its main text and ingests it "
                "like POST /articles. Hosts that resolve to loopback, private, link-local, cloud "
                "metadata or other non-public addresses are refused, on every redirect too. The "
                "same text again answers 200 with `created: false`.",
    responses={200: {"model": FetchOut, "description": "The same text was already stored."},
               **schemas.error_responses(413, 422),
               502: {"model": schemas.Error, "description": "The site could not be fetched."}})
def fetch_article(body: FetchIn, request: Request, response: Response, session: SessionDep,
                  settings: SettingsDep, actor: ActorDep) -> FetchOut:
    page = fetch_page(body.url, FetchLimits.from_settings(settings))
    meta = {"outlet": body.outlet, "title": body.title, "author": body.author, "published": body.published}
    try:
        result = ingest_page(session, page, meta, actor, settings.max_article_bytes,
                             MatchConfig.from_settings(settings))
    except DocumentError as exc:
        raise InvalidInput(str(exc)) from None
    response.status_code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
    response.headers["Location"] = api_url(request, "api_article", article_id=result.article_id)
    return FetchOut(id=result.article_id, created=result.created, quotes=result.quotes,
                    new_claims=result.new_claims, mentions=result.mentions, url=page.final_url)
