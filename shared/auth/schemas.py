from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.models import Role
from shared.common.schemas import Email, StrictInput


class UserPublic(BaseModel):
    id: int
    name: str
    role: Role


class UserDetail(UserPublic):
    email: str | None = None
    active: bool
    service_account: bool
    created_at: datetime


class UserCreate(StrictInput):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[\w.@-]+$")
    role: Role
    service_account: bool = Field(default=False, description="an integration's account: an admin may issue "
                                                              "its tokens; it never signs in to the desk")
    email: Email | None = Field(default=None, description="where the desk's set-password links go; the "
                                                          "sign-in name (not for service accounts)")


class UserUpdate(StrictInput):
    role: Role | None = None
    active: bool | None = None


class TokenCreate(StrictInput):
    days: int | None = Field(default=None, ge=1, le=3650, description="expires after (default: never)")


class TokenPublic(BaseModel):
    id: int
    user_id: int
    issued_by: int | None = Field(description="the user who issued it; null: the command line")
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenIssued(TokenPublic):
    token: str = Field(description="shown once; only its hash is stored")


class DeskLinkIssued(BaseModel):
    link: str = Field(description="one-time: where the user sets their password (give it to them yourself)")
    expires_at: datetime
