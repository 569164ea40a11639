"""Campaigns: create, change, preview, test send, schedule, start, pause, resume, cancel,
statistics and the per-recipient log. Plain functions in the caller's transaction.

States: draft → scheduled → sending ⇄ paused → completed; anything open → cancelled. A sending
campaign pauses itself when too many of its recent SMTP attempts are refused (`pause_if_failing`,
asked by the notifier).
Starting (or the scheduled time coming) queues `campaigns.build_audience` on the bulk queue.
Every state change is a change-history row (entity `campaigns`).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy import and_, func, update
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes, record
from shared.jobs import kinds
from shared.outbox.service import FAR_FUTURE
from shared.campaigns.render import SAMPLE_PERSON, Person, Rendered, needs_source_notice, render
from shared.campaigns.schemas import CampaignCreate, CampaignStats, header_problem
from shared.jobs.service import cancel_job, create_job
from shared.models import (Company, Contact, EmailCategory, EmailMessage, EmailStatus, Job, Language, MailingList,
                           utcnow)
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.models.outbox import AttemptOutcome, EmailAttempt
from shared.outbox.service import enqueue_email
from shared.common.errors import Conflict, InvalidReference, NotFound

log = structlog.get_logger(__name__)
S = CampaignStatus
EDITABLE = frozenset({S.draft, S.scheduled})
BOUNCE = r"^(5[0-9][0-9] |recipient refused \[5)"  # what the notifier writes for a 5xx answer


def _templates(templates: dict) -> dict[str, Any]:
    """JSON keyed by language code, without empty parts."""
    return {Language(lang).value: {k: v for k, v in t.items() if v is not None} for lang, t in templates.items()}


def _check_lists(session: Session, list_ids: list[int]) -> None:
    found = set(session.exec(select(MailingList.id).where(MailingList.id.in_(list_ids))).all())
    if set(list_ids) - found:
        raise InvalidReference("list_ids", "no mailing list has one of these ids")


def _relevance(values: dict[str, Any], actor: Actor) -> dict[str, Any]:
    if values.get("relevant_to_role"):
        values |= {"relevance_recorded_by": actor.user_id, "relevance_recorded_at": utcnow()}
    elif values.get("relevant_to_role") is False:
        values |= {"relevance_justification": None, "relevance_recorded_by": None, "relevance_recorded_at": None}
    return values


def create_campaign(session: Session, *, data: CampaignCreate, actor: Actor) -> Campaign:
    """A draft campaign; the lists must exist."""
    _check_lists(session, data.list_ids)
    values = data.model_dump(exclude={"audience_filter"})
    values |= {"templates": _templates(values["templates"]),
               "audience_filter": data.audience_filter.model_dump(mode="json", exclude_none=True)}
    campaign = Campaign(**_relevance(values, actor), created_by=actor.user_id)
    session.add(campaign)
    session.flush()
    log.info("campaign.created", campaign_id=campaign.id, category=campaign.category.value)
    return campaign


def get_campaign(session: Session, *, campaign_id: int, lock: bool = False) -> Campaign:
    campaign = session.get(Campaign, campaign_id, with_for_update=lock, populate_existing=lock)
    if campaign is None:
        raise NotFound("no such campaign")
    return campaign


def list_campaigns(session: Session, *, status: CampaignStatus | None = None, before_id: int | None = None,
                   limit: int = 50) -> list[Campaign]:
    """Newest first; page with the last id seen."""
    query = select(Campaign).order_by(Campaign.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Campaign.status == status)
    if before_id is not None:
        query = query.where(Campaign.id < before_id)
    return list(session.exec(query).all())


def update_campaign(session: Session, *, campaign: Campaign, changes: dict[str, Any], actor: Actor) -> Campaign:
    """Change a draft or scheduled campaign."""
    if campaign.status not in EDITABLE:
        raise Conflict(f"a {campaign.status.value} campaign cannot be changed")
    if changes.get("list_ids"):
        changes["list_ids"] = sorted(set(changes["list_ids"]))
        _check_lists(session, changes["list_ids"])
    if changes.get("templates"):
        changes["templates"] = _templates(changes["templates"])
    if changes.get("audience_filter") is not None:
        changes["audience_filter"] = {k: v for k, v in changes["audience_filter"].items() if v is not None}
    for name in ("name", "list_ids", "audience_filter", "sender_name", "sender_email", "sender_postal_address",
                 "templates", "fallback_language", "relevant_to_role"):
        if name in changes and changes[name] is None:
            raise InvalidReference(name, "may be left out but not set to null")
    templates = changes.get("templates", campaign.templates)
    fallback = Language(changes.get("fallback_language") or campaign.fallback_language).value
    if fallback not in templates:
        raise InvalidReference("fallback_language", "must be one of the templates' languages")
    if changes.get("relevant_to_role") and not (changes.get("relevance_justification")
                                                or campaign.relevance_justification):
        raise InvalidReference("relevance_justification", "a campaign relevant to the role needs a justification")
    apply_changes(session, entity=campaign, changes=_relevance(changes, actor), actor=actor)
    return campaign


def _person(session: Session, contact_id: int) -> tuple[Person, bool]:
    row = session.exec(select(Contact, Company.name).outerjoin(Company, Company.id == Contact.company_id)
                       .where(Contact.id == contact_id)).first()
    if row is None or not row[0].email:
        raise NotFound("no such contact with an email address")
    c = row[0]
    person = Person(contact_id=c.id, email=c.email, first_name=c.first_name, last_name=c.last_name,
                    company=row[1], language=c.language, source=c.source, source_provider=c.source_provider,
                    source_received=c.source_received)
    informed = session.exec(select(EmailMessage.id).where(
        EmailMessage.contact_id == c.id, EmailMessage.status == EmailStatus.sent,
        EmailMessage.category != EmailCategory.transactional).limit(1)).first() is not None
    return person, needs_source_notice(person) and not informed


def preview(session: Session, *, campaign: Campaign, contact_id: int | None = None,
            language: Language | None = None) -> tuple[Rendered, bool]:
    """The message as this contact would get it (sample data without a contact)."""
    if problem := header_problem(campaign):
        raise Conflict(problem)
    person, notice = _person(session, contact_id) if contact_id else (SAMPLE_PERSON, False)
    if language is not None:
        person = replace(person, language=Language(language).value)
    rendered = render(campaign, person, list_id=None, source_notice=notice, test=contact_id is None, inert=True)
    return rendered, notice


def send_test(session: Session, *, campaign: Campaign, to: str, language: Language | None,
              actor: Actor) -> tuple[uuid.UUID, str]:
    """One copy to a staff address, with sample data and an opt-out link that does nothing.
    It goes as transactional mail: it is for staff, not for the audience."""
    if problem := header_problem(campaign):
        raise Conflict(problem)
    person = replace(SAMPLE_PERSON, language=Language(language or campaign.fallback_language).value)
    out = render(campaign, person, list_id=None, source_notice=False, test=True)
    message = enqueue_email(session, to_address=to, from_address=out.from_address, subject=out.subject,
                            body_text=out.body_text, body_html=out.body_html, headers=out.headers,
                            request_id=actor.request_id)
    log.info("campaign.test_sent", campaign_id=campaign.id, email_id=str(message.id))
    return message.id, out.language


def _transition(session: Session, campaign: Campaign, to: CampaignStatus, actor: Actor, **stamps: Any) -> None:
    record(session, entity=campaign, action="update", actor=actor, field="status", old=campaign.status, new=to)
    campaign.status, campaign.updated_at, campaign.version = to, utcnow(), campaign.version + 1
    for name, value in stamps.items():
        setattr(campaign, name, value)
    session.add(campaign)
    session.flush()
    log.info("campaign.status_changed", campaign_id=campaign.id, status=to.value)


def _require(campaign: Campaign, *allowed: CampaignStatus) -> None:
    if campaign.status not in allowed:
        raise Conflict(f"a {campaign.status.value} campaign cannot do this")


def _queue_build(session: Session, campaign: Campaign, actor: Actor, not_before: datetime | None) -> None:
    if campaign.build_job_id is not None:
        cancel_job(session, job_id=campaign.build_job_id)
    job = create_job(session, kind=kinds.BUILD_AUDIENCE, payload={"campaign_id": campaign.id},
                     request_id=actor.request_id, created_by=actor.user_id)
    if not_before is not None:
        job.not_before = not_before  # the reconciler sends it again when it is due
        session.add(job)
    campaign.build_job_id = job.id


def schedule(session: Session, *, campaign: Campaign, send_at: datetime, actor: Actor) -> Campaign:
    """Build the audience and start sending at `send_at` (a scheduled campaign may be rescheduled)."""
    _require(campaign, S.draft, S.scheduled)
    _queue_build(session, campaign, actor, not_before=send_at)
    _transition(session, campaign, S.scheduled, actor, send_at=send_at)
    return campaign


def start(session: Session, *, campaign: Campaign, actor: Actor) -> Campaign:
    """Send now: the audience is built by a job on the bulk queue."""
    _require(campaign, S.draft, S.scheduled)
    _queue_build(session, campaign, actor, not_before=None)
    _transition(session, campaign, S.sending, actor, started_at=utcnow())
    return campaign


def count_audience(session: Session, *, campaign: Campaign, actor: Actor) -> Job:
    """Queue the count of who the campaign would reach and leave out now (shared/campaigns/audience.py
    `forecast`, a job: a large audience takes a while)."""
    return create_job(session, kind=kinds.COUNT_AUDIENCE, payload={"campaign_id": campaign.id},
                      request_id=actor.request_id, created_by=actor.user_id)


def latest_count(session: Session, *, campaign: Campaign) -> Job | None:
    """The campaign's most recent count job, if any."""
    return session.exec(select(Job).where(Job.kind == kinds.COUNT_AUDIENCE,
                                          Job.payload["campaign_id"].as_integer() == campaign.id)
                        .order_by(Job.created_at.desc()).limit(1)).first()


