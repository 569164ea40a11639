"""The access answer on real PostgreSQL: a person with data in every table, the job run through
the real runner (its own committed sessions), the zip, the email, idempotence, "no data held"."""

from __future__ import annotations

import io
import json
import random
import re
import uuid
import zipfile
from datetime import date

import pytest
from sqlalchemy import delete, event, func, or_
from sqlmodel import Session, select

import factories
from shared.audit.service import Actor, record_access
from shared.auth.service import create_user
from shared.companies.schemas import CompanyCreate
from shared.companies.service import create_company
from shared.contacts.schemas import ConsentCreate, ContactCreate
from shared.contacts.service import create_contact, grant_consent, restrict, update_contact
from shared.feedback.schemas import FeedbackCreate
from shared.feedback.service import create_feedback
from shared.interactions.schemas import InteractionCreate
from shared.interactions.service import create_interaction
from shared.jobs.runner import JobContext, run_job
from shared.jobs.service import create_job
from shared.lists.schemas import MailingListCreate, SubscriptionCreate
from shared.lists.service import create_list, subscribe
from shared.models import (
    AccessExport, AccessRecord, ChangeRecord, Company, Contact, Disclosure, EmailMessage, Job, MailingList,
    Role, SubjectRequest, User, WebEvent, utcnow,
)
from shared.subject_requests.access_export import build_access_export, collect_person_data
from shared.subject_requests.links import check_export_signature
from shared.subject_requests.schemas import StaffRequestCreate
from shared.subject_requests.service import create_staff_request
from shared.web_events.schemas import WebEventIn
from shared.web_events.service import identify_visitor, ingest_events

EVERY_SECTION = {"contact", "company", "consents", "objections", "restriction", "subscriptions", "interactions",
                 "web_events", "feedback", "change_history", "access_log", "disclosures", "subject_requests",
                 "emails", "suppression", "import_files"}


