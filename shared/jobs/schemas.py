from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from shared.models import JobStatus


class SelftestCreate(BaseModel):
    seconds: float = Field(default=0, ge=0, le=600, description="how long the job works")
    echo: str | None = Field(default=None, max_length=200)


class JobPublic(BaseModel):
    id: uuid.UUID
    kind: str
    queue: str
    status: JobStatus
    progress: int
    attempts: int
    max_attempts: int
    error: str | None
    result: dict[str, Any] | None
    request_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
