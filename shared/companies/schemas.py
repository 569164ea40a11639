from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.dedup.schemas import LikelyDuplicate
from shared.models import CompanyStatus
from shared.common.schemas import BusinessId, ProvenanceIn, ProvenanceOut, ProvenancePatch, Website


class CompanyCreate(ProvenanceIn):
    name: str = Field(min_length=1, max_length=200)
    business_id: BusinessId | None = None
    status: CompanyStatus = CompanyStatus.prospect
    owner: str = Field(default="Jetmasters Oy", min_length=1, max_length=200)
    street_address: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    country: str = Field(default="FI", pattern=r"^[A-Z]{2}$")
    website: Website | None = None
    sole_trader: bool = False


class CompanyUpdate(ProvenancePatch):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    business_id: BusinessId | None = None
    status: CompanyStatus | None = None
    owner: str | None = Field(default=None, min_length=1, max_length=200)
    street_address: str | None = Field(default=None, max_length=200)
    postal_code: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    website: Website | None = None
    sole_trader: bool | None = None


class CompanyPublic(ProvenanceOut):
    id: int
    name: str
    business_id: str | None
    status: CompanyStatus
    owner: str
    street_address: str | None
    postal_code: str | None
    city: str | None
    country: str
    website: str | None
    sole_trader: bool
    relationship_ended_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class CompanyCreated(CompanyPublic):
    duplicates: list[LikelyDuplicate] = Field(default_factory=list, description="likely duplicates already in the "
                                              "register, most likely first (a warning, not a refusal)")
