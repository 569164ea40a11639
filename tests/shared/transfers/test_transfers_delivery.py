"""Transfers on real PostgreSQL to a local HTTP server playing the partner: the partner verifies
every delivery's signature, a failure mode forces retries, a marketing transfer never contains an
objector, a disclosed-then-erased person produces a deletion notice through the same channel."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlmodel import select

from shared.models import Disclosure, Job, MailingList, Subscription, utcnow
from shared.models.partners import Transfer, TransferStatus
from shared.partners.schemas import TransferCreate
from shared.common.suppression import suppress
from shared.subject_requests.erasure import erase_person
from shared.subject_requests.followups import queue_partner_followups
from shared.transfers import files
from shared.transfers.service import create_transfer, deliver_followups, run_transfer, schedule_followups
from partner_endpoint import ACTOR, FAST, make_partner, make_person, partner_server, rows_of, transfer_for  # noqa: F401


def test_a_marketing_transfer_is_signed_minimised_and_never_holds_an_objector(session, partner_server):
    partner = make_partner(session, partner_server.url)
    keep = make_person(session)
    objector = make_person(session, objects_direct_marketing_at=utcnow())
    restricted = make_person(session, restricted_at=utcnow())
    suppressed = make_person(session)
    suppress(session, email=suppressed.email, reason="unsubscribed")
    people = [keep, objector, restricted, suppressed]
    transfer = transfer_for(session, partner, companies=[p.company_id for p in people])
    assert transfer.status == TransferStatus.pending and transfer.job_id is not None

    result = run_transfer(session, transfer_id=transfer.id, options=FAST)

    assert result["status"] == "delivered"
    [delivery] = partner_server.received
    rows = rows_of(delivery)
    assert [r["email"] for r in rows] == [keep.email]
    assert list(rows[0]) == ["ref", "first_name", "last_name", "email", "company_name"]  # no phone: not allowed
    assert delivery["headers"]["Idempotency-Key"] == str(transfer.id)
    assert transfer.excluded == {"restricted": 1, "objected_direct_marketing": 1, "suppressed": 1}
    assert (transfer.rows, transfer.attempts, transfer.delivered_at is not None) == (1, 1, True)
    disclosures = session.exec(select(Disclosure).where(Disclosure.request_id == transfer.id)).all()
    assert [(d.contact_id, d.recipient, d.purpose, d.fields, d.kind, d.status) for d in disclosures] == [
        (keep.id, partner.name, "marketing", ["first_name", "last_name", "email", "company_name"], "transfer", "done")]
    assert not files.file_path(transfer.id, transfer.file_format).exists()  # delivered: not kept
    assert run_transfer(session, transfer_id=transfer.id, options=FAST) == {"skipped": "transfer already delivered"}


def test_transient_failures_are_retried_and_a_refusing_partner_is_not(session, partner_server):
    partner = make_partner(session, partner_server.url)
    person = make_person(session)
    partner_server.failures = 2
    transfer = transfer_for(session, partner, companies=[person.company_id])
    assert run_transfer(session, transfer_id=transfer.id, options=FAST)["status"] == "delivered"
    assert (partner_server.attempts, transfer.attempts, len(partner_server.received)) == (3, 3, 1)

    partner_server.attempts, partner_server.failures = 0, 10
    again = transfer_for(session, partner, companies=[person.company_id])
    result = run_transfer(session, transfer_id=again.id, options=FAST)
    assert (result["status"], result["reason"]) == ("failed", "could not deliver: the partner answered HTTP 503 (http), after 3 attempts")

    partner_server.attempts, partner_server.failure_status = 0, 400
    refused = transfer_for(session, partner, companies=[person.company_id])
    result = run_transfer(session, transfer_id=refused.id, options=FAST)
    assert result["reason"] == "could not deliver: the partner answered HTTP 400 (http; not retried)" and partner_server.attempts == 1
    assert session.exec(select(Disclosure).where(Disclosure.request_id.in_([again.id, refused.id]))).all() == []


def test_a_bad_signature_is_refused_by_the_partner(session, partner_server):
    partner = make_partner(session, partner_server.url, secret="x" * 40)  # the partner knows another secret
    person = make_person(session)
    result = run_transfer(session, transfer_id=transfer_for(session, partner, companies=[person.company_id]).id,
                          options=FAST)
    assert result["reason"] == "could not deliver: the partner answered HTTP 401 (http; not retried)" and partner_server.received == []


@pytest.mark.parametrize(("overrides", "purpose", "fields", "reason"), [
    ({"agreement_expires_on": date(2026, 2, 1)}, "marketing", None, "expired on 2026-02-01"),
    ({"agreement_signed_on": date(2099, 1, 1)}, "marketing", None, "is not in force until 2099-01-01"),
    ({}, "research", None, "does not cover the purpose 'research'"),
    ({}, "marketing", ["phone"], "may not receive: phone"),
    ({"active": False}, "marketing", None, "not active"),
])
def test_a_refused_transfer_says_why(session, partner_server, overrides, purpose, fields, reason):
    partner = make_partner(session, partner_server.url, **overrides)
    transfer = transfer_for(session, partner, purpose=purpose, fields=fields)
    assert transfer.status == TransferStatus.refused and reason in transfer.reason and transfer.job_id is None


def test_billing_goes_only_to_customers_and_json_works(session, partner_server):
    partner = make_partner(session, partner_server.url, file_format="json")
    customer, prospect = make_person(session), make_person(session, status="prospect")
    transfer = transfer_for(session, partner, purpose="billing", companies=[customer.company_id, prospect.company_id])
    assert run_transfer(session, transfer_id=transfer.id, options=FAST)["status"] == "delivered"
    document = json.loads(partner_server.received[0]["body"])
    assert [row["email"] for row in document["rows"]] == [customer.email]
    assert document["purpose"] == "billing" and transfer.excluded == {"restricted": 0, "not_a_customer": 1}


def test_the_selection_narrows_by_list_status_and_language(session, partner_server):
    partner = make_partner(session, partner_server.url, fields=["email", "language"])
    listed, other_language, unlisted = make_person(session), make_person(session, language="sv"), make_person(session)
    mailing_list = MailingList(name=f"Asiakaslehti {uuid.uuid4().hex[:6]}")
    session.add(mailing_list)
    session.flush()
    for person in (listed, other_language):
        session.add(Subscription(list_id=mailing_list.id, contact_id=person.id, source="data_subject"))
    session.flush()
    selection = {"list_ids": [mailing_list.id], "company_statuses": ["customer"], "languages": ["fi"],
                 "company_ids": [p.company_id for p in (listed, other_language, unlisted)]}
    transfer = create_transfer(session, data=TransferCreate(partner_id=partner.id, purpose="marketing",
                                                            selection=selection), actor=ACTOR)
    run_transfer(session, transfer_id=transfer.id, options=FAST)
    assert rows_of(partner_server.received[0]) == [{"ref": rows_of(partner_server.received[0])[0]["ref"],
                                                    "email": listed.email, "language": "fi"}]


def test_disclosed_then_erased_or_corrected_people_produce_notices(session, partner_server):
    partner = make_partner(session, partner_server.url)
    erased, corrected, untouched = make_person(session), make_person(session), make_person(session)
    transfer = transfer_for(session, partner, companies=[erased.company_id, corrected.company_id,
                                                         untouched.company_id])
    run_transfer(session, transfer_id=transfer.id, options=FAST)
    refs = {row["email"]: row["ref"] for row in rows_of(partner_server.received[0])}

    erase_person(session, contact_id=erased.id, email=None, request_id=uuid.uuid4())  # remembers the refs first
    corrected.last_name = "Uusi-Nimi"
    session.add(corrected)
    queue_partner_followups(session, contact_id=corrected.id, kind="correction", request_id=uuid.uuid4())

    counts = deliver_followups(session, options=FAST)  # (notices of other tests may wait without a channel)
    assert (counts["delivered"], counts["failed"], counts["unidentified"]) == (2, 0, 0)
    notices = {row["notice"]: row for row in rows_of(partner_server.received[1])}
    assert notices["deletion"]["ref"] == refs[erased.email] and notices["deletion"]["email"] == ""
    assert notices["correction"]["ref"] == refs[corrected.email]
    assert notices["correction"]["last_name"] == "Uusi-Nimi" and notices["correction"]["email"] == corrected.email
    assert partner_server.received[1]["headers"]["X-Rekisteri-Kind"] == "followup"
    followups = session.exec(select(Disclosure).where(Disclosure.recipient == partner.name,
                                                      Disclosure.kind != "transfer")).all()
    assert sorted((d.kind, d.status) for d in followups) == [("correction", "done"), ("deletion", "done")]
    assert deliver_followups(session, options=FAST)["delivered"] == 0  # nothing twice
    kinds = session.exec(select(Transfer.kind).where(Transfer.partner_id == partner.id)).all()
    assert sorted(kinds) == ["followup", "transfer"]


def test_followup_deliveries_are_scheduled_once(session, partner_server):
    partner = make_partner(session, partner_server.url)
    person = make_person(session)
    run_transfer(session, transfer_id=transfer_for(session, partner, companies=[person.company_id]).id, options=FAST)
    queue_partner_followups(session, contact_id=person.id, kind="restriction", request_id=uuid.uuid4())
    schedule_followups(session)
    assert schedule_followups(session) is None
    jobs = session.exec(select(Job).where(Job.kind == "transfers.run", Job.status == "pending")).all()
    assert [job.queue for job in jobs if job.payload == {"followups": True}] == ["bulk"]


def test_followups_wait_while_the_partner_is_down(session, partner_server):
    partner = make_partner(session, partner_server.url)
    person = make_person(session)
    run_transfer(session, transfer_id=transfer_for(session, partner, companies=[person.company_id]).id, options=FAST)
    queue_partner_followups(session, contact_id=person.id, kind="restriction", request_id=uuid.uuid4())
    partner_server.failures = 100
    assert deliver_followups(session, options=FAST)["failed"] == 1
    partner_server.failures = 0
    assert deliver_followups(session, options=FAST)["delivered"] == 1
    assert rows_of(partner_server.received[-1])[0]["notice"] == "restriction"
