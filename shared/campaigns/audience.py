"""Building a campaign's audience: one rendered outbox row per recipient, linked to the
campaign by a `campaign_recipients` row unique per (campaign, contact).

Everyone subscribed to a list of the audience (narrowed by the filter) gets a row; whether the
message may still go is decided when the notifier claims it (shared.campaigns.eligibility), so
the statistics show who was skipped and why. The build runs in one transaction with the
campaign row locked: a second run, or a pause or cancel meanwhile, waits for it and then finds
it done. While the campaign is paused the rows wait (due at FAR_FUTURE) until it resumes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import exists, func, insert, text
from sqlmodel import Session, select

from shared.audit.service import Actor, record
from shared.campaigns.render import Person, message_id, needs_source_notice, render
from shared.campaigns.schemas import header_problem
from shared.jobs.runner import JobContext, PermanentFailure
from shared.models import (
    Company,
    Contact,
    EmailCategory,
    EmailMessage,
    EmailStatus,
    Subscription,
    SubscriptionStatus,
    utcnow,
)
from shared.models.campaigns import FINAL_CAMPAIGN_STATUSES, Campaign, CampaignRecipient, CampaignStatus
from shared.register.person_copies import hold_person_copies
from shared.settings import get_settings

log = structlog.get_logger(__name__)
CHUNK = 1000
BULK_PRIORITY = 10
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)  # a paused campaign's messages wait until resumed


def _audience_query(campaign: Campaign):
    """Contacts with an address, subscribed to a list of the audience, not yet recipients,
    each with the lowest such list and whether a bulk message has reached them before."""
    lists = (
        select(Subscription.contact_id, func.min(Subscription.list_id).label("list_id"))
        .where(Subscription.list_id.in_(campaign.list_ids), Subscription.status == SubscriptionStatus.subscribed)
        .group_by(Subscription.contact_id)
        .subquery()
    )
    informed = exists().where(EmailMessage.contact_id == Contact.id, EmailMessage.status == EmailStatus.sent,
                              EmailMessage.category != EmailCategory.transactional)
    already = exists().where(CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.contact_id == Contact.id)
    query = (
        select(Contact.id, Contact.email, Contact.first_name, Contact.last_name, Contact.language, Contact.source,
               Contact.source_provider, Contact.source_received, Company.name.label("company"),
               lists.c.list_id, informed.label("informed"))
        .join(lists, lists.c.contact_id == Contact.id)
        .outerjoin(Company, Company.id == Contact.company_id)
        .where(Contact.email.is_not(None), ~already)
    )
    rules: dict[str, Any] = campaign.audience_filter or {}
    if rules.get("languages"):
        query = query.where(Contact.language.in_(rules["languages"]))
    if rules.get("legal_bases"):
        query = query.where(Contact.legal_basis.in_(rules["legal_bases"]))
    if rules.get("company_ids"):
        query = query.where(Contact.company_id.in_(rules["company_ids"]))
    if rules.get("company_statuses"):
        query = query.where(Company.status.in_(rules["company_statuses"]))
    return query


def _rows(campaign: Campaign, chunk, *, due: datetime, now: datetime) -> tuple[list[dict], list[dict]]:
    max_attempts = get_settings().notifier_max_attempts
    messages, recipients = [], []
    for row in chunk:
        person = Person(contact_id=row.id, email=row.email, first_name=row.first_name, last_name=row.last_name,
                        company=row.company, language=row.language, source=row.source,
                        source_provider=row.source_provider, source_received=row.source_received)
        notice = needs_source_notice(person) and not row.informed
        out = render(campaign, person, list_id=row.list_id, source_notice=notice)
        email_id = uuid.uuid4()
        messages.append({
            "id": email_id, "category": campaign.category, "priority": BULK_PRIORITY,
            "status": EmailStatus.pending, "to_address": row.email, "from_address": out.from_address,
            "subject": out.subject, "body_text": out.body_text, "body_html": out.body_html,
            "headers": out.headers, "message_id": message_id(campaign), "contact_id": row.id,
            "request_id": None, "attempts": 0, "max_attempts": max_attempts, "last_error": None,
            "skip_reason": None, "outcome_unknown": False, "created_at": now, "next_attempt_at": due,
            "lease_expires_at": None, "sent_at": None,
        })
        recipients.append({"campaign_id": campaign.id, "contact_id": row.id, "email_id": email_id,
                           "list_id": row.list_id, "source_notice": notice, "created_at": now})
    return messages, recipients


def _drop_erased_meanwhile(session: Session, *, campaign_id: int) -> int:
    """Remove the rows written for people erased while the build ran (their address must not stay
    in the outbox); under the exclusive person-copies lock, so later erasures find the rows."""
    hold_person_copies(session, exclusive=True)
    gone = session.execute(text(
        "DELETE FROM campaign_recipients r WHERE r.campaign_id = :campaign "
        "AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = r.contact_id) RETURNING r.email_id"),
        {"campaign": campaign_id}).scalars().all()
    if gone:
        session.execute(text("DELETE FROM email_outbox WHERE id = ANY(:ids)"), {"ids": list(gone)})
        log.info("campaign.erased_meanwhile", campaign_id=campaign_id, rows=len(gone))
    return len(gone)


def build_audience(session: Session, *, campaign_id: int,
                   progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Write the campaign's outbox rows (once); a scheduled campaign starts sending here."""
    campaign = session.get(Campaign, campaign_id, with_for_update=True, populate_existing=True)
    if campaign is None or campaign.status in FINAL_CAMPAIGN_STATUSES or campaign.status == CampaignStatus.draft:
        return {"built": False, "status": campaign.status.value if campaign else "missing"}
    if campaign.audience_built_at is not None:
        return {"built": False, "status": campaign.status.value, "reason": "already built"}
    if problem := header_problem(campaign):
        raise PermanentFailure(problem)
    now = utcnow()
    if campaign.status == CampaignStatus.scheduled:  # its time has come
        record(session, entity=campaign, action="update", actor=Actor(label="system"), field="status",
               old=campaign.status, new=CampaignStatus.sending)
        campaign.status, campaign.started_at = CampaignStatus.sending, now
    due = FAR_FUTURE if campaign.status == CampaignStatus.paused else now
    query = _audience_query(campaign)
    total = session.exec(select(func.count()).select_from(query.subquery())).one() or 1
    written, after = 0, 0
    while True:
        chunk = session.exec(query.where(Contact.id > after).order_by(Contact.id).limit(CHUNK)).all()
        if not chunk:
            break
        messages, recipients = _rows(campaign, chunk, due=due, now=now)
        session.execute(insert(EmailMessage), messages)
        session.execute(insert(CampaignRecipient), recipients)
        written, after = written + len(chunk), chunk[-1].id
        if progress:
            progress(min(99, written * 100 // total))
    written -= _drop_erased_meanwhile(session, campaign_id=campaign.id)
    campaign.audience_built_at = campaign.updated_at = now
    campaign.version += 1
    session.add(campaign)
    session.flush()
    log.info("campaign.audience_built", campaign_id=campaign.id, rows=written)
    return {"built": True, "recipients": written, "status": campaign.status.value}


def run_build_audience(session: Session, ctx: JobContext) -> dict[str, Any]:
    """The job `campaigns.build_audience`: payload {"campaign_id": …}."""
    return build_audience(session, campaign_id=int(ctx.payload["campaign_id"]), progress=ctx.report_progress)
