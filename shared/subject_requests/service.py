"""Subject requests: intake (public and staff), verification, and what follows verification.

Objections and restrictions take effect in the verifying transaction, before any answer.
Access and erasure run as jobs (shared/subject_requests/access_export.py, erasure.py);
rectification waits for the privacy officer's approval. Every outcome is an email in the
subject's language, queued in the same transaction as the change it reports.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta

import structlog
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, text
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes
from shared.contacts.service import record_objection, restrict
from shared.jobs import kinds
from shared.jobs.service import create_job
from shared.models import (
    Channel,
    Contact,
    ObjectionScope,
    RequestKind,
    RequestStatus,
    SubjectRequest,
    VerificationToken,
    utcnow,
)
from shared.i18n import format_date, label, t
from shared.common.errors import Conflict, InvalidReference, NotFound, TooManyRequests
from shared.common.suppression import suppress
from shared.settings import get_settings
from shared.subject_requests.followups import queue_partner_followups
from shared.subject_requests.messages import send_request_email
from shared.subject_requests.schemas import PublicRequestCreate, StaffRequestCreate
from shared.subject_requests.states import FINAL, transition
from shared.subject_requests.tracking import centre_url

log = structlog.get_logger(__name__)
SUBJECT = Actor(label="subject")
S = RequestStatus


class RateLimited(TooManyRequests):
    """Too many requests for this address or from this client within the hour: 429, with when to
    try again (`retry_at`; `retry_after` in seconds)."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__("too many requests; try again later",
                         retry_after=max(1, int((retry_at - utcnow()).total_seconds())))
        self.retry_at = retry_at


class InvalidToken(NotFound):
    """Unknown, used or expired verification link."""

    default = "the link was used or has expired"


def due_date(received_at: datetime, months: int = 1) -> datetime:
    return received_at + relativedelta(months=months)


def keyed_hash(value: str) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


FORM_LOCK = 0x5245_4B46  # "REKF": serializes the public form's count-then-insert


def _check_rate(session: Session, *, email: str, client: str | None, now: datetime) -> None:
    """RateLimited past the hourly limits. The limits count recent requests and the new one is
    inserted after: one submission at a time (the caller holds FORM_LOCK) until the transaction
    commits, or concurrent ones all pass the count (24 of a limit of 20 got through under load)."""
    settings, since = get_settings(), now - timedelta(hours=1)
    recent = select(func.count(), func.min(SubjectRequest.received_at)).select_from(SubjectRequest).where(
        SubjectRequest.received_at > since)
    limits = [(SubjectRequest.email == email, settings.public_requests_per_email_per_hour)]
    if client:
        limits.append((SubjectRequest.client_hash == client, settings.public_requests_per_client_per_hour))
    for same, limit in limits:
        count, oldest = session.exec(recent.where(same)).one()
        if count >= limit:  # free again an hour after the oldest request in the window
            raise RateLimited(retry_at=oldest + timedelta(hours=1))


def _issue_verification(session: Session, *, request: SubjectRequest, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    ttl = get_settings().verification_ttl_hours
    session.add(VerificationToken(request_id=request.id, token_hash=hashlib.sha256(token.encode()).hexdigest(),
                                  expires_at=now + timedelta(hours=ttl)))
    link = centre_url(f"/privacy/verify/{token}", lang=request.language)
    send_request_email(session, request=request, template="verify", link=link, hours=str(ttl))
    return token


def _still_waiting(session: Session, *, data: PublicRequestCreate, now: datetime) -> SubjectRequest | None:
    """A request for the same address and kind (and objection scope) whose emailed link is still
    unused and valid."""
    return session.exec(select(SubjectRequest).join(VerificationToken, VerificationToken.request_id == SubjectRequest.id)
                        .where(SubjectRequest.email == data.email, SubjectRequest.kind == data.kind,
                               SubjectRequest.objection_scope.is_not_distinct_from(data.objection_scope),
                               SubjectRequest.status == S.awaiting_verification, VerificationToken.used_at.is_(None),
                               VerificationToken.expires_at > now).limit(1)).first()


def submit_public(session: Session, *, data: PublicRequestCreate, client_ip: str | None,
                  now: datetime | None = None) -> SubjectRequest:
    """A request from the public form: stored, and a verification link mailed to the address.
    The caller answers the same whether or not the address is in the register.

    Repeating a request that still waits for its link to be followed (same address and kind)
    stores and sends nothing new and does not count against the limits: whoever asks, the
    person gets at most one mail per kind while a link is valid, and a stranger cannot use up
    the person's hourly requests by repeating one. The first mail's link stays valid."""
    now = now or utcnow()
    client = keyed_hash(client_ip) if client_ip else None
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FORM_LOCK})
    if (waiting := _still_waiting(session, data=data, now=now)) is not None:
        log.info("subject_request.repeat_ignored", request_id=str(waiting.id), kind=waiting.kind)
        return waiting
    _check_rate(session, email=data.email, client=client, now=now)
    request = SubjectRequest(**data.model_dump(), received_at=now, due_at=due_date(now), client_hash=client)
    session.add(request)
    session.flush()
    transition(session, request=request, to=S.awaiting_verification, actor="subject")
    _issue_verification(session, request=request, now=now)
    return request


