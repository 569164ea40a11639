"""Every table, in one package, so that domains never import each other's ORM classes."""

from shared.models.audit import AccessRecord, ChangeRecord, Suppression
from shared.models.base import metadata, utcnow
from shared.models.campaigns import FINAL_CAMPAIGN_STATUSES, Campaign, CampaignRecipient, CampaignStatus
from shared.models.companies import Company, CompanyStatus
from shared.models.contacts import Channel, Consent, Contact, Language
from shared.models.dedup import CandidateStatus, DedupCandidate, DedupCandidateMember, DedupEntity, DedupMerge, DedupRun
from shared.models.feedback import Feedback, FeedbackStatus
from shared.models.imports import ImportUpload
from shared.models.interactions import Interaction, InteractionKind
from shared.models.jobs import FINAL_JOB_STATUSES, Job, JobEvent, JobStatus
from shared.models.lists import MailingList, Subscription, SubscriptionStatus
from shared.models.outbox import (
    FINAL_EMAIL_STATUSES,
    EmailCategory,
    EmailMessage,
    EmailStatus,
)
from shared.models.partners import (
    FINAL_TRANSFER_STATUSES,
    Breach,
    BreachStatus,
    DeliveryMethod,
    FileFormat,
    LegalHold,
    Partner,
    PartnerRole,
    PrivacyNoticeVersion,
    RetentionRun,
    SubjectRef,
    Transfer,
    TransferKind,
    TransferStatus,
)
from shared.models.provenance import LegalBasis, Provenance, Purpose, SourceKind
from shared.models.subject_requests import (
    AccessExport,
    Disclosure,
    ExportDownload,
    ObjectionScope,
    RequestChannel,
    RequestEvent,
    RequestKind,
    RequestStatus,
    SubjectRequest,
    VerificationToken,
)
from shared.models.users import ApiToken, Role, User
from shared.models.web_events import SiteKey, VisitorLink, WebEvent

__all__ = [
    "CandidateStatus",
    "DedupCandidate",
    "DedupCandidateMember",
    "DedupEntity",
    "DedupMerge",
    "DedupRun",
    "FINAL_TRANSFER_STATUSES",
    "Breach",
    "BreachStatus",
    "DeliveryMethod",
    "FileFormat",
    "LegalHold",
    "Partner",
    "PartnerRole",
    "PrivacyNoticeVersion",
    "RetentionRun",
    "SubjectRef",
    "Transfer",
    "TransferKind",
    "TransferStatus",
    "FINAL_CAMPAIGN_STATUSES",
    "Campaign",
    "CampaignRecipient",
    "CampaignStatus",
    "AccessExport",
    "Disclosure",
    "ExportDownload",
    "ObjectionScope",
    "RequestChannel",
    "RequestEvent",
    "RequestKind",
    "RequestStatus",
    "SubjectRequest",
    "VerificationToken",
    "FINAL_EMAIL_STATUSES",
    "FINAL_JOB_STATUSES",
    "AccessRecord",
    "ApiToken",
    "ChangeRecord",
    "Channel",
    "Company",
    "CompanyStatus",
    "Consent",
    "Contact",
    "EmailCategory",
    "EmailMessage",
    "EmailStatus",
    "Feedback",
    "FeedbackStatus",
    "ImportUpload",
    "Interaction",
    "InteractionKind",
    "Job",
    "JobEvent",
    "JobStatus",
    "Language",
    "LegalBasis",
    "MailingList",
    "Provenance",
    "Purpose",
    "Role",
    "SiteKey",
    "SourceKind",
    "Subscription",
    "SubscriptionStatus",
    "Suppression",
    "User",
    "VisitorLink",
    "WebEvent",
    "metadata",
    "utcnow",
]