def _outbox_rows(campaign: Campaign):
    return EmailMessage.id.in_(select(CampaignRecipient.email_id).where(CampaignRecipient.campaign_id == campaign.id))


def pause(session: Session, *, campaign: Campaign, actor: Actor) -> Campaign:
    """Hold every message not yet claimed; those in flight finish."""
    _require(campaign, S.sending)
    session.execute(update(EmailMessage).where(_outbox_rows(campaign), EmailMessage.status == EmailStatus.pending)
                    .values(next_attempt_at=FAR_FUTURE))
    _transition(session, campaign, S.paused, actor, paused_at=utcnow())
    return campaign


def resume(session: Session, *, campaign: Campaign, actor: Actor) -> Campaign:
    """Release the held messages."""
    _require(campaign, S.paused)
    session.execute(update(EmailMessage).where(_outbox_rows(campaign), EmailMessage.status == EmailStatus.pending,
                                               EmailMessage.next_attempt_at >= FAR_FUTURE)
                    .values(next_attempt_at=utcnow()))
    _transition(session, campaign, S.sending, actor, paused_at=None)
    return campaign


def cancel(session: Session, *, campaign: Campaign, actor: Actor) -> Campaign:
    """Stop for good: unsent messages are cancelled, a pending build is called off."""
    _require(campaign, S.draft, S.scheduled, S.sending, S.paused)
    if campaign.build_job_id is not None:
        cancel_job(session, job_id=campaign.build_job_id)
    session.execute(update(EmailMessage).where(_outbox_rows(campaign), EmailMessage.status == EmailStatus.pending)
                    .values(status=EmailStatus.cancelled, lease_expires_at=None))
    _transition(session, campaign, S.cancelled, actor, cancelled_at=utcnow())
    return campaign


