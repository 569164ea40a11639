"""API shapes of partners, transfers and disclosures. A partner's secret goes in, never out."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Field, SecretStr, model_validator

from shared.models import CompanyStatus, Language
from shared.partners.addresses import check_endpoint
from shared.models.partners import DeliveryMethod, FileFormat, PartnerRole, TransferKind, TransferStatus
from shared.common.schemas import BusinessId, DbId, Email, PastMoment, StrictInput, text_field

TRANSFER_PURPOSES = ("billing", "marketing", "research", "customer_service")
# What a partner may be allowed to receive: the contact's own fields and its company's.
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "position", "language")
COMPANY_FIELDS = ("company_name", "business_id", "street_address", "postal_code", "city", "country")
TRANSFERABLE_FIELDS = CONTACT_FIELDS + COMPANY_FIELDS

TransferPurpose = Literal["billing", "marketing", "research", "customer_service"]
TransferField = Literal["first_name", "last_name", "email", "phone", "position", "language", "company_name",
                        "business_id", "street_address", "postal_code", "city", "country"]


EndpointUrl = Annotated[str, Field(max_length=500), AfterValidator(check_endpoint)]
Secret = Annotated[SecretStr, Field(min_length=32, max_length=256)]


class PartnerCreate(StrictInput):
    name: text_field(1, 200)
    business_id: BusinessId | None = None
    role: PartnerRole
    agreement_reference: text_field(1, 200)
    agreement_signed_on: date
    agreement_expires_on: date | None = None
    purposes: list[TransferPurpose] = Field(min_length=1, max_length=len(TRANSFER_PURPOSES))
    fields: list[TransferField] = Field(min_length=1, max_length=len(TRANSFERABLE_FIELDS))
    delivery: DeliveryMethod
    endpoint_url: EndpointUrl | None = None
    secret: Secret | None = Field(default=None, description="shared HMAC secret (32+ characters); never shown again")
    file_format: FileFormat = FileFormat.csv
    notify_email: Email | None = Field(default=None, description="where download links go (a role address)")
    active: bool = True

    @model_validator(mode="after")
    def _channel_is_complete(self) -> PartnerCreate:
        if self.delivery == DeliveryMethod.https and not (self.endpoint_url and self.secret):
            raise ValueError("HTTPS delivery needs endpoint_url and secret")
        if self.agreement_expires_on and self.agreement_expires_on < self.agreement_signed_on:
            raise ValueError("the agreement cannot expire before it was signed")
        return self


class PartnerUpdate(StrictInput):
    """Everything but the name: disclosures and follow-ups find the partner by it."""

    business_id: BusinessId | None = None
    role: PartnerRole | None = None
    agreement_reference: text_field(1, 200) | None = None
    agreement_signed_on: date | None = None
    agreement_expires_on: date | None = None
    purposes: list[TransferPurpose] | None = Field(default=None, min_length=1)
    fields: list[TransferField] | None = Field(default=None, min_length=1)
    delivery: DeliveryMethod | None = None
    endpoint_url: EndpointUrl | None = None
    secret: Secret | None = None
    file_format: FileFormat | None = None
    notify_email: Email | None = None
    active: bool | None = None


class PartnerPublic(BaseModel):
    id: int
    name: str
    business_id: str | None
    role: PartnerRole
    agreement_reference: str
    agreement_signed_on: date
    agreement_expires_on: date | None
    agreement_valid: bool
    purposes: list[str]
    fields: list[str]
    delivery: DeliveryMethod
    endpoint_url: str | None
    has_secret: bool
    file_format: FileFormat
    notify_email: str | None
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class TransferSelection(StrictInput):
    """Who is selected (every condition must hold; an empty selection is everybody)."""

    list_ids: list[DbId] = Field(default_factory=list, max_length=100, description="subscribed to any of these")
    company_ids: list[DbId] = Field(default_factory=list, max_length=1000)
    company_statuses: list[CompanyStatus] = Field(default_factory=list)
    languages: list[Language] = Field(default_factory=list)


class TransferCreate(StrictInput):
    partner_id: DbId
    purpose: TransferPurpose
    fields: list[TransferField] | None = Field(default=None, min_length=1,
                                               description="default: every field the partner may receive")
    file_format: FileFormat | None = None
    selection: TransferSelection = Field(default_factory=TransferSelection)


class TransferPublic(BaseModel):
    id: uuid.UUID
    kind: TransferKind
    partner_id: int
    purpose: str
    selection: dict[str, Any]
    fields: list[str]
    status: TransferStatus
    reason: str | None
    file_format: FileFormat
    rows: int
    excluded: dict[str, int]
    sha256: str | None
    size_bytes: int | None
    attempts: int
    downloads: int
    download_expires_at: datetime | None
    download_url: str | None = Field(default=None, description="the partner's signed link: shown once, in the answer "
                                                                 "to POST /v1/transfers; never when read later")
    job_id: uuid.UUID | None
    created_at: datetime
    delivered_at: datetime | None


class AuthorityDisclosureCreate(StrictInput):
    """Data given to an authority because a law required it (appears in the people's access answers)."""

    contact_ids: list[DbId] = Field(min_length=1, max_length=1000)
    authority: text_field(2, 200)
    legal_ground: text_field(3, 300) = Field(description="the law the disclosure rests on")
    purpose: text_field(2, 200)
    fields: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(min_length=1, max_length=50)
    disclosed_at: PastMoment


class DisclosurePublic(BaseModel):
    id: int
    contact_id: int | None
    recipient: str
    recipient_kind: str
    purpose: str
    legal_ground: str | None
    fields: list[str]
    kind: str
    status: str
    request_id: uuid.UUID | None
    at: datetime
