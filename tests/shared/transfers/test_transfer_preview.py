"""The transfer preview on real PostgreSQL: the same rules as the transfer itself, counted and not
made — the preview's counts equal the transfer's when it runs, and nothing is written."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

import factories
from shared.audit.service import Actor
from shared.common.suppression import suppress
from shared.models import Disclosure, Subscription, utcnow
from shared.models.partners import Partner, Transfer
from shared.partners.delivery import DeliveryOptions
from shared.partners.schemas import TransferCreate
from shared.transfers.preview import chosen_fields, preview_transfer
from shared.transfers.service import create_transfer, run_transfer

OFFICER = Actor(label="user:privacy")


def _people(session: Session) -> tuple[Partner, int]:
    """A partner for marketing and a list of five: one of each exclusion, two who may go."""
    partner = factories._add(session, Partner(
        name=f"Kumppani {factories.tag()} Oy", role="recipient", agreement_reference="S-7",
        agreement_signed_on=date(2026, 1, 1), purposes=["marketing"], fields=["first_name", "email"],
        delivery="download"))
    newsletter = factories.mailing_list(session)
    people = [factories.contact(session) for _ in range(5)]
    for person in people:
        factories.subscription(session, contact=person, mailing_list=newsletter)
    people[0].restricted_at = utcnow()
    people[1].objects_direct_marketing_at = utcnow()
    suppress(session, email=people[2].email, reason="objected")
    session.add_all(people)
    session.flush()
    return partner, newsletter.id


def _counts(session: Session) -> tuple[int, int]:
    return (session.exec(select(func.count()).select_from(Transfer)).one(),
            session.exec(select(func.count()).select_from(Disclosure)).one())


def test_the_preview_counts_what_the_transfer_then_sends_and_writes_nothing(session):
    partner, list_id = _people(session)
    data = TransferCreate(partner_id=partner.id, purpose="marketing", selection={"list_ids": [list_id]})
    ids = sorted(session.exec(select(Subscription.contact_id).where(Subscription.list_id == list_id)).all())
    before = _counts(session)
    preview = preview_transfer(session, data=data, today=utcnow().date())
    assert preview.refusal is None and preview.fields == ["first_name", "email"]
    assert preview.rows == 2 and preview.candidates == 5
    assert preview.excluded == {"restricted": 1, "objected_direct_marketing": 1, "suppressed": 1}
    assert _counts(session) == before  # no transfer, no disclosure
    named = preview_transfer(session, data=data, today=utcnow().date(), named=10)
    assert {rule: [i for i, _, _ in people] for rule, people in named.who.items()} == {
        "restricted": [ids[0]], "objected_direct_marketing": [ids[1]], "suppressed": [ids[2]]}
    assert preview.who == {}  # counts only unless asked
    transfer = create_transfer(session, data=data, actor=OFFICER)
    run_transfer(session, transfer_id=transfer.id, options=DeliveryOptions(attempts=1, backoff_seconds=0.01,
                                                                           timeout_seconds=5))
    assert (transfer.rows, transfer.excluded) == (preview.rows, preview.excluded)


def test_a_preview_says_why_the_agreement_refuses(session):
    partner, list_id = _people(session)
    research = preview_transfer(session, data=TransferCreate(partner_id=partner.id, purpose="research",
                                                             selection={"list_ids": [list_id]}),
                                today=utcnow().date())
    assert research.refusal == ("purpose", {"purpose": "research", "covered": "marketing"})
    assert "does not cover the purpose 'research'" in research.refusal_text
    assert research.excluded == {"restricted": 1, "objected_research": 0} and research.rows == 4
    phone = preview_transfer(session, data=TransferCreate(partner_id=partner.id, purpose="marketing",
                                                          fields=["phone"], selection={"list_ids": [list_id]}),
                             today=utcnow().date())
    assert phone.refusal_text == "the partner may not receive: phone"
    expired = preview_transfer(session, data=TransferCreate(partner_id=partner.id, purpose="marketing"),
                               today=date(2026, 1, 1).replace(year=2025))
    assert expired.refusal[0] == "not_in_force" and "not in force until 2026-01-01" in expired.refusal_text


def test_the_fields_are_those_asked_for_in_file_order(session):
    partner, _ = _people(session)
    assert chosen_fields(partner, None) == ["first_name", "email"]
    assert chosen_fields(partner, ["email", "first_name"]) == ["first_name", "email"]
