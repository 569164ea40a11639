"""Whose address is it: a person's own (matti.virtanen@…) or a company's generic one (info@…).
Marketing to a named address needs consent or relevance to the person's role (Information
Society Code 917/2014, shared/outbox/eligibility.py); dedup does not link people through a
generic address (shared/dedup/normalize.py)."""

from __future__ import annotations

GENERIC_LOCAL_PARTS = frozenset({
    "info", "infot", "myynti", "sales", "office", "toimisto", "asiakaspalvelu", "customerservice", "service",
    "support", "tuki", "helpdesk", "kirjaamo", "registry", "contact", "yhteys", "hello", "moi", "hei", "posti",
    "mail", "email", "admin", "laskutus", "billing", "invoice", "invoices", "lasku", "laskut", "hr", "rekry",
    "jobs", "careers", "marketing", "markkinointi", "orders", "tilaukset", "order", "palaute", "feedback",
    "reception", "vaihde", "kundservice", "forsaljning", "kontakt", "ostot", "purchasing", "hankinnat",
})


def is_named_address(address: str) -> bool:
    """True for a person's own address (matti.virtanen@…), False for a generic one (info@…)."""
    local = address.rpartition("@")[0].lower().split("+")[0]
    return local not in GENERIC_LOCAL_PARTS
