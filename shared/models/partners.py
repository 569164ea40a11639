"""Partners and what goes to them (transfers), legal holds and retention runs, the published
privacy notice's versions and the breach register (privacy notice sections 7, 8, 9 and 12)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field


class PartnerRole(StrEnum):
    recipient = "recipient"  # a controller of its own that receives data for a named task
    processor = "processor"  # processes on our behalf under a written agreement (Art. 28)


class DeliveryMethod(StrEnum):
    https = "https"  # we POST the file, signed with HMAC-SHA256 under the shared secret
    download = "download"  # the partner fetches it with a signed, expiring link


class FileFormat(StrEnum):
    csv = "csv"
    json = "json"


class TransferKind(StrEnum):
    transfer = "transfer"  # people selected for a purpose
    followup = "followup"  # Art. 19 notices: correction, deletion, restriction


class TransferStatus(StrEnum):
    pending = "pending"
    ready = "ready"  # a download waiting for the partner
    delivered = "delivered"
    refused = "refused"  # a rule said no; `reason` says which
    failed = "failed"  # delivery failed after its retries; `reason` says how
    expired = "expired"  # a download link that was never used


FINAL_TRANSFER_STATUSES = frozenset({TransferStatus.delivered, TransferStatus.refused, TransferStatus.failed,
                                     TransferStatus.expired})


class Partner(SQLModel, table=True):
    """A named contract partner, its written agreement, what it may receive and how."""

    __tablename__ = "partners"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)  # disclosures name it; never renamed
    business_id: str | None = Field(default=None, max_length=9, unique=True)
    role: PartnerRole = enum_field(PartnerRole)
    agreement_reference: str = Field(max_length=200)
    agreement_signed_on: date
    agreement_expires_on: date | None = None
    purposes: list[str] = Field(default_factory=list, sa_type=ARRAY(String(40)))
    fields: list[str] = Field(default_factory=list, sa_type=ARRAY(String(40)))  # the allow-list
    delivery: DeliveryMethod = enum_field(DeliveryMethod)
    endpoint_url: str | None = Field(default=None, max_length=500)
    secret_sealed: str | None = Field(default=None, max_length=600)  # encrypted (shared/partners/crypto.py)
    file_format: FileFormat = enum_field(FileFormat, default=FileFormat.csv)
    notify_email: str | None = Field(default=None, max_length=320)  # the partner's role address for links
    active: bool = True
    version: int = 1
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)


class Transfer(SQLModel, table=True):
    """One file for one partner and purpose. Its disclosure rows carry its id as `request_id`."""

    __tablename__ = "transfers"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: TransferKind = enum_field(TransferKind, default=TransferKind.transfer)
    partner_id: int = Field(foreign_key="partners.id", index=True)
    purpose: str = Field(max_length=40)
    selection: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    fields: list[str] = Field(default_factory=list, sa_type=ARRAY(String(40)))
    status: TransferStatus = enum_field(TransferStatus, default=TransferStatus.pending, index=True)
    reason: str | None = Field(default=None, max_length=1000)
    file_format: FileFormat = enum_field(FileFormat, default=FileFormat.csv)
    rows: int = 0
    excluded: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str | None = Field(default=None, max_length=64)
    size_bytes: int | None = Field(default=None, sa_type=BigInteger)
    attempts: int = 0
    downloads: int = 0
    download_expires_at: datetime | None = timestamp_field(nullable=True)
    job_id: uuid.UUID | None = Field(default=None, foreign_key="jobs.id", ondelete="SET NULL")
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    access_reason: str | None = Field(default=None, max_length=500)  # an admin's stated reason, for the access log
    created_at: datetime = timestamp_field(default_now=True)
    delivered_at: datetime | None = timestamp_field(nullable=True)
    updated_at: datetime = timestamp_field(default_now=True)


class SubjectRef(SQLModel, table=True):
    """The pseudonymous reference a partner knows an erased person by, kept only until the
    deletion notice is delivered: by the follow-up's request id, never by the person."""

    __tablename__ = "partner_subject_refs"

    request_id: uuid.UUID = Field(primary_key=True)
    recipient: str = Field(max_length=200, primary_key=True)
    ref: str = Field(max_length=64)
    created_at: datetime = timestamp_field(default_now=True)


class LegalHold(SQLModel, table=True):
    """The law requires keeping a contact's or a company's data: the retention sweep and
    erasure leave it alone, and the people concerned are restricted meanwhile."""

    __tablename__ = "legal_holds"
    __table_args__ = (CheckConstraint("(contact_id IS NULL) <> (company_id IS NULL)", name="one_target"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True, ondelete="CASCADE")
    company_id: int | None = Field(default=None, foreign_key="companies.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=500)  # the law or the claim; an erasure answer tells the person
    until: date | None = None  # None: until released
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = timestamp_field(default_now=True)
    released_at: datetime | None = timestamp_field(nullable=True)
    released_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")


class RetentionRun(SQLModel, table=True):
    """One sweep: when, as of which moment, and how many records each rule removed (no names)."""

    __tablename__ = "retention_runs"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    trigger: str = Field(max_length=20)  # schedule, cli, api
    as_of: datetime = timestamp_field()
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    job_id: uuid.UUID | None = Field(default=None, foreign_key="jobs.id", ondelete="SET NULL")
    started_at: datetime = timestamp_field(default_now=True)
    finished_at: datetime | None = timestamp_field(nullable=True)


class PrivacyNoticeVersion(SQLModel, table=True):
    """A published privacy notice: immutable (a trigger refuses UPDATE and DELETE)."""

    __tablename__ = "privacy_notice_versions"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    changes: str = Field(max_length=1000)  # what changed since the previous version
    markdown: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # by language
    html: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    sha256: str = Field(max_length=64)  # of the Markdown of every language
    published_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    published_at: datetime = timestamp_field(default_now=True)


class BreachStatus(StrEnum):
    open = "open"
    closed = "closed"


class Breach(SQLModel, table=True):
    """A personal data breach (GDPR Art. 33): documented whether or not it is reported."""

    __tablename__ = "breaches"

    id: int | None = Field(default=None, primary_key=True)
    summary: str = Field(max_length=300)
    description: str = Field(sa_column=Column(Text, nullable=False))  # what happened
    occurred_from: datetime | None = timestamp_field(nullable=True)
    occurred_until: datetime | None = timestamp_field(nullable=True)
    discovered_at: datetime = timestamp_field()  # became known: the 72 hours run from here
    categories: list[str] = Field(default_factory=list, sa_type=ARRAY(String(40)))
    estimated_people: int | None = None
    estimated_records: int | None = None
    computed: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    consequences: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    measures: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    high_risk: bool = False  # Art. 34: the people must be told too
    authority_notified_at: datetime | None = timestamp_field(nullable=True)
    subjects_notified_at: datetime | None = timestamp_field(nullable=True)
    delay_reason: str | None = Field(default=None, max_length=2000)  # Art. 33(1): reported after 72 h
    status: BreachStatus = enum_field(BreachStatus, default=BreachStatus.open, index=True)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    version: int = 1
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)
