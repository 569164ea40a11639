"""Transfers to partners (privacy; admins with a stated reason): a job on the bulk queue; a refused
one says why (409). The download link is in the creation's answer only; reads are access-logged.
The disclosure log and authority disclosures (privacy). The partner's signed download link."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse, JSONResponse

from services.api.authz import StaffActor
from services.api.deps import SessionDep
from services.api.errors import error_answer, error_response
from services.api.params import IdQuery
from shared.models.partners import TransferStatus
from shared.partners.schemas import AuthorityDisclosureCreate, DisclosurePublic, TransferCreate, TransferPublic
from shared.partners.service import list_disclosures, record_authority_disclosure
from shared.transfers import files, service

router = APIRouter(tags=["transfers"])


@router.post("/v1/transfers", response_model=TransferPublic, status_code=status.HTTP_202_ACCEPTED,
             responses={409: {"model": TransferPublic, "description": "refused: `reason` says why"}},
             summary="Transfer people to a partner for a purpose (runs as a job)")
def create_transfer(body: TransferCreate, session: SessionDep, actor: StaffActor):
    transfer = service.to_public(service.create_transfer(session, data=body, actor=actor), with_link=True)
    if transfer.status == TransferStatus.refused:  # kept as a record: the answer still commits
        return JSONResponse(transfer.model_dump(mode="json"), status_code=error_answer(service.TransferRefused())[0])
    return transfer


@router.get("/v1/transfers", response_model=list[TransferPublic])
def list_transfers(session: SessionDep, actor: StaffActor, partner_id: IdQuery = None,
                   limit: int = Query(100, ge=1, le=1000)) -> list[TransferPublic]:
    return [service.to_public(t) for t in service.list_transfers(session, partner_id=partner_id, limit=limit)]


@router.get("/v1/transfers/{transfer_id}", response_model=TransferPublic)
def read_transfer(transfer_id: uuid.UUID, session: SessionDep, actor: StaffActor) -> TransferPublic:
    return service.to_public(service.read_transfer(session, transfer_id=transfer_id, actor=actor))


@router.post("/v1/disclosures", response_model=list[DisclosurePublic], status_code=status.HTTP_201_CREATED,
             summary="Record a disclosure to an authority (privacy)")
def record_disclosure(body: AuthorityDisclosureCreate, session: SessionDep, actor: StaffActor) -> list:
    return record_authority_disclosure(session, data=body)


@router.get("/v1/disclosures", response_model=list[DisclosurePublic], summary="The disclosure log (privacy)")
def disclosures(session: SessionDep, actor: StaffActor, contact_id: IdQuery = None,
                recipient_kind: str | None = Query(None, pattern="^(partner|authority)$"),
                status_: str | None = Query(None, alias="status", pattern="^(done|pending)$"),
                limit: int = Query(200, ge=1, le=1000)) -> list:
    return list_disclosures(session, contact_id=contact_id, recipient_kind=recipient_kind, status=status_,
                            limit=limit)


@router.get("/public/transfers/{transfer_id}/file", response_class=FileResponse, tags=["public"],
            responses={200: {"content": {"text/csv": {}, "application/json": {}}}, 404: {}, 410: {}},
            summary="A partner fetches its file with the signed, expiring link")
def download(transfer_id: uuid.UUID, session: SessionDep, expires: str | None = Query(None, max_length=20),
             sig: str | None = Query(None, max_length=128)):
    transfer, path = service.open_download(session, transfer_id=transfer_id, expires=expires, sig=sig)
    if path is None:  # returned, not raised: the transfer's new state must commit
        return error_response(service.FileOutOfDate())
    return FileResponse(path, media_type=files.CONTENT_TYPES[transfer.file_format],
                        filename=f"{transfer.id}.{transfer.file_format.value}",
                        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                                 "X-Rekisteri-Content-SHA256": transfer.sha256 or ""})
