"""API shapes of mailing lists and subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from shared.models import SourceKind, SubscriptionStatus
from shared.common.schemas import DbId, PastMoment, StrictInput, text_field



ListName = text_field(1, 200)
Description = text_field(0, 1000)
Owner = text_field(1, 200)


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
    contact_id: DbId
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
