"""Checking one cell of an import row: the register's own normalizers, with fast paths.

An import checks millions of cells, and `email_validator` and `phonenumbers` take ~15 µs each.
The common shapes (a plain ASCII address; a Finnish mobile number) are recognized here with
one regular expression and give exactly what the full normalizer gives (tests compare both on
generated and hand-picked values); anything else goes to the full normalizer.
Every message names the field and never repeats the value.
"""

from __future__ import annotations

import hmac
import re
from datetime import date

import phonenumbers
from email_validator import SPECIAL_USE_DOMAIN_NAMES

from shared.common.validation import normalize_email, normalize_phone


class Rejected(ValueError):
    """This row cannot be imported; the message is `<field>: <sentence>`."""


def text(value: str, name: str, limit: int | None) -> str | None:
    """A stripped optional text value, refused when longer than the column allows."""
    if limit is not None and len(value) > limit:
        raise Rejected(f"{name}: longer than {limit} characters")
    return value or None


# -- email ----------------------------------------------------------------------------------

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_SIMPLE_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:" + _LABEL + r"\.)+([a-z]{2,63})"
)
_SPECIAL_TLDS = frozenset(d for d in SPECIAL_USE_DOMAIN_NAMES if "." not in d)
_SPECIAL_DOMAINS = tuple(d for d in SPECIAL_USE_DOMAIN_NAMES if "." in d)


def fast_email(value: str) -> str | None:
    """The normalized address when it has the plain ASCII shape, None to ask the full check."""
    lowered = value.lower()
    match = _SIMPLE_EMAIL.fullmatch(lowered)
    if (match is None or len(lowered) > 254 or "--" in lowered.partition("@")[2]
            or match.group(1) in _SPECIAL_TLDS or len(lowered.partition("@")[2]) > 253):
        return None
    if _SPECIAL_DOMAINS and lowered.endswith(_SPECIAL_DOMAINS):
        return None
    return lowered


def email(value: str) -> str:
    """A required email address, normalized like `normalize_email`."""
    if not value:
        raise Rejected("email: required")
    found = fast_email(value)
    if found is not None:
        return found
    try:
        return normalize_email(value)
    except ValueError as exc:
        raise Rejected(f"email: {_redact(str(exc), value)}") from None


def _redact(message: str, value: str) -> str:
    """Remove the address and each of its parts from a validator's message."""
    local, _, domain = value.strip().rpartition("@")
    parts = {value.strip(), local, domain, *local.split("."), *domain.split(".")}
    for part in sorted((p for p in parts if len(p) >= 3), key=len, reverse=True):
        message = message.replace(part, "…")
    return message


def email_digest(normalized_email: str, key: bytes) -> str:
    """`shared.common.suppression.email_hash` of an already normalized address."""
    return hmac.digest(key, normalized_email.encode(), "sha256").hex()


# -- phone ----------------------------------------------------------------------------------

_FI = phonenumbers.PhoneMetadata.metadata_for_region("FI")
_FI_MOBILE = re.compile(_FI.mobile.national_number_pattern)
_FI_GENERAL = re.compile(_FI.general_desc.national_number_pattern)
_PUNCTUATION = str.maketrans("", "", " -")


def fast_phone(value: str) -> str | None:
    """E.164 of a Finnish mobile number written +358…/0… with spaces or hyphens; else None."""
    digits = value.translate(_PUNCTUATION)
    if digits.startswith("+358"):
        national = digits[4:]
    elif digits.startswith("0") and not digits.startswith("00"):
        national = digits[1:]
    else:
        return None
    if _FI_MOBILE.fullmatch(national) and _FI_GENERAL.fullmatch(national):
        return "+358" + national
    return None


def phone(value: str) -> str | None:
    """An optional phone number in E.164 (numbers without a country code are Finnish)."""
    if not value:
        return None
    found = fast_phone(value)
    if found is not None:
        return found
    try:
        return normalize_phone(value)
    except ValueError as exc:
        raise Rejected(f"phone: {exc}") from None


# -- the rest -------------------------------------------------------------------------------

def choice(value: str, name: str, allowed: dict[str, str]) -> str | None:
    """One of the allowed values (matched without case); empty is None."""
    if not value:
        return None
    found = allowed.get(value.lower())
    if found is None:
        raise Rejected(f"{name}: must be one of {', '.join(sorted(set(allowed.values())))}")
    return found


def purposes(value: str, allowed: frozenset[str]) -> list[str] | None:
    """Purposes separated by `|`, `;` or `,`; empty is None."""
    if not value:
        return None
    items = [p.strip().lower() for p in value.replace(";", "|").replace(",", "|").split("|")]
    items = list(dict.fromkeys(p for p in items if p))
    unknown = [p for p in items if p not in allowed]
    if unknown:
        raise Rejected(f"purposes: {len(unknown)} unknown; purposes are {', '.join(sorted(allowed))}")
    return items


_FINNISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def day(value: str, name: str) -> date | None:
    """A date as YYYY-MM-DD or D.M.YYYY; empty is None."""
    if not value:
        return None
    try:
        finnish = _FINNISH_DATE.fullmatch(value)
        if finnish:
            return date(int(finnish.group(3)), int(finnish.group(2)), int(finnish.group(1)))
        return date.fromisoformat(value)
    except ValueError:
        raise Rejected(f"{name}: not a date (use YYYY-MM-DD)") from None


_TRUE = frozenset({"true", "yes", "y", "1", "kyllä", "k", "x", "ja"})
_FALSE = frozenset({"false", "no", "n", "0", "ei", "e", "nej"})


def flag(value: str, name: str) -> bool | None:
    """yes/no in English, Finnish or Swedish; empty is None."""
    if not value:
        return None
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise Rejected(f"{name}: must be yes or no")


_COUNTRY = re.compile(r"[A-Z]{2}")


def country(value: str) -> str | None:
    """A two-letter ISO country code, upper-cased; empty is None."""
    if not value:
        return None
    upper = value.upper()
    if not _COUNTRY.fullmatch(upper):
        raise Rejected("country: must be a two-letter country code such as FI")
    return upper
