"""The send-time rules of campaign mail on real PostgreSQL (the production rule the notifier runs,
each answer checked against the oracle in tests/eligibility_oracle.py), and the audience build
they act on."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlmodel import Session, select

import factories
from shared.audit.service import Actor
from shared.campaigns.audience import build_audience
from shared.campaigns.messages import render_stored
from shared.models import (
    Consent,
    Contact,
    EmailCategory,
    EmailMessage,
    EmailStatus,
    Purpose,
    Subscription,
    SubscriptionStatus,
    utcnow,
)
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.outbox.service import enqueue_email
from shared.common.addresses import is_named_address
from shared.common.suppression import suppress
from shared.settings import get_settings

from eligibility_oracle import production_reasons, send_time_reason

ACTOR = Actor(label="test")


def message_for(s: Session, campaign: Campaign, contact: Contact) -> EmailMessage:
    query = (select(EmailMessage).join(CampaignRecipient, CampaignRecipient.email_id == EmailMessage.id)
             .where(CampaignRecipient.campaign_id == campaign.id, CampaignRecipient.contact_id == contact.id))
    return s.exec(query).one()


def rendered_for(s: Session, campaign: Campaign, contact: Contact):
    """The message as the notifier renders it when it claims it (the outbox holds no body before)."""
    return render_stored(s, email_id=message_for(s, campaign, contact).id)


@pytest.fixture
def audience(session):
    """A list, a campaign on it, and a contact who may receive it (consent given)."""
    mailing_list = factories.mailing_list(session)
    contact = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(mailing_list,))
    return mailing_list, contact


def _reason(s: Session, campaign: Campaign, contact: Contact) -> str | None:
    build_audience(s, campaign_id=campaign.id)
    return send_time_reason(s, message_for(s, campaign, contact))


def test_an_eligible_contact_may_receive(session, audience):
    mailing_list, contact = audience
    assert _reason(session, factories.campaign(session, [mailing_list]), contact) is None


@pytest.mark.parametrize("category, objection, expected", [
    (EmailCategory.marketing, "objects_direct_marketing_at", "objected_direct_marketing"),
    (EmailCategory.sister_marketing, "objects_direct_marketing_at", "objected_direct_marketing"),
    (EmailCategory.research, "objects_research_at", "objected_research"),
    (EmailCategory.marketing, "objects_research_at", None),
    (EmailCategory.research, "objects_direct_marketing_at", None),
])
def test_an_objection_stops_its_own_category(session, category, objection, expected):
    mailing_list = factories.mailing_list(session)
    purpose = {EmailCategory.marketing: Purpose.sales_marketing, EmailCategory.research: Purpose.feedback,
               EmailCategory.sister_marketing: Purpose.sister_marketing}[category]
    contact = factories.subscriber(session, consent=purpose, lists=(mailing_list,))
    campaign = factories.campaign(session, [mailing_list], category=category)
    build_audience(session, campaign_id=campaign.id)
    setattr(contact, objection, utcnow())  # after the audience was built: the check before sending still sees it
    session.add(contact)
    session.flush()
    assert send_time_reason(session, message_for(session, campaign, contact)) == expected


def test_restricted_suppressed_unsubscribed_and_deleted_are_skipped(session, audience):
    mailing_list, _ = audience
    restricted = factories.subscriber(session, lists=(mailing_list,), consent=Purpose.sales_marketing, restricted_at=utcnow())
    suppressed = factories.subscriber(session, lists=(mailing_list,), consent=Purpose.sales_marketing)
    left = factories.subscriber(session, lists=(mailing_list,), consent=Purpose.sales_marketing)
    deleted = factories.subscriber(session, lists=(mailing_list,), consent=Purpose.sales_marketing)
    campaign = factories.campaign(session, [mailing_list])
    build_audience(session, campaign_id=campaign.id)
    suppress(session, email=suppressed.email.upper(), reason="bounced")  # the key is the normalized address
    subscription = session.exec(select(Subscription).where(Subscription.contact_id == left.id)).one()
    subscription.status = SubscriptionStatus.unsubscribed
    messages = {c.id: message_for(session, campaign, c) for c in (restricted, suppressed, left, deleted)}
    session.delete(deleted)
    session.flush()
    reasons = {cid: send_time_reason(session, m) for cid, m in messages.items()}
    assert reasons == {restricted.id: "restricted", suppressed.id: "suppressed", left.id: "not_subscribed",
                       deleted.id: "contact_missing"}


def test_another_audience_list_keeps_the_person_in(session):
    first, second = factories.mailing_list(session), factories.mailing_list(session)
    contact = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(first, second))
    campaign = factories.campaign(session, [first, second])
    build_audience(session, campaign_id=campaign.id)
    for subscription in session.exec(select(Subscription).where(Subscription.contact_id == contact.id,
                                                                Subscription.list_id == first.id)):
        subscription.status = SubscriptionStatus.unsubscribed
    session.flush()
    assert send_time_reason(session, message_for(session, campaign, contact)) is None


def test_cancelled_campaign_and_changed_address(session, audience):
    mailing_list, contact = audience
    campaign = factories.campaign(session, [mailing_list])
    build_audience(session, campaign_id=campaign.id)
    message = message_for(session, campaign, contact)
    contact.email = f"uusi.{uuid.uuid4().hex[:8]}@example.fi"
    session.flush()
    assert send_time_reason(session, message) == "address_changed"
    campaign.status = CampaignStatus.cancelled
    session.flush()
    assert send_time_reason(session, message) == "campaign_cancelled"


def test_named_work_address_without_consent_needs_a_role_relevant_campaign(session):
    mailing_list = factories.mailing_list(session)
    named = factories.subscriber(session, lists=(mailing_list,))
    generic = factories.subscriber(session, local="info", lists=(mailing_list,))
    private = factories.subscriber(session, at_company=False, lists=(mailing_list,))
    withdrawn = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(mailing_list,))
    for consent in session.exec(select(Consent).where(Consent.contact_id == withdrawn.id)):
        consent.withdrawn_at = utcnow()
    plain = factories.campaign(session, [mailing_list])
    relevant = factories.campaign(session, [mailing_list], relevant_to_role=True,
                             relevance_justification="Huoltosopimukset koskevat kunnossapitopäälliköiden työtä")
    assert _reason(session, plain, named) == "not_relevant_to_role"
    assert send_time_reason(session, message_for(session, plain, withdrawn)) == "not_relevant_to_role"
    assert send_time_reason(session, message_for(session, plain, generic)) is None
    assert send_time_reason(session, message_for(session, plain, private)) == "no_consent"
    assert _reason(session, relevant, named) is None
    assert send_time_reason(session, message_for(session, relevant, private)) == "no_consent"
    assert is_named_address("matti.virtanen@firma.fi") and not is_named_address("Myynti@firma.fi")


def test_bulk_mail_outside_a_campaign_never_goes(session, audience):
    _, contact = audience
    stray = enqueue_email(session, to_address=contact.email, from_address="x@jetmasters.example", subject="s",
                          body_text="b", category=EmailCategory.marketing, contact_id=contact.id)
    assert send_time_reason(session, stray) == "not_in_campaign"
    stray.contact_id = None
    assert send_time_reason(session, stray) == "no_contact"


def test_the_locked_check_gives_the_reason_and_lets_the_rest_go(session, audience):
    mailing_list, contact = audience
    objector = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(mailing_list,))
    campaign = factories.campaign(session, [mailing_list])
    build_audience(session, campaign_id=campaign.id)
    objector.objects_direct_marketing_at = utcnow()
    session.flush()
    kept, skipped = message_for(session, campaign, contact), message_for(session, campaign, objector)
    assert production_reasons(session, [kept, skipped], lock=True) == {skipped.id: "objected_direct_marketing"}


def test_the_audience_has_one_row_per_person_and_building_twice_adds_none(session):
    first, second = factories.mailing_list(session), factories.mailing_list(session)
    both = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(first, second))
    swedish = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(first,), language="sv")
    no_email = factories.subscriber(session, lists=(first,), email=None)
    pending = factories.subscriber(session, consent=Purpose.sales_marketing)
    session.add(Subscription(list_id=first.id, contact_id=pending.id, source="data_subject",
                             status=SubscriptionStatus.pending))
    campaign = factories.campaign(session, [first, second])
    assert build_audience(session, campaign_id=campaign.id)["recipients"] == 2
    assert build_audience(session, campaign_id=campaign.id)["built"] is False
    campaign.audience_built_at = None  # even a forced second build finds everyone already there
    assert build_audience(session, campaign_id=campaign.id)["recipients"] == 0
    recipients = session.exec(select(CampaignRecipient).where(CampaignRecipient.campaign_id == campaign.id)).all()
    assert sorted(r.contact_id for r in recipients) == sorted([both.id, swedish.id])
    assert no_email.id not in {r.contact_id for r in recipients}
    filtered = factories.campaign(session, [first], audience_filter={"languages": ["sv"]})
    assert build_audience(session, campaign_id=filtered.id)["recipients"] == 1


def test_every_message_carries_sender_opt_out_and_bulk_headers(session, audience, monkeypatch):
    monkeypatch.setenv("REKISTERI_PUBLIC_BASE_URL", "https://rekisteri.jetmasters.example")
    get_settings.cache_clear()
    mailing_list, contact = audience
    english = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(mailing_list,), language="en")
    swedish = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(mailing_list,), language="sv")
    campaign = factories.campaign(session, [mailing_list], reply_to="vastaus@jetmasters.example")
    build_audience(session, campaign_id=campaign.id)
    get_settings.cache_clear()
    message = rendered_for(session, campaign, english)
    url = message.headers["List-Unsubscribe"][1:-1]
    assert message.headers["List-Unsubscribe"] == f"<{url}>" and url.startswith("https://") and "," not in url
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.headers["Precedence"] == "bulk" and message.headers["Reply-To"] == "vastaus@jetmasters.example"
    assert message.from_address == "Jetmasters Oy <markkinointi@jetmasters.example>"
    page = url.replace("/public/unsubscribe/", "/privacy/preferences/") + "?lang=en"  # the visible link: the preference page
    assert message.subject == "Hello Maija" and page in message.body_text and page in message.body_html
    assert message.headers["List-Id"] == f"<list-{mailing_list.id}.jetmasters.example>"  # RFC 2919
    assert message.body_html.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    assert "<title>Hello Maija</title>" in message.body_html and message.body_html.endswith("</body>\n</html>\n")
    assert "Pakkastie 5, 87100 Kajaani" in message.body_text and message_for(session, campaign, english).priority > 0
    assert rendered_for(session, campaign, swedish).subject == "Hei Maija"  # no sv template: the fallback
    assert message_for(session, campaign, swedish).subject == "Hei Maija"  # the subject is in the row already
    assert message.message_id != message_for(session, campaign, swedish).message_id


def test_third_party_data_gets_the_art14_notice_once(session, audience):
    mailing_list, _ = audience
    fonecta = factories.subscriber(session, consent=Purpose.sales_marketing, lists=(mailing_list,), source="directory_service",
                           source_provider="Fonecta", source_received=date(2026, 11, 1))
    first = factories.campaign(session, [mailing_list])
    build_audience(session, campaign_id=first.id)
    rendered = rendered_for(session, first, fonecta)
    assert "Lähde: Fonecta (saatu 1.11.2026)" in rendered.body_text and "kieltää" in rendered.body_text
    message = message_for(session, first, fonecta)
    message.status = EmailStatus.sent
    session.flush()
    second = factories.campaign(session, [mailing_list])
    build_audience(session, campaign_id=second.id)
    assert "Fonecta" not in rendered_for(session, second, fonecta).body_text
