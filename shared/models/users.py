"""Staff users and their bearer tokens (stored as SHA-256 hashes, never in clear)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

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
