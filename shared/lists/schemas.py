"""API shapes of mailing lists and subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator

from shared.models import SourceKind, SubscriptionStatus, utcnow
from shared.register.schemas import StrictInput

MAX_ID = 2_147_483_647  # PostgreSQL integer: a larger id must never reach the database
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
MAX_CLOCK_SKEW = timedelta(minutes=5)


def storable(value: str) -> str:
    """Text PostgreSQL can store: no NUL characters (pydantic already refuses lone surrogates)."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


def past_moment(value: datetime) -> datetime:
    """A moment in UTC, from 1900 up to now; a time without a zone is UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value < EARLIEST:
        raise ValueError("must be in 1900 or later")
    if value > utcnow() + MAX_CLOCK_SKEW:
        raise ValueError("must not be in the future")
    return value.astimezone(UTC)


def _text(min_length: int, max_length: int):
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(storable)]


ListName = _text(1, 200)
Description = _text(0, 1000)
Owner = _text(1, 200)
PastMoment = Annotated[datetime, AfterValidator(past_moment)]


class MailingListCreate(StrictInput):
    name: ListName
    description: Description | None = None
    owner: Owner = "Jetmasters Oy"


class MailingListUpdate(StrictInput):
    name: ListName | None = None
    description: Description | None = None
    owner: Owner | None = None

    @field_validator("name", "owner")
    @classmethod
    def _not_null(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("may be left out but not set to null")
        return value


class MailingListPublic(BaseModel):
    id: int
    name: str
    description: str | None
    owner: str
    version: int
    created_at: datetime
    updated_at: datetime


class SubscriptionCreate(StrictInput):
    contact_id: RowId
    source: SourceKind
    status: Literal[SubscriptionStatus.pending, SubscriptionStatus.subscribed] = Field(
        default=SubscriptionStatus.subscribed, description="pending: waiting for a double opt-in confirmation")
    confirmed_at: PastMoment | None = None

    @model_validator(mode="after")
    def _pending_is_unconfirmed(self) -> SubscriptionCreate:
        if self.status == SubscriptionStatus.pending and self.confirmed_at is not None:
            raise ValueError("a pending subscription has no confirmed_at yet")
        return self


class SubscriptionUpdate(StrictInput):
    status: SubscriptionStatus | None = Field(
        default=None, description="unsubscribed stamps unsubscribed_at; pending → subscribed stamps confirmed_at")
    source: SourceKind | None = None

    @field_validator("status", "source")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("may be left out but not set to null")
        return value


class SubscriptionPublic(BaseModel):
    id: int
    list_id: int
    contact_id: int
    status: SubscriptionStatus
    source: SourceKind
    subscribed_at: datetime
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None
    version: int
    updated_at: datetime
    etag: str | None = Field(default=None, description="send it in If-Match to change or delete")
