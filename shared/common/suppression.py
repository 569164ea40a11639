"""The suppression list: keyed hashes of emails that must never come back into marketing.

The key is the server secret, so the list reveals nothing to someone who reads the table
without it, and an erased person's address is not stored in clear anywhere.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from sqlmodel import Session, select

from shared.models import Suppression
from shared.common.validation import normalize_email
from shared.settings import get_settings

REASONS = frozenset({"unsubscribed", "objected", "bounced", "complained", "erased", "manual"})


# An address whose normalized form is itself lower-cased: ASCII dot-atom characters, an ASCII
# domain of letters, digits, dots and hyphens, no punycode label (normalize_email turns `xn--`
# labels into Unicode). Anything normalize_email rejects falls back to the lower-cased address
# too, so for these the slow path can only give the same answer (tests compare the two).
_PLAIN_ADDRESS = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-z0-9.-]+\Z")


def normalized_for_hash(email: str) -> str:
    plain = email.strip().lower()
    if _PLAIN_ADDRESS.match(plain) and "xn--" not in plain:
        return plain  # the notifier hashes every address it sends to: this skips the validator
    try:
        return normalize_email(email)
    except ValueError:
        return plain


def email_hash(email: str, *, key: str | None = None) -> str:
    """HMAC-SHA256 of the normalized address under the server secret."""
    secret = key if key is not None else get_settings().secret_key.get_secret_value()
    return hmac.new(secret.encode(), normalized_for_hash(email).encode(), hashlib.sha256).hexdigest()


def suppress(session: Session, *, email: str, reason: str) -> Suppression:
    if reason not in REASONS:
        raise ValueError(f"unknown suppression reason {reason!r}")
    digest = email_hash(email)
    existing = session.exec(select(Suppression).where(Suppression.email_hash == digest)).first()
    if existing is not None:
        return existing
    entry = Suppression(email_hash=digest, reason=reason)
    session.add(entry)
    session.flush()
    return entry


def is_suppressed(session: Session, *, email: str) -> bool:
    digest = email_hash(email)
    return session.exec(select(Suppression.id).where(Suppression.email_hash == digest)).first() is not None
