"""`GET /healthz`: is this process up and can it reach its database? For a container's health check
and a load balancer: 200 {"status": "ok"} or 503 with what failed. Public and cheap (one SELECT 1);
it says nothing about the data."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

router = APIRouter()


def _database_answers(request: Request) -> bool:
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        return False


@router.get("/healthz", name="healthz")
async def healthz(request: Request) -> JSONResponse:
    if await run_in_threadpool(_database_answers, request):
        return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
    return JSONResponse({"status": "unavailable", "detail": "the database does not answer"},
                        status_code=503, headers={"Cache-Control": "no-store", "Retry-After": "5"})
