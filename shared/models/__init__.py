"""Every table, in one package, so that domains never import each other's ORM classes."""

from shared.models.base import metadata, utcnow
from shared.models.jobs import FINAL_JOB_STATUSES, Job, JobEvent, JobStatus
from shared.models.outbox import (
    FINAL_EMAIL_STATUSES,
    EmailCategory,
    EmailMessage,
    EmailStatus,
)
from shared.models.users import ApiToken, Role, User

__all__ = [
    "FINAL_EMAIL_STATUSES",
    "FINAL_JOB_STATUSES",
    "ApiToken",
    "EmailCategory",
    "EmailMessage",
    "EmailStatus",
    "Job",
    "JobEvent",
    "JobStatus",
    "Role",
    "User",
    "metadata",
    "utcnow",
]
