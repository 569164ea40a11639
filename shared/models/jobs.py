"""Background jobs: the database row is the truth, Redis only carries the wake-up."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

from shared.models.base import enum_field, timestamp_field


class JobStatus(StrEnum):
    pending = "pending"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"


FINAL_JOB_STATUSES = frozenset({JobStatus.succeeded, JobStatus.failed, JobStatus.cancelled})


class Job(SQLModel, table=True):
    __tablename__ = "jobs"
    __table_args__ = (
        Index(
            "ix_jobs_open",
            "status",
            "not_before",
            postgresql_where=text("status IN ('pending', 'running')"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    kind: str = Field(max_length=80, index=True)
    queue: str = Field(max_length=40)
    status: JobStatus = enum_field(JobStatus, default=JobStatus.pending)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    progress: int = Field(default=0, ge=0, le=100)
    attempts: int = 0
    max_attempts: int = 5
    error: str | None = Field(default=None, max_length=2000)
    request_id: str | None = Field(default=None, max_length=128)
    created_by: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    locked_by: str | None = Field(default=None, max_length=200)
    created_at: datetime = timestamp_field(default_now=True)
    updated_at: datetime = timestamp_field(default_now=True)
    not_before: datetime | None = timestamp_field(nullable=True)
    enqueued_at: datetime | None = timestamp_field(nullable=True)
    started_at: datetime | None = timestamp_field(nullable=True)
    lease_expires_at: datetime | None = timestamp_field(nullable=True)
    finished_at: datetime | None = timestamp_field(nullable=True)


class JobEvent(SQLModel, table=True):
    """The audit trail of a job: every claim, release, success and failure, with the worker."""

    __tablename__ = "job_events"

    id: int | None = Field(default=None, primary_key=True)
    job_id: uuid.UUID = Field(foreign_key="jobs.id", index=True, ondelete="CASCADE")
    event: str = Field(max_length=40)
    attempt: int = 0
    worker: str | None = Field(default=None, max_length=200)
    detail: str | None = Field(default=None, max_length=2000)
    at: datetime = timestamp_field(default_now=True)
