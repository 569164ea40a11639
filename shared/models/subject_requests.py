"""Data-subject requests (GDPR Art. 15–21) and what their fulfilment leaves behind."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, Text
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field
from shared.models.contacts import Language


class RequestKind(StrEnum):
    access = "access"
    rectification = "rectification"
    erasure = "erasure"
    restriction = "restriction"
    objection = "objection"


class ObjectionScope(StrEnum):
    direct_marketing = "direct_marketing"
    research = "research"
    both = "both"


class RequestStatus(StrEnum):
    received = "received"
    awaiting_verification = "awaiting_verification"
    verified = "verified"
    in_progress = "in_progress"
    completed = "completed"
    rejected = "rejected"
    cancelled = "cancelled"


class RequestChannel(StrEnum):
    web = "web"
    email = "email"
    letter = "letter"
    phone = "phone"
    in_person = "in_person"


class SubjectRequest(SQLModel, table=True):
    __tablename__ = "subject_requests"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: RequestKind = enum_field(RequestKind, index=True)
    objection_scope: ObjectionScope | None = enum_field(ObjectionScope, nullable=True)
    status: RequestStatus = enum_field(RequestStatus, default=RequestStatus.received, index=True)
    channel: RequestChannel = enum_field(RequestChannel, default=RequestChannel.web)
    language: Language = enum_field(Language, default=Language.fi)
    # Who asked. Personal data: erased with the person, or when the request's retention ends.
    email: str | None = Field(default=None, max_length=320, index=True)
    name: str | None = Field(default=None, max_length=200)
    free_text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    proposed_changes: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    approved_changes: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    contact_id: int | None = Field(default=None, index=True)  # the register's person, once matched
    verification_method: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    received_at: datetime = timestamp_field(default_now=True)
    due_at: datetime = timestamp_field(index=True)
    extended_due_at: datetime | None = timestamp_field(nullable=True)
    extension_reason: str | None = Field(default=None, max_length=2000)
    verified_at: datetime | None = timestamp_field(nullable=True)
    completed_at: datetime | None = timestamp_field(nullable=True)
    outcome: str | None = Field(default=None, max_length=2000)  # what was done, or why not
    repeat_count: int = 0  # earlier access requests by this person this calendar year
    repeats_since_change: int = 0  # … and since their data last changed
    repeat_decision: str | None = Field(default=None, max_length=40)  # free, fee, manifestly_unfounded
    repeat_reason: str | None = Field(default=None, max_length=2000)
    job_id: uuid.UUID | None = Field(default=None, foreign_key="jobs.id", ondelete="SET NULL")
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    client_hash: str | None = Field(default=None, max_length=64)  # keyed hash of the client address
    reminded_at: datetime | None = timestamp_field(nullable=True)
    version: int = 1
    updated_at: datetime = timestamp_field(default_now=True)


class VerificationToken(SQLModel, table=True):
    """A single-use, expiring link proving control of the email; stored hashed."""

    __tablename__ = "verification_tokens"

    id: int | None = Field(default=None, primary_key=True)
    request_id: uuid.UUID = Field(foreign_key="subject_requests.id", index=True, ondelete="CASCADE")
    token_hash: str = Field(max_length=64, unique=True)
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)
    created_at: datetime = timestamp_field(default_now=True)


class RequestEvent(SQLModel, table=True):
    """Every status change of a request: from, to, who, why."""

    __tablename__ = "subject_request_events"

    id: int | None = Field(default=None, primary_key=True)
    request_id: uuid.UUID = Field(foreign_key="subject_requests.id", index=True, ondelete="CASCADE")
    from_status: str | None = Field(default=None, max_length=30)
    to_status: str = Field(max_length=30)
    actor: str = Field(max_length=120)
    note: str | None = Field(default=None, max_length=2000)
    at: datetime = timestamp_field(default_now=True)


class AccessExport(SQLModel, table=True):
    """The zipped answer to an access request, downloadable by a signed link until it expires."""

    __tablename__ = "access_exports"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    request_id: uuid.UUID = Field(foreign_key="subject_requests.id", unique=True, ondelete="CASCADE")
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    created_at: datetime = timestamp_field(default_now=True)
    expires_at: datetime = timestamp_field(index=True)
    downloads: int = 0


class ExportDownload(SQLModel, table=True):
    __tablename__ = "export_downloads"

    id: int | None = Field(default=None, primary_key=True)
    export_id: uuid.UUID = Field(foreign_key="access_exports.id", index=True, ondelete="CASCADE")
    at: datetime = timestamp_field(default_now=True)
    client_hash: str | None = Field(default=None, max_length=64)


class Disclosure(SQLModel, table=True):
    """Data given to a partner or an authority (the partner issue writes partner rows; the
    privacy officer records authority disclosures). Access answers list them; follow-ups of
    rectification, erasure and restriction (Art. 19) are queued here with status `pending`."""

    __tablename__ = "disclosures"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, index=True)
    recipient: str = Field(max_length=200)  # partner or authority name
    recipient_kind: str = Field(max_length=20)  # partner, authority
    purpose: str = Field(max_length=200)
    legal_ground: str | None = Field(default=None, max_length=300)  # the law, for authorities
    fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    kind: str = Field(default="transfer", max_length=30)  # transfer, correction, deletion, restriction
    status: str = Field(default="done", max_length=20)  # done, pending (a follow-up to deliver)
    request_id: uuid.UUID | None = Field(default=None, index=True)
    at: datetime = timestamp_field(default_now=True)
