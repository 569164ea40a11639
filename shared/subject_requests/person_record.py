"""Everything the register holds about one person, for the desk's person page, in the order an
access answer gives it (shared/subject_requests/notice.py `ORDER`).

It is the access answer's own collection (`access_export.collect_person_data`) and its own notice
texts (`notice.describe`: purposes, legal basis, source, retention per category), so the desk
shows exactly what the person would receive — plus what only staff need: the campaigns the person
received with the mail server's answers, and the state the page's actions depend on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from shared.common.errors import NotFound
from shared.models import Contact, EmailMessage
from shared.models.campaigns import Campaign, CampaignRecipient
from shared.subject_requests import notice
from shared.subject_requests.access_export import collect_person_data


@dataclass(frozen=True)
class PersonRecord:
    contact: Contact
    sections: dict[str, dict[str, Any]]  # category -> notice texts and "data", in the answer's order
    restricted: bool
    lift_notified: bool  # told the restriction will be lifted (Art. 18(3)): it may be lifted now
    objects_direct_marketing: bool
    objects_research: bool


def campaigns_received(session: Session, *, contact_id: int) -> list[dict[str, Any]]:
    """The campaigns sent to the person, newest first, with the SMTP server's last answer."""
    rows = session.execute(
        select(Campaign.name, EmailMessage.sent_at, EmailMessage.status, EmailMessage.smtp_reply,
               EmailMessage.outcome_unknown)
        .select_from(CampaignRecipient)
        .join(Campaign, Campaign.id == CampaignRecipient.campaign_id)
        .join(EmailMessage, EmailMessage.id == CampaignRecipient.email_id)
        .where(CampaignRecipient.contact_id == contact_id)
        .order_by(EmailMessage.created_at.desc())).all()
    return [{"campaign": name, "sent_at": sent_at, "status": status, "smtp_reply": reply,
             "outcome_unknown": unknown} for name, sent_at, status, reply, unknown in rows]


def person_record(session: Session, *, contact_id: int, language: str) -> PersonRecord:
    """The person's data by category with its notice texts in `language` (NotFound if no such contact)."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("no such contact")
    data = collect_person_data(session, contact_id=contact_id, email=None)
    data["campaigns"] = campaigns_received(session, contact_id=contact_id)
    return PersonRecord(
        contact=contact, sections=notice.describe(data, language=language),
        restricted=contact.restricted_at is not None,
        lift_notified=contact.restriction_lift_notified_at is not None,
        objects_direct_marketing=contact.objects_direct_marketing_at is not None,
        objects_research=contact.objects_research_at is not None)
