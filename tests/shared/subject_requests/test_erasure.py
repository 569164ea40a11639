"""Erasure on the real database: a person with data in every table is erased through the job
runner, and a generic scan of every text, JSON, array and binary column the ORM knows finds no
trace of their name, email or phone; the unrelated person next to them is untouched."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

import shared.subject_requests.erasure as erasure
from shared.audit.service import record_access
from shared.companies.schemas import CompanyCreate
from shared.companies.service import create_company
from shared.contacts.schemas import ContactCreate
from shared.contacts.service import create_contact
from shared.jobs.runner import JobContext, run_job
from shared.models import (AccessExport, ChangeRecord, Company, Contact, Disclosure, EmailMessage, Feedback, RequestStatus, SubjectRequest, Suppression, WebEvent)
from shared.common.suppression import email_hash
from shared.subject_requests.erasure import LegalHold, run_erasure
from shared.i18n import LANGUAGES, t
from shared.subject_requests.schemas import StaffRequestCreate
from shared.subject_requests.service import create_staff_request
from erasure_seed import ACTOR, OFFICER, PROVENANCE, new_person, references, request_erasure, residue, scanned_columns, seed, snapshot  # noqa: F401

ERASURE_SUBJECTS = {t("mail.erasure_done.subject", lang) for lang in LANGUAGES}


def test_the_scan_reads_every_textual_column_in_the_database(engine):
    with engine.connect() as conn:
        in_database = set(conn.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name <> 'alembic_version' "
            "AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY', 'bytea')")).all())
    scanned = {(table, column) for table, column, _ in scanned_columns()}
    assert in_database and in_database <= scanned
    assert {("contacts", "email"), ("email_outbox", "to_address"), ("import_uploads", "content")} <= scanned


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
