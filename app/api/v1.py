"""The /api/v1 router: the route modules assembled under one versioned prefix.

A later /api/v2 would be a sibling router over the same domain functions, so v1 clients keep working.
Route names are prefixed `api_` so they never collide with the HTML routes' names in `url_for`.
"""
from __future__ import annotations

from fastapi import APIRouter

from app.api import (
    article_routes,
    claim_routes,
    fetch_routes,
    import_routes,
    mention_routes,
    outlet_matrix_routes,
    people_routes,
    review_routes,
    similar_routes,
    suggestion_routes,
)

router = APIRouter(prefix="/api/v1")
for module in (fetch_routes, article_routes, import_routes, similar_routes, claim_routes, review_routes,
               mention_routes, outlet_matrix_routes, people_routes, suggestion_routes):
    router.include_router(module.router)
