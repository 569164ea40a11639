"""Art. 19 follow-ups through the real subject-request flows, and authority disclosures in the
access answer: a person disclosed to a partner and then rectified, restricted or erased produces a
correction / restriction / deletion notice, delivered to the partner's endpoint (signature
verified there) and recorded as a disclosure; the access answer lists what went to whom."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import Session, select
from partner_endpoint import FAST, make_partner, make_person, partner_server, rows_of, transfer_for  # noqa: F401

import shared.subject_requests.erasure as erasure
from shared.audit.service import Actor
from shared.jobs.runner import JobContext
from shared.models import Contact, Disclosure
from shared.partners.schemas import AuthorityDisclosureCreate
from shared.partners.service import record_authority_disclosure
from shared.subject_requests import notice
from shared.subject_requests.access_export import collect_person_data
from shared.subject_requests.schemas import StaffRequestCreate
from shared.subject_requests.service import approve_rectification, create_staff_request
from shared.transfers.service import deliver_followups, run_transfer

OFFICER = Actor(label="user:privacy")


def _staff_request(s: Session, contact: Contact, kind: str, **extra):
    return create_staff_request(s, data=StaffRequestCreate(
        kind=kind, channel="letter", verification_method="allekirjoitettu kirje", email=contact.email,
        contact_id=contact.id, **extra), actor=OFFICER)


def _disclosures(s: Session, **where) -> list[Disclosure]:
    query = select(Disclosure).order_by(Disclosure.id)
    for name, value in where.items():
        query = query.where(getattr(Disclosure, name) == value)
    return list(s.exec(query).all())


def test_rectified_restricted_and_erased_people_produce_notices_to_the_partner(session, partner_server):  # noqa: F811
    partner = make_partner(session, partner_server.url)
    corrected, restricted, erased, untouched = (make_person(session) for _ in range(4))
    people = [corrected, restricted, erased, untouched]
    transfer = transfer_for(session, partner, companies=[p.company_id for p in people])
    assert run_transfer(session, transfer_id=transfer.id, options=FAST)["status"] == "delivered"
    refs = {row["email"]: row["ref"] for row in rows_of(partner_server.received[0])}
    erased_email, erased_id = erased.email, erased.id

    rectification = _staff_request(session, corrected, "rectification", proposed_changes={"last_name": "Oikaistu"})
    approve_rectification(session, request=rectification, changes={"last_name": "Oikaistu"}, actor=OFFICER)
    restriction = _staff_request(session, restricted, "restriction")
    erasure_request = _staff_request(session, erased, "erasure")
    erasure.run_erasure(session, JobContext(uuid.uuid4(), "subject_requests.erase",
                                            {"request_id": str(erasure_request.id)}, 1, None))
    assert (restriction.outcome, erasure_request.outcome) == ("processing restricted", "erased")
    assert session.get(Contact, erased_id) is None

    counts = deliver_followups(session, options=FAST)

    assert (counts["failed"], counts["unidentified"]) == (0, 0) and counts["delivered"] >= 3
    delivery = partner_server.received[-1]  # verified by the partner's endpoint, like every delivery
    assert delivery["headers"]["X-Rekisteri-Kind"] == "followup"
    notices = {row["ref"]: row for row in rows_of(delivery)}
    assert set(notices) == {refs[corrected.email], refs[restricted.email], refs[erased_email]}
    assert notices[refs[corrected.email]]["notice"] == "correction"
    assert notices[refs[corrected.email]]["last_name"] == "Oikaistu"
    assert notices[refs[restricted.email]]["notice"] == "restriction"
    deletion = notices[refs[erased_email]]
    assert deletion["notice"] == "deletion"
    assert [deletion[f] for f in ("first_name", "last_name", "email", "company_name")] == ["", "", "", ""]
    recorded = _disclosures(session, recipient=partner.name)
    assert sorted((d.kind, d.status, d.request_id) for d in recorded if d.kind != "transfer") == sorted([
        ("correction", "done", rectification.id), ("restriction", "done", restriction.id),
        ("deletion", "done", erasure_request.id)])
    assert [d.contact_id for d in recorded if d.kind == "deletion"] == [None]  # names nobody in the register
    assert deliver_followups(session, options=FAST)["delivered"] == 0  # nothing twice

    answer = notice.describe(collect_person_data(session, contact_id=corrected.id, email=None), language="en")
    listed = [(d["recipient"], d["kind"], d["status"]) for d in answer["disclosures"]["data"]]
    assert listed == [(partner.name, "transfer", "done"), (partner.name, "correction", "done")]


def test_an_authority_disclosure_appears_in_the_access_answer(session):
    person = make_person(session)
    other = make_person(session)
    record_authority_disclosure(session, data=AuthorityDisclosureCreate(
        contact_ids=[person.id], authority="Verohallinto", legal_ground="Verotusmenettelylaki 1558/1995 19 §",
        purpose="verovalvonta", fields=["name", "email"], disclosed_at=datetime(2026, 10, 1, tzinfo=UTC)))
    answer = notice.describe(collect_person_data(session, contact_id=person.id, email=None), language="fi")
    assert [(d["recipient"], d["recipient_kind"], d["legal_ground"], d["purpose"])
            for d in answer["disclosures"]["data"]] == [
        ("Verohallinto", "authority", "Verotusmenettelylaki 1558/1995 19 §", "verovalvonta")]
    others = collect_person_data(session, contact_id=other.id, email=None)
    assert others.get("disclosures") in (None, [])
