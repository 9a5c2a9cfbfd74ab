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
