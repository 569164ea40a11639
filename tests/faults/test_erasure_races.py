"""A race the fault suite found once it ran two workers (seed 8, `REKISTERI_FAULT_WORKERS=2`),
replayed here step by step: an erasure that commits while a transfer's file is on its way to the
partner. The transfer selected the person before the erasure and recorded its disclosure rows
after it: the erased person's id lived on in `disclosures` and the partner, who has the data,
was never sent the Art. 19 deletion notice. Fixed in shared/transfers (d52c264: the transfer
records under the disclosure lock and queues the deletion notice itself); this keeps it fixed."""

from __future__ import annotations

import http.server
import threading
import time
import uuid
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session

from shared.audit.service import Actor
from shared.partners.delivery import DeliveryOptions
from shared.partners.schemas import PartnerCreate, TransferCreate
from shared.partners.service import create_partner
from shared.subject_requests.erasure import erase_person
from shared.transfers.service import create_transfer, deliver_followups, run_transfer
import factories

ACTOR = Actor(label="user:fault-suite")
SECRET = "fault-suite-race-partner-secret-0123456789"


class HeldPartner(http.server.ThreadingHTTPServer):
    """Takes the file in and answers only when `release` is set: the transfer waits meanwhile."""

    def __init__(self):
        self.arrived, self.release = threading.Event(), threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                self.rfile.read(int(self.headers["Content-Length"]))
                self.server.arrived.set()
                self.server.release.wait(30)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def partner_endpoint():
    server = HeldPartner()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def _in_thread(work) -> tuple[threading.Thread, list]:
    errors: list = []

    def run():
        try:
            work()
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


def test_an_erasure_during_a_transfer_leaves_no_id_behind_and_tells_the_partner(engine, partner_endpoint):
    url = f"http://127.0.0.1:{partner_endpoint.server_address[1]}/in"
    tag = uuid.uuid4().hex[:8]
    with Session(engine, expire_on_commit=False) as s:
        partner = create_partner(s, data=PartnerCreate(
            name=f"Laskutus {tag} Oy", role="processor", agreement_reference="DPA-7",
            agreement_signed_on=date(2026, 1, 1), purposes=["billing"], fields=["first_name", "last_name", "email"],
            delivery="https", endpoint_url=url, secret=SECRET), actor=ACTOR)
        company = factories.company(s, name=f"Asiakas {tag} Oy", status="customer")
        person = factories.contact(s, company=company)
        transfer = create_transfer(s, data=TransferCreate(partner_id=partner.id, purpose="billing",
                                                          selection={"company_ids": [company.id]}), actor=ACTOR)
        s.commit()

    def deliver():
        with Session(engine) as s:
            run_transfer(s, transfer_id=transfer.id, options=DeliveryOptions(attempts=1, timeout_seconds=30))
            s.commit()

    erasure_id = uuid.uuid4()

    def erase():
        with Session(engine) as s:
            erase_person(s, contact_id=person.id, email=person.email, request_id=erasure_id)
            s.commit()

    delivering, delivery_errors = _in_thread(deliver)
    assert partner_endpoint.arrived.wait(30), "the file reached the partner"
    erasing, erasure_errors = _in_thread(erase)  # commits while the file is on its way
    time.sleep(1.0)
    partner_endpoint.release.set()
    delivering.join(30)
    erasing.join(30)
    assert not delivery_errors and not erasure_errors, (delivery_errors, erasure_errors)

    with engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM disclosures WHERE contact_id = :id"), {"id": person.id}).scalar()
        told = conn.execute(text("SELECT count(*) FROM disclosures WHERE kind = 'deletion' AND recipient = :partner "
                                 "AND status = 'pending'"), {"partner": partner.name}).scalar()  # the only person
    assert (left, told) == (0, 1), "no disclosure names the erased person; the partner is sent one deletion notice"

    with Session(engine) as s:  # the notice reaches the partner (and leaves nothing pending for other tests)
        deliver_followups(s, options=DeliveryOptions(attempts=1, timeout_seconds=30))
        s.commit()
    with engine.connect() as conn:
        delivered = conn.execute(text("SELECT count(*) FROM disclosures WHERE kind = 'deletion' AND recipient = :partner "
                                      "AND status = 'done'"), {"partner": partner.name}).scalar()
    assert delivered == 1
