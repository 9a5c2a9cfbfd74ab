"""Ingest from the browser: pasted text, uploaded files or a URL, each reported as added, already
present or failed with its reason. Every item is its own transaction (domain.ingest.ingest_bytes),
so one bad file never stops the others."""
from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.deps import ActorDep, SessionDep, SettingsDep
from app.domain.articles import get_article
from app.domain.ingest import BatchResult, Uploads, ingest_bytes, ingest_items, upload_items
from app.domain.matching import MatchConfig
from app.domain.people import list_outlets
from app.domain.url_ingest import ingest_url
from app.web.inputs import read_form
from app.web.templating import render

router = APIRouter()

Field = Annotated[str, Form(max_length=2000)]
MAX_FILES = 200


def _results_page(request: Request, session, results: list[BatchResult], meta: dict,
                  notes: tuple[str, ...] = ()):
    """Full ingest page, or only its results block for htmx; 422 when nothing could be ingested."""
    failed = bool(results) and all(r.status == "failed" for r in results)
    ctx = {"nav": "ingest", "results": results, "meta": meta, "outlets": list_outlets(session),
           "batch_notes": notes}
    return render(request, "ingest.html", ctx, block="results", status_code=422 if failed else 200)


@router.get("/ingest", name="ingest")
def ingest_page(request: Request, session: SessionDep):
    return _results_page(request, session, [], {})


@router.post("/ingest/text", name="ingest_text")
def ingest_text(request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep,
                text: Annotated[str, Form()] = "", outlet: Field = "", published: Field = "",
                title: Field = "", author: Field = "", url: Field = ""):
    """Pasted text. Browsers submit textarea line breaks as CRLF whatever was pasted (HTML spec), so
    they are turned back into LF: the stored text is then what the person pasted."""
    text = text.replace("\r\n", "\n")
    meta = {"outlet": outlet, "published": published, "title": title, "author": author, "url": url}
    result = ingest_bytes(session, "pasted.txt", text.encode("utf-8"),
                          {k: v.strip() or None for k, v in meta.items()}, actor,
                          settings.max_article_bytes, MatchConfig.from_settings(settings))
    # The row names the article as stored (an untitled paste is named by its first line there),
    # so the results, the article page and the audit log say the same.
    name = get_article(session, result.article_id).title if result.article_id else ""
    result = replace(result, name=name or title.strip()[:200] or "pasted text")
    return _results_page(request, session, [result], meta if result.status == "failed" else {})


@router.post("/ingest/url", name="ingest_url")
def ingest_from_url(request: Request, session: SessionDep, settings: SettingsDep, actor: ActorDep,
                    url: Field = "", outlet: Field = "", published: Field = ""):
    """A page fetched under the address guard of domain.fetch; a refusal is a failed row with why."""
    meta = {"outlet": outlet.strip() or None, "published": published.strip() or None}
    result = ingest_url(session, url, meta, actor, settings, MatchConfig.from_settings(settings))
    kept = {"fetch_url": url, "fetch_outlet": outlet} if result.status == "failed" else {}
    return _results_page(request, session, [result], kept)


def _sources_note(batch: Uploads) -> tuple[str, ...]:
    if not batch.sources:
        return ()
    return (f"{', '.join(batch.sources)} gave the outlet and date of {batch.described} of "
            f"{batch.files} file{'s' if batch.files != 1 else ''}",)


@router.post("/ingest/files", name="ingest_files")
async def ingest_files(request: Request, session: SessionDep, settings: SettingsDep,
                       actor: ActorDep):
    """Uploaded files: a sources CSV among them gives each file its own outlet and date, the form's
    apply to the rest; .jsonl and articles .csv files hold one article a record."""
    form = await read_form(request, max_files=MAX_FILES)
    meta = {k: (str(form.get(k) or "").strip() or None) for k in ("outlet", "published")}
    limit = settings.max_article_bytes
    uploads: list[tuple[str, bytes | int]] = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            too_big = item.size is not None and item.size > limit
            uploads.append((item.filename, item.size if too_big else await item.read()))
    batch = upload_items(uploads, meta, limit)
    results = await run_in_threadpool(ingest_items, session, batch.items, actor, limit, None,
                                      MatchConfig.from_settings(settings))
    if not batch.items:
        why = "choose at least one file" if not uploads else "the sources CSV names files: choose them too"
        results = [BatchResult("(no file)", "failed", error=why)]
    return await run_in_threadpool(_results_page, request, session, results, {}, _sources_note(batch))
