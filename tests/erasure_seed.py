"""A person with something in every table that can hold them, for the erasure tests: seeded, erased through a request, and every reference left behind listed."""

from __future__ import annotations

import hashlib
import json
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from sqlalchemy import ARRAY, JSON, Integer, LargeBinary, String, TypeDecorator, text
from sqlmodel import Session
from shared.audit.service import Actor, apply_changes, record_access
from shared.companies.schemas import CompanyCreate
from shared.companies.service import create_company
from shared.contacts.schemas import ConsentCreate, ContactCreate
from shared.contacts.service import create_contact, grant_consent
from shared.feedback.schemas import FeedbackCreate
from shared.feedback.service import create_feedback
from shared.interactions.schemas import InteractionCreate
from shared.interactions.service import create_interaction
from shared.lists.schemas import MailingListCreate, SubscriptionCreate
from shared.lists.service import create_list, subscribe
from shared.models import (AccessExport, Disclosure, EmailStatus,
                           RequestStatus, SubjectRequest, WebEvent, metadata, utcnow)
from shared.outbox.service import enqueue_email
from shared.subject_requests.schemas import StaffRequestCreate
from shared.subject_requests.service import create_staff_request
from shared.web_events.schemas import WebEventIn
from shared.web_events.service import identify_visitor, ingest_events
from factories import PROVENANCE


ACTOR = Actor(label="user:test")


OFFICER = Actor(label="privacy-officer")


@dataclass
class Person:
    """A seeded person: what must vanish (the strings) and where they live (the ids)."""

    first: str
    last: str
    email: str
    digits: str = field(default_factory=lambda: "".join(random.choices(string.digits, k=7)))
    contact_id: int = 0
    company_id: int = 0
    visitor: str = ""
    earlier_request: uuid.UUID | None = None

    @property
    def e164(self) -> str:
        return f"+35840{self.digits}"

    def needles(self) -> list[str]:
        """Name, email and phone (E.164, national compact and national spaced), lower-cased."""
        national = f"040{self.digits}"
        return [s.lower() for s in (self.first, self.last, self.email, self.e164, national, f"040 {self.digits}")]


def new_person(first: str = "Aino", last: str = "Korpela") -> Person:
    tag = "".join(random.choices(string.ascii_lowercase, k=8))
    return Person(first=f"{first}{tag}", last=f"{last}{tag[::-1]}", email=f"{first.lower()}.{tag}@example.fi")


def scanned_columns() -> list[tuple[str, str, str]]:
    """(table, column, SQL reading it as text) for every text, JSON, array and binary column of
    every table the ORM knows; type decorators (SQLModel's AutoString) are judged by their impl."""
    columns = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            kind = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
            if isinstance(kind, LargeBinary):
                columns.append((table.name, column.name, f"encode(\"{column.name}\", 'escape')"))
            elif isinstance(kind, String | JSON | ARRAY):
                columns.append((table.name, column.name, f"CAST(\"{column.name}\" AS text)"))
    return columns


def residue(connection, person: Person) -> dict[str, list[str]]:
    """Every row whose scanned columns hold one of the person's strings (any case; the phone also
    with its digits spaced any way), as {"table.column": [primary keys]}. Bytes are read through
    encode(…, 'escape'), which keeps ASCII; JSON as stored. A new table is covered as it is."""
    params = {f"n{i}": needle for i, needle in enumerate(person.needles())} | {"digits": f"40{person.digits}"}
    hits: dict[str, list[str]] = {}
    for table, column, value in scanned_columns():
        key = next(iter(metadata.tables[table].primary_key.columns)).name
        found = " OR ".join([f"strpos(lower({value}), :{name}) > 0" for name in params if name != "digits"]
                            + [f"strpos(regexp_replace({value}, '[^0-9]', '', 'g'), :digits) > 0"])
        rows = connection.execute(text(f'SELECT CAST("{key}" AS text) FROM "{table}" WHERE {found}'),
                                  params).scalars().all()
        if rows:
            hits[f"{table}.{column}"] = sorted(rows)
    return hits


def references(connection, contact_id: int) -> list[str]:
    """Columns named contact_id / contact_ids that still point at this id, in any table."""
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if column.name == "contact_id" and isinstance(column.type, Integer):
                where = f'"{column.name}" = :id'
            elif column.name == "contact_ids" and isinstance(column.type, ARRAY):
                where = f'"{column.name}" @> ARRAY[CAST(:id AS integer)]'
            else:
                continue
            query = text(f'SELECT 1 FROM "{table.name}" WHERE {where} LIMIT 1')
            if connection.execute(query, {"id": contact_id}).first():
                found.append(f"{table.name}.{column.name}")
    return found


