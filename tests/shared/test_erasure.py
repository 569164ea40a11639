"""Erasure on the real database: a person with data in every table is erased through the job
runner, and a generic scan of every text, JSON, array and binary column the ORM knows finds no
trace of their name, email or phone; the unrelated person next to them is untouched."""

from __future__ import annotations

import hashlib
import json
import random
import string
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import ARRAY, JSON, Integer, LargeBinary, String, TypeDecorator, text
from sqlmodel import Session, select

import shared.subject_requests.erasure as erasure
from shared.audit.service import Actor, apply_changes, record_access
from shared.companies.schemas import CompanyCreate
from shared.companies.service import create_company
from shared.contacts.schemas import ConsentCreate, ContactCreate
from shared.contacts.service import create_contact, grant_consent
from shared.feedback.schemas import FeedbackCreate
from shared.feedback.service import create_feedback
from shared.interactions.schemas import InteractionCreate
from shared.interactions.service import create_interaction
from shared.jobs.runner import JobContext, run_job
from shared.lists.schemas import MailingListCreate, SubscriptionCreate
from shared.lists.service import create_list, subscribe
from shared.models import (AccessExport, ChangeRecord, Company, Contact, Disclosure, EmailMessage, EmailStatus,
                           Feedback, RequestStatus, SubjectRequest, Suppression, WebEvent, metadata, utcnow)
from shared.outbox.service import enqueue_email
from shared.common.suppression import email_hash
from shared.subject_requests.erasure import LegalHold, run_erasure
from shared.i18n import LANGUAGES, t
from shared.subject_requests.schemas import StaffRequestCreate
from shared.subject_requests.service import create_staff_request
from shared.web_events.schemas import WebEventIn
from shared.web_events.service import identify_visitor, ingest_events

ACTOR = Actor(label="user:test")
OFFICER = Actor(label="privacy-officer")
PROVENANCE = {"legal_basis": "customer_relationship", "purposes": ["sales_marketing"], "source": "data_subject"}
ERASURE_SUBJECTS = {t("mail.erasure_done.subject", lang) for lang in LANGUAGES}


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


def test_the_scan_reads_every_textual_column_in_the_database(engine):
    with engine.connect() as conn:
        in_database = set(conn.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name <> 'alembic_version' "
            "AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'bytea')")).all())
    scanned = {(table, column) for table, column, _ in scanned_columns()}
    assert in_database and in_database <= scanned
    assert {("contacts", "email"), ("email_outbox", "to_address"), ("import_uploads", "content")} <= scanned


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


def ctx_for(request: SubjectRequest) -> JobContext:
    return JobContext(uuid.uuid4(), "subject_requests.erase", {"request_id": str(request.id)}, 1, None)


def test_erasure_leaves_no_trace_in_any_table(engine):
    person, other = new_person(), new_person("Eero", "Mäkinen")
    with Session(engine, expire_on_commit=False) as s:
        shared_company = create_company(s, data=CompanyCreate(name=f"Konepaja {uuid.uuid4().hex[:6]} Oy",
                                                              **PROVENANCE), actor=ACTOR).id
        seed(s, other, company_id=shared_company)
        seed(s, person)
        record_access(s, actor=ACTOR, contact_ids=[person.contact_id, other.contact_id], route="/v1/contacts")
        request = request_erasure(s, person)
        s.commit()
    with engine.connect() as conn:
        before = snapshot(conn, other)
        seen = {hit.split(".")[0] for hit in residue(conn, person)}  # the scan sees the person everywhere
        assert seen >= {"companies", "contacts", "change_history", "consents", "interactions", "feedback",
                        "web_events", "email_outbox", "subject_requests", "access_exports"}

    assert run_job(request.job_id, run_erasure) == "succeeded"

    with engine.connect() as conn:
        hits = residue(conn, person)
        [confirmation] = conn.execute(text("SELECT CAST(id AS text) FROM email_outbox WHERE to_address = :a"),
                                      {"a": person.email}).scalars().all()
        # Only the confirmation and the request it answers hold the address (see erasure.py's docstring).
        assert hits == {"email_outbox.to_address": [confirmation], "subject_requests.email": [str(request.id)]}
        assert references(conn, person.contact_id) == []
        assert snapshot(conn, other) == before
        assert residue(conn, other)  # the unrelated person is still findable
    with Session(engine) as s:
        done = s.get(SubjectRequest, request.id)
        assert (done.status, done.outcome, done.name, done.free_text, done.note) == ("completed", "erased",
                                                                                     None, None, None)
        mail = s.exec(select(EmailMessage).where(EmailMessage.to_address == person.email)).one()
        assert mail.subject in ERASURE_SUBJECTS and mail.contact_id is None
        assert mail.headers["X-Rekisteri-Request"] == str(request.id)
        assert s.get(Company, person.company_id) is None and s.get(Company, shared_company) is not None
        assert s.exec(select(Suppression).where(Suppression.email_hash == email_hash(person.email))).one().reason \
            == "erased"
        audit = s.exec(select(ChangeRecord).where(ChangeRecord.reason == str(request.id))).one()
        assert (audit.entity, audit.entity_id, audit.action, audit.contact_id, audit.old_value, audit.new_value) \
            == ("contacts", 0, "erasure", None, None, None)
        followups = s.exec(select(Disclosure).where(Disclosure.request_id == request.id)).all()
        assert [(d.recipient, d.kind, d.status, d.contact_id, d.fields) for d in followups] == [
            ("Laskutuspalvelu Oy", "deletion", "pending", None, ["email", "first_name", "phone"])]
        earlier = s.get(SubjectRequest, person.earlier_request)
        assert (earlier.email, earlier.name, earlier.free_text, earlier.note, earlier.contact_id,
                earlier.proposed_changes) == (None,) * 6
        assert s.exec(select(AccessExport).where(AccessExport.request_id == earlier.id)).first() is None
    # Running the job again (a duplicate message) does nothing: still one confirmation.
    assert run_job(request.job_id, run_erasure) == "skipped"
    with Session(engine) as s:
        assert run_erasure(s, ctx_for(request)) == {"skipped": "request already completed"}
        assert len(s.exec(select(EmailMessage).where(EmailMessage.to_address == person.email)).all()) == 1


