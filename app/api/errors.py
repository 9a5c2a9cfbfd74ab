"""Errors as JSON under /api and as an HTML page elsewhere; a missing row is a 404, never a 500."""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.domain.errors import DomainError
from app.storage.engine import (
    BUSY_MESSAGE,
    BUSY_RETRY_AFTER_SECONDS,
    STATEMENT_TIMEOUT_MESSAGE,
    is_busy_error,
    is_statement_timeout,
)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_response(request: Request, status: int, message: str, details=None, headers=None):
    if _wants_json(request):
        body = {"message": message}
        if details is not None:
            body["errors"] = details
        return JSONResponse(body, status_code=status, headers=headers)
    from app.web.templating import is_htmx, render

    if is_htmx(request):
        # The route's own target expects its own block; the message goes to the page's #flash.
        return render(request, "_flash.html", {"status": status, "message": message},
                      status_code=status,
                      headers={**(headers or {}), "HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    return render(request, "error.html", {"status": status, "message": message},
                  block="content", status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError):
        return _error_response(request, exc.status_code, exc.message)

    @app.exception_handler(OperationalError)
    async def database_busy(request: Request, exc: OperationalError):
        """Another writer held the database past our wait (SQLite's busy_timeout, a PostgreSQL lock
        or statement timeout): 503 with Retry-After, a message the page or client can show. Any
        other database failure is a fault and stays a 500."""
        if not is_busy_error(exc):
            raise exc
        message = STATEMENT_TIMEOUT_MESSAGE if is_statement_timeout(exc) else BUSY_MESSAGE
        return _error_response(request, 503, message,
                               headers={"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)})

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"] if p not in ("body", "query", "path"))
        return _error_response(request, 422, f"{where}: {first['msg']}" if where else first["msg"],
                               details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return _error_response(request, exc.status_code, message)