def seed(s: Session, person: Person, *, sole_trader: bool = True, company_id: int | None = None) -> Person:
    """The person with data in every table: company, contact (with history), consent, list,
    interactions, feedback, web events, access log, outbox, disclosures, an earlier request."""
    if company_id is None:
        company_id = create_company(s, data=CompanyCreate(name=f"{person.first} {person.last} Tmi", city="Kajaani",
                                                          sole_trader=sole_trader, **PROVENANCE), actor=ACTOR).id
    contact = create_contact(s, data=ContactCreate(first_name=person.first, last_name=f"{person.last}-Vanha",
                                                   email=person.email, phone="+358401111111", company_id=company_id,
                                                   position="Yrittäjä", **PROVENANCE), actor=ACTOR)
    apply_changes(s, entity=contact, changes={"last_name": person.last, "phone": person.e164}, actor=ACTOR)
    person.contact_id, person.company_id, person.visitor = contact.id, company_id, f"v-{uuid.uuid4().hex}"
    grant_consent(s, contact=contact, data=ConsentCreate(purpose="feedback", channel="web",
                                                         evidence=f"lomake, {person.email}"), actor=ACTOR)
    mailing_list = create_list(s, data=MailingListCreate(name=f"Uutiskirje {uuid.uuid4().hex[:8]}"), actor=ACTOR)
    subscribe(s, mailing_list=mailing_list, data=SubscriptionCreate(contact_id=contact.id, source="data_subject"),
              actor=ACTOR)
    create_interaction(s, data=InteractionCreate(kind="call", contact_id=contact.id, summary=f"Puhelu {person.first}",
                                                 notes=f"Soita takaisin 040 {person.digits}"), actor=ACTOR)
    create_interaction(s, data=InteractionCreate(kind="meeting", company_id=company_id,
                                                 summary=f"Tapaaminen, {person.last}"), actor=ACTOR)
    create_feedback(s, data=FeedbackCreate(channel="email", text=f"Terveisin {person.first} ({person.email})",
                                           contact_id=contact.id), actor=ACTOR)
    ingest_events(s, site="www.jetmasters.fi", events=[WebEventIn(page="/tuotteet", visitor_id=person.visitor)])
    identify_visitor(s, visitor_id=person.visitor, contact_id=contact.id, actor=ACTOR)
    s.add(WebEvent(site="www.jetmasters.fi", page=f"/haku?q={person.last}", visitor_id=person.visitor))
    record_access(s, actor=ACTOR, contact_ids=[contact.id], route="/v1/contacts/{id}")
    for status in (EmailStatus.pending, EmailStatus.sent):
        enqueue_email(s, to_address=person.email, from_address="info@jetmasters.fi", subject="Tarjous",
                      body_text=f"Hei {person.first}!", contact_id=contact.id).status = status
    for fields in (["first_name", "email"], ["phone"]):
        s.add(Disclosure(contact_id=contact.id, recipient="Laskutuspalvelu Oy", recipient_kind="partner",
                         purpose="laskutus", fields=fields))
    s.add(Disclosure(contact_id=contact.id, recipient="Poliisi", recipient_kind="authority", purpose="esitutkinta"))
    earlier = SubjectRequest(kind="access", status=RequestStatus.completed, email=person.email, contact_id=contact.id,
                             name=f"{person.first} {person.last}", free_text=f"puh. {person.e164}", due_at=utcnow(),
                             note=f"soitti {person.first}", proposed_changes={"last_name": person.last})
    s.add(earlier)
    s.flush()
    person.earlier_request = earlier.id
    export = json.dumps({"first_name": person.first, "email": person.email}).encode()
    s.add(AccessExport(request_id=earlier.id, content=export, sha256=hashlib.sha256(export).hexdigest(),
                       expires_at=utcnow() + timedelta(days=7)))
    s.flush()
    return person


def request_erasure(s: Session, person: Person, **extra) -> SubjectRequest:
    data = StaffRequestCreate(kind="erasure", channel="email", verification_method="tunnistettu puhelimessa",
                              email=person.email, name=f"{person.first} {person.last}",
                              free_text=f"Poistakaa tietoni, {person.e164}", note=f"Soitti {person.first}", **extra)
    return create_staff_request(s, data=data, actor=OFFICER)


def snapshot(connection, person: Person) -> dict[str, object]:
    """What the register holds about a person, to show an erasure next to them changed nothing."""
    counts = {t: connection.execute(text(f"SELECT count(*) FROM {t} WHERE contact_id = :id"),
                                    {"id": person.contact_id}).scalar_one()
              for t in ("consents", "subscriptions", "interactions", "feedback", "web_events", "visitor_links",
                        "change_history", "disclosures", "email_outbox")}
    contact = connection.execute(text("SELECT * FROM contacts WHERE id = :id"), {"id": person.contact_id}).one()
    access = connection.execute(text("SELECT count(*) FROM access_log WHERE contact_ids @> ARRAY[CAST(:id AS int)]"),
                                {"id": person.contact_id}).scalar_one()
    return {"contact": tuple(contact), "access_log": access, **counts}
