"""API shapes of campaigns: create, change, schedule, preview, test send, statistics."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from shared.campaigns.render import FIELDS, placeholders
from shared.models import AttemptOutcome, CompanyStatus, EmailCategory, EmailStatus, Language, LegalBasis, utcnow
from shared.models.campaigns import CampaignStatus
from shared.common.schemas import DbId, Email, StrictInput, header_field, one_line, text_field

Category = Literal[EmailCategory.marketing, EmailCategory.research, EmailCategory.sister_marketing]
MIN_JUSTIFICATION = 20


class CampaignTemplate(StrictInput):
    subject: header_field(1, 200)
    body_text: text_field(1, 100_000)
    body_html: text_field(1, 500_000) | None = None

    @model_validator(mode="after")
    def _known_placeholders(self) -> CampaignTemplate:
        unknown = set().union(*(placeholders(t) for t in (self.subject, self.body_text, self.body_html or "")))
        if unknown - FIELDS:
            raise ValueError(f"unknown placeholders {sorted(unknown - FIELDS)}; use {sorted(FIELDS)}")
        return self


def header_problem(campaign) -> str | None:
    """What makes a stored campaign's mail headers unusable (a row saved before they were checked)."""
    subjects = [template.get("subject", "") for template in campaign.templates.values()]
    for field, value in (("sender_name", campaign.sender_name), ("sender_email", campaign.sender_email),
                         ("reply_to", campaign.reply_to or ""), *(("subject", subject) for subject in subjects)):
        try:
            one_line(value)
        except ValueError as exc:
            return f"the campaign's {field} {exc}: correct it in a new campaign"
    return None


class AudienceFilter(StrictInput):
    """Narrows the lists' subscribers when the audience is built (every field optional)."""

    languages: list[Language] | None = Field(default=None, min_length=1)
    company_statuses: list[CompanyStatus] | None = Field(default=None, min_length=1)
    legal_bases: list[LegalBasis] | None = Field(default=None, min_length=1)
    company_ids: list[DbId] | None = Field(default=None, min_length=1, max_length=1000)


class _Relevance(StrictInput):
    relevant_to_role: bool | None = None
    relevance_justification: text_field(MIN_JUSTIFICATION, 2000) | None = None

    @model_validator(mode="after")
    def _justified(self):
        if self.relevant_to_role and not self.relevance_justification:
            raise ValueError("a campaign marked relevant to the recipients' role needs relevance_justification "
                             f"({MIN_JUSTIFICATION}+ characters): why it concerns their work")
        return self


class CampaignCreate(_Relevance):
    name: text_field(1, 200)
    category: Category
    list_ids: list[DbId] = Field(min_length=1, max_length=50)
    audience_filter: AudienceFilter = Field(default_factory=AudienceFilter)
    sender_name: header_field(1, 200) = Field(description="the controller, or the sister company for sister_marketing")
    sender_email: Email
    sender_postal_address: text_field(5, 300)
    reply_to: Email | None = None
    templates: dict[Language, CampaignTemplate] = Field(min_length=1)
    fallback_language: Language | None = Field(default=None, description="default: fi if given, else the first")
    relevant_to_role: bool = False

    @field_validator("list_ids")
    @classmethod
    def _distinct(cls, value: list[int]) -> list[int]:
        return sorted(set(value))

    @model_validator(mode="after")
    def _fallback_exists(self) -> CampaignCreate:
        if self.fallback_language is None:
            self.fallback_language = Language.fi if Language.fi in self.templates else next(iter(self.templates))
        elif self.fallback_language not in self.templates:
            raise ValueError("fallback_language must be one of the templates' languages")
        return self


