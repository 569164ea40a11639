"""Staff users and bearer tokens.

A token is shown once when created; only its SHA-256 hash is stored. Tokens are 256 random
bits, so a plain (unsalted) hash is enough and lets us find the row by an indexed lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from shared.models import ApiToken, Role, User, utcnow
from shared.common.errors import Conflict, NotFound

TOKEN_PREFIX = "rk_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


class AuthError(Exception):
    """The token is missing, unknown, expired or revoked, or the user is inactive."""


class UserExists(Conflict):
    """A user with this name exists already."""


class UnknownUser(NotFound):
    """No user has this name or id."""


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the only time the clear token exists
    record: ApiToken


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, *, name: str, role: Role) -> User:
    """Create a staff user; names are unique."""
    if session.exec(select(User).where(User.name == name)).first() is not None:
        raise UserExists("a user with this name exists")
    user = User(name=name, role=Role(role))
    session.add(user)
    session.flush()
    return user


def issue_token(session: Session, *, user_name: str, ttl: timedelta | None = None) -> IssuedToken:
    """Create a new bearer token for a user; the clear token is returned once and never stored."""
    user = session.exec(select(User).where(User.name == user_name)).first()
    if user is None:
        raise UnknownUser(f"no user named {user_name!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        prefix=token[:10],
        expires_at=utcnow() + ttl if ttl else None,
    )
    session.add(record)
    session.flush()
    return IssuedToken(token=token, record=record)


class UnknownToken(NotFound):
    """No token has this id."""


def get_user(session: Session, *, user_id: int) -> User:
    """The user with this id (UnknownUser if none)."""
    user = session.get(User, user_id)
    if user is None:
        raise UnknownUser("no such user")
    return user


def revoke_token(session: Session, *, token_id: int) -> ApiToken:
    """Revoke a token (idempotent); UnknownToken if there is no such token."""
    record = session.get(ApiToken, token_id)
    if record is None:
        raise UnknownToken("no such token")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.add(record)
    return record


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.id)).all())


def update_user(session: Session, *, user: User, role: Role | None = None, active: bool | None = None) -> User:
    """Change a user's role or deactivate them (their tokens stop working at once)."""
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    session.add(user)
    session.flush()
    return user


def list_tokens(session: Session, *, user_id: int) -> list[ApiToken]:
    return list(session.exec(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)).all())


def authenticate(session: Session, *, token: str, now: datetime | None = None) -> User:
    """Return the active user a valid token belongs to, or raise AuthError."""
    if not token.startswith(TOKEN_PREFIX):
        raise AuthError("malformed token")
    digest = hash_token(token)
    found = session.exec(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == digest)
    ).first()
    if found is None or not hmac.compare_digest(found[0].token_hash, digest):
        raise AuthError("unknown token")
    record, user = found
    now = now or utcnow()
    if record.revoked_at is not None:
        raise AuthError("revoked token")
    if record.expires_at is not None and record.expires_at <= now:
        raise AuthError("expired token")
    if not user.active:
        raise AuthError("inactive user")
    # Written at most once a minute: a write per request would serialize a busy client's calls.
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
        record.last_used_at = now
        session.add(record)
    return user
