"""Desk sessions kept in PostgreSQL: the browser's cookie holds a random token, the row only its
SHA-256 hash. A session ends when it is unused for REKISTERI_DESK_IDLE_SECONDS, at the latest
REKISTERI_DESK_ABSOLUTE_HOURS after sign-in, on sign-out, when the user revokes it from another
browser, and all of a user's at once when the user is deactivated."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from shared.models import DeskSession, User, utcnow
from shared.settings import get_settings

SEEN_RESOLUTION = timedelta(seconds=5)  # last_seen_at is written at most this often


class NoSession(Exception):
    """No live session for this cookie (unknown, ended, idle too long, past its end, user inactive)."""


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(session: Session, *, user: User, stage: str, user_agent: str = "") -> tuple[str, DeskSession]:
    """A new session for `user`; returns the cookie's clear token (never stored) and the row."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = DeskSession(user_id=user.id, token_hash=digest(token), stage=stage, user_agent=user_agent[:200],
                      created_at=now, last_seen_at=now,
                      expires_at=now + timedelta(hours=get_settings().desk_absolute_hours))
    session.add(row)
    session.flush()
    return token, row


def resolve(session: Session, *, token: str, now: datetime | None = None) -> tuple[DeskSession, User]:
    """The live session and its active user for a cookie token, its idle clock restarted; NoSession
    otherwise. An idle or expired row stays as it is: its times alone keep it dead."""
    now = now or utcnow()
    found = session.exec(select(DeskSession, User).join(User, User.id == DeskSession.user_id)
                         .where(DeskSession.token_hash == digest(token))).first()
    if found is None or not hmac.compare_digest(found[0].token_hash, digest(token)):
        raise NoSession("unknown session")
    row, user = found
    if row.ended_at is not None:
        raise NoSession("ended")
    idle = timedelta(seconds=get_settings().desk_idle_seconds)
    if now >= row.expires_at or now - row.last_seen_at > idle or not user.active or user.service_account:
        raise NoSession("timed out")
    if now - row.last_seen_at > SEEN_RESOLUTION:
        row.last_seen_at = now
        session.add(row)
    return row, user


def end(session: Session, *, row: DeskSession, now: datetime | None = None) -> None:
    if row.ended_at is None:
        row.ended_at = now or utcnow()
        session.add(row)
        session.flush()


def end_all(session: Session, *, user_id: int) -> int:
    """End every live session of a user (deactivation, a new password); how many there were."""
    result = session.execute(update(DeskSession).where(DeskSession.user_id == user_id, DeskSession.ended_at.is_(None))
                             .values(ended_at=utcnow()))
    return result.rowcount or 0


def live(session: Session, *, user_id: int, now: datetime | None = None) -> list[DeskSession]:
    """The user's sessions still open, newest first."""
    now = now or utcnow()
    idle_since = now - timedelta(seconds=get_settings().desk_idle_seconds)
    return list(session.exec(select(DeskSession).where(
        DeskSession.user_id == user_id, DeskSession.ended_at.is_(None), DeskSession.expires_at > now,
        DeskSession.last_seen_at >= idle_since).order_by(DeskSession.created_at.desc())).all())


def csrf_token(row: DeskSession) -> str:
    """The form token of a session: derived from its hash with the secret key, so nothing more is stored."""
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, f"desk-csrf:{row.token_hash}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(row: DeskSession, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(row), given)
