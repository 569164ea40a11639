"""Committed rows for the desk's register page tests (the pages run in their own transactions):
a person with a campaign answer, a partner, an unknown outcome, a pair of duplicates. Not a test
module."""

from __future__ import annotations

import uuid

from sqlmodel import Session, select

import factories
import register_rows
from shared.dedup.incremental import check_records
from shared.models import Purpose
from shared.models.dedup import DedupCandidate


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


def twins(engine, tag: str):
    """Two records of one person, 'Jääskeläinen Mäkinen<tag>' and a newer 'Jaaskelainen Makinen<tag>'
    with one phone and one company, and the group the incremental check puts in the review queue."""
    number = f"+35840{int(uuid.uuid4().int % 10**7):07d}"

    def make(s):
        company = factories.company(s)
        first = factories.contact(s, company=company, first_name="Jääskeläinen", last_name=f"Mäkinen{tag}",
                                  phone=number, position="Ostopäällikkö")
        second = factories.contact(s, company=company, first_name="Jaaskelainen", last_name=f"Makinen{tag}",
                                   phone=number, position="Myyntipäällikkö")
        check_records(s, entity="contacts", ids=[second.id])
        group = s.exec(select(DedupCandidate).where(DedupCandidate.member_key.contains(str(second.id)))).one()
        return first, second, group
    return committed(engine, make)