def _open_token(session: Session, *, token: str, now: datetime, lock: bool) -> VerificationToken:
    digest = hashlib.sha256(token.encode()).hexdigest()
    query = select(VerificationToken).where(VerificationToken.token_hash == digest)
    record = session.exec(query.with_for_update() if lock else query).first()
    if record is None or record.used_at is not None or record.expires_at <= now:
        raise InvalidToken()
    return record


def pending_verification(session: Session, *, token: str, now: datetime | None = None) -> SubjectRequest:
    """The request a verification link would confirm (nothing changes); InvalidToken if the link
    is unknown, used or expired, or the request no longer waits for it."""
    record = _open_token(session, token=token, now=now or utcnow(), lock=False)
    request = session.get(SubjectRequest, record.request_id)
    if request is None or request.status != S.awaiting_verification:
        raise InvalidToken()
    return request


def verify(session: Session, *, token: str, now: datetime | None = None) -> SubjectRequest:
    """Follow a verification link (single use, expiring), then act on the request."""
    now = now or utcnow()
    record = _open_token(session, token=token, now=now, lock=True)
    record.used_at = now
    session.add(record)
    request = session.get(SubjectRequest, record.request_id, with_for_update=True)
    if request.status != S.awaiting_verification:
        raise InvalidToken()
    request.verified_at, request.verification_method = now, "email link"
    request.contact_id = _match_contact(session, request.email)
    transition(session, request=request, to=S.verified, actor="subject")
    proceed(session, request=request, actor=SUBJECT)
    return request


def verify_manually(session: Session, *, request: SubjectRequest, method: str, actor: Actor) -> None:
    """The officer verified the identity another way (a call back, a signed letter); the
    emailed link is then void."""
    if request.status not in (S.received, S.awaiting_verification):
        raise Conflict("only a request waiting for verification can be verified")
    now = utcnow()
    for token in session.exec(select(VerificationToken).where(VerificationToken.request_id == request.id,
                                                              VerificationToken.used_at.is_(None))):
        token.used_at = now
        session.add(token)
    request.verified_at, request.verification_method = now, method
    request.contact_id = request.contact_id or _match_contact(session, request.email)
    transition(session, request=request, to=S.verified, actor=actor.label, note=method)
    proceed(session, request=request, actor=actor)


def _match_contact(session: Session, email: str | None) -> int | None:
    if not email:
        return None
    return session.exec(select(Contact.id).where(Contact.email == email)).first()


def create_staff_request(session: Session, *, data: StaffRequestCreate, actor: Actor) -> SubjectRequest:
    """A request that came by letter, email or phone; the officer has verified the identity."""
    now = utcnow()
    received = datetime.combine(data.received_on, datetime.min.time(), tzinfo=now.tzinfo) if data.received_on else now
    values = data.model_dump(exclude={"received_on"})
    request = SubjectRequest(**values, received_at=received, due_at=due_date(received),
                             verified_at=now, created_by=actor.user_id)
    request.contact_id = request.contact_id or _match_contact(session, request.email)
    session.add(request)
    session.flush()
    transition(session, request=request, to=S.verified, actor=actor.label, note=data.verification_method)
    proceed(session, request=request, actor=actor)
    return request


