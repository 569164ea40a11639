"""Rows the desk's register pages and their domain tests need (partners, campaign and
transactional messages, unknown outcomes), made on a Session like tests/factories.py: each adds,
flushes and returns. Not a test module: tests import it."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session

import factories
from shared.models import Contact, EmailCategory, EmailMessage, EmailStatus, utcnow
from shared.models.campaigns import Campaign, CampaignRecipient, CampaignStatus
from shared.models.partners import Partner


def number() -> str:
    """A unique tag of digits only: a hex tag in a name can hold an English word ("be") that
    tests/language_check.py would flag in a Finnish page."""
    return str(uuid.uuid4().int % 10**10)


def partner(session: Session, **fields) -> Partner:
    values = {"name": f"Kumppani {number()} Oy", "role": "recipient", "agreement_reference": "S-7",
              "agreement_signed_on": date(2026, 1, 1), "purposes": ["marketing"],
              "fields": ["first_name", "email"], "delivery": "download"}
    return factories._add(session, Partner(**(values | fields)))


def message(session: Session, *, to: Contact | None = None, address: str | None = None,
            category: EmailCategory = EmailCategory.transactional, status: EmailStatus = EmailStatus.sent,
            unknown: bool = False, **fields) -> EmailMessage:
    """A message in the outbox (`unknown`: failed with an unknown outcome, as the notifier leaves it)."""
    values = {"to_address": address or (to.email if to else f"{number()}@example.fi"),
              "from_address": "info@jetmasters.fi", "subject": f"Viesti {number()}",
              "body_text": "Hei", "message_id": f"<{uuid.uuid4().hex}@jetmasters.fi>", "category": category,
              "contact_id": to.id if to else None, "status": EmailStatus.failed if unknown else status,
              "outcome_unknown": unknown, "attempts": 1,
              "handed_over_at": utcnow() if unknown else None,
              "last_error": "outcome unknown: connection lost after the message was handed over; not resent"
              if unknown else None}
    return factories._add(session, EmailMessage(**(values | fields)))


def campaign_message(session: Session, *, to: Contact, name: str | None = None,
                     campaign_status: CampaignStatus = CampaignStatus.sending, **fields) -> EmailMessage:
    """A marketing message of a new campaign to `to`, linked as the campaign's recipient."""
    campaign = factories._add(session, Campaign(
        name=name or f"Kampanja {number()}", category="marketing", status=campaign_status,
        sender_name="Jetmasters Oy", sender_email="info@jetmasters.fi", sender_postal_address="Kajaani"))
    sent = message(session, to=to, category=EmailCategory.marketing, **fields)
    factories._add(session, CampaignRecipient(campaign_id=campaign.id, contact_id=to.id, email_id=sent.id))
    return sent
