"""Contact persons at companies, with their objection, restriction and consent state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field
from shared.models.provenance import Provenance, Purpose


class Language(StrEnum):
    fi = "fi"
    sv = "sv"
    en = "en"


class Channel(StrEnum):
    """How a person told us something (an objection, a consent, feedback)."""

    web = "web"
    email = "email"
    phone = "phone"
    letter = "letter"
    in_person = "in_person"
    unsubscribe_link = "unsubscribe_link"
    api = "api"
    import_ = "import"


class Contact(Provenance, table=True):
    __tablename__ = "contacts"
    # The name indexes (folded first and last names, also the "name" order) are in models/dedup.py,
    # beside the folding they share with dedup.

    id: int | None = Field(default=None, primary_key=True)
    company_id: int | None = Field(default=None, foreign_key="companies.id", index=True, ondelete="SET NULL")
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)
    position: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320, unique=True)
    phone: str | None = Field(default=None, max_length=20, index=True)
    language: Language = enum_field(Language, default=Language.fi)
    last_activity_at: datetime | None = timestamp_field(nullable=True)

    # Art. 21: objections, each with when and how it came.
    objects_direct_marketing_at: datetime | None = timestamp_field(nullable=True)
    objects_direct_marketing_channel: Channel | None = enum_field(Channel, nullable=True)
    objects_research_at: datetime | None = timestamp_field(nullable=True)
    objects_research_channel: Channel | None = enum_field(Channel, nullable=True)
    # Art. 18: restriction of processing.
    restricted_at: datetime | None = timestamp_field(nullable=True)
    restriction_reason: str | None = Field(default=None, max_length=500)
    # The person is told before a restriction is lifted (Art. 18(3)); lifting needs this first.
    restriction_lift_notified_at: datetime | None = timestamp_field(nullable=True)

    version: int = 1
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)


class Consent(SQLModel, table=True):
    __tablename__ = "consents"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    purpose: Purpose = enum_field(Purpose)
    granted_at: datetime = timestamp_field(default_now=True)
    channel: Channel = enum_field(Channel)
    evidence: str = Field(max_length=1000)  # what proves it: a form id, a message reference
    withdrawn_at: datetime | None = timestamp_field(nullable=True)
