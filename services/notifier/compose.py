"""Turning an outbox row into the bytes that go over SMTP.

`message_bytes` is the fast path the notifier uses: the headers and MIME parts written directly
(CRLF, UTF-8 text as quoted-printable, non-ASCII header text as RFC 2047 encoded words), about
twenty times cheaper than `email.message.EmailMessage`, which stays here as `build_message`
(the reference the fast path is tested against, and the path for anything unusual such as a
non-ASCII address). Signing is not done here: when a DKIM key is configured, the signer
(services/notifier/signing.py) wraps these finished bytes, bulk-mail headers included.
"""

from __future__ import annotations

import binascii
import functools
import time
import uuid
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, parseaddr

from shared.outbox.service import ClaimedEmail

CRLF = b"\r\n"


class _Verbatim(str):
    """A plain ASCII header value written as it is. The email library would fold a long one
    into RFC 2047 encoded words, which breaks List-Unsubscribe URLs for mail clients."""

    name: str

    def __new__(cls, name: str, value: str) -> _Verbatim:
        if not _plain(name, value):
            raise ValueError("not a plain header value")
        self = super().__new__(cls, value)
        self.name = name
        return self

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _plain(name: str, value: str) -> bool:
    return value.isascii() and "\r" not in value and "\n" not in value and len(name) + len(value) <= 996


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


# --- the fast path ---------------------------------------------------------------------------

class _NotPlain(Exception):
    """Something the fast path leaves to the email library."""


_SPECIALS = frozenset('<>()[]\\,;:"@ \r\n\t')


def _address(value: str) -> str:
    """`Name <addr>` with the name encoded when it is not ASCII; the address must be ASCII."""
    local, at, domain = value.partition("@")
    if at and value.isascii() and not _SPECIALS.intersection(local) and not _SPECIALS.intersection(domain):
        return value  # a bare address (a recipient): nothing to parse
    return _named_address(value)


@functools.lru_cache(maxsize=256)
def _named_address(value: str) -> str:
    name, addr = parseaddr(value)
    if not addr or not addr.isascii() or "@" not in addr or any(c in addr for c in "\r\n<>\" "):
        raise _NotPlain(value)
    return formataddr((name, addr), charset="utf-8") if name else addr


def _text_header(name: str, value: str) -> str:
    if _plain(name, value):
        return value
    if "\r" in value or "\n" in value:
        value = " ".join(value.split())
    return _encoded_words(value)


def _encoded_words(value: str) -> str:
    """RFC 2047 `=?utf-8?b?…?=` words of at most 45 bytes each (never splitting a character),
    one per folded line."""
    words, chunk = [], b""
    for char in value:
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > 45:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    words.append(chunk)
    return "\r\n ".join("=?utf-8?b?" + binascii.b2a_base64(w, newline=False).decode() + "?=" for w in words)


_date_cache: list = [0, ""]


def _date() -> str:
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return _date_cache[1]


def _part(body: str, subtype: str) -> bytes:
    """One text part: 7bit when it is plain ASCII with short lines, else quoted-printable."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    if text.isascii() and max(map(len, text.split("\n"))) <= 998:
        encoding, data = b"7bit", text.encode("ascii")
    else:
        encoding, data = b"quoted-printable", binascii.b2a_qp(text.encode("utf-8"), istext=True)
    return (b"Content-Type: text/" + subtype.encode() + b'; charset="utf-8"\r\nContent-Transfer-Encoding: '
            + encoding + b"\r\n\r\n" + data.replace(b"\n", CRLF))


def fast_bytes(claimed: ClaimedEmail) -> bytes:
    """The message as it goes over the wire (CRLF line ends), without the email library."""
    lines = [
        "From: " + _address(claimed.from_address),
        "To: " + _address(claimed.to_address),
        "Subject: " + _text_header("Subject", claimed.subject),
        "Message-ID: " + claimed.message_id,
        "Date: " + _date(),
    ]
    for name, value in claimed.headers.items():
        if name.lower() in ("reply-to",):
            lines.append(f"{name}: {_address(value)}")
        else:
            lines.append(f"{name}: {_text_header(name, str(value))}")
    lines.append("MIME-Version: 1.0")
    head = ("\r\n".join(lines) + "\r\n").encode("ascii")
    if not claimed.body_html:
        return head + _part(claimed.body_text, "plain")
    boundary = f"===============rk{uuid.uuid4().hex}=="
    marker = b"--" + boundary.encode()
    return (head + b'Content-Type: multipart/alternative; boundary="' + boundary.encode() + b'"\r\n\r\n'
            + marker + CRLF + _part(claimed.body_text, "plain") + CRLF
            + marker + CRLF + _part(claimed.body_html, "html") + CRLF + marker + b"--" + CRLF)


def message_bytes(claimed: ClaimedEmail) -> bytes:
    """The finished bytes of one message: the fast path, or the email library for what it
    cannot write."""
    try:
        return fast_bytes(claimed)
    except (_NotPlain, UnicodeEncodeError):
        return build_message(claimed).as_bytes(policy=SMTP)
