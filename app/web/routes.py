"""All HTML routes as one router. Order matters: fixed paths such as `/claims/import`,
`/claims/{id}/sources.json` and the POST actions are registered before `/claims/{id}` and the
catch-all `/claims/{id}/{slug}` route."""
from __future__ import annotations

from fastapi import APIRouter

from app.web import (
    actions,
    articles,
    audit,
    claim_exports,
    claim_pages,
    claim_spread,
    feeds,
    health,
    imports,
    merge_pages,
    ingest,
    outlet_matrix,
    pages,
    pickers,
    speaker_actions,
    suggestion_actions,
    suggestions,
)

router = APIRouter(include_in_schema=False)
for module in (health, claim_exports, merge_pages, pages, pickers, outlet_matrix, ingest, imports, actions,
               speaker_actions, articles, suggestion_actions, suggestions, audit, claim_spread, feeds,
               claim_pages):
    router.include_router(module.router)
