"""Turning an outbox row into the bytes that go over SMTP."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from shared.outbox.service import ClaimedEmail


def build_message(claimed: ClaimedEmail) -> EmailMessage:
    """The same Message-ID on every attempt, so a retried message is recognisably the same."""
    message = EmailMessage()
    message["From"] = claimed.from_address
    message["To"] = claimed.to_address
    message["Subject"] = claimed.subject
    message["Message-ID"] = claimed.message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    for name, value in claimed.headers.items():
        message[name] = value
    message.set_content(claimed.body_text)
    if claimed.body_html:
        message.add_alternative(claimed.body_html, subtype="html")
    return message
