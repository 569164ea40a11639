"""API shapes of customer feedback and its handling."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, field_validator

from shared.models import Channel, FeedbackStatus
from shared.common.schemas import DbId, PastMoment, StrictInput, storable

MAX_TEXT = 5000


FeedbackText = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(storable)]
Rating = Annotated[int, Field(ge=1, le=5)]


class FeedbackCreate(StrictInput):
    channel: Channel
    rating: Rating | None = None
    text: FeedbackText
    contact_id: DbId | None = None
    company_id: DbId | None = None
    received_at: PastMoment | None = Field(default=None, description="default: now (e.g. when a letter came)")


class FeedbackUpdate(StrictInput):
    channel: Channel | None = None
    rating: Rating | None = None
    text: FeedbackText | None = None
    contact_id: DbId | None = None
    company_id: DbId | None = None

    @field_validator("channel", "text")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("may be left out but not set to null")
        return value


class FeedbackHandle(StrictInput):
    resolution: FeedbackText = Field(description="how the feedback was handled")


class FeedbackPublic(BaseModel):
    id: int
    channel: Channel
    rating: int | None
    text: str
    contact_id: int | None
    company_id: int | None
    status: FeedbackStatus
    received_at: datetime
    handled_by: int | None = Field(description="the staff user who handled it")
    handled_at: datetime | None
    resolution: str | None
    version: int
    updated_at: datetime
