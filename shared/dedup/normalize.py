"""Comparable keys of companies and contacts: what two spellings of the same thing share.

Names are compared twice: as written (case, spacing and hyphens aside) and with diacritics
folded (Järvinen / Jarvinen), so that a folded match counts a little less than an exact one.
Company names lose their legal form (Oy, Oyj, Ab, Ky, Tmi, Ltd, Inc …); websites become their
domain; emails split into a sub-address-free local part and a domain; phones become E.164.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from shared.common.addresses import GENERIC_LOCAL_PARTS
from shared.dedup.nicknames import nickname_key
from shared.dedup.phonetic import sound_key, street_parts
from shared.models.dedup import FOLD_FROM, FOLD_TO
from shared.common.validation import normalize_phone

# The same folding as the SQL of the incremental check's index, so a key made here finds its rows.
_FOLD = str.maketrans(FOLD_FROM, FOLD_TO)

LEGAL_FORMS = frozenset({
    "oy", "oyj", "ab", "abp", "ky", "tmi", "ay", "osk", "ry", "ltd", "inc", "llc", "plc", "gmbh", "corp",
    "co", "limited", "ag", "as", "aps", "osakeyhtiö", "osakeyhtio", "kommandiittiyhtiö", "kommandiittiyhtio",
    "avoin", "yhtiö", "yhtio", "toiminimi", "aktiebolag", "julkinen",
})
FREE_MAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "live.com",
                               "yahoo.com", "icloud.com", "luukku.com", "suomi24.fi", "kolumbus.fi"})
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SEPARATORS = re.compile(r"[\s\-'’.]+")
_LOCAL_SPLIT = re.compile(r"[._\-]+")
_DOMAIN = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]*@)?(?:www\d*\.)?([^/:?#]+)", re.IGNORECASE)
_DIGITS = re.compile(r"\D+")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def fold(value: str) -> str:
    """Lower case without diacritics: 'Järvinen' -> 'jarvinen', 'Öhman' -> 'ohman'."""
    lowered = value.lower().translate(_FOLD)
    if lowered.isascii():
        return lowered
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c))


def clean(value: str | None) -> str:
    """Lower case, NFC, single spaces; '' for nothing."""
    if not value:
        return ""
    return " ".join(unicodedata.normalize("NFC", value).lower().split())


def name_key(value: str | None) -> str:
    """A person's name part as written, without case, spaces, hyphens or apostrophes."""
    return _SEPARATORS.sub("", clean(value))


@lru_cache(maxsize=200_000)
def company_name_key(value: str | None) -> str:
    """Words of a company name, folded, without punctuation and legal forms at either end:
    'Kajaanin Kone Oyj' and 'KAJAANIN KONE OY' -> 'kajaanin kone'."""
    words = [w for w in _NOT_WORD.sub(" ", fold(clean(value)).replace("&", " ")).split() if w]
    while words and words[-1] in LEGAL_FORMS:
        words.pop()
    while words and words[0] in LEGAL_FORMS:
        words.pop(0)
    return " ".join(words)


def website_domain(value: str | None) -> str:
    """'https://www.Example.fi/yhteys' -> 'example.fi'."""
    if not value:
        return ""
    match = _DOMAIN.match(value.strip())
    return match.group(1).lower().rstrip(".") if match else ""


class EmailKey(NamedTuple):
    address: str  # the whole address, lower case
    local: str  # the local part without a sub-address (+tag); Gmail without dots
    domain: str
    generic: bool  # info@, myynti@ …: the company's, not a person's

    @property
    def local_words(self) -> str:
        """The local part's words in order of the alphabet: 'virtanen.matti' = 'matti.virtanen'
        (asked of compared pairs only, so not made for every record)."""
        local = self.address.rpartition("@")[0].split("+", 1)[0]
        return ".".join(sorted(w for w in _LOCAL_SPLIT.split(fold(local)) if w))


def local_names(local_words: str) -> str:
    """A local part's words (EmailKey.local_words) as their nickname groups' keys: 'jussi.jarvinen'
    = 'juhani.jarvinen' (one person's mailbox under either name)."""
    return ".".join(sorted(nickname_key(w) for w in local_words.split(".")))


