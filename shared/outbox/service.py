"""The email outbox: queue a message in the caller's transaction; the notifier claims, sends
and records (services/notifier/db.py runs the SQL of shared/outbox/sql.py). Whether a bulk
message may still go is asked right before it goes, with its contact's row share-locked
(shared/outbox/eligibility.py): an objection either is seen there or commits after the batch's
SMTP transactions started.

A row's life: pending → (claim) sending → sent | pending again (a temporary failure, after a
backoff with jitter; a server that could not be reached never uses up the attempts) | failed
(a 5xx, the last attempt, or an unknown outcome) | skipped. What happens after the claim, and
the unknown-outcome rule (never resent blindly), is in shared/outbox/outcomes.py; the SQL in
shared/outbox/sql.py.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any

from sqlmodel import Session

from shared.models import EmailCategory, EmailMessage
from shared.outbox.eligibility import BulkRef, bulk_ref
from shared.outbox.sql import execute as _sql
from shared.common.errors import NotFound
from shared.settings import get_settings

TRANSACTIONAL_PRIORITY = 0  # always claimed first (its own lane, see shared/outbox/sql.py ONLY)
BULK_PRIORITY = 10  # every other category


def priority_of(category: EmailCategory | str) -> int:
    return TRANSACTIONAL_PRIORITY if category == EmailCategory.transactional else BULK_PRIORITY


FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)  # held (a paused campaign's messages) until released
NOTIFY_CHANNEL = "rekisteri_outbox"  # a transactional message was queued: wake the notifier


def retry_delay(attempt: int, *, base: float, cap: float = 6 * 3600, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: half the doubled delay is fixed, half random, so that
    the messages of one failure do not all come back at the same moment."""
    delay = min(base * 2 ** max(attempt - 1, 0), cap)
    return delay / 2 + (rng or random).uniform(0, delay / 2)


def _message_id(from_address: str) -> str:
    domain = parseaddr(from_address)[1].rpartition("@")[2] or "rekisteri.local"
    return f"<{uuid.uuid4().hex}@{domain}>"


def enqueue_email(
    session: Session,
    *,
    to_address: str,
    from_address: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    category: EmailCategory = EmailCategory.transactional,
    headers: dict[str, str] | None = None,
    contact_id: int | None = None,
    request_id: str | None = None,
    max_attempts: int | None = None,
) -> EmailMessage:
    """Add one message to the outbox; it is sent after the caller commits. A transactional one
    wakes the notifier when the transaction commits (NOTIFY), so it leaves within a second.
    Attempts: REKISTERI_NOTIFIER_MAX_ATTEMPTS unless given."""
    message = EmailMessage(
        category=category,
        priority=priority_of(category),
        to_address=to_address,
        from_address=from_address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        message_id=_message_id(from_address),
        contact_id=contact_id,
        request_id=request_id,
        max_attempts=max_attempts or get_settings().notifier_max_attempts,
    )
    session.add(message)
    session.flush()
    if category == EmailCategory.transactional:
        _sql(session, "SELECT pg_notify(%(channel)s, '')", {"channel": NOTIFY_CHANNEL})
    return message


class UnknownEmail(NotFound):
    """No outbox message has this id."""


def get_email(session: Session, *, email_id: uuid.UUID) -> EmailMessage:
    """One outbox message (UnknownEmail if none)."""
    message = session.get(EmailMessage, email_id)
    if message is None:
        raise UnknownEmail("no such email")
    return message


@dataclass(frozen=True)
class ClaimedEmail:
    """A message the notifier holds a lease on: plain values, safe outside the session."""

    id: uuid.UUID
    to_address: str
    from_address: str
    subject: str
    body_text: str
    body_html: str | None
    headers: dict[str, Any]
    message_id: str
    request_id: str | None
    attempt: int
    category: str = EmailCategory.transactional.value
    contact_id: int | None = None
    campaign_id: int | None = None
    lease_token: uuid.UUID | None = None
    ref: BulkRef | None = field(default=None, compare=False, repr=False)  # for the re-check before sending

    @property
    def bulk(self) -> bool:
        return self.category != EmailCategory.transactional.value


def bulk_refs(rows) -> dict[uuid.UUID, BulkRef]:
    return {row.id: bulk_ref(id=row.id, contact_id=row.contact_id, category=row.category, to_address=row.to_address)
            for row in rows if row.category != EmailCategory.transactional.value}


def claimed_from_rows(rows, *, token: uuid.UUID, refs: dict[uuid.UUID, BulkRef]) -> list[ClaimedEmail]:
    return [
        ClaimedEmail(
            id=row.id, to_address=row.to_address, from_address=row.from_address, subject=row.subject,
            body_text=row.body_text, body_html=row.body_html, headers=dict(row.headers or {}),
            message_id=row.message_id, request_id=row.request_id, attempt=row.attempts + 1,
            category=row.category, contact_id=row.contact_id, campaign_id=row.campaign_id,
            lease_token=token, ref=refs.get(row.id),
        )
        for row in rows
    ]
