"""Staff users, their bearer tokens (stored as SHA-256 hashes, never in clear) and the desk's
sign-in: passwords (Argon2id), sessions, one-time links, recovery codes, failed attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, String
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field


class Role(StrEnum):
    admin = "admin"
    sales = "sales"
    marketing = "marketing"
    privacy = "privacy"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True, index=True)
    role: Role = enum_field(Role)
    active: bool = True
    # An integration's account: holds tokens an admin issues, never signs in to the desk.
    service_account: bool = False
    created_at: datetime = timestamp_field(default_now=True)
    # The desk (shared/auth/desk.py): the address sign-in and links use (lower case), the
    # Argon2id hash of the password, the TOTP secret sealed (shared/partners/crypto.py) once on.
    email: str | None = Field(default=None, sa_column=Column(String(254), unique=True, nullable=True))
    password_hash: str | None = Field(default=None, max_length=200)
    totp_secret: str | None = Field(default=None, max_length=300)
    totp_enabled: bool = False
    # The TOTP time step (30-second count) of the last code accepted: a code is good once.
    totp_last_step: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16)
    # Who issued it (None: the command line, run by the machine's operator).
    issued_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field(default_now=True)
    expires_at: datetime | None = timestamp_field(nullable=True)
    revoked_at: datetime | None = timestamp_field(nullable=True)
    last_used_at: datetime | None = timestamp_field(nullable=True)


class DeskSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random token, the row only its SHA-256 hash.
    `stage`: `code` waits for the second factor, `enrol` may only set one up, `full` works."""
    __tablename__ = "desk_sessions"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    stage: str = Field(default="full", max_length=10)
    user_agent: str = Field(default="", max_length=200)
    access_reason: str | None = Field(default=None, max_length=500)  # an admin's stated reason
    created_at: datetime = timestamp_field(default_now=True)
    last_seen_at: datetime = timestamp_field(default_now=True)
    expires_at: datetime = timestamp_field()  # the absolute end
    ended_at: datetime | None = timestamp_field(nullable=True)


class DeskLink(SQLModel, table=True):
    """A one-time link to set a password (`invite`, `reset`); only its hash is stored."""
    __tablename__ = "desk_links"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=10)
    created_at: datetime = timestamp_field(default_now=True)
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)


class RecoveryCode(SQLModel, table=True):
    __tablename__ = "desk_recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = timestamp_field(nullable=True)


class SigninFailure(SQLModel, table=True):
    """A failed sign-in, counted per account and per client: the key is a hash (no address, no IP)."""
    __tablename__ = "desk_signin_failures"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, index=True)
    at: datetime = timestamp_field(default_now=True, index=True)
