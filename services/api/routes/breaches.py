"""The breach register (GDPR Art. 33; privacy): what happened, when it became known, the 72-hour
deadline, and an estimate of the people and records affected from the access and disclosure logs."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from services.api.authz import CurrentUser
from services.api.deps import SessionDep
from services.api.etag import IfMatch, check_if_match, set_etag
from services.api.params import IdPath
from shared import notice
from shared.models import utcnow
from shared.models.partners import BreachStatus
from shared.notice import BreachCreate, BreachEstimate, BreachPublic, BreachUpdate

router = APIRouter(prefix="/v1/breaches", tags=["breaches"])


@router.get("", response_model=list[BreachPublic])
def list_breaches(session: SessionDep, user: CurrentUser,
                  status_: BreachStatus | None = Query(None, alias="status")) -> list:
    now = utcnow()
    return [notice.breach_public(b, now=now) for b in notice.list_breaches(session, status=status_)]


@router.post("", response_model=BreachPublic, status_code=status.HTTP_201_CREATED, summary="Record a breach")
def create_breach(body: BreachCreate, session: SessionDep, user: CurrentUser, response: Response) -> BreachPublic:
    breach = notice.create_breach(session, data=body, created_by=user.id)
    set_etag(response, breach)
    return notice.breach_public(breach, now=utcnow())


@router.get("/{breach_id}", response_model=BreachPublic, summary="A breach; the ETag is its version")
def read_breach(breach_id: IdPath, session: SessionDep, user: CurrentUser, response: Response) -> BreachPublic:
    breach = notice.get_breach(session, breach_id=breach_id)
    set_etag(response, breach)
    return notice.breach_public(breach, now=utcnow())


@router.patch("/{breach_id}", response_model=BreachPublic,
              summary="Add what became known, the notifications (If-Match required)")
def update_breach(breach_id: IdPath, body: BreachUpdate, session: SessionDep, user: CurrentUser,
                  response: Response, if_match: IfMatch = None) -> BreachPublic:
    breach = notice.get_breach(session, breach_id=breach_id)
    check_if_match(if_match, breach)
    notice.update_breach(session, breach=breach, data=body)
    set_etag(response, breach)
    return notice.breach_public(breach, now=utcnow())


@router.post("/{breach_id}/estimate", response_model=BreachPublic,
             summary="Count the people and records in the access and disclosure logs for a window")
def estimate(breach_id: IdPath, body: BreachEstimate, session: SessionDep, user: CurrentUser,
             response: Response) -> BreachPublic:
    breach = notice.record_estimate(session, breach=notice.get_breach(session, breach_id=breach_id), data=body)
    set_etag(response, breach)
    return notice.breach_public(breach, now=utcnow())
