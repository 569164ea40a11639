"""Mailing lists and who is on them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field
from shared.models.provenance import SourceKind


class SubscriptionStatus(StrEnum):
    pending = "pending"  # waiting for the person to confirm (double opt-in)
    subscribed = "subscribed"
    unsubscribed = "unsubscribed"


class MailingList(SQLModel, table=True):
    __tablename__ = "mailing_lists"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    description: str | None = Field(default=None, max_length=1000)
    owner: str = Field(default="Jetmasters Oy", max_length=200)
    version: int = 1
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)


class Subscription(SQLModel, table=True):
    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("list_id", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    list_id: int = Field(foreign_key="mailing_lists.id", index=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    status: SubscriptionStatus = enum_field(SubscriptionStatus, default=SubscriptionStatus.subscribed)
    source: SourceKind = enum_field(SourceKind)
    subscribed_at: datetime = timestamp_field(default_now=True)
    confirmed_at: datetime | None = timestamp_field(nullable=True)
    unsubscribed_at: datetime | None = timestamp_field(nullable=True)
    version: int = 1
    updated_at: datetime = timestamp_field(default_now=True)
