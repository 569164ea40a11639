"""Staff users and bearer tokens.

A token is shown once when created; only its SHA-256 hash is stored. Tokens are 256 random
bits, so a plain (unsalted) hash is enough and lets us find the row by an indexed lookup.

The rules on accounts live here, whoever calls: nobody changes their own role or deactivates
themselves; the last active (human) admin stays an active admin; a staff member issues tokens
for themselves or for a service account (an integration's account, which never signs in to the
desk), never for another person. The command line is the machine's operator (`OPERATOR`): it
may issue a token for anyone, which is how the first admin gets one. Every change to a user or
a token is a change-history row naming who made it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, select

from shared.auth import sessions
from shared.audit.service import OPERATOR, Actor, record, record_created, record_revoked
from shared.models import ApiToken, ChangeRecord, Role, User, utcnow
from shared.common.errors import Conflict, Forbidden, NotFound

TOKEN_PREFIX = "rk_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


class AuthError(Exception):
    """The token is missing, unknown, expired or revoked, or the user is inactive."""


class UserExists(Conflict):
    """A user with this name exists already."""


class UnknownUser(NotFound):
    """No user has this name or id."""


class NotAllowed(Forbidden):
    """A change the rules on accounts forbid (403); the message says which rule."""


class LastAdmin(Conflict):
    """The change would leave no active admin (409)."""


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the only time the clear token exists
    record: ApiToken


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, *, name: str, role: Role, service_account: bool = False,
                email: str | None = None, actor: Actor = OPERATOR) -> User:
    """Create a staff user (or a service account); names and email addresses are unique. A service
    account has no address: it never signs in to the desk."""
    if session.exec(select(User).where(User.name == name)).first() is not None:
        raise UserExists("a user with this name exists")
    if service_account and email:
        raise NotAllowed("a service account never signs in to the desk: it has no email address")
    email = email.strip().lower() if email else None
    if email and session.exec(select(User).where(User.email == email)).first() is not None:
        raise UserExists("a user with this email address exists")
    user = User(name=name, role=Role(role), service_account=service_account, email=email)
    session.add(user)
    record_created(session, entity=user, actor=actor)
    return user


def issue_token(session: Session, *, user_name: str, ttl: timedelta | None = None,
                actor: Actor = OPERATOR) -> IssuedToken:
    """Create a new bearer token for a user; the clear token is returned once and never stored.
    A staff member (`actor.user_id` set) issues tokens only for themselves or a service account."""
    user = session.exec(select(User).where(User.name == user_name)).first()
    if user is None:
        raise UnknownUser(f"no user named {user_name!r}")
    if actor.user_id is not None and actor.user_id != user.id and not user.service_account:
        raise NotAllowed("a token acts as the person it belongs to: issue tokens for yourself or for a service "
                         "account (create one with service_account true)")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    issued = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        prefix=token[:10],
        expires_at=utcnow() + ttl if ttl else None,
        issued_by=actor.user_id,
    )
    session.add(issued)
    session.flush()
    for field, value in (("user_id", user.id), ("prefix", issued.prefix), ("expires_at", issued.expires_at)):
        if value is not None:
            record(session, entity=issued, action="create", actor=actor, field=field, new=value)
    return IssuedToken(token=token, record=issued)


class UnknownToken(NotFound):
    """No token has this id."""


def get_user(session: Session, *, user_id: int) -> User:
    """The user with this id (UnknownUser if none)."""
    user = session.get(User, user_id)
    if user is None:
        raise UnknownUser("no such user")
    return user


def revoke_token(session: Session, *, token_id: int, actor: Actor = OPERATOR) -> ApiToken:
    """Revoke a token (idempotent, with its history row); UnknownToken if there is no such token."""
    found = session.get(ApiToken, token_id)
    if found is None:
        raise UnknownToken("no such token")
    record_revoked(session, entity=found, actor=actor)
    return found


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.id)).all())


def _other_active_admins(session: Session, *, user: User) -> int:
    """Active human admins besides `user`, their rows locked: two admins demoting each other at
    the same moment cannot both succeed."""
    others = session.exec(select(User.id).where(User.role == Role.admin, User.active.is_(True),
                                                User.service_account.is_(False), User.id != user.id)
                          .with_for_update()).all()
    return len(others)


def update_user(session: Session, *, user: User, actor: Actor, role: Role | None = None,
                active: bool | None = None) -> User:
    """Change a user's role or deactivate them (their tokens stop working at once)."""
    changes = {name: value for name, value in (("role", role), ("active", active))
               if value is not None and value != getattr(user, name)}
    if changes and actor.user_id == user.id:
        raise NotAllowed("nobody changes their own role or deactivates themselves: ask another admin")
    demoted = changes.get("role", Role.admin) != Role.admin or changes.get("active", True) is False
    if (user.role == Role.admin and user.active and not user.service_account and demoted
            and _other_active_admins(session, user=user) == 0):
        raise LastAdmin("this is the last active admin: make another admin first")
    for name, value in changes.items():
        record(session, entity=user, action="update", actor=actor, field=name, old=getattr(user, name), new=value)
        setattr(user, name, value)
    session.add(user)
    session.flush()
    if changes.get("active") is False:
        sessions.end_all(session, user_id=user.id)  # signed out of the desk everywhere, at once
    return user


def account_history(session: Session, *, user_id: int, limit: int = 500) -> list[ChangeRecord]:
    """What was done to a user and their tokens, and by whom, newest first."""
    tokens = select(ApiToken.id).where(ApiToken.user_id == user_id)
    query = select(ChangeRecord).where(or_(
        and_(ChangeRecord.entity == "users", ChangeRecord.entity_id == user_id),
        and_(ChangeRecord.entity == "api_tokens", ChangeRecord.entity_id.in_(tokens)),
    )).order_by(ChangeRecord.id.desc()).limit(limit)
    return list(session.exec(query).all())


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