def email_key(value: str | None) -> EmailKey | None:
    """Compared with care: case never matters, a sub-address (matti+news@) is the same mailbox,
    dots matter only where the provider says they do not (Gmail); generic mailboxes are marked."""
    if not value or "@" not in value:
        return None
    address = value.lower() if value[0] != " " and value[-1] != " " else value.strip().lower()
    local, _, domain = address.rpartition("@")
    if "+" in local:
        local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return EmailKey(address, local, domain, local in GENERIC_LOCAL_PARTS)


def phone_key(value: str | None) -> str:
    """E.164 where the number is valid (Finnish without a country code); else its digits."""
    if not value or not value.strip():
        return ""
    if _E164.match(value):  # stored numbers already are
        return value
    try:
        return normalize_phone(value)
    except ValueError:
        digits = _DIGITS.sub("", value)
        return digits if len(digits) >= 6 else ""


@dataclass(slots=True)
class ContactRecord:
    """A contact as the matcher sees it; `id` is the contact's (or the evaluation row's) id."""

    id: int
    first: str
    last: str
    first_f: str
    last_f: str
    email: EmailKey | None
    phone: str
    company: str  # the company's name key
    business_id: str
    position: str
    postcode: str = ""
    restricted: bool = False
    first_n: str = ""  # the folded first name as its nickname group's key (Matti -> matias)
    last_n: str = ""  # the same of the last name (for swapped names)
    first_p: str = ""  # sound keys (shared.dedup.phonetic) of the nickname keys: Kristiina = Christina
    last_p: str = ""
    street: str = ""  # a postal address: the street's name folded, its house number, the rest (stair, flat)
    house: str = ""
    flat: str = ""
    city: str = ""


@dataclass(slots=True)
class CompanyRecord:
    id: int
    name: str  # name key (folded, legal form removed)
    business_id: str
    domain: str
    street: str
    postcode: str
    city: str


def contact_record(*, id: int, first_name: str | None, last_name: str | None, email: str | None = None,
                   phone: str | None = None, company: str | None = None, business_id: str | None = None,
                   position: str | None = None, postcode: str | None = None, street: str | None = None,
                   city: str | None = None, restricted: bool = False) -> ContactRecord:
    """Any of the fields may be missing or empty: the matcher uses what a record has."""
    first, first_f, first_n = person_name(first_name)
    last, last_f, last_n = person_name(last_name)
    street_name, house, flat = street_parts(street)
    return ContactRecord(
        id=id, first=first, last=last, first_f=first_f, last_f=last_f, email=email_key(email),
        phone=phone_key(phone), company=company_name_key(company), business_id=(business_id or "").strip(),
        position=_position(position), postcode=(postcode or "").strip(), restricted=restricted,
        first_n=first_n, last_n=last_n, first_p=sound_key(first_n), last_p=sound_key(last_n),
        street=street_name, house=house, flat=flat, city=_city(city),
    )


@lru_cache(maxsize=300_000)
def person_name(value: str | None) -> tuple[str, str, str]:
    """A name part as written (name_key), folded, and as its nickname group's key. Cached: a
    register of a million holds a few ten thousand distinct names."""
    key = name_key(value)
    folded = fold(key)
    return key, folded, nickname_key(folded)


@lru_cache(maxsize=50_000)
def _city(value: str | None) -> str:
    return fold(clean(value))


@lru_cache(maxsize=50_000)
def _position(value: str | None) -> str:
    return fold(clean(value))


def company_record(*, id: int, name: str | None, business_id: str | None = None, website: str | None = None,
                   street: str | None = None, postcode: str | None = None, city: str | None = None) -> CompanyRecord:
    return CompanyRecord(
        id=id, name=company_name_key(name), business_id=(business_id or "").strip(),
        domain=website_domain(website), street=fold(_NOT_WORD.sub(" ", clean(street))).strip(),
        postcode=(postcode or "").strip(), city=fold(clean(city)),
    )