def _counts(session: Session, model, **where) -> int:
    session.expire_all()
    query = select(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return len(session.exec(query).all())


def test_a_sole_trader_company_with_other_contacts_is_kept(session):
    person = seed(session, new_person())
    colleague = create_contact(session, data=ContactCreate(first_name="Toinen", last_name="Henkilö",
                                                           company_id=person.company_id, **PROVENANCE), actor=ACTOR)
    request = request_erasure(session, person)
    result = run_erasure(session, ctx_for(request))
    assert result["outcome"] == "erased" and result["counts"]["contacts"] == 1
    assert "companies" not in result["counts"]
    assert _counts(session, Company, id=person.company_id) == 1
    assert _counts(session, Contact, id=colleague.id) == 1 and _counts(session, Contact, id=person.contact_id) == 0


def test_a_company_that_is_not_a_sole_trader_is_kept(session):
    person = seed(session, new_person(), sole_trader=False)
    run_erasure(session, ctx_for(request_erasure(session, person)))
    assert _counts(session, Company, id=person.company_id) == 1
    assert _counts(session, WebEvent, visitor_id=person.visitor) == 0


def test_someone_not_in_the_register_is_told_so_and_still_suppressed(session):
    stranger = new_person("Outo", "Tuntematon")
    request = request_erasure(session, stranger)
    assert request.contact_id is None
    assert run_erasure(session, ctx_for(request))["outcome"] == "no data held"
    session.expire_all()
    assert session.get(SubjectRequest, request.id).outcome == "no data held"
    [mail] = session.exec(select(EmailMessage).where(EmailMessage.to_address == stranger.email)).all()
    assert mail.subject in {t("mail.no_data.subject", lang) for lang in LANGUAGES}
    assert session.exec(select(Suppression).where(Suppression.email_hash == email_hash(stranger.email))).one()
    assert session.exec(select(ChangeRecord).where(ChangeRecord.reason == str(request.id))).one().action == "erasure"


def test_a_letter_without_email_erases_by_contact_and_suppresses_its_address(session):
    person = seed(session, new_person())
    data = StaffRequestCreate(kind="erasure", channel="letter", verification_method="kirje, allekirjoitus",
                              contact_id=person.contact_id)
    request = create_staff_request(session, data=data, actor=OFFICER)
    assert run_erasure(session, ctx_for(request))["outcome"] == "erased"
    assert _counts(session, Contact, id=person.contact_id) == 0
    assert _counts(session, EmailMessage, to_address=person.email) == 0  # nowhere to send the confirmation
    assert _counts(session, Suppression, email_hash=email_hash(person.email)) == 1


def test_data_under_a_legal_hold_is_kept_and_the_reason_told(session, monkeypatch):
    assert erasure.legal_holds(session, contact_id=1) == []  # the hook: no holds until that issue
    hold = LegalHold(table="feedback", reason="kirjanpitolaki 2:10 §")
    monkeypatch.setattr(erasure, "legal_holds", lambda session, contact_id: [hold])
    person = seed(session, new_person())
    request = request_erasure(session, person)
    result = run_erasure(session, ctx_for(request))
    assert result["held"] == ["feedback"] and "feedback" not in result["counts"]
    # The contact row stays too (deleting it would cascade into the held feedback); the rest goes.
    assert _counts(session, Feedback, contact_id=person.contact_id) == 1
    assert _counts(session, Contact, id=person.contact_id) == 1
    assert _counts(session, WebEvent, visitor_id=person.visitor) == 0
    mail = session.exec(select(EmailMessage).where(EmailMessage.to_address == person.email)).one()
    assert "– palautteet. Peruste: kirjanpitolaki 2:10 §" in mail.body_text  # the held data by its label, and why
    assert session.get(SubjectRequest, request.id).outcome == "erased; kept under legal hold: feedback"


@pytest.mark.parametrize("status", ["cancelled", "rejected"])
def test_a_finished_request_is_not_acted_on(session, status):
    person = seed(session, new_person())
    request = request_erasure(session, person)
    request.status = RequestStatus(status)
    assert run_erasure(session, ctx_for(request)) == {"skipped": f"request already {status}"}
    assert _counts(session, Contact, id=person.contact_id) == 1
