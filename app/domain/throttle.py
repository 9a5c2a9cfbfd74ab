"""Slowing down password guessing: failed logins are counted per account name and per client address.
The first few failures cost nothing (people mistype); after that each failure locks its key for a delay
that doubles, up to a cap. A key forgets its failures after a quiet window. While a key is locked, a
login is refused without checking the password, so guessing costs time, not just CPU."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from app.domain.users import aware
from app.storage.models import LoginThrottle, utcnow


@dataclass(frozen=True)
class ThrottleConfig:
    free_failures: int = 5
    base_delay: float = 2.0
    max_delay: float = 900.0
    window: float = 3600.0


def throttle_keys(name: str, address: str | None) -> list[str]:
    keys = [f"name:{name.strip().lower()[:200]}"]
    if address:
        keys.append(f"addr:{address[:200]}")
    return keys


def seconds_to_wait(session: Session, keys: list[str]) -> float:
    """How long the caller must wait before a login with these keys is even checked (0: go ahead)."""
    now = utcnow()
    wait = 0.0
    for key in keys:
        row = session.get(LoginThrottle, key)
        locked = aware(row.locked_until) if row else None
        if locked and locked > now:
            wait = max(wait, (locked - now).total_seconds())
    return wait


def record_failure(session: Session, keys: list[str], config: ThrottleConfig) -> None:
    now = utcnow()
    for key in keys:
        row = session.get(LoginThrottle, key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
        elif (now - aware(row.last_failure_at)).total_seconds() > config.window:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        over = row.failures - config.free_failures
        if over > 0:
            delay = min(config.base_delay * 2 ** min(over - 1, 30), config.max_delay)
            row.locked_until = now + timedelta(seconds=delay)


def clear_failures(session: Session, key: str) -> None:
    """A correct password clears its account's count; the address keeps its own (one valid account
    must not reset an address that is guessing at others)."""
    row = session.get(LoginThrottle, key)
    if row is not None:
        session.delete(row)
