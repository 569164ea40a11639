"""The partner secret at rest, and the two hooks of subject-request erasure into this issue's code,
as wired in shared/subject_requests/erasure.py: legal holds, and remembering the partners' refs
before an erasure (no stand-ins: the real erasure job runs)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlmodel import Session, select

import shared.subject_requests.erasure as erasure
from shared.audit.service import Actor
from shared.jobs.runner import JobContext
from shared.models import Company, Contact, Disclosure, SubjectRequest
from shared.models.partners import Partner, SubjectRef
from shared.partners import crypto
from shared.retention.holds import LegalHoldCreate, place_hold
from shared.subject_requests.schemas import StaffRequestCreate
from shared.subject_requests.service import create_staff_request
from shared.transfers import files
import factories
from factories import PROVENANCE

OFFICER = Actor(label="user:privacy")


def test_a_sealed_secret_opens_only_untouched_and_under_its_key():
    key = "palvelimen-avain-1234567890"
    token = crypto.seal("jaettu salaisuus ÄÖ", secret=key)
    assert "salaisuus" not in token and token != crypto.seal("jaettu salaisuus ÄÖ", secret=key)  # a fresh nonce
    assert crypto.unseal(token, secret="palvelimen-avain-1234567890") == "jaettu salaisuus ÄÖ"
    with pytest.raises(crypto.SealError):
        crypto.unseal(token, secret="toinen-avain-1234567890")
    prefix, _, body = token.rpartition(":")
    flipped = body[:10] + ("A" if body[10] != "A" else "B") + body[11:]
    with pytest.raises(crypto.SealError):
        crypto.unseal(f"{prefix}:{flipped}", secret="palvelimen-avain-1234567890")
    assert crypto.derived_key("a", secret="s" * 20) != crypto.derived_key("b", secret="s" * 20)
    assert crypto.subject_ref(1, 2) != crypto.subject_ref(2, 1) and len(crypto.subject_ref(1, 2)) == 32


def _disclosed_person(s: Session) -> tuple[Contact, Partner]:
    company = Company(name=f"Yritys {uuid.uuid4().hex[:6]} Oy", status="customer", **PROVENANCE)
    partner = Partner(name=f"Kumppani {uuid.uuid4().hex[:6]} Oy", role="recipient", agreement_reference="S-2",
                      agreement_signed_on=date(2026, 1, 1), purposes=["billing"], fields=["email"],
                      delivery="download")
    s.add_all([company, partner])
    s.flush()
    contact = factories.contact(s, company=company)
    s.add(Disclosure(contact_id=contact.id, recipient=partner.name, recipient_kind="partner", purpose="billing",
                     fields=["email"]))
    s.flush()
    return contact, partner


def _erase(s: Session, contact: Contact) -> SubjectRequest:
    request = create_staff_request(s, data=StaffRequestCreate(
        kind="erasure", channel="letter", verification_method="allekirjoitettu kirje", email=contact.email,
        contact_id=contact.id), actor=OFFICER)
    erasure.run_erasure(s, JobContext(uuid.uuid4(), "subject_requests.erase", {"request_id": str(request.id)}, 1, None))
    return request


def test_an_erasure_request_remembers_the_ref_for_the_deletion_notice(session):
    contact, partner = _disclosed_person(session)
    expected = crypto.subject_ref(partner.id, contact.id)
    request = _erase(session, contact)
    assert request.outcome == "erased"
    [deletion] = session.exec(select(Disclosure).where(Disclosure.request_id == request.id)).all()
    assert deletion.contact_id is None and deletion.kind == "deletion"
    header, rows, unidentified = files.notice_rows(session, partner=partner, notices=[deletion])
    assert unidentified == 0 and rows[0][header.index("ref")] == expected
    assert session.get(SubjectRef, (request.id, partner.name)).ref == expected


def test_a_legal_hold_keeps_the_person_through_an_erasure_request(session):
    contact, _ = _disclosed_person(session)
    place_hold(session, data=LegalHoldCreate(company_id=contact.company_id, reason="Kirjanpitolaki 1336/1997 2:10"),
               actor=OFFICER)
    request = _erase(session, contact)
    assert request.outcome.startswith("erased; kept under legal hold: change_history, consents, contacts")
    session.expire_all()
    kept = session.get(Contact, contact.id)
    assert kept is not None and kept.restriction_reason.startswith("legal hold")
    assert session.exec(select(Disclosure).where(Disclosure.request_id == request.id)).all() == []  # data kept
