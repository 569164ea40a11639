"""Behaviour on the company's websites. High volume: a narrow table, a BRIN index on time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Identity, Index, String, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from shared.models.base import timestamp_field


class WebEvent(SQLModel, table=True):
    __tablename__ = "web_events"
    __table_args__ = (
        Index("ix_web_events_occurred_at_brin", "occurred_at", postgresql_using="brin"),
        # Pages of one contact's or one visitor's events, newest first, without sorting them all.
        Index("ix_web_events_contact_time", "contact_id", text("occurred_at DESC"), text("id DESC"),
              postgresql_where=text("contact_id IS NOT NULL")),
        Index("ix_web_events_visitor_time", "visitor_id", text("occurred_at DESC"), text("id DESC")),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    site: str = Field(max_length=100)
    page: str = Field(max_length=2000)
    referrer: str | None = Field(default=None, max_length=2000)
    occurred_at: datetime = timestamp_field(default_now=True)
    visitor_id: str = Field(max_length=100)
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", ondelete="CASCADE")


class VisitorLink(SQLModel, table=True):
    """A website visitor identified as a contact; later events of the visitor link at ingest."""

    __tablename__ = "visitor_links"

    visitor_id: str = Field(max_length=100, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    linked_at: datetime = timestamp_field(default_now=True)


class SiteKey(SQLModel, table=True):
    """A website's key for sending events; stored as a SHA-256 hash like user tokens."""

    __tablename__ = "site_keys"

    id: int | None = Field(default=None, primary_key=True)
    site: str = Field(max_length=100, index=True)
    key_hash: str = Field(max_length=64, unique=True)
    # web origins (https://www.example.fi) whose pages may send events with this key (CORS)
    origins: list[str] = Field(default_factory=list, sa_column=Column(
        ARRAY(String(200)), nullable=False, server_default="{}"))
    created_at: datetime = timestamp_field(default_now=True)
    revoked_at: datetime | None = timestamp_field(nullable=True)
