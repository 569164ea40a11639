"""Signing in to the desk: passwords (Argon2id), one-time set-password links, sign-in with limits
per account and per client, the second factor (TOTP with recovery codes).

Every refusal of a sign-in is the same `SigninRefused` whether or not the account exists, and an
unknown address still costs one Argon2 verification, so neither the answer nor its time tells.
Service accounts never sign in and get no links. Clear links, codes and TOTP secrets exist only
in the caller's hands: links and codes are stored as SHA-256 hashes, the TOTP secret sealed
(AES-GCM, shared/partners/crypto.py)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, select
from zxcvbn import zxcvbn

from shared.audit.service import OPERATOR, Actor, record
from shared.auth import sessions
from shared.auth.service import UnknownUser
from shared.common.errors import Forbidden
from shared.models import DeskLink, DeskSession, RecoveryCode, Role, SigninFailure, User, utcnow
from shared.partners.crypto import seal, unseal
from shared.settings import Environment, get_settings

HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))  # verified when the address is unknown
PURPOSES = ("invite", "reset")
RECOVERY_CODES = 10
TOTP_ISSUER = "Rekisteri"
SECOND_FACTOR_ROLES = frozenset({Role.admin, Role.privacy})


class SigninRefused(Exception):
    """Wrong address or password, or an account that may not sign in: one answer for all."""


class SigninLimited(Exception):
    """Too many failed sign-ins for this address or from this client; try again at `retry_at`."""

    def __init__(self, retry_at: datetime):
        super().__init__("too many failed sign-ins")
        self.retry_at = retry_at


class LinkInvalid(Exception):
    """The set-password link is unknown, used, replaced or past its time."""


class WeakPassword(ValueError):
    """The password is too short or too easy to guess; `code` says which (`too_short`, `common`)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class NoDeskAccess(Forbidden):
    """A service account, or a user without an email address: the desk is not for them."""


# -- passwords ------------------------------------------------------------------------------------

def password_problem(password: str, *, user_inputs: tuple[str, ...] = ()) -> str | None:
    """Why a new password is refused (`too_short`, `common`), or None. zxcvbn knows the common
    passwords, words and patterns; a guess estimate below 10^8 counts as common."""
    if len(password) < get_settings().desk_min_passphrase_length:
        return "too_short"
    if zxcvbn(password[:100], user_inputs=[i for i in user_inputs if i])["score"] < 3:
        return "common"
    return None


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return HASHER.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user: User, password: str) -> bool:
    """The user's current password (a change asks for it first)."""
    return _verify(user.password_hash, password)


def set_password(session: Session, *, user: User, password: str, actor: Actor) -> None:
    """Set a checked password; every session of the user ends (a stolen one with it)."""
    if problem := password_problem(password, user_inputs=(user.name, user.email or "")):
        raise WeakPassword(problem)
    user.password_hash = hash_password(password)
    session.add(user)
    record(session, entity=user, action="update", actor=actor, field="password_hash", new="(set)")
    sessions.end_all(session, user_id=user.id)


# -- one-time links -------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssuedLink:
    url: str  # the only time the clear token exists
    expires_at: datetime


