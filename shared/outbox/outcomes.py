"""What becomes of a claimed message: sent, failed (and when to try again), released, skipped,
or left behind by a notifier that died; and the per-recipient log of every SMTP attempt
(`email_attempts`). Each claim writes a new `lease_token`; every write here names it, so a
notifier that lost its lease cannot touch a row someone else holds now.

The unknown-outcome rule. Right before a message's content goes to the SMTP server (DATA) the
notifier durably sets `handed_over_at` on the row (services/notifier/db.py `mark_handed_over`, group-committed). A row
still `sending` when its lease expires belonged to a notifier that died (or lost its database):
- without `handed_over_at` the server never got the message's content: it goes back to pending
  and is sent again (nobody can have received it);
- with `handed_over_at` the server may have accepted it: the row becomes `failed` with
  `outcome_unknown` and a reason in `last_error`, for a person to review
  (shared/campaigns/review.py). It is never resent blindly: a duplicate marketing message is worse
  than one to check by hand.
A connection that breaks while waiting for the answer to DATA is the same case (unknown,
not resent).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from shared.models import AttemptOutcome, EmailMessage, EmailStatus, utcnow
from shared.outbox.sql import (
    LOG_ATTEMPTS_SQL,
    RECOVER_RELEASE_SQL,
    RECOVER_UNKNOWN_SQL,
    RENEW_SQL,
)
from shared.outbox.sql import execute as _sql
from shared.common.suppression import suppress

UNKNOWN_AFTER_CRASH = ("outcome unknown: the notifier stopped after handing the message to the SMTP server; "
                       "not resent (check the server's log before sending it again)")
UNREACHED_RETRY_CAP_SECONDS = 300.0  # a server we could not reach is tried again within five minutes
UNKNOWN_AFTER_DATA = "outcome unknown: {error} after the message was handed over; not resent"


def recover_expired(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """Rows left `sending` by a notifier whose lease expired (see the module's unknown-outcome rule)."""
    now = now or utcnow()
    rows = _sql(session, RECOVER_UNKNOWN_SQL, {"now": now, "reason": UNKNOWN_AFTER_CRASH}).all()
    if rows:
        log_attempts(session, [
            AttemptRecord(id=row.id, attempt=row.attempts, outcome=AttemptOutcome.unknown, reply=None,
                          started_at=row.handed_over_at, finished_at=now) for row in rows
        ], campaign_ids=None)
    released = _sql(session, RECOVER_RELEASE_SQL, {"now": now}).rowcount
    return {"unknown": len(rows), "released": released or 0}


Held = Sequence[tuple[uuid.UUID, uuid.UUID | None]]  # (outbox id, lease token)


def held_params(held: Held) -> dict[str, list]:
    return {"ids": [i for i, _ in held], "tokens": [t for _, t in held]}


def renew_leases(session: Session, *, held: Held, lease_seconds: int) -> int:
    """Extend the lease of messages this notifier still holds."""
    if not held:
        return 0
    return _sql(session, RENEW_SQL, {**held_params(held),
                                     "lease": utcnow() + timedelta(seconds=lease_seconds)}).rowcount or 0


@dataclass(frozen=True)
class AttemptRecord:
    """The outcome of one attempt, as the notifier records it."""

    id: uuid.UUID
    attempt: int
    outcome: AttemptOutcome
    reply: str | None
    started_at: datetime
    finished_at: datetime
    server: str | None = None
    campaign_id: int | None = None
    lease_token: uuid.UUID | None = None
    error: str | None = None


def attempts_params(records: Sequence[AttemptRecord], campaign_ids: dict | None = None) -> dict[str, list]:
    campaign_ids = campaign_ids or {}
    return {
        "ids": [r.id for r in records],
        "campaigns": [r.campaign_id if r.campaign_id is not None else campaign_ids.get(r.id) for r in records],
        "attempts": [r.attempt for r in records], "outcomes": [r.outcome.value for r in records],
        "replies": [r.reply[:2000] if r.reply else None for r in records], "servers": [r.server for r in records],
        "started": [r.started_at for r in records], "finished": [r.finished_at for r in records],
    }


def sent_params(records: Sequence[AttemptRecord]) -> dict[str, list]:
    return {"ids": [r.id for r in records], "tokens": [r.lease_token for r in records],
            "replies": [r.reply for r in records], "ats": [r.finished_at for r in records],
            "campaigns": [r.campaign_id for r in records], "attempts": [r.attempt for r in records],
            "started": [r.started_at for r in records], "servers": [r.server for r in records]}


def log_attempts(session: Session, records: Sequence[AttemptRecord], *, campaign_ids: dict | None = None) -> None:
    """Add attempts to the per-recipient log (their campaign looked up when not given)."""
    if not records:
        return
    if campaign_ids is None:
        found = _sql(session, "SELECT email_id, campaign_id FROM campaign_recipients "
                              "WHERE email_id = ANY(CAST(%(ids)s AS uuid[]))", {"ids": [r.id for r in records]}).all()
        campaign_ids = {row.email_id: row.campaign_id for row in found}
    _sql(session, LOG_ATTEMPTS_SQL, attempts_params(records, campaign_ids))


def skipped_params(skipped: Sequence[tuple[uuid.UUID, uuid.UUID | None, str]]) -> dict[str, list]:
    return {"ids": [i for i, _, _ in skipped], "tokens": [t for _, t, _ in skipped],
            "reasons": [r for _, _, r in skipped]}


def mark_failed_attempt(
    session: Session, *, id: uuid.UUID, error: str, permanent: bool, unknown: bool,
    backoff: Callable[[int], float], reached: bool = True, reply: str | None = None,
    lease_token: uuid.UUID | None = None,
) -> EmailStatus | None:
    """A temporary failure goes back to pending after a backoff; a permanent one, or the last
    attempt, ends as failed; so does an unknown outcome (never resent blindly, see above). A
    server that could not be reached (`reached` False) never uses up the attempts: an outage
    must not fail the backlog."""
    row = session.get(EmailMessage, id, with_for_update=True, populate_existing=True)
    if row is None or row.status != EmailStatus.sending:
        return None
    if lease_token is not None and row.lease_token != lease_token:
        return None
    row.lease_expires_at, row.lease_token = None, None
    row.smtp_reply = reply[:2000] if reply else row.smtp_reply
    if unknown:
        row.status, row.outcome_unknown = EmailStatus.failed, True
        row.last_error = UNKNOWN_AFTER_DATA.format(error=error)[:2000]
    elif permanent or (reached and row.attempts >= row.max_attempts):
        row.status, row.last_error = EmailStatus.failed, error[:2000]
        if permanent:  # 5xx: the address bounces; it never comes back into marketing
            suppress(session, email=row.to_address, reason="bounced")
    else:
        row.status, row.last_error = EmailStatus.pending, error[:2000]
        delay = backoff(row.attempts) if reached else min(backoff(row.attempts), UNREACHED_RETRY_CAP_SECONDS)
        row.next_attempt_at = utcnow() + timedelta(seconds=delay)
        row.handed_over_at = None
    session.add(row)
    return row.status


def record_failed(session: Session, *, records: Sequence[AttemptRecord], backoff: Callable[[int], float]) -> None:
    """Attempts that did not end in 250: each by mark_failed_attempt, all logged."""
    mine = []
    for record in records:
        status = mark_failed_attempt(
            session, id=record.id, error=record.error or record.reply or "unknown error",
            permanent=record.outcome == AttemptOutcome.bounced, unknown=record.outcome == AttemptOutcome.unknown,
            reached=record.outcome != AttemptOutcome.not_reached, backoff=backoff, reply=record.reply,
            lease_token=record.lease_token,
        )
        if status is not None:
            mine.append(record)
    session.flush()
    log_attempts(session, mine, campaign_ids={})


def attempt_log(session: Session, *, email_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every SMTP attempt of one message, oldest first: when, which server, what it answered."""
    rows = _sql(session, "SELECT attempt, outcome, smtp_reply, smtp_server, started_at, finished_at "
                         "FROM email_attempts WHERE email_id = %(id)s ORDER BY id", {"id": email_id}).all()
    return [dict(row._mapping) for row in rows]
