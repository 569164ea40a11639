"""API shapes of web behaviour: event batches from websites, identification, site keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from shared.web_events.origins import normalize_origin

MAX_BATCH = 1000
MAX_CLOCK_SKEW = timedelta(minutes=5)

VisitorId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$",
                                 description="the website's pseudonymous visitor id (a cookie value)")]
Url = Annotated[str, Field(max_length=2000)]
Site = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$")]
Origin = Annotated[str, Field(min_length=8, max_length=200, examples=["https://www.jetmasters.fi"]),
                   AfterValidator(normalize_origin)]


class _Input(BaseModel):
    """Unknown fields are an error (422): a website must not send more than we asked for."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WebEventIn(_Input):
    page: Url = Field(min_length=1)
    referrer: Url | None = None
    occurred_at: datetime | None = Field(default=None, description="default: when received; "
                                         "a time without a zone is UTC; at most 5 min in the future")
    visitor_id: VisitorId

    @field_validator("occurred_at")
    @classmethod
    def _not_in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if value > datetime.now(UTC) + MAX_CLOCK_SKEW:
            raise ValueError("occurred_at is more than 5 minutes in the future")
        return value


class WebEventBatch(_Input):
    events: list[WebEventIn] = Field(min_length=1, max_length=MAX_BATCH)


class IngestResult(BaseModel):
    accepted: int


class IdentifyIn(_Input):
    visitor_id: VisitorId
    contact_id: int = Field(ge=1)


class IdentifyResult(BaseModel):
    linked_events: int


class WebEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    site: str
    page: str
    referrer: str | None
    occurred_at: datetime
    visitor_id: str
    contact_id: int | None


class SiteKeyCreate(_Input):
    site: Site
    origins: list[Origin] = Field(default_factory=list, max_length=20, description=(
        "web origins whose pages may send events with this key from the visitor's browser (CORS); "
        "none: only servers may use it"))


class SiteKeyPublic(BaseModel):
    """A site key without its secret: only the hash is stored and it is never shown."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    site: str
    origins: list[str]
    created_at: datetime
    revoked_at: datetime | None


class SiteKeyIssued(SiteKeyPublic):
    key: str = Field(description="shown once; only its SHA-256 hash is stored")