def _desk_user(session: Session, *, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UnknownUser("no such user")
    if user.service_account or not user.email:
        raise NoDeskAccess("service accounts never sign in, and a user needs an email address to")
    return user


def issue_link(session: Session, *, user_id: int, purpose: str = "invite", actor: Actor = OPERATOR) -> IssuedLink:
    """A one-time link where the user sets their password, valid REKISTERI_DESK_LINK_TTL_HOURS;
    the user's earlier unused links stop working."""
    assert purpose in PURPOSES
    user = _desk_user(session, user_id=user_id)
    now = utcnow()
    session.execute(DeskLink.__table__.update().where(DeskLink.user_id == user.id, DeskLink.used_at.is_(None))
                    .values(used_at=now))
    token = secrets.token_urlsafe(32)
    link = DeskLink(user_id=user.id, token_hash=sessions.digest(token), purpose=purpose, created_at=now,
                    expires_at=now + timedelta(hours=get_settings().desk_link_ttl_hours))
    session.add(link)
    session.flush()
    record(session, entity=user, action="update", actor=actor, field="password_link", new=purpose)
    return IssuedLink(url=f"{get_settings().public_base_url.rstrip('/')}/desk/password/{token}",
                      expires_at=link.expires_at)


def link_user(session: Session, *, token: str, now: datetime | None = None) -> tuple[DeskLink, User]:
    """The live link and its user (LinkInvalid otherwise)."""
    now = now or utcnow()
    found = session.exec(select(DeskLink, User).join(User, User.id == DeskLink.user_id)
                         .where(DeskLink.token_hash == sessions.digest(token))).first()
    if found is None:
        raise LinkInvalid("unknown link")
    link, user = found
    if link.used_at is not None or link.expires_at <= now or not user.active or user.service_account:
        raise LinkInvalid("used or expired")
    return link, user


def use_link(session: Session, *, token: str, password: str) -> User:
    """Set the password through a link (LinkInvalid, WeakPassword); the link is used up."""
    link, user = link_user(session, token=token)
    set_password(session, user=user, password=password, actor=Actor.user(user.id, reason=f"link:{link.purpose}"))
    link.used_at = utcnow()
    session.add(link)
    return user


def forgotten(session: Session, *, email: str) -> tuple[User, IssuedLink] | None:
    """A reset link for the active desk user with this address, or None (the page answers the same)."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.active or user.service_account:
        return None
    return user, issue_link(session, user_id=user.id, purpose="reset", actor=Actor.user(user.id, reason="forgotten"))


# -- signing in -----------------------------------------------------------------------------------

def _key(kind: str, value: str) -> str:
    return sessions.digest(f"{kind}:{value.strip().lower()}")


def _check_limits(session: Session, *, keys: dict[str, int], now: datetime) -> None:
    window = timedelta(minutes=get_settings().desk_signin_window_minutes)
    for key, limit in keys.items():
        count, first = session.exec(select(func.count(), func.min(SigninFailure.at))
                                    .where(SigninFailure.key == key, SigninFailure.at > now - window)).one()
        if count >= limit:
            # the oldest failures leave the window one by one: wait for the one that brings it under
            oldest = session.exec(select(SigninFailure.at).where(SigninFailure.key == key,
                                                                 SigninFailure.at > now - window)
                                  .order_by(SigninFailure.at).offset(count - limit).limit(1)).one()
            raise SigninLimited(retry_at=(oldest or first) + window)


def second_factor_required(user: User) -> bool:
    """Admins and privacy officers must have one in production."""
    return get_settings().environment is Environment.production and user.role in SECOND_FACTOR_ROLES


@dataclass(frozen=True)
class SignedIn:
    token: str  # the cookie's value
    row: DeskSession
    user: User


def sign_in(session: Session, *, email: str, password: str, client: str | None, user_agent: str = "",
            now: datetime | None = None) -> SignedIn:
    """Check the address and password against the limits; a session in the stage the user's second
    factor asks for (`code`, `enrol` or `full`). SigninLimited, SigninRefused."""
    now = now or utcnow()
    settings = get_settings()
    keys = {_key("account", email): settings.desk_signin_failures_per_account,
            _key("client", client or "-"): settings.desk_signin_failures_per_client}
    _check_limits(session, keys=keys, now=now)
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    good = _verify(user.password_hash if user else None, password)
    if not good or user is None or not user.active or user.service_account:
        for key in keys:
            session.add(SigninFailure(key=key, at=now))
        session.flush()
        raise SigninRefused("wrong address or password")
    session.execute(delete(SigninFailure).where(SigninFailure.key == _key("account", email)))
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    stage = "code" if user.totp_enabled else "enrol" if second_factor_required(user) else "full"
    token, row = sessions.start(session, user=user, stage=stage, user_agent=user_agent)
    return SignedIn(token=token, row=row, user=user)


# -- the second factor ----------------------------------------------------------------------------

def _hash_code(code: str) -> str:
    return sessions.digest("recovery:" + code.replace("-", "").replace(" ", "").lower())


def begin_totp(session: Session, *, user: User) -> str:
    """A new TOTP secret for the user to enter in their app (kept sealed; on once confirmed)."""
    secret = pyotp.random_base32()
    user.totp_secret = seal(secret)
    session.add(user)
    return secret


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email or user.name, issuer_name=TOTP_ISSUER)


def pending_totp_secret(user: User) -> str | None:
    return unseal(user.totp_secret) if user.totp_secret else None


def _use_totp(session: Session, *, user: User, code: str) -> bool:
    """Whether `code` is the app's code for the time step before, at or after now (clocks drift) and
    later than the last one accepted; it is used up then (the user's row locked, so two sign-ins
    racing with one code cannot both pass)."""
    secret = pending_totp_secret(user)
    code = code.replace(" ", "")
    if not secret or not code.isdigit():
        return False
    session.flush()
    last = session.execute(select(User.totp_last_step).where(User.id == user.id).with_for_update()).scalar_one()
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    step = next((s for s in (now - 1, now, now + 1) if secrets.compare_digest(totp.generate_otp(s), code)), None)
    if step is None or (last is not None and step <= last):
        return False
    user.totp_last_step = step
    session.add(user)
    return True


def confirm_totp(session: Session, *, user: User, code: str) -> list[str] | None:
    """Turn the second factor on with a code from the app; the recovery codes (shown once), or None
    if the code is wrong."""
    if user.totp_enabled or not _use_totp(session, user=user, code=code):
        return None
    user.totp_enabled = True
    session.add(user)
    record(session, entity=user, action="update", actor=Actor.user(user.id), field="totp_enabled", old=False, new=True)
    return new_recovery_codes(session, user=user)


def new_recovery_codes(session: Session, *, user: User) -> list[str]:
    """Replace the user's recovery codes; the clear codes are returned once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash_code(code)))
    session.flush()
    return codes


def unused_recovery_codes(session: Session, *, user_id: int) -> int:
    return session.exec(select(func.count()).where(RecoveryCode.user_id == user_id,
                                                   RecoveryCode.used_at.is_(None))).one()


def check_second_factor(session: Session, *, user: User, code: str) -> bool:
    """A TOTP code from the app, or an unused recovery code (used up now)."""
    if not user.totp_enabled:
        return False
    if _use_totp(session, user=user, code=code):
        return True
    found = session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
                                                    RecoveryCode.code_hash == _hash_code(code))).first()
    if found is None:
        return False
    found.used_at = utcnow()
    session.add(found)
    return True


def disable_totp(session: Session, *, user: User) -> None:
    """Turn the second factor off (not for those who must have it)."""
    if second_factor_required(user):
        raise NoDeskAccess("your role must keep the second factor")
    user.totp_enabled, user.totp_secret, user.totp_last_step = False, None, None
    session.add(user)
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(session, entity=user, action="update", actor=Actor.user(user.id), field="totp_enabled", old=True, new=False)


def promote(session: Session, *, row: DeskSession) -> None:
    """The session passed its second factor (or set one up): it works fully from now."""
    row.stage = "full"
    session.add(row)
