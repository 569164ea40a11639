"""Client companies, existing and prospective."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, text
from sqlmodel import Field

from shared.models.base import enum_field, timestamp_field
from shared.models.provenance import Provenance


class CompanyStatus(StrEnum):
    prospect = "prospect"
    customer = "customer"
    former_customer = "former_customer"


class Company(Provenance, table=True):
    __tablename__ = "companies"
    __table_args__ = (Index("ix_companies_name_key", text('lower(name) COLLATE "C"'), "id"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    business_id: str | None = Field(default=None, max_length=9, unique=True)
    status: CompanyStatus = enum_field(CompanyStatus, default=CompanyStatus.prospect, index=True)
    # The group company that owns the relationship: Jetmasters or a sister company.
    owner: str = Field(default="Jetmasters Oy", max_length=200)
    street_address: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    country: str = Field(default="FI", max_length=2)
    website: str | None = Field(default=None, max_length=300)
    # A sole trader's (toiminimi) data is personal data too.
    sole_trader: bool = False
    relationship_ended_at: datetime | None = timestamp_field(nullable=True)
    version: int = 1
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)
