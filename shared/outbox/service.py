"""The email outbox: queue a message in the caller's transaction; the notifier claims, sends
and records. Whether a message may still go is asked when it is claimed (`claim_batch`) and, for
bulk mail, again right before it goes with the contacts' rows share-locked (`recheck_locked`):
an objection either is seen there or commits after the batch's SMTP transactions started.

A row's life: pending → (claim) sending → sent | pending again (a temporary failure, after a
backoff with jitter; a server that could not be reached never uses up the attempts) | failed
(a 5xx, the last attempt, or an unknown outcome) | skipped. What happens after the claim, and
the unknown-outcome rule (never resent blindly), is in shared/outbox/outcomes.py; the SQL in
shared/outbox/sql.py.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from sqlmodel import Session, select

from shared.models import EmailCategory, EmailMessage, EmailStatus, utcnow
from shared.outbox.eligibility import BulkRef, bulk_ref, check_batch, may_send
from shared.outbox.sql import CLAIM_SQL, MARK_SENDING_SQL, MARK_SKIPPED_SQL, ONLY
from shared.outbox.sql import execute as _sql

PRIORITY = {EmailCategory.transactional: 0}  # everything else: 10 (bulk)
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
    max_attempts: int = 8,
) -> EmailMessage:
    """Add one message to the outbox; it is sent after the caller commits. A transactional one
    wakes the notifier when the transaction commits (NOTIFY), so it leaves within a second."""
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
    if category == EmailCategory.transactional:
        _sql(session, "SELECT pg_notify(%(channel)s, '')", {"channel": NOTIFY_CHANNEL})
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
    max_attempts: int = 8
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
            max_attempts=row.max_attempts, lease_token=token, ref=refs.get(row.id),
        )
        for row in rows
    ]


def claim_batch(
    session: Session,
    *,
    limit: int,
    lease_seconds: int,
    check: Callable[[Session, EmailMessage], str | None] | None = may_send,
    bulk: bool | None = None,
) -> list[ClaimedEmail]:
    """Lease up to `limit` due messages (bulk only, transactional only, or both: `bulk` True,
    False, None). Each is re-checked here, in the claiming transaction: a message that may no
    longer go is marked skipped with the reason instead. Rows another notifier left `sending`
    are not claimed here: see `recover_expired`. `check=None` leaves the check to the locked
    re-check right before sending (`recheck_locked`), as the notifier does."""
    if check is not None and check is not may_send:
        return _claim_checking_each(session, limit=limit, lease_seconds=lease_seconds, check=check, bulk=bulk)
    now = utcnow()
    rows = _sql(session, CLAIM_SQL.format(only=ONLY[bulk]), {"now": now, "limit": limit}).all()
    if not rows:
        return []
    refs = bulk_refs(rows)
    reasons = check_batch(session, list(refs.values())) if check is not None else {}
    if reasons:
        _sql(session, MARK_SKIPPED_SQL, {"ids": list(reasons), "reasons": list(reasons.values())})
    go = [row for row in rows if row.id not in reasons]
    token = uuid.uuid4()
    if go:
        _sql(session, MARK_SENDING_SQL, {"ids": [row.id for row in go], "token": token,
                                         "lease": now + timedelta(seconds=lease_seconds)})
    return claimed_from_rows(go, token=token, refs=refs)


def _claim_checking_each(session: Session, *, limit: int, lease_seconds: int,
                         check: Callable[[Session, EmailMessage], str | None], bulk: bool | None) -> list[ClaimedEmail]:
    """The same claim with a caller's check asked of each message (ORM rows)."""
    now = utcnow()
    query = select(EmailMessage).where(EmailMessage.status == EmailStatus.pending, EmailMessage.next_attempt_at <= now)
    if bulk is True:
        query = query.where(EmailMessage.category != EmailCategory.transactional)
    elif bulk is False:
        query = query.where(EmailMessage.category == EmailCategory.transactional)
    rows = session.exec(
        query.order_by(EmailMessage.priority, EmailMessage.next_attempt_at).limit(limit).with_for_update(skip_locked=True)
    ).all()
    claimed: list[ClaimedEmail] = []
    token = uuid.uuid4()
    for row in rows:
        reason = check(session, row)
        if reason is not None:
            row.status, row.skip_reason, row.lease_expires_at = EmailStatus.skipped, reason, None
            session.add(row)
            continue
        row.status = EmailStatus.sending
        row.attempts += 1
        row.lease_expires_at = now + timedelta(seconds=lease_seconds)
        row.handed_over_at, row.lease_token = None, token
        session.add(row)
        category = EmailCategory(row.category).value
        ref = None
        if category != EmailCategory.transactional.value:
            ref = bulk_ref(id=row.id, contact_id=row.contact_id, category=category, to_address=row.to_address)
        claimed.append(
            ClaimedEmail(
                id=row.id, to_address=row.to_address, from_address=row.from_address,
                subject=row.subject, body_text=row.body_text, body_html=row.body_html,
                headers=dict(row.headers), message_id=row.message_id,
                request_id=row.request_id, attempt=row.attempts, category=category,
                contact_id=row.contact_id, max_attempts=row.max_attempts, lease_token=token, ref=ref,
            )
        )
    session.flush()
    return claimed


def recheck_locked(session: Session, *, claimed: Sequence[ClaimedEmail]) -> dict[uuid.UUID, str]:
    """Right before sending a batch of bulk mail: share-lock its contacts' rows and ask the
    rules again. The caller keeps the transaction open until every SMTP transaction of the batch
    has started (MAIL FROM answered), then ends it; returns the messages that may no longer go."""
    refs = [c.ref or bulk_ref(id=c.id, contact_id=c.contact_id, category=c.category, to_address=c.to_address)
            for c in claimed if c.bulk]
    return check_batch(session, refs, lock=True)
