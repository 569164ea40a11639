"""The access log's commit rule (shared/audit/service.py): a transaction that only reads commits
its access-log row without waiting for the disk; one that wrote anything else keeps the server's
synchronous commit. Either way the row is committed before the API answers."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from support import auth
from shared.audit.service import Actor, record_access
from shared.models import ChangeRecord


def _synchronous_commit(session: Session) -> str:
    return session.execute(text("SHOW synchronous_commit")).scalar_one()


def test_a_transaction_that_only_reads_does_not_wait_for_the_disk(session):
    record_access(session, actor=Actor(label="system"), contact_ids=[1], route="GET /v1/contacts/{contact_id}")
    assert _synchronous_commit(session) == "off"


def test_a_transaction_that_wrote_something_else_keeps_synchronous_commit(session):
    session.add(ChangeRecord(entity="contacts", entity_id=1, action="update", actor="system"))
    session.flush()
    record_access(session, actor=Actor(label="system"), contact_ids=[1], route="GET /v1/contacts/{contact_id}")
    assert _synchronous_commit(session) == "on"


def test_a_pending_write_keeps_synchronous_commit(session):
    session.add(ChangeRecord(entity="contacts", entity_id=1, action="update", actor="system"))
    record_access(session, actor=Actor(label="system"), contact_ids=[1], route="GET /v1/contacts/{contact_id}")
    assert _synchronous_commit(session) == "on"


def test_an_answered_read_is_already_in_the_log(api, role_tokens, engine):
    token = role_tokens["sales"]
    created = api.post("/v1/contacts", json={"first_name": "Lokitus", "last_name": "Testi", "legal_basis":
                       "customer_relationship", "purposes": ["sales_marketing"], "source": "data_subject"},
                       headers=auth(token))
    read = api.get(f"/v1/contacts/{created.json()['id']}", headers=auth(token))
    assert read.status_code == 200
    with engine.connect() as other:  # another connection: sees only what is committed
        logged = other.execute(text("SELECT count(*) FROM access_log WHERE request_id = :r AND :c = ANY(contact_ids)"),
                               {"r": read.headers["x-request-id"], "c": created.json()["id"]}).scalar_one()
    assert logged == 1
