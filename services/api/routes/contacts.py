"""Contact persons (sales, marketing; privacy reads). Every read is in the access log."""

from __future__ import annotations

from dataclasses import asdict
from typing import Literal

from fastapi import APIRouter, Query, Response, status
from sqlmodel import select

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.params import IdPath, IdQuery
from services.api.etag import IfMatch, check_if_match, set_etag
from shared.audit.service import history, record_access
from shared.contacts import service
from shared.contacts.schemas import (
    AccessPublic,
    ChangePublic,
    ConsentCreate,
    ConsentPublic,
    ContactCreate,
    ContactDetail,
    ContactPublic,
    ContactUpdate,
)
from shared.dedup.incremental import likely_duplicates
from shared.models import AccessRecord, CompanyStatus, Consent, Contact, LegalBasis
from shared.pagination import Page
from shared.common.schemas import BusinessId, Phone
from shared.subject_requests.messages import send_contact_email
from shared.subject_requests.schemas import Decision

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])


def _detail(session, contact: Contact, consents: list | None = None, duplicates: list | None = None) -> ContactDetail:
    if consents is None:
        consents = [c.model_dump() for c in service.list_consents(session, contact_id=contact.id)]
    return ContactDetail(**contact.model_dump(), consents=consents, duplicates=duplicates or [])


@router.get("", response_model=Page[ContactPublic], summary="Search contacts")
def search(session: SessionDep, actor: StaffActor, q: str | None = Query(None, max_length=200),
           company_id: IdQuery = None, business_id: BusinessId | None = None,
           email: str | None = Query(None, max_length=320), phone: Phone | None = Query(None),
           company_status: CompanyStatus | None = None,
           list_id: IdQuery = None, legal_basis: LegalBasis | None = None,
           objection: Literal["direct_marketing", "research", "any", "none"] | None = None,
           sort: Literal["name", "-name", "created_at", "-created_at"] = "name",
           cursor: str | None = Query(None, max_length=500), limit: int = Query(50, ge=1, le=500)) -> Page:
    items, next_cursor = service.search_contacts(
        session, q=q, company_id=company_id, business_id=business_id, email=email, phone=phone,
        company_status=company_status, list_id=list_id, legal_basis=legal_basis, objection=objection,
        sort=sort, cursor=cursor, limit=limit)
    record_access(session, actor=actor, contact_ids=[c.id for c in items], route="GET /v1/contacts")
    return Page(items=items, next_cursor=next_cursor)


@router.post("", response_model=ContactDetail, status_code=status.HTTP_201_CREATED,
             summary="Create a contact; the answer names its likely duplicates (warn, don't block)")
def create(body: ContactCreate, session: SessionDep, actor: StaffActor, response: Response) -> ContactDetail:
    contact = service.create_contact(session, data=body, actor=actor)
    set_etag(response, contact)
    return _detail(session, contact, duplicates=[asdict(d) for d in likely_duplicates(session, contact=contact)])


@router.get("/{contact_id}", response_model=ContactDetail)
def read(contact_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> ContactDetail:
    contact, consents = service.get_contact_with_consents(session, contact_id=contact_id)
    record_access(session, actor=actor, contact_ids=[contact.id], route="GET /v1/contacts/{contact_id}")
    set_etag(response, contact)
    return _detail(session, contact, consents)


@router.patch("/{contact_id}", response_model=ContactDetail, summary="Change fields (If-Match required)")
def update(contact_id: IdPath, body: ContactUpdate, session: SessionDep, actor: StaffActor,
           response: Response, if_match: IfMatch = None) -> ContactDetail:
    contact = service.get_contact(session, contact_id=contact_id)
    check_if_match(if_match, contact)
    service.update_contact(session, contact=contact, changes=body.model_dump(exclude_unset=True), actor=actor)
    set_etag(response, contact)
    return _detail(session, contact)


@router.delete("/{contact_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete (If-Match required)")
def delete(contact_id: IdPath, session: SessionDep, actor: StaffActor, if_match: IfMatch = None) -> None:
    contact = service.get_contact(session, contact_id=contact_id)
    check_if_match(if_match, contact)
    service.delete_contact(session, contact=contact, actor=actor)


@router.get("/{contact_id}/history", response_model=list[ChangePublic], summary="Change history")
def contact_history(contact_id: IdPath, session: SessionDep, actor: StaffActor) -> list:
    service.get_contact(session, contact_id=contact_id)
    record_access(session, actor=actor, contact_ids=[contact_id], route="GET /v1/contacts/{contact_id}/history")
    return history(session, contact_id=contact_id)


@router.post("/{contact_id}/consents", response_model=ConsentPublic, status_code=status.HTTP_201_CREATED)
def grant_consent(contact_id: IdPath, body: ConsentCreate, session: SessionDep, actor: StaffActor) -> Consent:
    contact = service.get_contact(session, contact_id=contact_id)
    return service.grant_consent(session, contact=contact, data=body, actor=actor)


@router.post("/{contact_id}/consents/{consent_id}/withdraw", response_model=ConsentPublic)
def withdraw_consent(contact_id: IdPath, consent_id: IdPath, session: SessionDep, actor: StaffActor) -> Consent:
    contact = service.get_contact(session, contact_id=contact_id)
    return service.withdraw_consent(session, contact=contact, consent_id=consent_id, actor=actor)


@router.post("/{contact_id}/restriction/notice", response_model=ContactDetail,
             summary="Tell the person their restriction will be lifted (privacy)")
def restriction_notice(contact_id: IdPath, body: Decision, session: SessionDep, actor: StaffActor) -> ContactDetail:
    contact = service.get_contact(session, contact_id=contact_id)
    service.notify_restriction_lift(session, contact=contact, actor=actor)
    send_contact_email(session, contact=contact, template="restriction_lifting", reason=body.reason)
    return _detail(session, contact)


@router.post("/{contact_id}/restriction/lift", response_model=ContactDetail,
             summary="Lift a restriction after the person was told (privacy)")
def restriction_lift(contact_id: IdPath, session: SessionDep, actor: StaffActor) -> ContactDetail:
    contact = service.get_contact(session, contact_id=contact_id)
    service.lift_restriction(session, contact=contact, actor=actor)
    return _detail(session, contact)


@router.get("/{contact_id}/access-log", response_model=list[AccessPublic], summary="Who read this contact (privacy)")
def access_log(contact_id: IdPath, session: SessionDep, actor: StaffActor, limit: int = Query(200, ge=1, le=1000)) -> list:
    service.get_contact(session, contact_id=contact_id)
    query = (select(AccessRecord).where(AccessRecord.contact_ids.contains([contact_id]))
             .order_by(AccessRecord.id.desc()).limit(limit))
    return list(session.exec(query).all())
