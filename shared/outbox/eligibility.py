"""May this message still be sent? Asked in the transaction that claims it.

Transactional mail (about the person's own request, or to staff) always goes. Marketing and
research mail is checked against the person's state; the campaigns issue adds objections,
restriction, suppression and subscription checks here. Until those tables exist, bulk mail that
names no contact is refused: we never send marketing we cannot check.
"""

from __future__ import annotations

from sqlmodel import Session

from shared.models import EmailCategory, EmailMessage

SKIP_NO_CONTACT = "no_contact"


def may_send(session: Session, message: EmailMessage) -> str | None:
    """None if the message may go; otherwise the reason it is skipped."""
    if message.category == EmailCategory.transactional:
        return None
    if message.contact_id is None:
        return SKIP_NO_CONTACT
    return None
