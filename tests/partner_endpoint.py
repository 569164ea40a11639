"""A partner's receiving endpoint for transfer tests: a local HTTP(S) server that verifies each signature and can fail on purpose, a partner and a person to send it, and the rows it received."""

from __future__ import annotations

import csv
import io
import threading
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import pytest
from sqlmodel import Session
from shared.audit.service import Actor
from shared.models import Contact
from shared.partners.delivery import DeliveryOptions, verify_signature
from shared.partners.schemas import PartnerCreate, TransferCreate
from shared.partners.service import create_partner
from shared.transfers.service import create_transfer
import factories


ACTOR = Actor(label="user:test")


SECRET = "kumppanin-jaettu-salaisuus-0123456789"


FAST = DeliveryOptions(attempts=3, backoff_seconds=0.01, timeout_seconds=5)


class Partner(BaseHTTPRequestHandler):
    """The partner's endpoint: keeps what it got, answers 401 to a bad signature, and fails the
    first `server.failures` requests with `server.failure_status`."""

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        with server.lock:
            server.attempts += 1
            failing = server.attempts <= server.failures
        if failing:
            status = server.failure_status
        elif not verify_signature(SECRET.encode(), dict(self.headers), body):
            status = 401
        else:
            status = 200
            server.received.append({"headers": dict(self.headers), "body": body})
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def partner_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Partner)
    server.lock, server.attempts, server.failures, server.failure_status, server.received = (
        threading.Lock(), 0, 0, 503, [])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/rekisteri"
    yield server
    server.shutdown()
    server.server_close()


def make_partner(s: Session, url: str, **overrides):
    values = {"name": f"Markkinointi {uuid.uuid4().hex[:6]} Oy", "role": "recipient",
              "agreement_reference": "SOP-2026-14", "agreement_signed_on": date(2026, 1, 1),
              "purposes": ["marketing", "billing"], "fields": ["first_name", "last_name", "email", "company_name"],
              "delivery": "https", "endpoint_url": url, "secret": SECRET, **overrides}
    return create_partner(s, data=PartnerCreate(**values), actor=ACTOR)


def make_person(s: Session, *, status: str = "customer", **fields) -> Contact:
    tag = uuid.uuid4().hex[:8]
    company = factories.company(s, name=f"Asiakas {tag} Oy", status=status)
    return factories.contact(s, company=company, **({"first_name": f"Etu{tag}", "last_name": f"Suku{tag}",
                                                    "email": f"henkilo.{tag}@example.fi", "phone": "+358401234567"}
                                                   | fields))


def transfer_for(s: Session, partner, purpose: str = "marketing", companies: list[int] | None = None, **extra):
    selection = {"company_ids": companies} if companies else {}
    return create_transfer(s, data=TransferCreate(partner_id=partner.id, purpose=purpose, selection=selection,
                                                  **extra), actor=ACTOR)


def rows_of(delivery: dict) -> list[dict]:
    return list(csv.DictReader(io.StringIO(delivery["body"].decode())))
