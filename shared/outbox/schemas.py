from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, EmailStr

from shared.models import EmailCategory, EmailStatus


class TestEmailCreate(BaseModel):
    to: EmailStr


class EmailPublic(BaseModel):
    id: uuid.UUID
    category: EmailCategory
    status: EmailStatus
    message_id: str
    attempts: int
    skip_reason: str | None
    outcome_unknown: bool
    created_at: datetime
    sent_at: datetime | None
