"""Building a campaign's audience: one outbox row per recipient (its body rendered when the
notifier claims it, shared/campaigns/messages.py), linked to the campaign by a
`campaign_recipients` row unique per (campaign, contact).

Everyone subscribed to a list of the audience (narrowed by the filter) gets a row; whether the
message may still go is decided right before the notifier sends it (shared/outbox/eligibility.py), so
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
from sqlalchemy import exists, func, text
from sqlmodel import Session, select

from shared.audit.service import Actor, record
from shared.campaigns.render import Person, from_address, message_id, needs_source_notice, subject_line
from shared.campaigns.schemas import header_problem
from shared.jobs.runner import JobContext, PermanentJobError
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
from shared.outbox.service import FAR_FUTURE, priority_of
from shared.common.person_copies import hold_person_copies
from shared.outbox.eligibility import FORECAST_SQL, BatchCheck, bulk_ref
from shared.settings import get_settings

log = structlog.get_logger(__name__)
CHUNK = 5000


def _audience_query(campaign: Campaign):
    """Contacts with an address, subscribed to a list of the audience, not yet recipients,
    each with the lowest such list and whether a bulk message has reached them before."""
    lists = (
        select(Subscription.contact_id, func.min(Subscription.list_id).label("list_id"))
        .where(Subscription.list_id.in_(campaign.list_ids), Subscription.status == SubscriptionStatus.subscribed)
        .group_by(Subscription.contact_id)
        .subquery()
    )
    # Who a bulk message has reached, as one set joined once: a correlated EXISTS was planned as a
    # scan of the outbox per contact, and the outbox grows while the build writes (quadratic).
    informed = (
        select(EmailMessage.contact_id)
        .where(EmailMessage.contact_id.is_not(None), EmailMessage.status == EmailStatus.sent,
               EmailMessage.category != EmailCategory.transactional)
        .distinct()
        .subquery()
    )
    already = exists().where(CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.contact_id == Contact.id)
    query = (
        select(Contact.id, Contact.email, Contact.first_name, Contact.last_name, Contact.language, Contact.source,
               Contact.source_provider, Contact.source_received, Company.name.label("company"),
               lists.c.list_id, informed.c.contact_id.is_not(None).label("informed"))
        .join(lists, lists.c.contact_id == Contact.id)
        .outerjoin(Company, Company.id == Contact.company_id)
        .outerjoin(informed, informed.c.contact_id == Contact.id)
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


_OUTBOX = ("id", "category", "priority", "status", "to_address", "from_address", "subject", "body_text", "body_html",
           "headers", "message_id", "contact_id", "request_id", "attempts", "max_attempts", "last_error",
           "skip_reason", "outcome_unknown", "created_at", "next_attempt_at", "lease_expires_at", "sent_at")
_RECIPIENTS = ("campaign_id", "contact_id", "email_id", "list_id", "source_notice", "created_at")


def _write(session: Session, campaign: Campaign, chunk, *, due: datetime, now: datetime) -> None:
    """The chunk's outbox and recipient rows, each table with one COPY. The body is left empty:
    the notifier renders it when it claims the message (shared/campaigns/messages.py)."""
    max_attempts, sender, category = get_settings().notifier_max_attempts, from_address(campaign), campaign.category
    messages, recipients = [], []
    for row in chunk:
        person = Person(contact_id=row.id, email=row.email, first_name=row.first_name, last_name=row.last_name,
                        company=row.company, language=row.language, source=row.source)
        notice = needs_source_notice(person) and not row.informed
        email_id = uuid.uuid4()
        messages.append((
            email_id, category.value, priority_of(category), EmailStatus.pending.value, row.email,
            sender, subject_line(campaign, person), "", None, "{}",
            message_id(campaign), row.id, None, 0, max_attempts, None, None, False, now, due, None, None))
        recipients.append((campaign.id, row.id, email_id, row.list_id, notice, now))
    with session.connection().connection.driver_connection.cursor() as cursor:
        for table, columns, rows in ((EmailMessage.__tablename__, _OUTBOX, messages),
                                     (CampaignRecipient.__tablename__, _RECIPIENTS, recipients)):
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(values)


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
        raise PermanentJobError(f"not retried: {problem}")
    now = utcnow()
    if campaign.status == CampaignStatus.scheduled:  # its time has come
        record(session, entity=campaign, action="update", actor=Actor(label="system"), field="status",
               old=campaign.status, new=CampaignStatus.sending)
        campaign.status, campaign.started_at = CampaignStatus.sending, now
    due = FAR_FUTURE if campaign.status == CampaignStatus.paused else now
    query = _audience_query(campaign)
    total = session.exec(select(func.count()).select_from(query.subquery())).one() or 1
    session.flush()
    written = 0
    # One pass of the query through a server-side cursor (the rows written meanwhile are not in
    # its snapshot); its chunks are written as they come.
    for chunk in session.execute(query, execution_options={"yield_per": CHUNK}).partitions():
        _write(session, campaign, chunk, due=due, now=now)
        written += len(chunk)
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


def forecast(session: Session, *, campaign: Campaign,
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Before starting: who the audience would be now, and who of them the send-time rule
    (shared/outbox/eligibility.py, the notifier's own check, run on the same facts) would skip and
    why. {"audience": n, "eligible": n, "skipped": {reason: n}}; the rule runs again at send time.
    About 7,000 people a second: a large audience is counted by a job (`run_count_audience`)."""
    skipped: dict[str, int] = {}
    audience = 0
    query = _audience_query(campaign)
    total = (session.exec(select(func.count()).select_from(query.subquery())).one() or 1) if progress else 1
    for chunk in session.execute(query, execution_options={"yield_per": CHUNK}).partitions():
        audience += len(chunk)
        check = BatchCheck([bulk_ref(id=uuid.uuid4(), contact_id=row.id, category=campaign.category.value,
                                     to_address=row.email) for row in chunk])
        rows = session.connection().exec_driver_sql(FORECAST_SQL, check.facts_params | {"campaign": campaign.id})
        for reason in check.reasons(rows).values():
            skipped[reason] = skipped.get(reason, 0) + 1
        if progress:
            progress(min(99, audience * 100 // total))
    return {"audience": audience, "eligible": audience - sum(skipped.values()), "skipped": skipped}


def run_count_audience(session: Session, ctx: JobContext) -> dict[str, Any]:
    """The job `campaigns.count_audience`: payload {"campaign_id": …}; its result is the forecast."""
    campaign = session.get(Campaign, int(ctx.payload["campaign_id"]))
    if campaign is None:
        raise PermanentJobError("the campaign is gone")
    return forecast(session, campaign=campaign, progress=ctx.report_progress)


def sample_people(session: Session, *, campaign: Campaign, limit: int = 20) -> list[tuple[int, str, str]]:
    """(id, first name, last name) of the first people with an address on the campaign's lists, for
    choosing whose details a preview shows."""
    subscribed = select(Subscription.contact_id).where(Subscription.list_id.in_(campaign.list_ids),
                                                       Subscription.status == SubscriptionStatus.subscribed)
    return [tuple(row) for row in session.exec(
        select(Contact.id, Contact.first_name, Contact.last_name)
        .where(Contact.id.in_(subscribed), Contact.email.is_not(None)).order_by(Contact.id).limit(limit)).all()]
