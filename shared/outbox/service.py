"""The email outbox: queue a message in the caller's transaction; the notifier claims, sends
and records. Whether a message may still go is asked when it is claimed (`claim_batch`) and, for
bulk mail, again right before it goes with the contacts' rows share-locked (`recheck_locked`):
an objection either is seen there or commits after the batch's SMTP transactions started.

A row's life: pending → (claim) sending → sent | pending again (a temporary failure, after a
backoff with jitter; a server that could not be reached never uses up the attempts) | failed
(a 5xx, the last attempt, or an unknown outcome) | skipped. Each claim writes a new
`lease_token`; every later write names it, so a notifier that lost its lease cannot touch a row
someone else holds now. Every attempt's SMTP answer goes to `email_attempts`.

The unknown-outcome rule. Right before a message's content goes to the SMTP server (DATA) the
notifier durably sets `handed_over_at` on the row (`mark_handed_over`, group-committed). A row
still `sending` when its lease expires belonged to a notifier that died (or lost its database):
- without `handed_over_at` the server never got the message's content: it goes back to pending
  and is sent again (nobody can have received it);
- with `handed_over_at` the server may have accepted it: the row becomes `failed` with
  `outcome_unknown` and a reason in `last_error`, for a person to review. It is never resent
  blindly: a duplicate marketing message is worse than one to check by hand.
A connection that breaks while waiting for the answer to DATA is the same case (unknown,
not resent).
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from shared.models import EmailCategory, EmailMessage, EmailStatus, utcnow
from shared.models.outbox import AttemptOutcome
from shared.outbox.eligibility import BulkRef, bulk_ref, check_batch, may_send
from shared.register.suppression import suppress

PRIORITY = {EmailCategory.transactional: 0}  # everything else: 10 (bulk)
NOTIFY_CHANNEL = "rekisteri_outbox"  # a transactional message was queued: wake the notifier
UNKNOWN_AFTER_CRASH = ("outcome unknown: the notifier stopped after handing the message to the SMTP server; "
                       "not resent (check the server's log before sending it again)")
UNREACHED_RETRY_CAP_SECONDS = 300.0  # a server we could not reach is tried again within five minutes
UNKNOWN_AFTER_DATA = "outcome unknown: {error} after the message was handed over; not resent"


def setting(settings: Any, name: str, default: Any) -> Any:
    """A setting that shared.settings may not define yet: the attribute if it has one, else the
    environment variable REKISTERI_<NAME> (converted like the default), else the default."""
    value = getattr(settings, name, None)
    if value is not None:
        return value
    raw = os.environ.get(f"REKISTERI_{name.upper()}")
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int | float) and not isinstance(default, bool):
        return type(default)(float(raw)) if isinstance(default, int) else float(raw)
    return raw


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


# SQL in the driver's style (psycopg, %(name)s): a Session runs it with exec_driver_sql, the
# notifier runs the same text on its own asynchronous connections (services/notifier/db.py).
CLAIM_SQL = """
    SELECT m.id, m.category, m.to_address, m.from_address, m.subject, m.body_text, m.body_html, m.headers,
           m.message_id, m.request_id, m.attempts, m.max_attempts, m.contact_id, r.campaign_id
    FROM email_outbox m LEFT JOIN campaign_recipients r ON r.email_id = m.id
    WHERE m.status = 'pending' AND m.next_attempt_at <= %(now)s {only}
    ORDER BY m.priority, m.next_attempt_at
    LIMIT %(limit)s
    FOR UPDATE OF m SKIP LOCKED
"""
# The lanes, also by priority so that the scan of ix_email_outbox_due starts where its lane does
# (transactional mail is priority 0, see PRIORITY).
ONLY = {None: "", True: "AND m.priority > 0 AND m.category <> 'transactional'",
        False: "AND m.priority = 0 AND m.category = 'transactional'"}
CLAIM_AND_MARK_SQL = """
    WITH picked AS (
        SELECT m.id FROM email_outbox m
        WHERE m.status = 'pending' AND m.next_attempt_at <= %(now)s {only}
        ORDER BY m.priority, m.next_attempt_at
        LIMIT %(limit)s
        FOR UPDATE OF m SKIP LOCKED
    )
    UPDATE email_outbox m SET status = 'sending', attempts = m.attempts + 1, lease_expires_at = %(lease)s,
                              handed_over_at = NULL, lease_token = %(token)s
    FROM picked WHERE m.id = picked.id
    RETURNING m.id, m.category, m.to_address, m.from_address, m.subject, m.body_text, m.body_html, m.headers,
              m.message_id, m.request_id, m.attempts - 1 AS attempts, m.max_attempts, m.contact_id,
              (SELECT r.campaign_id FROM campaign_recipients r WHERE r.email_id = m.id) AS campaign_id,
              m.priority, m.next_attempt_at
"""
MARK_SENDING_SQL = """
    UPDATE email_outbox SET status = 'sending', attempts = attempts + 1, lease_expires_at = %(lease)s,
                            handed_over_at = NULL, lease_token = %(token)s
    WHERE id = ANY(CAST(%(ids)s AS uuid[]))
"""
MARK_SKIPPED_SQL = """
    UPDATE email_outbox m SET status = 'skipped', skip_reason = t.reason, lease_expires_at = NULL, lease_token = NULL
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(reasons)s AS varchar[])) AS t(id, reason)
    WHERE m.id = t.id AND m.status = 'pending'
"""
SKIP_CLAIMED_SQL = """
    UPDATE email_outbox m SET status = 'skipped', skip_reason = t.reason, lease_expires_at = NULL, lease_token = NULL,
                              attempts = GREATEST(m.attempts - 1, 0)
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(reasons)s AS varchar[]), CAST(%(tokens)s AS uuid[]))
         AS t(id, reason, token)
    WHERE m.id = t.id AND m.status = 'sending' AND m.lease_token = t.token