def proceed(session: Session, *, request: SubjectRequest, actor: Actor) -> None:
    """What a verified request does next."""
    actor = Actor(label=actor.label, user_id=actor.user_id, reason=f"subject-request:{request.id}")
    contact = session.get(Contact, request.contact_id) if request.contact_id else None
    if request.kind == RequestKind.objection:
        scope = request.objection_scope
        dm, research = scope in (ObjectionScope.direct_marketing, ObjectionScope.both), scope in (
            ObjectionScope.research, ObjectionScope.both)
        if contact is not None:
            record_objection(session, contact=contact, direct_marketing=dm, research=research,
                             channel=Channel(str(request.channel)), actor=actor)
        if request.email and dm:
            suppress(session, email=request.email, reason="objected")
        complete(session, request=request, outcome=f"objection recorded: {scope.value}", actor=actor.label)
        send_request_email(session, request=request, template="objection_confirmed",
                           scope=label("objection_scope", scope, request.language))
    elif request.kind == RequestKind.restriction:
        if contact is None:
            _no_data(session, request=request, actor=actor.label)
            return
        restrict(session, contact=contact, reason=f"subject request {request.id}", actor=actor)
        queue_partner_followups(session, contact_id=contact.id, kind="restriction", request_id=request.id)
        complete(session, request=request, outcome="processing restricted", actor=actor.label)
        send_request_email(session, request=request, template="restriction_confirmed")
    elif request.kind == RequestKind.access:
        request.repeat_count = _earlier_access_requests(session, request=request)
        request.repeats_since_change = _earlier_access_requests(session, request=request, since_change=True)
        if request.repeat_count and request.repeat_decision is None:
            session.add(request)  # flagged: the privacy officer decides (decide_repeat)
            return
        _start_job(session, request=request, kind=kinds.EXPORT, actor=actor.label)
    elif request.kind == RequestKind.erasure:
        if contact is None and not request.email:
            _no_data(session, request=request, actor=actor.label)
            return
        _start_job(session, request=request, kind=kinds.ERASE, actor=actor.label)
    elif request.kind == RequestKind.rectification and contact is None:
        _no_data(session, request=request, actor=actor.label)
    else:  # a rectification of a known person: waits, verified, for approve_rectification
        _acknowledge(session, request=request)


def _start_job(session: Session, *, request: SubjectRequest, kind: str, actor: str) -> None:
    job = create_job(session, kind=kind, payload={"request_id": str(request.id)}, created_by=request.created_by)
    request.job_id = job.id
    transition(session, request=request, to=S.in_progress, actor=actor)
    _acknowledge(session, request=request)


def _acknowledge(session: Session, *, request: SubjectRequest) -> None:
    """Tell the subject the request is being handled and by when."""
    send_request_email(session, request=request, template="received", due=format_date(request.due_at, request.language))


def _no_data(session: Session, *, request: SubjectRequest, actor: str) -> None:
    complete(session, request=request, outcome="no data held", actor=actor)
    send_request_email(session, request=request, template="no_data")


def _earlier_access_requests(session: Session, *, request: SubjectRequest, since_change: bool = False) -> int:
    """Access requests by the same person earlier this calendar year (the first is always free),
    or — with since_change — since the person's data last changed."""
    year_start = request.received_at.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if since_change:
        contact = session.get(Contact, request.contact_id) if request.contact_id else None
        year_start = contact.updated_at if contact is not None else year_start
    same_person = (SubjectRequest.contact_id == request.contact_id) if request.contact_id else (
        SubjectRequest.email == request.email)
    query = (select(func.count()).select_from(SubjectRequest)
             .where(same_person, SubjectRequest.kind == RequestKind.access, SubjectRequest.id != request.id,
                    SubjectRequest.received_at >= year_start, SubjectRequest.received_at < request.received_at,
                    SubjectRequest.status.in_([S.in_progress, S.completed])))
    return session.exec(query).one()


def complete(session: Session, *, request: SubjectRequest, outcome: str, actor: str) -> None:
    request.outcome = outcome
    transition(session, request=request, to=S.completed, actor=actor, note=outcome)


def get_request(session: Session, *, request_id: uuid.UUID) -> SubjectRequest:
    request = session.get(SubjectRequest, request_id)
    if request is None:
        raise NotFound("no such request")
    return request


def decide_repeat(session: Session, *, request: SubjectRequest, decision: str, reason: str, actor: Actor) -> None:
    """The officer's decision on a repeat access request, with its reason, told to the subject."""
    if request.kind != RequestKind.access or request.status != S.verified or not request.repeat_count:
        raise Conflict("only a verified repeat access request waits for this decision")
    request.repeat_decision, request.repeat_reason = decision, reason
    if decision == "manifestly_unfounded":
        reject(session, request=request, reason=reason, actor=actor)
    else:
        _start_job(session, request=request, kind=kinds.EXPORT, actor=actor.label)


