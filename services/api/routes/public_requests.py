"""The data subject's way in by JSON: no login. Answers never reveal whether an address is in the
register; a request proceeds only once its emailed link is followed (the verification page is in
services/api/pages/request_links.py). People use the same through the privacy centre's forms."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from services.api.deps import SessionDep
from shared.models import utcnow
from shared.subject_requests import service
from shared.subject_requests.schemas import PublicReceipt, PublicRequestCreate

router = APIRouter(prefix="/public", tags=["public"])


@router.post("/requests", response_model=PublicReceipt, status_code=status.HTTP_202_ACCEPTED,
             summary="Ask for access, rectification, erasure, restriction, or object")
def submit(body: PublicRequestCreate, request: Request, session: SessionDep) -> PublicReceipt:
    try:
        service.submit_public(session, data=body, client_ip=request.client.host if request.client else None)
    except service.RateLimited as limited:
        wait = max(1, int((limited.retry_at - utcnow()).total_seconds()))
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail="too many requests; try again later",
                            headers={"Retry-After": str(wait)}) from None
    return PublicReceipt()
