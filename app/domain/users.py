"""Accounts: users and their roles, browser sessions and API tokens. Every secret a person or script
holds (password, session cookie, API token) is stored only as a hash, so a copy of the database lets no
one in. The web layer and the CLI call these functions; neither touches the tables directly."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.domain.errors import Conflict, InvalidInput, NotFound, get_or_404
from app.domain.events import record_event
from app.storage.models import ROLES, ApiToken, User, UserSession, as_utc, utcnow

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
TOKEN_PREFIX = "ct_"
# last_used_at is written at most this often, so a busy script does not write on every request.
TOKEN_TOUCH_EVERY = timedelta(minutes=1)

_hasher = PasswordHasher()
_dummy_hash: str | None = None


@dataclass(frozen=True)
class Principal:
    """Who is making a request, detached from any Session: `via` is "session" or "token"."""

    user_id: int
    name: str
    role: str
    via: str

    def has_role(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def digest(secret: str) -> str:
    """Session and API tokens are long random strings, so a plain SHA-256 is enough to store them."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
    return role


def user_by_name(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def get_user(session: Session, name: str) -> User:
    user = user_by_name(session, name)
    if user is None:
        raise NotFound(f"no user {name}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def any_user_exists(session: Session) -> bool:
    return session.scalar(select(User.id).limit(1)) is not None


def add_user(session: Session, actor: str, name: str, password: str, role: str) -> User:
    name = name.strip()
    if not NAME_RE.match(name):
        raise InvalidInput("a user name is 1-100 letters, digits or . _ @ - (no spaces)")
    _check_role(role)
    if user_by_name(session, name) is not None:
        raise Conflict(f"user {name} exists already")
    user = User(name=name, password_hash=hash_password(password), role=role, disabled=False)
    session.add(user)
    session.flush()
    record_event(session, actor, "user.add", "user", user.id, after={"name": name, "role": role})
    return user


def first_admin(session: Session, actor: str, name: str, password: str) -> User | None:
    """The first admin, made only while there is no user at all (a container's start from its
    environment); None when an account exists already, which is then left as it is."""
    if any_user_exists(session):
        return None
    return add_user(session, actor, name, password, "admin")


def set_disabled(session: Session, actor: str, name: str, disabled: bool) -> User:
    """A disabled user's sessions end at once; its tokens stop working while it stays disabled."""
    user = get_user(session, name)
    if user.disabled != disabled:
        record_event(session, actor, "user.disable" if disabled else "user.enable", "user", user.id,
                     before={"disabled": user.disabled}, after={"disabled": disabled})
        user.disabled = disabled
    if disabled:
        session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return user


def set_role(session: Session, actor: str, name: str, role: str) -> User:
    user = get_user(session, name)
    _check_role(role)
    if user.role != role:
        record_event(session, actor, "user.role", "user", user.id,
                     before={"role": user.role}, after={"role": role})
        user.role = role
    return user


def set_password(session: Session, actor: str, name: str, password: str) -> User:
    """A new password ends every session of the user and revokes every API token they hold: whoever
    knew the old password (and may have made a token with it) is locked out. Scripts get new tokens."""
    user = get_user(session, name)
    user.password_hash = hash_password(password)
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    revoked = session.scalars(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).returning(ApiToken.id)).all()
    record_event(session, actor, "user.password", "user", user.id,
                 after={"tokens_revoked": sorted(revoked)} if revoked else None)
    return user


def check_password(session: Session, name: str, password: str) -> User | None:
    """The enabled user with this name and password, or None. An unknown name still costs one hash,
    so timing does not tell which names exist."""
    global _dummy_hash
    user = user_by_name(session, name)
    if user is None or user.disabled:
        if _dummy_hash is None:
            _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
        _verify(_dummy_hash, password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


# --- Browser sessions ------------------------------------------------------------------------------

def start_session(session: Session, user: User, lifetime: timedelta) -> str:
    """A new session for the user; returns the cookie value (the only copy of the token)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(UserSession(token_hash=digest(token), user_id=user.id, created_at=now,
                            expires_at=now + lifetime))
    session.execute(delete(UserSession).where(UserSession.expires_at < now))
    return token


def end_session(session: Session, token: str) -> None:
    session.execute(delete(UserSession).where(UserSession.token_hash == digest(token)))


def session_login(session: Session, token: str) -> tuple[Principal, datetime] | None:
    """The user behind a live login session and when the session ends (the page cache keeps the
    answer while the store is unchanged and the session not yet ended); None for an unknown,
    ended or disabled one."""
    stmt = (select(User.id, User.name, User.role, UserSession.expires_at)
            .join(UserSession, UserSession.user_id == User.id)
            .where(UserSession.token_hash == digest(token), UserSession.expires_at > utcnow(),
                   User.disabled.is_(False)))
    row = session.execute(stmt).first()
    return (Principal(row.id, row.name, row.role, "session"), as_utc(row.expires_at)) if row else None


def principal_for_session(session: Session, token: str) -> Principal | None:
    found = session_login(session, token)
    return found[0] if found else None


# --- API tokens ------------------------------------------------------------------------------------

def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for scripts; the secret is returned once and never stored."""
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise InvalidInput("a token needs a name of 1-200 characters (what the script is)")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=digest(secret))
    session.add(token)
    session.flush()
    record_event(session, user.name, "token.create", "api_token", token.id, after={"name": name})
    return token, secret


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def revoke_token(session: Session, actor: str, user_id: int, token_id: int) -> ApiToken:
    """Only the owner revokes a token here; another user's token id is a 404 like a missing one."""
    token = get_or_404(session, ApiToken, token_id, "token")
    if token.user_id != user_id:
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event(session, actor, "token.revoke", "api_token", token.id, after={"name": token.name})
    return token


def principal_for_token(session: Session, secret: str) -> Principal | None:
    """The user behind a Bearer token, if the token is live and the user enabled."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    stmt = (select(ApiToken, User).join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == digest(secret), ApiToken.revoked_at.is_(None),
                   User.disabled.is_(False)))
    row = session.execute(stmt).first()
    if row is None:
        return None
    token, user = row
    now = utcnow()
    last = as_utc(token.last_used_at)
    if last is None or now - last > TOKEN_TOUCH_EVERY:
        token.last_used_at = now
        session.commit()
    return Principal(user.id, user.name, user.role, "token")
