"""Checking and normalizing what the register stores: business IDs, emails, phone numbers.

Each function returns the normalized value or raises ValueError with a sentence a person can
act on — and never repeats the personal value itself in that sentence.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

_BUSINESS_ID = re.compile(r"^(\d{6,7})-(\d)$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(digits: str) -> int | None:
    """The Y-tunnus check digit of seven digits; None when no digit can be valid (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def normalize_business_id(value: str) -> str:
    """`NNNNNNN-C` with a valid check digit; old six-digit IDs are padded with a leading 0."""
    match = _BUSINESS_ID.match(value.strip())
    if not match:
        raise ValueError("a business ID is seven digits, a hyphen and a check digit (e.g. 1086291-5)")
    digits, check = match.group(1).zfill(7), int(match.group(2))
    if business_id_check_digit(digits) != check:
        raise ValueError("the business ID's check digit does not match")
    return f"{digits}-{check}"


def normalize_email(value: str) -> str:
    """Syntax-checked, domain lower-cased and IDNA-normalized, local part lower-cased.

    Lower-casing the local part is a choice: RFC 5321 lets servers distinguish case, but no
    mail system in our market does, and it makes duplicates and suppression keys reliable."""
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {_without_value(str(exc), value)}") from None
    return result.normalized.lower()


def _without_value(message: str, value: str) -> str:
    return message.replace(value.strip(), "the address") if value.strip() else message


def normalize_phone(value: str, *, region: str = "FI") -> str:
    """E.164 (`+358401234567`); numbers without a country code are read as Finnish."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number for its country")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_website(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://", value, re.IGNORECASE):
        value = "https://" + value
    if not re.match(r"^https?://[^\s/$.?#][^\s]*\.[^\s]+$", value, re.IGNORECASE):
        raise ValueError("not a website address")
    return value
