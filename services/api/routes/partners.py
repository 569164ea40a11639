"""Contract partners and processors (privacy, admin): who may receive what, for which purpose,
under which written agreement and through which channel. A secret goes in, never out."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.etag import IfMatch, check_if_match, set_etag
from services.api.params import IdPath
from shared.models import utcnow
from shared.partners import service
from shared.partners.schemas import PartnerCreate, PartnerPublic, PartnerUpdate

router = APIRouter(prefix="/v1/partners", tags=["partners"])


@router.get("", response_model=list[PartnerPublic], summary="The partner registry")
def list_partners(session: SessionDep, actor: StaffActor, active: bool | None = None) -> list[PartnerPublic]:
    today = utcnow().date()
    return [service.to_public(p, today=today) for p in service.list_partners(session, active=active)]


@router.post("", response_model=PartnerPublic, status_code=status.HTTP_201_CREATED, summary="Register a partner")
def create_partner(body: PartnerCreate, session: SessionDep, actor: StaffActor, response: Response) -> PartnerPublic:
    partner = service.create_partner(session, data=body, actor=actor)
    set_etag(response, partner)
    return service.to_public(partner, today=utcnow().date())


@router.get("/{partner_id}", response_model=PartnerPublic)
def read_partner(partner_id: IdPath, session: SessionDep, actor: StaffActor, response: Response) -> PartnerPublic:
    partner = service.get_partner(session, partner_id=partner_id)
    set_etag(response, partner)
    return service.to_public(partner, today=utcnow().date())


@router.patch("/{partner_id}", response_model=PartnerPublic, summary="Change a partner (If-Match required)")
def update_partner(partner_id: IdPath, body: PartnerUpdate, session: SessionDep, actor: StaffActor,
                   response: Response, if_match: IfMatch = None) -> PartnerPublic:
    partner = service.get_partner(session, partner_id=partner_id)
    check_if_match(if_match, partner)
    service.update_partner(session, partner=partner, data=body, actor=actor)
    set_etag(response, partner)
    return service.to_public(partner, today=utcnow().date())
