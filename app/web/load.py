"""Serving under load: a process works on at most `max_concurrent_requests` requests at once; the
rest wait their turn on the event loop (cheap), and one that waited `request_queue_seconds` is told
503 with Retry-After. Without the bound, Starlette ran up to 40 sync routes at once in its thread
pool against 15 pooled connections: requests queued on the pool, failed with a 500 after 30 s, and
every page being built at once held its rows and HTML in memory at the same time.

The connection pool is sized from the same setting (app/storage/engine.py pool_args), so a request
that has its turn gets a connection; a pool wait that still runs out (downloads streaming on every
connection) is the same 503, never a 500."""
from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator

from fastapi import Depends, FastAPI, Request
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.storage.engine import BUSY_RETRY_AFTER_SECONDS, OVERLOADED_MESSAGE


class Overloaded(Exception):
    """The request waited its whole turn (or for a pooled connection) without getting one."""


class RequestSlots:
    """`size` requests at a time per event loop (one loop per server process; a test client may
    start several loops in turn, each gets its own semaphore)."""

    def __init__(self, size: int, wait_seconds: float):
        self.size = size
        self.wait_seconds = wait_seconds
        self._by_loop: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def semaphore(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        sem = self._by_loop.get(loop)
        if sem is None:
            sem = self._by_loop[loop] = asyncio.Semaphore(self.size)
        return sem


# Answered without waiting a turn: a container's health check must see a busy server as alive (it
# restarts one that does not answer in time), and /healthz costs one SELECT 1.
UNQUEUED = frozenset({"healthz"})


async def request_slot(request: Request) -> AsyncIterator[None]:
    """App-wide dependency, before the access guard (which already reads the database)."""
    if getattr(request.scope.get("route"), "name", None) in UNQUEUED:
        yield
        return
    slots: RequestSlots = request.app.state.request_slots
    sem = slots.semaphore()
    try:
        await asyncio.wait_for(sem.acquire(), slots.wait_seconds)
    except TimeoutError:
        raise Overloaded(OVERLOADED_MESSAGE) from None
    try:
        yield
    finally:
        sem.release()


def install_load_limit(app: FastAPI) -> None:
    """Call before the routers are included and before install_access (the guard must run inside
    a slot): FastAPI copies the router's dependencies into each route as it is added."""
    from app.api.errors import _error_response

    settings = app.state.settings
    app.state.request_slots = RequestSlots(settings.max_concurrent_requests,
                                           settings.request_queue_seconds)
    app.router.dependencies.insert(0, Depends(request_slot))

    headers = {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, exc: Overloaded):
        return _error_response(request, 503, OVERLOADED_MESSAGE, headers=headers)

    @app.exception_handler(PoolTimeout)
    async def pool_timeout(request: Request, exc: PoolTimeout):
        return _error_response(request, 503, OVERLOADED_MESSAGE, headers=headers)
