"""What happened to personal data and who looked at it: change history and access log.
An access request reports both back; an erasure removes the values they hold."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Identity, Index, Integer, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from shared.models.base import timestamp_field


class ChangeRecord(SQLModel, table=True):
    __tablename__ = "change_history"
    __table_args__ = (
        # Erasure finds a person's visitor ids in history values (field 'web_visitor').
        Index("ix_change_history_web_visitor_old", "old_value", postgresql_where=text("field = 'web_visitor'")),
        Index("ix_change_history_web_visitor_new", "new_value", postgresql_where=text("field = 'web_visitor'")),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    entity: str = Field(max_length=40)  # table name: companies, contacts, …
    entity_id: int = Field(index=True)
    # Whose data it is, for reading the history per contact and per company.
    contact_id: int | None = Field(default=None, index=True)
    company_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=20)  # create, update, delete, merge, import
    field: str | None = Field(default=None, max_length=60)
    old_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    new_value: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actor: str = Field(max_length=120)  # "user:12", "system", "subject-request:…", "import:<job>"
    reason: str | None = Field(default=None, max_length=200)  # e.g. the request id
    at: datetime = timestamp_field(default_now=True)


class AccessRecord(SQLModel, table=True):
    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_contact_ids", "contact_ids", postgresql_using="gin"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    user_id: int | None = Field(default=None, index=True)
    contact_ids: list[int] = Field(default_factory=list, sa_column=Column(ARRAY(Integer), nullable=False))
    route: str = Field(max_length=200)
    reason: str | None = Field(default=None, max_length=500)  # required of admins
    request_id: str | None = Field(default=None, max_length=128)
    at: datetime = timestamp_field(default_now=True, index=True)


class Suppression(SQLModel, table=True):
    """Keyed hashes (HMAC) of emails that must never come back into marketing."""

    __tablename__ = "suppressions"

    id: int | None = Field(default=None, primary_key=True)
    email_hash: str = Field(max_length=64, unique=True)
    reason: str = Field(max_length=20)  # unsubscribed, objected, bounced, complained, erased, manual
    created_at: datetime = timestamp_field(default_now=True)
