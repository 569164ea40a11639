"""Contact persons: create, read, search, update and delete, consents, with change history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlmodel import Session, select

from shared.audit.service import Actor, apply_changes, record, record_created, record_deleted
from shared.contacts.schemas import ConsentCreate, ContactCreate
from shared.contacts.search import search_contacts  # noqa: F401  (the search lives in search.py)
from shared.models import Channel, Company, Consent, Contact, utcnow
from shared.common.errors import Conflict, InvalidInput, InvalidReference, NotFound
from shared.common.validation import normalize_email


def _check_references(session: Session, values: dict[str, Any], *, except_id: int | None = None) -> None:
    company_id = values.get("company_id")
    if company_id is not None and session.get(Company, company_id) is None:
        raise InvalidReference("company_id", "no company has this id")
    email = values.get("email")
    if email is not None:
        existing = session.exec(select(Contact.id).where(Contact.email == email)).first()
        if existing is not None and existing != except_id:
            raise Conflict("a contact with this email address is already in the register")


def create_contact(session: Session, *, data: ContactCreate, actor: Actor) -> Contact:
    """Add a contact person; the email must be free and the company must exist."""
    values = data.model_dump()
    _check_references(session, values)
    contact = Contact(**values)
    session.add(contact)
    record_created(session, entity=contact, actor=actor)
    return contact


def get_contact(session: Session, *, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound("no such contact")
    return contact


def get_contact_with_consents(session: Session, *, contact_id: int) -> tuple[Contact, list[dict]]:
    """The contact and its consents in one round trip (the hot path of `GET /v1/contacts/{id}`)."""
    consents = (
        select(func.coalesce(func.json_agg(aggregate_order_by(func.json_build_object(
            "id", Consent.id, "purpose", Consent.purpose, "channel", Consent.channel,
            "evidence", Consent.evidence, "granted_at", Consent.granted_at,
            "withdrawn_at", Consent.withdrawn_at,
        ), Consent.id)), text("'[]'::json")))
        .where(Consent.contact_id == Contact.id)
        .scalar_subquery()
    )
    row = session.exec(select(Contact, consents).where(Contact.id == contact_id)).first()
    if row is None:
        raise NotFound("no such contact")
    return row[0], row[1]


def update_contact(session: Session, *, contact: Contact, changes: dict[str, Any], actor: Actor) -> Contact:
    """Change the given fields, each change recorded in the history."""
    _check_references(session, changes, except_id=contact.id)
    apply_changes(session, entity=contact, changes=changes, actor=actor)
    return contact


def delete_contact(session: Session, *, contact: Contact, actor: Actor) -> None:
    """Delete the contact and what hangs on it (consents, subscriptions, interactions…)."""
    record_deleted(session, entity=contact, actor=actor)
    session.delete(contact)
    session.flush()


def list_consents(session: Session, *, contact_id: int) -> list[Consent]:
    return list(session.exec(select(Consent).where(Consent.contact_id == contact_id).order_by(Consent.id)).all())


def grant_consent(session: Session, *, contact: Contact, data: ConsentCreate, actor: Actor) -> Consent:
    """Record a consent with its evidence."""
    consent = Consent(contact_id=contact.id, **data.model_dump())
    session.add(consent)
    session.flush()
    record(session, entity=contact, action="update", actor=actor, field=f"consent:{data.purpose.value}", new="granted")
    return consent


def withdraw_consent(session: Session, *, contact: Contact, consent_id: int, actor: Actor) -> Consent:
    consent = session.get(Consent, consent_id)
    if consent is None or consent.contact_id != contact.id:
        raise NotFound("no such consent")
    if consent.withdrawn_at is None:
        consent.withdrawn_at = utcnow()
        session.add(consent)
        record(session, entity=contact, action="update", actor=actor,
               field=f"consent:{consent.purpose}", old="granted", new="withdrawn")
    return consent


def record_objection(session: Session, *, contact: Contact, direct_marketing: bool, research: bool,
                     channel: Channel, actor: Actor) -> None:
    """Art. 21: the person objects to direct marketing and/or research, from now on."""
    now = utcnow()
    changes: dict[str, Any] = {}
    if direct_marketing and contact.objects_direct_marketing_at is None:
        changes |= {"objects_direct_marketing_at": now, "objects_direct_marketing_channel": channel}
    if research and contact.objects_research_at is None:
        changes |= {"objects_research_at": now, "objects_research_channel": channel}
    apply_changes(session, entity=contact, changes=changes, actor=actor)


def notify_restriction_lift(session: Session, *, contact: Contact, actor: Actor) -> None:
    """Record that the person was told the restriction will be lifted (the caller sends the notice)."""
    if contact.restricted_at is None:
        raise Conflict("the contact is not restricted")
    apply_changes(session, entity=contact, changes={"restriction_lift_notified_at": utcnow()}, actor=actor)


def lift_restriction(session: Session, *, contact: Contact, actor: Actor) -> None:
    """Lift a restriction — only after the person has been told (Art. 18(3))."""
    if contact.restricted_at is None:
        raise Conflict("the contact is not restricted")
    if contact.restriction_lift_notified_at is None:
        raise Conflict("tell the person first (POST …/restriction/notice), then lift the restriction")
    apply_changes(session, entity=contact, changes={"restricted_at": None, "restriction_reason": None,
                                                    "restriction_lift_notified_at": None}, actor=actor)


def restrict(session: Session, *, contact: Contact, reason: str, actor: Actor) -> None:
    """Art. 18: keep the person but exclude them from marketing, research, transfers, merges."""
    if contact.restricted_at is None:
        apply_changes(session, entity=contact, changes={"restricted_at": utcnow(), "restriction_reason": reason},
                      actor=actor)
