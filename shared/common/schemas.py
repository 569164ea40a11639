"""Schema pieces every register entity shares: strict input, provenance fields, validators."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.models import LegalBasis, Purpose, SourceKind, utcnow
from shared.common.validation import (
    normalize_business_id,
    normalize_email,
    normalize_phone,
    normalize_website,
)


class StrictInput(BaseModel):
    """Unknown fields are an error (422), not silently dropped; text is stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


MAX_ID = 2_147_483_647  # PostgreSQL integer: a larger id must never reach the database
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
MAX_CLOCK_SKEW = timedelta(minutes=5)


def storable(value: str) -> str:
    """Text PostgreSQL can store: no NUL characters (pydantic already refuses lone surrogates)."""
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


def one_line(value: str) -> str:
    """Text that becomes a mail header (a name, an address, a subject): no control character, since
    a line break would start a header of the sender's choosing."""
    if any(unicodedata.category(c) == "Cc" or c in "\u2028\u2029" for c in value):
        raise ValueError("must be one line without control characters (it goes into a mail header)")
    return value


def header_field(min_length: int, max_length: int):
    """A `text_field` that goes into a mail header."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(storable),
                     AfterValidator(one_line)]


def past_moment(value: datetime) -> datetime:
    """A moment in UTC, from 1900 up to now; a time without a zone is UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    if value < EARLIEST:
        raise ValueError("must be in 1900 or later")
    if value > utcnow() + MAX_CLOCK_SKEW:
        raise ValueError("must not be in the future: record it once it has happened")
    return value.astimezone(UTC)


def text_field(min_length: int, max_length: int):
    """A stripped, storable text of bounded length."""
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(storable)]


PastMoment = Annotated[datetime, AfterValidator(past_moment)]
BusinessId = Annotated[str, AfterValidator(normalize_business_id)]
Email = Annotated[str, Field(max_length=320), AfterValidator(one_line), AfterValidator(normalize_email)]
Phone = Annotated[str, Field(max_length=40), AfterValidator(normalize_phone)]
Website = Annotated[str, Field(max_length=300), AfterValidator(normalize_website)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class ProvenanceIn(StrictInput):
    legal_basis: LegalBasis
    purposes: list[Purpose] = Field(min_length=1, max_length=len(Purpose))
    source: SourceKind
    source_provider: str | None = Field(default=None, max_length=200)
    source_received: date | None = None


class ProvenancePatch(StrictInput):
    legal_basis: LegalBasis | None = None
    purposes: list[Purpose] | None = Field(default=None, min_length=1, max_length=len(Purpose))
    source: SourceKind | None = None
    source_provider: str | None = Field(default=None, max_length=200)
    source_received: date | None = None


class ProvenanceOut(BaseModel):
    legal_basis: LegalBasis
    purposes: list[Purpose]
    source: SourceKind
    source_provider: str | None
    source_received: date | None
