"""Turning an outbox row into the bytes that go over SMTP."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate

from shared.outbox.service import ClaimedEmail


class _Verbatim(str):
    """A plain ASCII header value written as it is. The email library would fold a long one
    into RFC 2047 encoded words, which breaks List-Unsubscribe URLs for mail clients."""

    name: str

    def __new__(cls, name: str, value: str) -> _Verbatim:
        if not value.isascii() or "\r" in value or "\n" in value or len(name) + len(value) > 996:
            raise ValueError("not a plain header value")
        self = super().__new__(cls, value)
        self.name = name
        return self

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _header(name: str, value: str):
    try:
        return _Verbatim(name, value)
    except ValueError:
        return value  # non-ASCII: the library encodes it properly


def build_message(claimed: ClaimedEmail) -> EmailMessage:
    """The same Message-ID on every attempt, so a retried message is recognisably the same."""
    message = EmailMessage()
    message["From"] = claimed.from_address
    message["To"] = claimed.to_address
    message["Subject"] = claimed.subject
    message["Message-ID"] = claimed.message_id
    message["Date"] = formatdate(localtime=False, usegmt=True)
    for name, value in claimed.headers.items():
        message[name] = _header(name, value)
    message.set_content(claimed.body_text)
    if claimed.body_html:
        message.add_alternative(claimed.body_html, subtype="html")
    return message
