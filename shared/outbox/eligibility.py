"""May this message still be sent? Asked in the transaction that claims it.

Transactional mail (about the person's own request, or to staff) always goes, even to someone
who objected. Marketing and research mail must name a contact and pass every send-time rule of
shared.campaigns.eligibility (still exists, subscribed, no objection for the category, not
restricted, not suppressed, consent or relevance to the role).
"""

from __future__ import annotations

from sqlmodel import Session

from shared.campaigns.eligibility import check_marketing
from shared.models import EmailCategory, EmailMessage

SKIP_NO_CONTACT = "no_contact"


def may_send(session: Session, message: EmailMessage) -> str | None:
    """None if the message may go; otherwise the reason it is skipped."""
    if message.category == EmailCategory.transactional:
        return None
    if message.contact_id is None:
        return SKIP_NO_CONTACT
    return check_marketing(session, message)
