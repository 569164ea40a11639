"""Why and from where we hold a datum: legal basis, purposes and source, on companies and
contacts alike. An access answer reports these per datum (privacy notice sections 4 and 6)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field


class LegalBasis(StrEnum):
    customer_relationship = "customer_relationship"
    consent = "consent"
    assignment = "assignment"
    relevant_connection = "relevant_connection"  # other relevant connection / target group


class Purpose(StrEnum):
    sales_marketing = "sales_marketing"
    customer_service = "customer_service"
    analysis_development = "analysis_development"
    feedback = "feedback"
    sister_marketing = "sister_marketing"


class SourceKind(StrEnum):
    data_subject = "data_subject"  # given by the person (or the company) themselves
    controller = "controller"  # Jetmasters
    sister_company = "sister_company"
    stakeholder = "stakeholder"
    directory_service = "directory_service"
    public_register = "public_register"


class Provenance(SQLModel):
    legal_basis: LegalBasis = enum_field(LegalBasis)
    purposes: list[str] = Field(default_factory=list, sa_type=ARRAY(String(40)))
    source: SourceKind = enum_field(SourceKind)
    source_provider: str | None = Field(default=None, max_length=200)
    source_received: date | None = None
