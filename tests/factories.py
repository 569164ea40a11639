"""Small factory functions for the register's rows, for tests that work on a Session: each adds
what it makes, flushes, and returns it. Values are unique per call, so tests never collide; any
field can be given instead.

    company = factories.company(session)
    person = factories.contact(session, company=company, consent=Purpose.sales_marketing)
    newsletter = factories.mailing_list(session)
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
