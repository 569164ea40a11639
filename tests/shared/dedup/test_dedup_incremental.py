"""The duplicate check before saving (the desk's "new" forms): the likely duplicates a record would
have, found as the create warning finds them, and nothing stored — not the record, not its history."""

from __future__ import annotations

import random
import uuid

import pytest
from sqlmodel import select

from factories import PROVENANCE
from shared.audit.service import Actor
from shared.common.errors import Conflict
from shared.contacts.schemas import ContactCreate
from shared.contacts.service import create_contact
from shared.dedup.incremental import likely_duplicates, likely_duplicates_before_saving
from shared.models import ChangeRecord, Contact

ACTOR = Actor(label="user:test")


def data(last: str, phone: str, email: str) -> ContactCreate:
    return ContactCreate(first_name="Maija", last_name=last, phone=phone, email=email, **PROVENANCE)


def test_the_duplicates_are_found_and_nothing_is_stored(session):
    last, phone = f"Mäkinen{uuid.uuid4().hex[:6]}", f"+35840{random.randrange(1_000_000, 9_999_999)}"
    twin = create_contact(session, data=data(last, phone, f"{uuid.uuid4().hex[:8]}@example.fi"), actor=ACTOR)
    session.flush()
    later = data(last.replace("ä", "a"), phone, f"{uuid.uuid4().hex[:8]}@example.fi")
    before = session.exec(select(ChangeRecord.id).order_by(ChangeRecord.id.desc())).first()
    [found] = likely_duplicates_before_saving(session, create=lambda: create_contact(session, data=later, actor=ACTOR))
    assert found.id == twin.id and found.score > 0.9
    assert session.exec(select(Contact).where(Contact.last_name == later.last_name)).first() is None
    assert session.exec(select(ChangeRecord.id).order_by(ChangeRecord.id.desc())).first() == before
    made = create_contact(session, data=later, actor=ACTOR)  # saved when confirmed: the same warning as the API's
    session.flush()
    assert [d.id for d in likely_duplicates(session, contact=made)] == [twin.id]


def test_a_refusal_of_the_create_passes_to_the_caller_and_leaves_nothing(session):
    email = f"{uuid.uuid4().hex[:8]}@example.fi"
    create_contact(session, data=data("Virtanen", "+358401112222", email), actor=ACTOR)
    with pytest.raises(Conflict):
        likely_duplicates_before_saving(session, create=lambda: create_contact(
            session, data=data("Virtanen", "+358401112222", email), actor=ACTOR))
    assert len(session.exec(select(Contact).where(Contact.email == email)).all()) == 1
