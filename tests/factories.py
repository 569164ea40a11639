"""Small factory functions for the register's rows, for tests that work on a Session: each adds
what it makes, flushes, and returns it. Values are unique per call, so tests never collide; any
field can be given instead.

    company = factories.company(session)
    person = factories.contact(session, company=company, consent=Purpose.sales_marketing)
    newsletter = factories.mailing_list(session)
    mail = factories.campaign(session, [newsletter])
    factories.subscription(session, contact=person, mailing_list=newsletter)
"""

from __future__ import annotations

import uuid

from sqlmodel import Session

from shared.models import (
    Channel,
    Company,
    Consent,
    Contact,
    MailingList,
    Purpose,
    Subscription,
    SubscriptionStatus,
)
from shared.models import EmailCategory
from shared.models.campaigns import Campaign, CampaignStatus

# Provenance every register row must carry (legal basis, purposes, source): the API's form.
PROVENANCE = {"legal_basis": "customer_relationship", "purposes": ["sales_marketing"], "source": "data_subject"}


def tag() -> str:
    return uuid.uuid4().hex[:8]


def _add(session: Session, row):
    session.add(row)
    session.flush()
    return row


def company(session: Session, **fields) -> Company:
    return _add(session, Company(**({"name": f"Yritys {tag()} Oy", **PROVENANCE} | fields)))


def contact(session: Session, *, company: Company | None = None, consent: Purpose | None = None,
            email_local: str | None = None, **fields) -> Contact:
    """A contact at `company` (none: a private person), with a unique email at example.fi whose
    local part is `email_local` (default a person's name), and consent for `consent`."""
    unique = tag()
    local = email_local or f"maija.maki.{unique}"
    email = f"{local}@{unique}.example.fi" if email_local else f"{local}@example.fi"
    values = {"first_name": "Maija", "last_name": f"Mäki{unique}", "email": email,
              "company_id": company.id if company else None, **PROVENANCE}
    person = _add(session, Contact(**(values | fields)))
    if consent is not None:
        _add(session, Consent(contact_id=person.id, purpose=consent, channel=Channel.web, evidence="lomake 1"))
    return person


def mailing_list(session: Session, **fields) -> MailingList:
    return _add(session, MailingList(**({"name": f"Uutiskirje {tag()}"} | fields)))


def subscription(session: Session, *, contact: Contact, mailing_list: MailingList,
                 status: SubscriptionStatus = SubscriptionStatus.subscribed, **fields) -> Subscription:
    return _add(session, Subscription(**({"list_id": mailing_list.id, "contact_id": contact.id,
                                          "source": "data_subject", "status": status} | fields)))


# A campaign's templates: Finnish with the company placeholder, English with an HTML part.
TEMPLATES = {"fi": {"subject": "Hei {first_name}", "body_text": "Tervehdys {full_name} / {company}"},
             "en": {"subject": "Hello {first_name}", "body_text": "Greetings {full_name}",
                    "body_html": "<p>Greetings {full_name}</p>"}}


def subscriber(session: Session, *, local: str | None = None, at_company: bool = True,
               consent: Purpose | None = None, lists: tuple[MailingList, ...] = (), **fields) -> Contact:
    """A contact (at a company of their own unless `at_company` is false) subscribed to `lists`;
    `local="info"` gives a role address (info@ a unique domain)."""
    unique = tag()
    email = f"{local or 'maija.maki'}.{unique}@example.fi" if local != "info" else f"info@{unique}.example.fi"
    person = contact(session, company=company(session) if at_company else None, consent=consent,
                     **({"email": email} | fields))
    for each in lists:
        subscription(session, contact=person, mailing_list=each)
    return person


def campaign(session: Session, lists: list[MailingList], *, category=EmailCategory.marketing, **fields) -> Campaign:
    """A campaign on `lists`, already sending (its audience not built)."""
    values = {"name": "Kevätkampanja", "category": category, "status": CampaignStatus.sending,
              "list_ids": [m.id for m in lists], "sender_name": "Jetmasters Oy",
              "sender_email": "markkinointi@jetmasters.example", "sender_postal_address": "Pakkastie 5, 87100 Kajaani",
              "templates": TEMPLATES, "fallback_language": "fi"}
    return _add(session, Campaign(**(values | fields)))
