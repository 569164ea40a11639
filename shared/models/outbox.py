"""The email outbox: one row per message; the notifier sends from here. Beside it: the log of
every SMTP attempt (who received what, when, with which answer) and the rate-limit buckets
that the notifiers share (so limits hold across restarts and processes)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Identity, Index, Text, text
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
    # The SMTP server's answer to the last attempt ("250 2.0.0 Ok: queued as …"); every attempt
    # is in email_attempts.
    smtp_reply: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Set (durably) right before the message's content goes to the SMTP server (DATA) in the
    # current attempt. A notifier that dies after this may have delivered it: the row becomes
    # failed + outcome_unknown for review and is never resent blindly; without it, the message
    # never reached DATA and is safely sent again.
    handed_over_at: datetime | None = timestamp_field(nullable=True)
    # Who holds the lease: a new value per claim. Every later write of the notifier names it, so a
    # notifier that lost its lease (stalled past it) cannot touch a row someone else now holds.
    lease_token: uuid.UUID | None = None


class AttemptOutcome(StrEnum):
    sent = "sent"  # 250 to DATA
    deferred = "deferred"  # a 4xx answer: tried again later
    bounced = "bounced"  # a 5xx answer: failed, the address suppressed
    unknown = "unknown"  # the connection broke after DATA: the server may have the message
    not_reached = "not_reached"  # no answer from a server (connection refused, timeout before DATA)


class EmailAttempt(SQLModel, table=True):
    """One SMTP attempt of one outbox row: the per-recipient log. Deleted with the outbox row
    (an erasure deletes the person's mail, and with it this)."""

    __tablename__ = "email_attempts"
    __table_args__ = (Index("ix_email_attempts_campaign_id_id", "campaign_id", "id"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    email_id: uuid.UUID = Field(foreign_key="email_outbox.id", index=True, ondelete="CASCADE")
    campaign_id: int | None = None  # for the campaign's error rate (auto-pause)
    attempt: int
    outcome: AttemptOutcome = enum_field(AttemptOutcome)
    smtp_reply: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    smtp_server: str | None = Field(default=None, max_length=300)
    started_at: datetime = timestamp_field()  # MAIL FROM sent (or the connection tried)
    finished_at: datetime = timestamp_field()


class RateBucket(SQLModel, table=True):
    """A token bucket shared by every notifier: `tokens` as of `updated_at`, refilled at
    `refill_per_second` up to `capacity` (see shared.outbox.ratelimit)."""

    __tablename__ = "outbox_rate_buckets"

    key: str = Field(primary_key=True, max_length=300)
    capacity: float
    refill_per_second: float
    tokens: float
    updated_at: datetime = timestamp_field(default_now=True)
