"""Import known claims from the browser: an uploaded file or pasted text, answered with the summary,
the rows that could not be used and links to the claims. The page and its form work without
JavaScript; htmx swaps only the results block. Too large is 413, unreadable or nothing usable 422."""
from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.deps import ActorDep, SessionDep
from app.domain.errors import DomainError, InvalidInput, TooLarge
from app.domain.inputs import is_ascii_int
from app.domain.known_claims import ImportResult, import_claims_file
from app.pipeline.known_claims import FORMATS, MAX_IMPORT_BYTES
from app.storage.models import Claim
from app.web.inputs import read_form
from app.web.templating import render

router = APIRouter()

# Multipart framing and the other fields on top of the largest accepted file.
FORM_OVERHEAD = 64 * 1024
SHOWN_PER_GROUP = 100


def too_large_message() -> str:
    return f"the file is over the limit of {MAX_IMPORT_BYTES:,} bytes"


def _claims_by_id(session, result: ImportResult | None) -> dict[int, Claim]:
    """The claims the page links to, in one query (at most SHOWN_PER_GROUP per group)."""
    if result is None:
        return {}
    ids = {i for group in (result.created, result.updated, result.existing)
           for i in group[:SHOWN_PER_GROUP]}
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Claim).where(Claim.id.in_(ids)))}


def _page(request: Request, session, *, result: ImportResult | None = None,
          error: str | None = None, values: dict | None = None, status_code: int = 200):
    ctx = {"nav": "import_claims", "result": result, "error": error, "formats": FORMATS,
           "values": values or {}, "claims": _claims_by_id(session, result),
           "shown": SHOWN_PER_GROUP}
    return render(request, "import_claims.html", ctx, block="results", status_code=status_code)


@router.get("/claims/import", name="import_claims")
def import_page(request: Request, session: SessionDep):
    return _page(request, session)


async def read_import_form(request: Request) -> tuple[bytes | str | None, str | None, str, str]:
    """(data, file name, format, pasted text) from the form; TooLarge before reading a body or a
    file over the limit."""
    length = request.headers.get("content-length", "")
    if is_ascii_int(length) and int(length) > MAX_IMPORT_BYTES + FORM_OVERHEAD:
        raise TooLarge(too_large_message())
    form = await read_form(request, max_files=1, max_part_size=MAX_IMPORT_BYTES + FORM_OVERHEAD)
    fmt = str(form.get("format") or "auto")
    text = str(form.get("text") or "")
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            raise TooLarge(too_large_message())
        return data, upload.filename, fmt, ""
    return (text if text.strip() else None), None, fmt, text


@router.post("/claims/import", name="import_claims_upload")
async def import_upload(request: Request, session: SessionDep, actor: ActorDep):
    """Import, commit, and show what happened; the pasted text stays in the form when refused."""
    values: dict = {}
    try:
        data, filename, fmt, text = await read_import_form(request)
        values = {"format": fmt, "text": text}
        if fmt not in FORMATS:
            raise InvalidInput(f"unknown format {fmt!r}")
        if data is None:
            raise InvalidInput("choose a file or paste some claims")
        result = await run_in_threadpool(import_claims_file, session, data, filename, fmt, actor)
        await run_in_threadpool(session.commit)
    except DomainError as exc:
        await run_in_threadpool(session.rollback)
        return await run_in_threadpool(_page, request, session, error=exc.message, values=values,
                                       status_code=exc.status_code)
    failed = not result.imported
    return await run_in_threadpool(_page, request, session, result=result,
                                   values=values if failed else {"format": fmt},
                                   status_code=422 if failed else 200)
