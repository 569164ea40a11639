"""Uploaded import files, kept in the database so that a worker on any host can read them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from shared.models.base import timestamp_field


class ImportUpload(SQLModel, table=True):
    """One uploaded CSV file and the options it was sent with; its import job reads it.

    The content is personal data: the import job empties it in the same transaction as the
    import, so only failed uploads keep theirs (until the retention sweep removes them)."""

    __tablename__ = "import_uploads"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", unique=True, index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)  # companies, contacts
    filename: str = Field(max_length=255)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    # legal_basis, purposes, source, source_provider, source_received, list_id: defaults per row
    options: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = timestamp_field(default_now=True)
