"""Committed rows for the desk's register page tests (the pages run in their own transactions):
a person with a campaign answer, a partner, an unknown outcome. Not a test module."""

from __future__ import annotations

from sqlmodel import Session

import factories
import register_rows
from shared.models import Purpose


def committed(engine, make):
    """Run `make(session)` in a committed session; its return value, with ids loaded."""
    with Session(engine, expire_on_commit=False) as s:
        made = make(s)
        s.commit()
        return made


def person(engine, **fields):
    def make(s):
        contact = factories.contact(s, company=factories.company(s), consent=Purpose.sales_marketing, **fields)
        register_rows.campaign_message(s, to=contact, name="Syyskampanja", smtp_reply="250 2.0.0 Ok: queued as X7")
        return contact
    return committed(engine, make)
