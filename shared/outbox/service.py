"""The email outbox: queue a message in the caller's transaction; the notifier claims, sends
and records. Claiming re-checks, in the same transaction, whether the message may still go."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, select

from shared.models import EmailCategory, EmailMessage, EmailStatus, utcnow
from shared.outbox.eligibility import may_send
from shared.register.suppression import suppress

PRIORITY = {EmailCategory.transactional: 0}  # everything else: 10 (bulk)


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
    max_attempts: int = 8,
) -> EmailMessage:
    """Add one message to the outbox; it is sent after the caller commits."""
    message = EmailMessage(
        category=category,
        priority=PRIORITY.get(category, 10),
        to_address=to_address,
        from_address=from_address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        message_id=_message_id(from_address),
        contact_id=contact_id,
        request_id=request_id,
        max_attempts=max_attempts,
    )
    session.add(message)
    session.flush()
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


def claim_batch(
    session: Session,
    *,
    limit: int,
    lease_seconds: int,
    check: Callable[[Session, EmailMessage], str | None] = may_send,
) -> list[ClaimedEmail]:
    """Lease up to `limit` due messages. Each is re-checked here, in the claiming transaction:
    a message that may no longer go is marked skipped with the reason instead."""
    now = utcnow()
    rows = session.exec(
        select(EmailMessage)
        .where(
            or_(
                (EmailMessage.status == EmailStatus.pending) & (EmailMessage.next_attempt_at <= now),
                (EmailMessage.status == EmailStatus.sending) & (EmailMessage.lease_expires_at < now),
            )
        )
        .order_by(EmailMessage.priority, EmailMessage.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed: list[ClaimedEmail] = []
    for row in rows:
        if row.status == EmailStatus.sending:
            # A notifier died holding it: the server may or may not have the message.
            row.outcome_unknown = True
        reason = check(session, row)
        if reason is not None:
            row.status, row.skip_reason, row.lease_expires_at = EmailStatus.skipped, reason, None
            session.add(row)
            continue
        row.status = EmailStatus.sending
        row.attempts += 1
        row.lease_expires_at = now + timedelta(seconds=lease_seconds)
        session.add(row)
        claimed.append(
            ClaimedEmail(
                id=row.id, to_address=row.to_address, from_address=row.from_address,
                subject=row.subject, body_text=row.body_text, body_html=row.body_html,
                headers=dict(row.headers), message_id=row.message_id,
                request_id=row.request_id, attempt=row.attempts,
            )
        )
    return claimed


def mark_sent(session: Session, *, ids: Iterable[uuid.UUID]) -> None:
    now = utcnow()
    session.execute(
        update(EmailMessage)
        .where(EmailMessage.id.in_(list(ids)), EmailMessage.status == EmailStatus.sending)
        .values(status=EmailStatus.sent, sent_at=now, lease_expires_at=None, last_error=None)
    )


def mark_failed_attempt(
    session: Session, *, id: uuid.UUID, error: str, permanent: bool, unknown: bool,
    backoff: Callable[[int], float],
) -> EmailStatus | None:
    """A temporary failure goes back to pending after a backoff; a permanent one, or the last
    attempt, ends as failed."""
    row = session.get(EmailMessage, id, with_for_update=True)
    if row is None or row.status != EmailStatus.sending:
        return None
    row.last_error = error[:2000]
    row.lease_expires_at = None
    row.outcome_unknown = row.outcome_unknown or unknown
    if permanent or row.attempts >= row.max_attempts:
        row.status = EmailStatus.failed
        if permanent:  # 5xx: the address bounces; it never comes back into marketing
            suppress(session, email=row.to_address, reason="bounced")
    else:
        row.status = EmailStatus.pending
        row.next_attempt_at = utcnow() + timedelta(seconds=backoff(row.attempts))
    session.add(row)
    return row.status
