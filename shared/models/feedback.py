"""Customer feedback and how it was handled."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field
from shared.models.contacts import Channel


class FeedbackStatus(StrEnum):
    new = "new"
    handled = "handled"


class Feedback(SQLModel, table=True):
    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True, ondelete="CASCADE")
    company_id: int | None = Field(default=None, foreign_key="companies.id", index=True, ondelete="CASCADE")
    channel: Channel = enum_field(Channel)
    rating: int | None = Field(default=None, ge=1, le=5)
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: FeedbackStatus = enum_field(FeedbackStatus, default=FeedbackStatus.new, index=True)
    handled_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    handled_at: datetime | None = timestamp_field(nullable=True)
    resolution: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # how
    received_at: datetime = timestamp_field(default_now=True)
    version: int = 1
    updated_at: datetime = timestamp_field(default_now=True)