def stats(session: Session, *, campaign: Campaign) -> CampaignStats:
    """Counts by outcome; a sending campaign with nothing left to send becomes completed."""
    bounced = func.coalesce(and_(EmailMessage.status == EmailStatus.failed,
                                 EmailMessage.last_error.regexp_match(BOUNCE)), False)
    rows = session.exec(
        select(EmailMessage.status, EmailMessage.skip_reason, EmailMessage.outcome_unknown, bounced, func.count())
        .join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
        .where(CampaignRecipient.campaign_id == campaign.id)
        .group_by(EmailMessage.status, EmailMessage.skip_reason, EmailMessage.outcome_unknown, bounced)
    ).all()
    by_status: dict[EmailStatus, int] = {}
    skipped: dict[str, int] = {}
    unknown_count = bounced_count = 0
    for status, reason, unknown, is_bounce, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        unknown_count += n if unknown else 0
        bounced_count += n if is_bounce else 0
        if status == EmailStatus.skipped:
            skipped[reason or "unknown"] = skipped.get(reason or "unknown", 0) + n
    sending, pending = by_status.get(EmailStatus.sending, 0), by_status.get(EmailStatus.pending, 0)
    if campaign.status == S.sending and campaign.audience_built_at is not None and sending + pending == 0:
        locked = session.exec(select(Campaign).where(Campaign.id == campaign.id, Campaign.status == S.sending)
                              .with_for_update(skip_locked=True).execution_options(populate_existing=True)).first()
        if locked is not None:  # nobody is changing it right now
            _transition(session, locked, S.completed, Actor(label="system"), completed_at=utcnow())
    sent, failed = by_status.get(EmailStatus.sent, 0), by_status.get(EmailStatus.failed, 0)
    return CampaignStats(
        campaign_id=campaign.id, status=campaign.status, audience=sum(by_status.values()), pending=pending,
        eligible=sending + sent + failed, sent=sent, failed=failed, bounced=bounced_count,
        outcome_unknown=unknown_count, cancelled=by_status.get(EmailStatus.cancelled, 0), skipped=skipped)