def business_id() -> str:
    """A random valid Y-tunnus (weights 7,9,10,5,8,4,2; remainder 1 has no check digit)."""
    while True:
        digits = [random.randint(0, 9) for _ in range(7)]
        remainder = sum(d * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder != 1:
            return "".join(map(str, digits)) + "-" + str(0 if remainder == 0 else 11 - remainder)


class World:
    """What a test committed, so that it can be removed again (other tests count outbox rows)."""

    def __init__(self, engine):
        self.engine, self.tag = engine, uuid.uuid4().hex[:8]
        self.users, self.companies, self.contacts, self.lists, self.requests, self.jobs = [], [], [], [], [], []
        self.emails: list[str] = []
        self.visitors: list[str] = []

    def cleanup(self) -> None:
        with Session(self.engine) as s:
            s.exec(delete(EmailMessage).where(or_(EmailMessage.to_address.in_(self.emails),
                                                  EmailMessage.contact_id.in_(self.contacts))))
            s.exec(delete(SubjectRequest).where(or_(SubjectRequest.id.in_(self.requests),
                                                    SubjectRequest.email.in_(self.emails))))
            s.exec(delete(Job).where(Job.id.in_(self.jobs)))
            s.exec(delete(ChangeRecord).where(or_(ChangeRecord.contact_id.in_(self.contacts),
                                                  ChangeRecord.company_id.in_(self.companies))))
            s.exec(delete(AccessRecord).where(AccessRecord.contact_ids.overlap(self.contacts or [0])))
            s.exec(delete(Disclosure).where(Disclosure.contact_id.in_(self.contacts)))
            s.exec(delete(WebEvent).where(WebEvent.visitor_id.in_(self.visitors)))
            s.exec(delete(Contact).where(Contact.id.in_(self.contacts)))
            s.exec(delete(Company).where(Company.id.in_(self.companies)))
            s.exec(delete(MailingList).where(MailingList.id.in_(self.lists)))
            s.exec(delete(User).where(User.id.in_(self.users)))
            s.commit()

    def staff(self, s: Session, role: Role = Role.sales) -> Actor:
        user = create_user(s, name=f"{role.value}-{self.tag}-{len(self.users)}", role=role)
        self.users.append(user.id)
        return Actor.user(user.id)

    def company(self, s: Session, actor: Actor, **values) -> Company:
        data = {"name": f"Kone {self.tag} Oy", "business_id": business_id(), "status": "customer",
                "street_address": f"Teollisuuskatu {self.tag}", "city": "Kajaani",
                "legal_basis": "customer_relationship", "purposes": ["sales_marketing"], "source": "data_subject"}
        company = create_company(s, data=CompanyCreate(**{**data, **values}), actor=actor)
        self.companies.append(company.id)
        return company

    def contact(self, s: Session, actor: Actor, *, first: str, last: str, **values) -> Contact:
        email = f"{first.lower()}.{self.tag}@example.fi"
        data = {"first_name": first, "last_name": f"{last}{self.tag}", "email": email,
                "legal_basis": "customer_relationship", "purposes": ["sales_marketing", "customer_service"],
                "source": "directory_service", "source_provider": "Fonecta", "source_received": date(2025, 11, 1)}
        contact = create_contact(s, data=ContactCreate(**{**data, **values}), actor=actor)
        self.contacts.append(contact.id)
        self.emails.append(email)
        return contact

    def events(self, s: Session, visitor: str, *pages: str) -> None:
        self.visitors.append(visitor)
        ingest_events(s, site="jetmasters.fi", events=[WebEventIn(page=p, visitor_id=visitor) for p in pages])

    def access_request(self, *, email: str, language: str) -> SubjectRequest:
        """A verified staff-entered access request with its export job, committed."""
        with Session(self.engine, expire_on_commit=False) as s:
            officer = self.staff(s, Role.privacy)
            request = create_staff_request(s, data=StaffRequestCreate(
                kind="access", email=email, channel="email", verification_method="test", language=language),
                actor=officer)
            s.commit()
        self.requests.append(request.id)
        self.emails.append(email)
        if request.job_id:
            self.jobs.append(request.job_id)
        return request


@pytest.fixture
def world(engine):
    w = World(engine)
    yield w
    w.cleanup()


def build_person(world: World, *, language: str = "en", sole_trader: bool = False) -> dict:
    """A person with data in every table, and a second person at the same company."""
    t = world.tag
    with Session(world.engine, expire_on_commit=False) as s:
        actor = world.staff(s)
        company = world.company(s, actor, sole_trader=sole_trader)
        person = world.contact(s, actor, first="Maija", last="Mäkinen", company_id=company.id, language=language,
                               phone="040 123 4567")
        other = world.contact(s, actor, first="Ville", last="Virtanen", company_id=company.id, phone="050 765 4321")
        update_contact(s, contact=person, changes={"position": "Hankintapäällikkö"}, actor=actor)
        grant_consent(s, contact=person, data=ConsentCreate(purpose="sister_marketing", channel="web",
                                                             evidence=f"form-{t}"), actor=actor)
        mailing_list = create_list(s, data=MailingListCreate(name=f"Uutiskirje {t}"), actor=actor)
        world.lists.append(mailing_list.id)
        subscribe(s, mailing_list=mailing_list, data=SubscriptionCreate(contact_id=person.id, source="data_subject"),
                  actor=actor)
        for contact_id, summary, notes in ((person.id, f"Tapaaminen {t}", "<script>alert(1)</script> huolto"),
                                           (other.id, f"Other-secret {t}", None)):
            create_interaction(s, data=InteractionCreate(kind="meeting", contact_id=contact_id, company_id=company.id,
                                                         summary=summary, notes=notes), actor=actor)
        create_interaction(s, data=InteractionCreate(kind="sales", company_id=company.id,
                                                     summary=f"Company-level offer {t}"), actor=actor)
        world.events(s, f"v-{t}", "https://jetmasters.fi/huolto", "https://jetmasters.fi/hinnasto")
        identify_visitor(s, visitor_id=f"v-{t}", contact_id=person.id, actor=actor)
        world.events(s, f"v-{t}", "https://jetmasters.fi/yhteystiedot")
        world.events(s, f"w-{t}", "https://jetmasters.fi/other-page")
        identify_visitor(s, visitor_id=f"w-{t}", contact_id=other.id, actor=actor)
        for contact_id, text in ((person.id, f"Hyvää palvelua {t}"), (other.id, f"Other feedback {t}")):
            create_feedback(s, data=FeedbackCreate(channel="email", rating=4, text=text, contact_id=contact_id),
                            actor=actor)
        record_access(s, actor=actor, contact_ids=[person.id, other.id], route="GET /v1/contacts")
        record_access(s, actor=actor, contact_ids=[other.id], route="GET /v1/contacts/{contact_id}/history")
        s.add(Disclosure(contact_id=person.id, recipient="Laskutus Oy", recipient_kind="partner", purpose="billing",
                         fields=["first_name", "email"]))
        s.add(Disclosure(contact_id=other.id, recipient=f"Other Partner {t}", recipient_kind="partner",
                         purpose="marketing", fields=["email"]))
        earlier = create_staff_request(s, data=StaffRequestCreate(
            kind="objection", objection_scope="research", email=person.email, channel="letter",
            verification_method="signature compared"), actor=actor)
        world.requests.append(earlier.id)
        restrict(s, contact=person, reason="accuracy contested", actor=actor)
        s.commit()
    return {"person": person, "other": other, "company": company}


def run(engine, job_id) -> None:
    """One attempt of the export job through the real runner; fail with the job's error if it failed."""
    outcome = run_job(job_id, build_access_export)
    if outcome != "succeeded":
        with Session(engine) as s:
            pytest.fail(f"job {outcome}: {s.get(Job, job_id).error}")


def read_export(engine, request_id) -> tuple[AccessExport, dict, str, str, str]:
    """The stored export: the row, data.json parsed and raw, answer.html, README.txt."""
    with Session(engine) as s:
        export = s.exec(select(AccessExport).where(AccessExport.request_id == request_id)).one()
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    assert sorted(archive.namelist()) == ["README.txt", "answer.html", "data.json"]
    raw = archive.read("data.json").decode()
    return export, json.loads(raw), raw, archive.read("answer.html").decode(), archive.read("README.txt").decode()


def mails(engine, email: str) -> list[EmailMessage]:
    with Session(engine) as s:
        return list(s.exec(select(EmailMessage).where(EmailMessage.to_address == email)
                           .order_by(EmailMessage.created_at)).all())


def test_the_answer_holds_everything_about_the_person_and_nothing_about_others(world):
    made = build_person(world, language="en")
    person, other = made["person"], made["other"]
    request = world.access_request(email=person.email, language="en")
    run(world.engine, request.job_id)

    export, doc, raw, html, readme = read_export(world.engine, request.id)
    sections = doc["sections"]
    assert set(sections) == EVERY_SECTION - {"suppression"}, "no suppression entry: objected to research only"
    assert doc["controller"]["business_id"] == "1086291-5" and doc["language"] == "en"
    contact = sections["contact"]
    assert contact["data"]["email"] == person.email and contact["data"]["position"] == "Hankintapäällikkö"
    assert contact["data"]["provenance"]["source_provider"] == "Fonecta"
    assert contact["legal_basis"].startswith("Customer relationship") and contact["source"] == "A directory service"
    assert contact["retention"] == "For the customer relationship and 36 months after it ends"
    assert sections["company"]["data"] == {"name": made["company"].name, "business_id": made["company"].business_id,
                                           "status": "customer", "sole_trader": False}
    assert sections["consents"]["data"][0]["purpose"] == "sister_marketing"
    assert sections["subscriptions"]["data"][0]["list"] == f"Uutiskirje {world.tag}"
    assert [i["summary"] for i in sections["interactions"]["data"]] == [f"Tapaaminen {world.tag}"]
    assert sections["interactions"]["data"][0]["by_role"] == "sales"
    web = sections["web_events"]
    assert len(web["data"]["events"]) == 3 and web["retention"] == "14 months"
    assert web["data"]["visitor_ids"][0]["visitor_id"] == f"v-{world.tag}"
    assert sections["feedback"]["data"][0]["text"] == f"Hyvää palvelua {world.tag}"
    assert sections["feedback"]["retention"] == "36 months"
    history = sections["change_history"]["data"]
    assert {"field": "position", "new_value": "Hankintapäällikkö", "actor": "staff", "role": "sales"}.items() <= \
        next(h for h in history if h["field"] == "position").items()
    assert {h["field"] for h in history} >= {"email", "restricted_at", "objects_research_at", "web_visitor"}
    assert [(a["route"], a["role"], a["count"]) for a in sections["access_log"]["data"]] == \
        [("GET /v1/contacts", "sales", 1)]
    assert sections["access_log"]["retention"] == "24 months"
    assert [(d["recipient"], d["purpose"]) for d in sections["disclosures"]["data"]] == [("Laskutus Oy", "billing")]
    assert [(r["kind"], r["status"]) for r in sections["subject_requests"]["data"]] == [("objection", "completed")]
    assert sections["objections"]["data"]["research"]["since"] and not sections["objections"]["data"][
        "direct_marketing"]["since"]
    assert sections["restriction"]["data"]["reason"] == "accuracy contested"
    assert "Data Protection Ombudsman" in " ".join(doc["rights"])

    for secret in (other.email, other.last_name, "+358507654321", f"Other-secret {world.tag}", f"w-{world.tag}",
                   f"Other feedback {world.tag}", f"Other Partner {world.tag}", "/history",
                   f"Teollisuuskatu {world.tag}", f"Company-level offer {world.tag}"):
        assert secret not in raw and secret not in html, secret
    assert html.startswith('<!doctype html><html lang="en">') and "Answer to your request for access" in html
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Mäkinen" in html and "Laskutus Oy" in html and "Hyvää palvelua" in html
    assert "data.json" in readme and "answer.html" in readme

    with Session(world.engine) as s:
        stored = s.get(SubjectRequest, request.id)
        assert stored.status == "completed" and stored.outcome == "access export ready"
    ready = [m for m in mails(world.engine, person.email) if m.subject == "Your data is ready"]
    assert len(ready) == 1
    link = re.search(r"/privacy/exports/([0-9a-f-]{36})\?expires=(\d+)&sig=([0-9a-f]{64})&lang=en", ready[0].body_text)
    assert link and link.group(1) == str(export.id)
    assert check_export_signature(export.id, int(link.group(2)), link.group(3))
    assert int(link.group(2)) == int(export.expires_at.timestamp())
    assert 6.9 < (export.expires_at - export.created_at).total_seconds() / 86400 <= 7


def test_running_the_job_again_makes_no_second_export_or_email(world):
    person = build_person(world)["person"]
    request = world.access_request(email=person.email, language="en")
    run(world.engine, request.job_id)
    assert run_job(request.job_id, build_access_export) == "skipped"
    with Session(world.engine) as s:  # a duplicate job for the same request (e.g. re-enqueued by hand)
        again = create_job(s, kind="subject_requests.export", payload={"request_id": str(request.id)})
        s.commit()
        world.jobs.append(again.id)
    run(world.engine, again.id)
    with Session(world.engine) as s:
        assert s.exec(select(func.count()).select_from(AccessExport)
                      .where(AccessExport.request_id == request.id)).one() == 1
        assert s.get(Job, again.id).result["skipped"] == "request already completed"
    assert len([m for m in mails(world.engine, person.email) if m.subject == "Your data is ready"]) == 1


@pytest.mark.parametrize(("language", "title", "subject"), [
    ("fi", "Vastaus tietojen tarkastuspyyntöön", "Tietosi ovat ladattavissa"),
    ("sv", "Svar på begäran om registerutdrag", "Dina uppgifter kan laddas ner"),
])
def test_a_sole_traders_firm_is_reported_in_full_in_the_subjects_language(world, language, title, subject):
    made = build_person(world, language=language, sole_trader=True)
    request = world.access_request(email=made["person"].email, language=language)
    run(world.engine, request.job_id)
    _, doc, _, html, readme = read_export(world.engine, request.id)
    company = doc["sections"]["company"]["data"]
    assert company["street_address"] == f"Teollisuuskatu {world.tag}" and company["provenance"]["source"]
    summaries = [i["summary"] for i in doc["sections"]["interactions"]["data"]]
    assert f"Company-level offer {world.tag}" in summaries and f"Other-secret {world.tag}" not in summaries
    assert f'<html lang="{language}">' in html and title in html
    assert ("Luettava vastaus" if language == "fi" else "Läsbart svar") in readme
    assert [m.subject for m in mails(world.engine, made["person"].email)].count(subject) == 1


def test_a_person_not_in_the_register_gets_no_data_held(world):
    email = f"nobody.{world.tag}@example.fi"
    request = world.access_request(email=email, language="fi")
    run(world.engine, request.job_id)
    with Session(world.engine) as s:
        stored = s.get(SubjectRequest, request.id)
        assert stored.status == "completed" and stored.outcome == "no data held"
        assert s.exec(select(AccessExport).where(AccessExport.request_id == request.id)).first() is None
    answers = [m for m in mails(world.engine, email) if m.subject == "Vastaus pyyntöösi"]
    assert len(answers) == 1 and "ei ole sinua koskevia tietoja" in answers[0].body_text


def test_collecting_is_one_query_per_table_however_much_data(session, engine):
    actor = Actor(label="system")
    contact = factories.contact(session, legal_basis="consent")
    for n in range(30):
        create_interaction(session, data=InteractionCreate(kind="call", contact_id=contact.id, summary=f"call {n}"),
                           actor=actor)
    visitor = f"many-{contact.id}"
    identify_visitor(session, visitor_id=visitor, contact_id=contact.id, actor=actor)
    for _ in range(20):  # 20,000 events
        ingest_events(session, site="jetmasters.fi",
                      events=[WebEventIn(page=f"https://jetmasters.fi/p{n}", visitor_id=visitor) for n in range(1000)])
    statements = []
    listener = lambda *args, **kwargs: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        data = collect_person_data(session, contact_id=contact.id, email=contact.email)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(data["interactions"]) == 30 and len(data["web_events"]["events"]) == 20_000
    assert len(statements) <= 16, len(statements)


def test_an_unverified_or_other_request_is_not_answered(session):
    request = SubjectRequest(kind="access", email=f"u.{uuid.uuid4().hex[:8]}@example.fi",
                             status="awaiting_verification", due_at=utcnow())
    session.add(request)
    session.flush()
    ctx = JobContext(job_id=uuid.uuid4(), kind="subject_requests.export", payload={"request_id": str(request.id)},
                     attempt=1, request_id=None)
    assert build_access_export(session, ctx) == {"request_id": str(request.id), "skipped": "request not verified"}
    assert session.exec(select(AccessExport).where(AccessExport.request_id == request.id)).first() is None
