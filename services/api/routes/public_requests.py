"""The data subject's way in by JSON: no login. Answers never reveal whether an address is in the
register; a request proceeds only once its emailed link is followed (the verification page is in
services/api/pages/request_links.py). People use the same through the privacy centre's forms."""

from __future__ import annotations

from fastapi import APIRouter, Request, status

from services.api.deps import SessionDep
from shared.subject_requests import service
from shared.subject_requests.schemas import PublicReceipt, PublicRequestCreate

router = APIRouter(prefix="/public", tags=["public"])


@router.post("/requests", response_model=PublicReceipt, status_code=status.HTTP_202_ACCEPTED,
             summary="Ask for access, rectification, erasure, restriction, or object")
def submit(body: PublicRequestCreate, request: Request, session: SessionDep) -> PublicReceipt:
    service.submit_public(session, data=body, client_ip=request.client.host if request.client else None)
    return PublicReceipt()
