"""Marketing and research campaigns, and the link from each recipient to their outbox row.

A campaign's recipients are rows of `campaign_recipients`, unique per (campaign, contact) and
per outbox row: building the audience twice, or any other path, cannot make a second message
for the same person in the same campaign that the send-time check would let through.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Identity, Integer, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field
from shared.models.contacts import Language
from shared.models.outbox import EmailCategory


class CampaignStatus(StrEnum):
    draft = "draft"
    scheduled = "scheduled"  # the audience is built when send_at comes
    sending = "sending"
    paused = "paused"
    completed = "completed"
    cancelled = "cancelled"


FINAL_CAMPAIGN_STATUSES = frozenset({CampaignStatus.completed, CampaignStatus.cancelled})


class Campaign(SQLModel, table=True):
    __tablename__ = "campaigns"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # marketing, research or sister_marketing; never transactional.
    category: EmailCategory = enum_field(EmailCategory)
    status: CampaignStatus = enum_field(CampaignStatus, default=CampaignStatus.draft, index=True)
    # The audience: subscribers of any of these lists, narrowed by the filter.
    list_ids: list[int] = Field(default_factory=list, sa_column=Column(ARRAY(Integer), nullable=False))
    audience_filter: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The sender as the recipient sees it: the controller, or the sister company it is sent for.
    sender_name: str = Field(max_length=200)
    sender_email: str = Field(max_length=320)
    sender_postal_address: str = Field(max_length=300)
    reply_to: str | None = Field(default=None, max_length=320)
    # {"fi": {"subject": …, "body_text": …, "body_html": …}, "sv": …, "en": …}
    templates: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    fallback_language: Language = enum_field(Language, default=Language.fi)
    # Information Society Code: a named work address without consent may receive only marketing
    # relevant to the person's role; the justification is kept with who recorded it and when.
    relevant_to_role: bool = False
    relevance_justification: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    relevance_recorded_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    relevance_recorded_at: datetime | None = timestamp_field(nullable=True)

    send_at: datetime | None = timestamp_field(nullable=True)
    build_job_id: uuid.UUID | None = Field(default=None, foreign_key="jobs.id", ondelete="SET NULL")
    audience_built_at: datetime | None = timestamp_field(nullable=True)
    started_at: datetime | None = timestamp_field(nullable=True)
    paused_at: datetime | None = timestamp_field(nullable=True)
    completed_at: datetime | None = timestamp_field(nullable=True)
    cancelled_at: datetime | None = timestamp_field(nullable=True)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    version: int = 1
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)


class CampaignRecipient(SQLModel, table=True):
    """One per (campaign, contact): which outbox row carries the campaign to the person.
    Deleting the outbox row (an erasure does) deletes this link with it."""

    __tablename__ = "campaign_recipients"
    __table_args__ = (UniqueConstraint("campaign_id", "contact_id"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    campaign_id: int = Field(foreign_key="campaigns.id", ondelete="CASCADE")
    contact_id: int = Field(index=True)
    email_id: uuid.UUID = Field(foreign_key="email_outbox.id", unique=True, ondelete="CASCADE")
    # The audience list the person was reached through ("leave this list" in the unsubscribe page).
    list_id: int | None = None
    # The message carries the Art. 14 notice (data from a third party, the right to object).
    source_notice: bool = False
    created_at: datetime = timestamp_field(default_now=True)
