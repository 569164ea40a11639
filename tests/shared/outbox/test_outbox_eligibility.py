"""The notifier's batch check (shared/outbox/eligibility.py, with and without the share lock)
asks exactly the rules of the oracle in tests/eligibility_oracle.py, person by person:
objections per category, restriction, consent and role relevance for work addresses,
suppression, subscription, a changed address, a deleted contact, a cancelled campaign."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import Session, select

from shared.campaigns.audience import build_audience
from shared.models import (
    Company,
    Contact,
    EmailCategory,
    EmailMessage,
    MailingList,
    Purpose,
    Subscription,
    SubscriptionStatus,
    utcnow,
)
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.outbox.service import enqueue_email
from shared.common.suppression import suppress
import factories
from eligibility_oracle import oracle_reason, production_reasons
from notifier_harness import TEMPLATES  # noqa: F401


def _contact(s: Session, mailing_list: MailingList, *, company: Company | None, consent: bool = True,
             subscribed: bool = True, local: str | None = None, **fields) -> Contact:
    email = {"email": f"{local}@example.fi"} if local else {}
    contact = factories.contact(s, company=company, consent=Purpose.sales_marketing if consent else None,
                                **email, **fields)
    factories.subscription(s, contact=contact, mailing_list=mailing_list,
                           status=SubscriptionStatus.subscribed if subscribed else SubscriptionStatus.unsubscribed)
    return contact


@pytest.mark.parametrize("category", [EmailCategory.marketing, EmailCategory.research])
@pytest.mark.parametrize("relevant", [False, True])
def test_the_batch_check_asks_exactly_the_campaign_rules(session, category, relevant):
    mailing_list, company = factories.mailing_list(session), factories.company(session)
    now = utcnow()
    people = [
        _contact(session, mailing_list, company=company),
        _contact(session, mailing_list, company=company, objects_direct_marketing_at=now),
        _contact(session, mailing_list, company=company, objects_research_at=now),
        _contact(session, mailing_list, company=company, restricted_at=now),
        _contact(session, mailing_list, company=company, consent=False),
        _contact(session, mailing_list, company=None, consent=False),
        _contact(session, mailing_list, company=company, consent=False, local=f"info{uuid.uuid4().hex[:4]}"),
        _contact(session, mailing_list, company=company, consent=False, local="info"),
        _contact(session, mailing_list, company=company),  # suppressed below
        _contact(session, mailing_list, company=company),  # leaves the list below
        _contact(session, mailing_list, company=company),  # changes address below
        _contact(session, mailing_list, company=company),  # deleted below
    ]
    campaign = Campaign(name="Vertailu", category=category, status=CampaignStatus.sending, list_ids=[mailing_list.id],
                        sender_name="Jetmasters Oy", sender_email="m@jetmasters.example",
                        sender_postal_address="Pakkastie 5", templates=TEMPLATES, relevant_to_role=relevant,
                        relevance_justification="työhön liittyvä" if relevant else None)
    session.add(campaign)
    session.flush()
    build_audience(session, campaign_id=campaign.id)
    suppress(session, email=people[8].email, reason="complained")
    session.exec(select(Subscription).where(Subscription.contact_id == people[9].id)).one().status = \
        SubscriptionStatus.unsubscribed
    people[10].email = f"uusi.{uuid.uuid4().hex[:6]}@example.fi"
    session.delete(people[11])
    session.flush()
    messages = list(session.exec(select(EmailMessage).join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
                                 .where(CampaignRecipient.campaign_id == campaign.id)).all())
    stray = enqueue_email(session, to_address="x@example.fi", from_address="m@jetmasters.example", subject="s",
                          body_text="b", category=category, contact_id=people[0].id)
    nobody = enqueue_email(session, to_address="y@example.fi", from_address="m@jetmasters.example", subject="s",
                           body_text="b", category=category)
    messages += [stray, nobody]
    expected = {m.id: reason for m in messages if (reason := oracle_reason(session, m)) is not None}
    assert len(set(expected.values())) >= 7
    assert production_reasons(session, messages) == expected
    assert production_reasons(session, messages, lock=True) == expected
    campaign.status = CampaignStatus.cancelled
    session.flush()
    assert production_reasons(session, messages) == {m.id: r for m in messages if (r := oracle_reason(session, m))}
