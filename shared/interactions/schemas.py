"""API shapes of interactions: what happened, when, about which contact or company, by whom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, field_validator, model_validator

from shared.models import InteractionKind, utcnow
from shared.register.schemas import StrictInput

MAX_ID = 2_147_483_647  # PostgreSQL integer: a larger id must never reach the database
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_NOTES = 10_000


def storable(value: str) -> str:
    """Text PostgreSQL can store: no NUL characters (pydantic already refuses lone surrogates)."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


def past_moment(value: datetime) -> datetime:
    """A moment in UTC, from 1900 up to now; a time without a zone is UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value < EARLIEST:
        raise ValueError("must be in 1900 or later")
    if value > utcnow() + MAX_CLOCK_SKEW:
        raise ValueError("must not be in the future: record an interaction once it has happened")
    return value.astimezone(UTC)


def _text(min_length: int, max_length: int):
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(storable)]


Product = _text(1, 200)
Summary = _text(1, 500)
Notes = _text(0, MAX_NOTES)
PastMoment = Annotated[datetime, AfterValidator(past_moment)]


class InteractionCreate(StrictInput):
    kind: InteractionKind
    occurred_at: PastMoment | None = Field(default=None, description="default: now")
    contact_id: RowId | None = None
    company_id: RowId | None = None
    product: Product | None = Field(default=None, description="which product or service")
    summary: Summary
    notes: Notes | None = None

    @model_validator(mode="after")
    def _about_someone(self) -> InteractionCreate:
        if self.contact_id is None and self.company_id is None:
            raise ValueError("give contact_id or company_id (or both)")
        return self


class InteractionUpdate(StrictInput):
    kind: InteractionKind | None = None
    occurred_at: PastMoment | None = None
    contact_id: RowId | None = None
    company_id: RowId | None = None
    product: Product | None = None
    summary: Summary | None = None
    notes: Notes | None = None

    @field_validator("kind", "occurred_at", "summary")
    @classmethod
    def _not_null(cls, value):
        if value is None:
            raise ValueError("may be left out but not set to null")
        return value


class InteractionPublic(BaseModel):
    id: int
    kind: InteractionKind
    occurred_at: datetime
    contact_id: int | None
    company_id: int | None
    user_id: int | None = Field(description="the staff user who recorded it")
    product: str | None
    summary: str
    notes: str | None
    version: int
    created_at: datetime
    updated_at: datetime
