"""Slowing down password guessing: login attempts are counted per account name and per client address.
The first few failures cost nothing (people mistype); after that each failure locks its key for a delay
that doubles, up to a cap. A key forgets its failures after a quiet window. While a key is locked, a
login is refused without checking the password, so guessing costs time, not just CPU.

An attempt is counted *before* its password is checked, in one atomic UPDATE per key (a row lock on
PostgreSQL, the write lock on SQLite), and given back if the password proves right. So guesses sent in
parallel are counted like guesses sent one after another: none reads a stale count, no increment is
lost, and no more passwords are checked than free_failures + 1 before the lock."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.orm import Session

from app.storage.engine import insert_ignoring_conflicts
from app.storage.models import LoginThrottle, as_utc, utcnow


@dataclass(frozen=True)
class ThrottleConfig:
    free_failures: int = 5
    base_delay: float = 2.0
    max_delay: float = 900.0
    window: float = 3600.0

    def delay(self, failures: int) -> float:
        over = failures - self.free_failures
        return min(self.base_delay * 2 ** min(over - 1, 30), self.max_delay) if over > 0 else 0.0


@dataclass
class Attempt:
    """One login attempt's claim on its keys. `wait` > 0: refused, check no password. Otherwise the
    attempt is already counted as a failure; `succeeded` gives it back."""

    keys: list[str]
    wait: float = 0.0
    # The lock each counted key got from this attempt (None: it stayed within its free failures).
    locks: dict[str, datetime | None] = field(default_factory=dict)


def throttle_keys(name: str, address: str | None) -> list[str]:
    keys = [f"name:{name.strip().lower()[:200]}"]
    if address:
        keys.append(f"addr:{address[:200]}")
    return keys


def _wait(session: Session, keys: list[str], now: datetime) -> float:
    wait = 0.0
    for locked in session.scalars(select(LoginThrottle.locked_until).where(LoginThrottle.key.in_(keys))):
        locked = as_utc(locked)
        if locked and locked > now:
            wait = max(wait, (locked - now).total_seconds())
    return wait


def _count(session: Session, key: str, now: datetime, config: ThrottleConfig) -> tuple[bool, datetime | None]:
    """Count one attempt on `key` unless it is locked: (counted, the lock this attempt set)."""
    insert_ignoring_conflicts(session, LoginThrottle, key=key, failures=0, last_failure_at=now)
    stale = LoginThrottle.last_failure_at < now - timedelta(seconds=config.window)
    failures = session.scalar(
        update(LoginThrottle)
        .where(LoginThrottle.key == key,
               (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until <= now))
        .values(failures=case((stale, 1), else_=LoginThrottle.failures + 1), last_failure_at=now)
        .returning(LoginThrottle.failures))
    if failures is None:
        return False, None
    delay = config.delay(failures)
    if not delay:
        return True, None
    lock = now + timedelta(seconds=delay)
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(locked_until=lock))
    return True, lock


def _give_back(session: Session, key: str, lock: datetime | None) -> None:
    """Undo one counted attempt on `key`, and the lock it set if no later attempt has replaced it."""
    values = {"failures": case((LoginThrottle.failures > 0, LoginThrottle.failures - 1), else_=0)}
    if lock is not None:
        values["locked_until"] = case((LoginThrottle.locked_until == lock, None),
                                      else_=LoginThrottle.locked_until)
    session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(**values))


def begin_attempt(session: Session, keys: list[str], config: ThrottleConfig) -> Attempt:
    """Count a login attempt against every key before its password is checked. The caller commits
    at once (before the slow password check), so parallel attempts see each other's count."""
    now = utcnow()
    attempt = Attempt(keys)
    attempt.wait = _wait(session, keys, now)
    if attempt.wait > 0:
        return attempt
    for key in keys:
        counted, lock = _count(session, key, now, config)
        if not counted:  # another attempt locked it since the read above
            for done, done_lock in attempt.locks.items():
                _give_back(session, done, done_lock)
            attempt.locks.clear()
            attempt.wait = max(_wait(session, keys, now), 1.0)
            return attempt
        attempt.locks[key] = lock
    return attempt


def succeeded(session: Session, attempt: Attempt) -> None:
    """A correct password clears its account's count; the address only gets this attempt back (one
    valid account must not reset an address that is guessing at others)."""
    name_key, *others = attempt.keys
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == name_key))
    for key in others:
        _give_back(session, key, attempt.locks.get(key))