def approve_rectification(session: Session, *, request: SubjectRequest, changes: dict[str, str],
                          reason: str | None = None, actor: Actor) -> None:
    """Apply the approved corrections (all or part of the proposal) with history citing the request.
    What the proposal asked and the approval left out is refused: that needs `reason`, and the
    subject is told what was changed, what was not and why, and where to complain."""
    if request.kind != RequestKind.rectification or request.status != S.verified or request.contact_id is None:
        raise Conflict("only a verified rectification of a known person can be approved")
    refused = refused_changes(proposed=request.proposed_changes or {}, approved=changes)
    if refused and not (reason or "").strip():
        raise InvalidReference("note", "say why the rest of the proposed changes is not made: the subject is told")
    contact = session.get(Contact, request.contact_id)
    cited = Actor(label=actor.label, user_id=actor.user_id, reason=f"subject-request:{request.id}")
    changed = apply_changes(session, entity=contact, changes=changes, actor=cited)
    if changed:
        queue_partner_followups(session, contact_id=contact.id, kind="correction", request_id=request.id)
    request.approved_changes = changes
    outcome = f"rectified: {', '.join(changed) or 'nothing changed'}"
    complete(session, request=request, outcome=outcome + (f"; not changed: {', '.join(refused)}" if refused else ""),
             actor=actor.label)
    fields = {name: _field_list(names, request.language) for name, names in (("changed", changed), ("refused", refused))}
    if refused:
        send_request_email(session, request=request, template="rectification_partial", reason=reason.strip(), **fields)
    else:
        send_request_email(session, request=request, template="rectification_done", changed=fields["changed"])


def refused_changes(*, proposed: dict[str, str], approved: dict[str, str]) -> list[str]:
    """The proposed fields the approval leaves out or sets to another value than was asked."""
    return [name for name, value in proposed.items() if approved.get(name) != value]


def _field_list(names: list[str], language: object) -> str:
    """Field names as the subject reads them ("Sukunimi, Puhelin"), or "ei mitään"."""
    return ", ".join(label("field", name, language) for name in names) or t("mail.nothing", language)


def reject(session: Session, *, request: SubjectRequest, reason: str, actor: Actor) -> None:
    request.outcome = f"rejected: {reason}"
    transition(session, request=request, to=S.rejected, actor=actor.label, note=reason)
    send_request_email(session, request=request, template="rejected", reason=reason)


def extend(session: Session, *, request: SubjectRequest, months: int, reason: str, actor: Actor,
           now: datetime | None = None) -> None:
    """Up to two more months, only before the first month ends, with the reason sent to the subject."""
    now = now or utcnow()
    if request.extended_due_at is not None:
        raise Conflict("the request was extended already")
    if now >= request.due_at:
        raise Conflict("an extension must be told to the subject before the first month ends")
    if request.status in (S.completed, S.rejected, S.cancelled):
        raise Conflict("the request is finished")
    request.extended_due_at, request.extension_reason = due_date(request.received_at, 1 + months), reason
    session.add(request)
    send_request_email(session, request=request, template="extended", reason=reason,
                       due=format_date(request.extended_due_at, request.language))


def cancel(session: Session, *, request: SubjectRequest, actor: Actor) -> None:
    transition(session, request=request, to=S.cancelled, actor=actor.label)


def list_requests(session: Session, *, status: RequestStatus | None = None, kind: RequestKind | None = None,
                  due_before: datetime | None = None, open_only: bool = False, contact_id: int | None = None,
                  limit: int = 100) -> list[SubjectRequest]:
    """Requests, the most urgent first (by the due date that applies); `open_only`: not yet finished;
    `contact_id`: those matched to one person."""
    effective_due = func.coalesce(SubjectRequest.extended_due_at, SubjectRequest.due_at)
    query = select(SubjectRequest).order_by(effective_due, SubjectRequest.id).limit(limit)
    if status is not None:
        query = query.where(SubjectRequest.status == status)
    if open_only:
        query = query.where(SubjectRequest.status.not_in(list(FINAL)))
    if kind is not None:
        query = query.where(SubjectRequest.kind == kind)
    if due_before is not None:
        query = query.where(effective_due <= due_before)
    if contact_id is not None:
        query = query.where(SubjectRequest.contact_id == contact_id)
    return list(session.exec(query).all())
