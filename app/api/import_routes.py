"""/api/v1/claims/import: known claims (a fact-checker's list) from a multipart upload or a raw
body, through the same domain call as the CLI and the upload page.

The body's Content-Type picks the format unless `format` says otherwise: JSON (a list of records or
ClaimReview objects, an @graph) is read as JSON-LD, text/csv as CSV, application/x-ndjson as JSON
lines, anything else by sniffing. Nothing usable in a non-empty body is a 422 listing every row.
"""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from app.api import schemas
from app.api.present import api_url
from app.deps import ActorDep, SessionDep
from app.domain.errors import InvalidInput, TooLarge
from app.domain.known_claims import ImportResult, import_claims_file
from app.pipeline.known_claims import MAX_IMPORT_BYTES
from app.web.imports import read_import_form, too_large_message

router = APIRouter(prefix="/claims", tags=["claims"])

Format = Literal["auto", "csv", "jsonl", "claimreview"]
CONTENT_FORMATS = {"application/json": "claimreview", "application/ld+json": "claimreview",
                   "text/html": "claimreview", "text/csv": "csv", "application/x-ndjson": "jsonl",
                   "application/jsonl": "jsonl"}


class ImportedClaim(BaseModel):
    id: int
    url: str


class ImportOut(BaseModel):
    created: list[ImportedClaim]
    updated: list[ImportedClaim]
    existing: list[ImportedClaim]
    duplicates: int
    errors: list[str]
    summary: str


def _import_out(request: Request, result: ImportResult) -> ImportOut:
    def refs(ids: list[int]) -> list[ImportedClaim]:
        return [ImportedClaim(id=i, url=api_url(request, "api_claim", claim_id=i)) for i in ids]

    return ImportOut(created=refs(result.created), updated=refs(result.updated),
                     existing=refs(result.existing), duplicates=result.duplicates,
                     errors=result.errors, summary=result.summary())


async def _read_body(request: Request) -> bytes:
    """The raw body, refused as soon as it passes the limit rather than after reading it all."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_IMPORT_BYTES:
            raise TooLarge(too_large_message())
    return bytes(body)


def _import_and_commit(session, data, filename, fmt, actor) -> ImportResult:
    result = import_claims_file(session, data, filename, fmt, actor)
    session.commit()
    return result


_BODY_DOC = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"},
        "text": {"type": "string", "description": "Pasted claims, when no file is sent."},
        "format": {"type": "string", "enum": list(Format.__args__)}}}},
    "application/json": {"schema": {"description": "A list of records ({claim, claimant, rating, "
                                                   "url, date, reviewer}) or ClaimReview objects."}},
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}}}}}


@router.post(
    "/import", name="api_import_claims", response_model=ImportOut, summary="Import known claims",
    description="Creates a claim per new wording and reuses a claim already known by its words: "
    "its empty source url is filled and, only while it is unreviewed, it takes the imported "
    "rating; an analyst's status is never overwritten. Articles ingested later are matched "
    f"against these claims. At most {MAX_IMPORT_BYTES:,} bytes (413 above).",
    openapi_extra=_BODY_DOC,
    responses={413: {"model": schemas.Error, "description": "Input over the size limit."},
               422: {"model": schemas.Error,
                     "description": "Unreadable input, or no row could be imported."}})
async def import_claims(request: Request, session: SessionDep, actor: ActorDep,
                        format: Annotated[Format, Query()] = "auto"):  # noqa: A002 (API name)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    filename: str | None = None
    if content_type == "multipart/form-data":
        data, filename, form_format, _ = await read_import_form(request)
        fmt = format if format != "auto" else form_format
    else:
        data = await _read_body(request)
        fmt = format if format != "auto" else CONTENT_FORMATS.get(content_type, "auto")
    if not data or (isinstance(data, bytes) and not data.strip()):
        raise InvalidInput("empty body: send a file, or records as JSON, CSV or JSON lines")
    if fmt not in Format.__args__:
        raise InvalidInput(f"unknown format {fmt!r}")
    result = await run_in_threadpool(_import_and_commit, session, data, filename, fmt, actor)
    if not result.imported:
        return JSONResponse({"message": "nothing could be imported",
                             "errors": [{"loc": [], "msg": line} for line in result.errors]},
                            status_code=422)
    return _import_out(request, result)