class CampaignUpdate(_Relevance):
    """Changes while the campaign is a draft or scheduled (If-Match required)."""

    name: text_field(1, 200) | None = None
    list_ids: list[DbId] | None = Field(default=None, min_length=1, max_length=50)
    audience_filter: AudienceFilter | None = None
    sender_name: header_field(1, 200) | None = None
    sender_email: Email | None = None
    sender_postal_address: text_field(5, 300) | None = None
    reply_to: Email | None = None
    templates: dict[Language, CampaignTemplate] | None = Field(default=None, min_length=1)
    fallback_language: Language | None = None


class CampaignPublic(BaseModel):
    id: int
    name: str
    category: EmailCategory
    status: CampaignStatus
    list_ids: list[int]
    audience_filter: dict
    sender_name: str
    sender_email: str
    sender_postal_address: str
    reply_to: str | None
    templates: dict
    fallback_language: Language
    relevant_to_role: bool
    relevance_justification: str | None
    relevance_recorded_by: int | None
    relevance_recorded_at: datetime | None
    send_at: datetime | None
    build_job_id: uuid.UUID | None
    audience_built_at: datetime | None
    started_at: datetime | None
    paused_at: datetime | None
    completed_at: datetime | None
    cancelled_at: datetime | None
    created_by: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class ScheduleIn(StrictInput):
    send_at: datetime = Field(description="when the audience is built and sending starts (UTC if no zone)")

    @field_validator("send_at")
    @classmethod
    def _future(cls, value: datetime) -> datetime:
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        if value <= utcnow():
            raise ValueError("must be in the future; use start to send now")
        return value.astimezone(UTC)


class TestSendIn(StrictInput):
    to: Email = Field(description="a staff address; the message is rendered with sample data")
    language: Language | None = None


class TestSendOut(BaseModel):
    email_id: uuid.UUID
    language: Language


class PreviewOut(BaseModel):
    language: Language
    from_address: str
    subject: str
    body_text: str
    body_html: str | None
    headers: dict[str, str]
    source_notice: bool


class CampaignStats(BaseModel):
    campaign_id: int
    status: CampaignStatus
    audience: int = Field(description="messages written when the audience was built")
    pending: int = Field(description="not yet checked and claimed (includes paused ones)")
    eligible: int = Field(description="passed the send-time check: sending, sent or failed")
    sent: int
    failed: int
    bounced: int = Field(description="failed with a permanent (5xx) answer")
    outcome_unknown: int = Field(description="the connection broke after the message may have been accepted")
    cancelled: int
    skipped: dict[str, int] = Field(description="skipped at send time, by reason")


class RecipientLog(BaseModel):
    """Who received the campaign, when, with what SMTP answer (every attempt is in
    email_attempts; `smtp_reply` is the server's answer to the last one)."""

    contact_id: int
    email_id: uuid.UUID
    status: EmailStatus
    attempts: int
    sent_at: datetime | None
    smtp_reply: str | None = Field(description="the SMTP server's answer to the last attempt, e.g. 250 2.0.0 Ok")
    skip_reason: str | None
    last_error: str | None
    outcome_unknown: bool
    source_notice: bool


class AttemptOut(BaseModel):
    attempt: int
    outcome: AttemptOutcome
    smtp_reply: str | None
    smtp_server: str | None
    started_at: datetime
    finished_at: datetime


class UnknownOutcome(BaseModel):
    """A campaign message the SMTP server may have accepted without our hearing it: not resent
    until a person decides."""

    email_id: uuid.UUID
    campaign_id: int
    contact_id: int
    to_address: str
    subject: str
    message_id: str = Field(description="look for it in the mail server's log")
    attempts: int
    handed_over_at: datetime | None = Field(description="when its content went to the server")
    last_error: str | None
    attempt_log: list[AttemptOut]


class ResolveIn(StrictInput):
    decision: Literal["delivered", "requeue"] = Field(
        description="delivered: the server's log shows it was accepted; requeue: it was not, send it again")
    reason: text_field(10, 200) = Field(description="what the decision rests on, e.g. the server's log line")


class ResolvedOut(BaseModel):
    email_id: uuid.UUID
    status: EmailStatus
    decision: str