"""
MARK_HANDED_OVER_SQL = """
    UPDATE email_outbox m SET handed_over_at = clock_timestamp()
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[])) AS t(id, token)
    WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
      AND m.lease_expires_at > clock_timestamp()
    RETURNING m.id
"""
# Sent messages and their attempt-log rows in one statement (only rows this lease still holds).
RECORD_SENT_AND_LOG_SQL = """
    WITH t AS (
        SELECT * FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[]), CAST(%(replies)s AS text[]),
                             CAST(%(ats)s AS timestamptz[]), CAST(%(campaigns)s AS integer[]),
                             CAST(%(attempts)s AS integer[]), CAST(%(started)s AS timestamptz[]),
                             CAST(%(servers)s AS varchar[]))
                  AS t(id, token, reply, at, campaign, attempt, started, server)
    ), sent AS (
        UPDATE email_outbox m SET status = 'sent', sent_at = t.at, smtp_reply = t.reply, lease_expires_at = NULL,
                                  last_error = NULL, lease_token = NULL
        FROM t WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
        RETURNING m.id
    )
    INSERT INTO email_attempts (email_id, campaign_id, attempt, outcome, smtp_reply, smtp_server, started_at,
                                finished_at)
    SELECT t.id, t.campaign, t.attempt, 'sent', t.reply, t.server, t.started, t.at FROM t JOIN sent ON sent.id = t.id
"""
LOG_ATTEMPTS_SQL = """
    INSERT INTO email_attempts (email_id, campaign_id, attempt, outcome, smtp_reply, smtp_server, started_at,
                                finished_at)
    SELECT * FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(campaigns)s AS integer[]), CAST(%(attempts)s AS integer[]),
                         CAST(%(outcomes)s AS varchar[]), CAST(%(replies)s AS text[]), CAST(%(servers)s AS varchar[]),
                         CAST(%(started)s AS timestamptz[]), CAST(%(finished)s AS timestamptz[]))
"""
RELEASE_SQL = """
    UPDATE email_outbox m SET status = 'pending', attempts = GREATEST(m.attempts - 1, 0), lease_expires_at = NULL,
                              next_attempt_at = %(due)s, handed_over_at = NULL, lease_token = NULL
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[])) AS t(id, token)
    WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
"""
RENEW_SQL = """
    UPDATE email_outbox m SET lease_expires_at = %(lease)s
    FROM unnest(CAST(%(ids)s AS uuid[]), CAST(%(tokens)s AS uuid[])) AS t(id, token)
    WHERE m.id = t.id AND m.lease_token = t.token AND m.status = 'sending'
"""


def _sql(session: Session, statement: str, params: dict):
    return session.connection().exec_driver_sql(statement, params)


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


RECOVER_UNKNOWN_SQL = """
    UPDATE email_outbox SET status = 'failed', outcome_unknown = true, lease_expires_at = NULL,
                            last_error = %(reason)s, lease_token = NULL
    WHERE status = 'sending' AND lease_expires_at < %(now)s AND handed_over_at IS NOT NULL
    RETURNING id, attempts, handed_over_at
"""
RECOVER_RELEASE_SQL = """
    UPDATE email_outbox SET status = 'pending', attempts = GREATEST(attempts - 1, 0), lease_expires_at = NULL,
                            next_attempt_at = %(now)s, lease_token = NULL
    WHERE status = 'sending' AND lease_expires_at < %(now)s AND handed_over_at IS NULL
"""


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


def mark_handed_over(session: Session, *, held: Held) -> set[uuid.UUID]:
    """Durably note that these messages' content is about to go to the server; returns the
    ones this notifier still holds (a row whose lease ran out must not be sent: someone else
    may already have recovered it). The caller commits (synchronously) before sending."""
    if not held:
        return set()
    return {row.id for row in _sql(session, MARK_HANDED_OVER_SQL, held_params(held)).all()}


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


def record_sent(session: Session, *, records: Sequence[AttemptRecord]) -> None:
    """Messages the server accepted (250 to DATA), with its answer; one statement for many."""
    if not records:
        return
    _sql(session, RECORD_SENT_AND_LOG_SQL, sent_params(records))


def release(session: Session, *, held: Held, delay_seconds: float = 0.0) -> None:
    """Messages claimed but never started (their content never went to a server): back to
    pending, the attempt not counted."""
    if held:
        _sql(session, RELEASE_SQL, {**held_params(held), "due": utcnow() + timedelta(seconds=delay_seconds)})


def skipped_params(skipped: Sequence[tuple[uuid.UUID, uuid.UUID | None, str]]) -> dict[str, list]:
    return {"ids": [i for i, _, _ in skipped], "tokens": [t for _, t, _ in skipped],
            "reasons": [r for _, _, r in skipped]}


def skip_claimed(session: Session, *, skipped: Sequence[tuple[uuid.UUID, uuid.UUID | None, str]]) -> None:
    """Claimed messages that the re-check before sending stopped: skipped, with the reason."""
    if skipped:
        _sql(session, SKIP_CLAIMED_SQL, skipped_params(skipped))


def mark_sent(session: Session, *, ids: Iterable[uuid.UUID]) -> None:
    now = utcnow()
    session.execute(
        update(EmailMessage)
        .where(EmailMessage.id.in_(list(ids)), EmailMessage.status == EmailStatus.sending)
        .values(status=EmailStatus.sent, sent_at=now, lease_expires_at=None, last_error=None, lease_token=None)
    )


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
