"""The email outbox: one row per message; the notifier sends from here."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, text
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field


class EmailCategory(StrEnum):
    transactional = "transactional"
    marketing = "marketing"
    research = "research"
    sister_marketing = "sister_marketing"


class EmailStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    skipped = "skipped"
    cancelled = "cancelled"


FINAL_EMAIL_STATUSES = frozenset(
    {EmailStatus.sent, EmailStatus.failed, EmailStatus.skipped, EmailStatus.cancelled}
)


class EmailMessage(SQLModel, table=True):
    __tablename__ = "email_outbox"
    __table_args__ = (
        Index(
            "ix_email_outbox_due",
            "priority",
            "next_attempt_at",
            postgresql_where=text("status IN ('pending', 'sending')"),
        ),
        # Finding a person's mail for access answers and erasure without reading the whole outbox.
        Index("ix_email_outbox_lower_to", text("lower(to_address)")),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    category: EmailCategory = enum_field(EmailCategory, default=EmailCategory.transactional)
    # Transactional mail (0) goes before marketing (10).
    priority: int = 0
    status: EmailStatus = enum_field(EmailStatus, default=EmailStatus.pending)
    to_address: str = Field(max_length=320)
    from_address: str = Field(max_length=320)
    subject: str = Field(max_length=998)
    body_text: str = Field(sa_column=Column(Text, nullable=False))
    body_html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    headers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    message_id: str = Field(max_length=250, unique=True)
    contact_id: int | None = Field(default=None, index=True)
    request_id: str | None = Field(default=None, max_length=128)
    attempts: int = 0
    max_attempts: int = 8
    last_error: str | None = Field(default=None, max_length=2000)
    skip_reason: str | None = Field(default=None, max_length=80)
    # `unknown`: the server may have accepted the message before the connection broke.
    outcome_unknown: bool = False
    created_at: datetime = timestamp_field(default_now=True)
    next_attempt_at: datetime = timestamp_field(default_now=True)
    lease_expires_at: datetime | None = timestamp_field(nullable=True)
    sent_at: datetime | None = timestamp_field(nullable=True)
