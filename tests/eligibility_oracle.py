"""The send-time rule a second time, written plainly in the ORM, one message at a time: the
oracle the production rule (shared/outbox/eligibility.py: FACTS_SQL + `_reason`, one query for a
whole batch, run by the notifier) is checked against. Production never runs this module.

`send_time_reason` runs the production rule on one message and asserts that the oracle agrees,
so every test that asks "may this still go?" checks both formulations.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import any_, exists, false
from sqlmodel import Session, select

from shared.models import (
    Consent,
    Contact,
    EmailCategory,
    EmailMessage,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.outbox.eligibility import (
    CONSENT_PURPOSES,
    FACTS_SQL,
    LOCK_CONTACTS_SQL,
    BatchCheck,
    bulk_ref,
)
from shared.common.addresses import is_named_address
from shared.common.suppression import email_hash


def _facts(session: Session, message: EmailMessage):
    purposes = CONSENT_PURPOSES.get(EmailCategory(message.category), ())
    subscribed = exists().where(
        Subscription.contact_id == CampaignRecipient.contact_id,
        Subscription.list_id == any_(Campaign.list_ids),
        Subscription.status == SubscriptionStatus.subscribed,
    )
    suppressed = exists().where(Suppression.email_hash == email_hash(message.to_address))
    consent = exists().where(Consent.contact_id == Contact.id, Consent.withdrawn_at.is_(None),
                             Consent.purpose.in_(purposes)) if purposes else false()
    query = (
        select(Campaign.status, Campaign.relevant_to_role, Contact.id, Contact.email, Contact.company_id,
               Contact.objects_direct_marketing_at, Contact.objects_research_at, Contact.restricted_at,
               subscribed.label("subscribed"), suppressed.label("suppressed"), consent.label("consent"))
        .select_from(CampaignRecipient)
        .join(Campaign, Campaign.id == CampaignRecipient.campaign_id)
        .outerjoin(Contact, Contact.id == CampaignRecipient.contact_id)
        .where(CampaignRecipient.email_id == message.id, CampaignRecipient.contact_id == message.contact_id)
    )
    return session.exec(query).first()


def oracle_reason(session: Session, message: EmailMessage) -> str | None:
    """None if the message may go now; otherwise why it is skipped (the ORM formulation)."""
    if message.category == EmailCategory.transactional:
        return None
    if message.contact_id is None:
        return "no_contact"
    facts = _facts(session, message)
    if facts is None:
        return "not_in_campaign"
    if facts.status == CampaignStatus.cancelled:
        return "campaign_cancelled"
    if facts.id is None:
        return "contact_missing"
    if message.category == EmailCategory.research:
        if facts.objects_research_at is not None:
            return "objected_research"
    elif facts.objects_direct_marketing_at is not None:
        return "objected_direct_marketing"
    if facts.restricted_at is not None:
        return "restricted"
    if facts.suppressed:
        return "suppressed"
    if not facts.subscribed:
        return "not_subscribed"
    if not facts.email or facts.email.lower() != message.to_address.lower():
        return "address_changed"
    if is_named_address(message.to_address) and not facts.consent:
        if facts.company_id is None:
            return "no_consent"
        if not facts.relevant_to_role:
            return "not_relevant_to_role"
    return None


def production_reasons(session: Session, messages: Sequence[EmailMessage], *,
                       lock: bool = False) -> dict[uuid.UUID, str]:
    """The production rule (the statements the notifier runs) on these messages, in the
    session's transaction: the skip reason of each that may not go."""
    session.flush()
    check = BatchCheck([bulk_ref(id=m.id, contact_id=m.contact_id, category=EmailCategory(m.category).value,
                                 to_address=m.to_address) for m in messages])
    if not check.checked:
        return check.known
    conn = session.connection()
    if lock:
        conn.exec_driver_sql(LOCK_CONTACTS_SQL, check.lock_params)
    return check.reasons(conn.exec_driver_sql(FACTS_SQL, check.facts_params).all())


def send_time_reason(session: Session, message: EmailMessage) -> str | None:
    """The production rule's answer for one message, checked against the oracle."""
    reason = production_reasons(session, [message]).get(message.id)
    assert reason == oracle_reason(session, message), (reason, oracle_reason(session, message))
    return reason
