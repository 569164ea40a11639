"""API shapes of interactions: what happened, when, about which contact or company, by whom."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, field_validator, model_validator

from shared.models import InteractionKind
from shared.common.schemas import DbId, PastMoment, StrictInput, text_field

MAX_NOTES = 10_000


Product = text_field(1, 200)
Summary = text_field(1, 500)
Notes = text_field(0, MAX_NOTES)


class InteractionCreate(StrictInput):
    kind: InteractionKind
    occurred_at: PastMoment | None = Field(default=None, description="default: now")
    contact_id: DbId | None = None
    company_id: DbId | None = None
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
    contact_id: DbId | None = None
    company_id: DbId | None = None
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
