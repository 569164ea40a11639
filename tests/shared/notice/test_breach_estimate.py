"""A breach estimate for one staff user counts only what that user did: their reads and the
partner transfers they started — never another user's, nor disclosures that name no user."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from shared.auth.service import create_user
from shared.models import AccessRecord, Disclosure, Role, utcnow
from shared.models.partners import DeliveryMethod, Partner, PartnerRole, Transfer
from shared.notice import BreachEstimate, estimate_affected


def _user(session, role: Role) -> int:
    return create_user(session, name=f"arvio-{role.value}-{uuid.uuid4().hex[:6]}", role=role).id


def _transfer(session, *, partner: Partner, by: int) -> Transfer:
    transfer = Transfer(partner_id=partner.id, purpose="billing", fields=["email"], created_by=by)
    session.add(transfer)
    session.flush()
    return transfer


def _disclosed(session, *, contact_id: int, at, transfer: Transfer | None = None, recipient: str) -> None:
    session.add(Disclosure(contact_id=contact_id, recipient=recipient, recipient_kind="partner" if transfer else "authority",
                           purpose="billing", fields=["email"], request_id=transfer.id if transfer else None, at=at))


def test_a_users_estimate_counts_their_reads_and_transfers_only(session):
    now = utcnow()
    at = now - timedelta(minutes=5)
    anna, ville = _user(session, Role.privacy), _user(session, Role.privacy)
    partner = Partner(name=f"Arviokumppani {uuid.uuid4().hex[:6]} Oy", role=PartnerRole.processor,
                      agreement_reference="SOP-1", agreement_signed_on=date(2026, 1, 1), purposes=["billing"],
                      fields=["email"], delivery=DeliveryMethod.download)
    session.add(partner)
    session.flush()
    read_by_anna, read_by_ville, sent_by_anna, sent_by_ville, to_police = (
        900_000_001, 900_000_002, 900_000_003, 900_000_004, 900_000_005)
    session.add(AccessRecord(user_id=anna, contact_ids=[read_by_anna], route="GET /v1/contacts/{contact_id}", at=at))
    session.add(AccessRecord(user_id=ville, contact_ids=[read_by_ville], route="GET /v1/contacts/{contact_id}", at=at))
    _disclosed(session, contact_id=sent_by_anna, at=at, transfer=_transfer(session, partner=partner, by=anna),
               recipient=partner.name)
    _disclosed(session, contact_id=sent_by_ville, at=at, transfer=_transfer(session, partner=partner, by=ville),
               recipient=partner.name)
    _disclosed(session, contact_id=to_police, at=at, recipient="Poliisi")
    session.flush()

    window = {"since": now - timedelta(minutes=10), "until": now}
    annas = estimate_affected(session, data=BreachEstimate(**window, user_id=anna))
    assert (annas["people"], annas["reads"], annas["disclosures"]) == (2, 1, 1)
    everyone = estimate_affected(session, data=BreachEstimate(**window))
    assert everyone["people"] >= 5 and everyone["disclosures"] >= 3
