"""What happened between us and a company or person: offers, purchases, meetings, calls…"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field


class InteractionKind(StrEnum):
    offering = "offering"
    purchase = "purchase"
    use = "use"
    product_development = "product_development"
    marketing = "marketing"
    sales = "sales"
    meeting = "meeting"
    call = "call"
    email = "email"


class Interaction(SQLModel, table=True):
    __tablename__ = "interactions"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True, ondelete="CASCADE")
    company_id: int | None = Field(default=None, foreign_key="companies.id", index=True, ondelete="CASCADE")
    kind: InteractionKind = enum_field(InteractionKind)
    occurred_at: datetime = timestamp_field(default_now=True, index=True)
    user_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")  # by whom
    product: str | None = Field(default=None, max_length=200)  # which product or service
    summary: str = Field(max_length=500)  # what
    notes: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    version: int = 1
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)