def complete_finished(session: Session) -> int:
    """Mark every sending campaign with nothing left to send completed (beat, every minute);
    returns how many were completed."""
    sending = session.exec(select(Campaign).where(Campaign.status == S.sending,
                                                  Campaign.audience_built_at.is_not(None))).all()
    return sum(stats(session, campaign=campaign).status == S.completed for campaign in sending)


def recipient_log(session: Session, *, campaign: Campaign, after_contact_id: int = 0,
                  limit: int = 100) -> list[dict[str, Any]]:
    """Who the campaign reached, when and how: one entry per recipient, by contact id."""
    rows = session.exec(
        select(CampaignRecipient, EmailMessage)
        .join(EmailMessage, EmailMessage.id == CampaignRecipient.email_id)
        .where(CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.contact_id > after_contact_id)
        .order_by(CampaignRecipient.contact_id).limit(limit)
    ).all()
    return [{"contact_id": r.contact_id, "email_id": m.id, "status": m.status, "attempts": m.attempts,
             "sent_at": m.sent_at, "skip_reason": m.skip_reason, "last_error": m.last_error,
             "outcome_unknown": m.outcome_unknown, "source_notice": r.source_notice, "smtp_reply": m.smtp_reply}
            for r, m in rows]


# What counts for the error rate: attempts a server answered. Refusals (4xx, 5xx) are errors;
# a server we could not reach at all is our outage, not the campaign's, and does not count.
ANSWERED = (AttemptOutcome.sent, AttemptOutcome.deferred, AttemptOutcome.bounced, AttemptOutcome.unknown)
REFUSED = (AttemptOutcome.deferred, AttemptOutcome.bounced)


def error_rate(session: Session, *, campaign_id: int, window: int) -> tuple[int, int]:
    """(refused, answered) among the campaign's last `window` answered SMTP attempts."""
    recent = (select(EmailAttempt.outcome).where(EmailAttempt.campaign_id == campaign_id,
                                                 EmailAttempt.outcome.in_(ANSWERED))
              .order_by(EmailAttempt.id.desc()).limit(window).subquery())
    refused, answered = session.exec(select(func.count().filter(recent.c.outcome.in_(REFUSED)), func.count())
                                     .select_from(recent)).one()
    return refused or 0, answered or 0


def pause_if_failing(session: Session, *, campaign_id: int, threshold: float, window: int = 200,
                     min_attempts: int = 50) -> float | None:
    """Pause a sending campaign when at least `threshold` (a share) of its last `window` answered
    attempts were refused, once it has `min_attempts` of them; returns the rate if it paused.
    The messages in flight finish; the rest wait for a person to resume (or cancel)."""
    refused, answered = error_rate(session, campaign_id=campaign_id, window=window)
    if answered < max(min_attempts, 1) or refused / answered < threshold:
        return None
    campaign = session.exec(select(Campaign).where(Campaign.id == campaign_id, Campaign.status == S.sending)
                            .with_for_update(skip_locked=True).execution_options(populate_existing=True)).first()
    if campaign is None:
        return None
    rate = refused / answered
    pause(session, campaign=campaign, actor=Actor(
        label="system", reason=f"auto-pause: {refused} of the last {answered} SMTP attempts refused ({rate:.0%})"))
    log.warning("campaign.auto_paused", campaign_id=campaign_id, refused=refused, answered=answered)
    return rate
