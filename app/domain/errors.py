"""Errors the domain raises; each surface maps them to its own form (404 page, JSON 4xx, CLI message)."""
from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses, with a message fit to show a person."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class InvalidInput(DomainError):
    status_code = 422


class Conflict(DomainError):
    """The record changed since the caller read it (optimistic locking)."""

    status_code = 409


class TooLarge(DomainError):
    status_code = 413


# Ids are 32-bit integers on both engines; a larger number can name no row (and would overflow).
MAX_ID = 2**31 - 1


def get_or_404(session, model, ident: int, label: str):
    """The row with this primary key, or NotFound: a missing row is a 404, never a 500."""
    row = session.get(model, ident) if 0 < ident <= MAX_ID else None
    if row is None:
        raise NotFound(f"no {label} {ident}")
    return row
