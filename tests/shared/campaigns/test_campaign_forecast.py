"""The count before starting (shared/campaigns/audience.py `forecast`): the audience the build would
write now and whom the send-time rule would skip and why. It asks the notifier's own rule
(shared/outbox/eligibility.py) on the same facts, so after the build the notifier's check gives each
person the same answer, and the oracle of tests/eligibility_oracle.py agrees with both."""

from __future__ import annotations

import uuid
from collections import Counter

from sqlmodel import select

import factories
from eligibility_oracle import production_reasons, send_time_reason
from shared.campaigns.audience import build_audience, forecast
from shared.common.suppression import suppress
from shared.models import EmailCategory, EmailMessage, Purpose, utcnow
from shared.models.campaigns import Campaign, CampaignRecipient

make_list = factories.mailing_list


def make_contact(s, *, local=None, company=True, consent=None, lists=(), **fields):
    unique = uuid.uuid4().hex[:8]
    email = f"info@{unique}.example.fi" if local == "info" else f"maija.maki.{unique}@example.fi"
    contact = factories.contact(s, company=factories.company(s) if company else None, consent=consent,
                                **({"email": email} | fields))
    for mailing_list in lists:
        factories.subscription(s, contact=contact, mailing_list=mailing_list)
    return contact


def make_campaign(s, lists, **fields):
    campaign = Campaign(**({"name": "Kevätkampanja", "list_ids": [m.id for m in lists],
                            "sender_name": "Jetmasters Oy",
                            "sender_email": "markkinointi@jetmasters.example",
                            "sender_postal_address": "Pakkastie 5, 87100 Kajaani", "fallback_language": "fi",
                            "templates": {"fi": {"subject": "Hei {first_name}", "body_text": "Tervehdys"}}} | fields))
    s.add(campaign)
    s.flush()
    return campaign


def message_for(s, campaign, contact) -> EmailMessage:
    return s.exec(select(EmailMessage).join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
                  .where(CampaignRecipient.campaign_id == campaign.id,
                         CampaignRecipient.contact_id == contact.id)).one()


def test_the_forecast_is_the_notifiers_answer_person_by_person(session):
    mailing_list, other_list = make_list(session), make_list(session)
    people = {
        None: make_contact(session, consent=Purpose.sales_marketing, lists=(mailing_list,)),
        "objected_direct_marketing": make_contact(session, consent=Purpose.sales_marketing, lists=(mailing_list,),
                                                  objects_direct_marketing_at=utcnow()),
        "restricted": make_contact(session, consent=Purpose.sales_marketing, lists=(mailing_list,),
                                   restricted_at=utcnow()),
        "suppressed": make_contact(session, consent=Purpose.sales_marketing, lists=(mailing_list,)),
        "no_consent": make_contact(session, company=False, lists=(mailing_list,)),
        "not_relevant_to_role": make_contact(session, lists=(mailing_list,)),
    }
    generic = make_contact(session, local="info", lists=(mailing_list,))  # a company's address: no consent needed
    make_contact(session, consent=Purpose.sales_marketing, lists=(other_list,))  # not in the audience
    make_contact(session, consent=Purpose.sales_marketing, lists=(mailing_list,), email=None)  # no address
    suppress(session, email=people["suppressed"].email, reason="complained")
    campaign = make_campaign(session, [mailing_list], status="draft", category=EmailCategory.marketing)

    told = forecast(session, campaign=campaign)
    expected = Counter(reason for reason in people if reason)
    assert told == {"audience": 7, "eligible": 2, "skipped": dict(expected)}

    campaign.status = "sending"
    session.add(campaign)
    build_audience(session, campaign_id=campaign.id)
    messages = {reason: message_for(session, campaign, contact) for reason, contact in people.items()}
    messages["generic"] = message_for(session, campaign, generic)
    notifier = production_reasons(session, list(messages.values()))
    assert Counter(r for r in notifier.values() if r) == expected
    for reason, message in messages.items():
        assert send_time_reason(session, message) == (reason if reason != "generic" else None)
    assert forecast(session, campaign=campaign)["audience"] == 0  # built: nobody is left to add


def test_a_research_campaign_counts_research_objections(session):
    mailing_list = make_list(session)
    make_contact(session, consent=Purpose.feedback, lists=(mailing_list,), objects_research_at=utcnow())
    make_contact(session, consent=Purpose.feedback, lists=(mailing_list,), objects_direct_marketing_at=utcnow())
    campaign = make_campaign(session, [mailing_list], status="draft", category=EmailCategory.research)
    assert forecast(session, campaign=campaign) == {"audience": 2, "eligible": 1, "skipped": {"objected_research": 1}}
