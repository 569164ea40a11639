from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from shared.dedup.schemas import LikelyDuplicate
from shared.models import Channel, Language, Purpose
from shared.common.schemas import DbId, Email, Name, Phone, ProvenanceIn, ProvenanceOut, ProvenancePatch, StrictInput


class ContactCreate(ProvenanceIn):
    company_id: DbId | None = None
    first_name: Name
    last_name: Name
    position: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Phone | None = None
    language: Language = Language.fi


class ContactUpdate(ProvenancePatch):
    company_id: DbId | None = None
    first_name: Name | None = None
    last_name: Name | None = None
    position: str | None = Field(default=None, max_length=200)
    email: Email | None = None
    phone: Phone | None = None
    language: Language | None = None


class ConsentCreate(StrictInput):
    purpose: Purpose
    channel: Channel
    evidence: str = Field(min_length=3, max_length=1000)


class ConsentPublic(BaseModel):
    id: int
    purpose: Purpose
    channel: Channel
    evidence: str
    granted_at: datetime
    withdrawn_at: datetime | None


class ContactPublic(ProvenanceOut):
    id: int
    company_id: int | None
    first_name: str
    last_name: str
    position: str | None
    email: str | None
    phone: str | None
    language: Language
    last_activity_at: datetime | None
    objects_direct_marketing_at: datetime | None
    objects_direct_marketing_channel: Channel | None
    objects_research_at: datetime | None
    objects_research_channel: Channel | None
    restricted_at: datetime | None
    restriction_lift_notified_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class ContactDetail(ContactPublic):
    consents: list[ConsentPublic] = []
    duplicates: list[LikelyDuplicate] = Field(default_factory=list, description="on create: likely duplicates "
                                              "already in the register, most likely first (a warning, not a refusal)")


class ChangePublic(BaseModel):
    id: int
    entity: str
    entity_id: int
    action: str
    field: str | None
    old_value: str | None
    new_value: str | None
    actor: str
    reason: str | None
    at: datetime


class AccessPublic(BaseModel):
    id: int
    user_id: int | None
    route: str
    reason: str | None
    request_id: str | None
    at: datetime
