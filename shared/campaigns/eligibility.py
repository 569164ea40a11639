"""May this campaign message still go? Asked for every non-transactional message in the
transaction that claims it (shared.outbox.eligibility.may_send), in one query.

The first rule that fails is the skip reason recorded on the outbox row:
- no_contact, not_in_campaign: bulk mail we cannot check never goes;
- campaign_cancelled;
- contact_missing: deleted or erased since the audience was built;
- objected_direct_marketing (marketing, sister_marketing) / objected_research (research);
- restricted (Art. 18);
- suppressed: the keyed hash of the address is on the suppression list (unsubscribed,
  objected, bounced, complained, erased, manual) — for every bulk category;
- not_subscribed: no longer subscribed to any list of the campaign's audience;
- address_changed: the contact's address is no longer the one the message was built for;
- no_consent / not_relevant_to_role: a named (personal) address without consent for the
  category's purpose gets the message only if it works at a company and the campaign is marked
  relevant to the person's role, with its justification (Information Society Code 917/2014).
  Generic role addresses (info@, myynti@ …) are the company's, not a person's.
"""

from __future__ import annotations

from sqlalchemy import any_, exists, false
from sqlmodel import Session, select

from shared.models import (
    Consent,
    Contact,
    EmailCategory,
    EmailMessage,
    Purpose,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.register.suppression import email_hash

CONSENT_PURPOSES = {
    EmailCategory.marketing: (Purpose.sales_marketing,),
    EmailCategory.sister_marketing: (Purpose.sister_marketing,),
    EmailCategory.research: (Purpose.analysis_development, Purpose.feedback),
}
GENERIC_LOCAL_PARTS = frozenset({
    "info", "infot", "myynti", "sales", "office", "toimisto", "asiakaspalvelu", "customerservice", "service",
    "support", "tuki", "helpdesk", "kirjaamo", "registry", "contact", "yhteys", "hello", "moi", "hei", "posti",
    "mail", "email", "admin", "laskutus", "billing", "invoice", "invoices", "lasku", "laskut", "hr", "rekry",
    "jobs", "careers", "marketing", "markkinointi", "orders", "tilaukset", "order", "palaute", "feedback",
    "reception", "vaihde", "kundservice", "forsaljning", "kontakt", "ostot", "purchasing", "hankinnat",
})


def is_named_address(address: str) -> bool:
    """True for a person's own address (matti.virtanen@…), False for a generic one (info@…)."""
    local = address.rpartition("@")[0].lower().split("+")[0]
    return local not in GENERIC_LOCAL_PARTS


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


def check_marketing(session: Session, message: EmailMessage) -> str | None:
    """None if the campaign message may go now; otherwise why it is skipped."""
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
